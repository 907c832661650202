import { Anchor, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Program } from '../../lib/types';
import { useCopyProgram } from './queries';

// The waves (gelombang) of a program: links to the one it was copied from and to those copied
// from it, shown on each.
export function WaveLinks({ program }: { program: Program }) {
  const { t } = useTranslation();
  if (!program.previousWave && program.nextWaves.length === 0) return null;
  return (
    <Group gap="md" mb="sm" data-testid="wave-links">
      {program.previousWave && (
        <Text size="sm">
          {t('waves.previous')}{' '}
          <Anchor component={Link} to={`/programs/${program.previousWave.id}`}>
            {program.previousWave.name}
          </Anchor>
        </Text>
      )}
      {program.nextWaves.map((w) => (
        <Text size="sm" key={w.id}>
          {t('waves.next')}{' '}
          <Anchor component={Link} to={`/programs/${w.id}`}>
            {w.name}
          </Anchor>
        </Text>
      ))}
    </Group>
  );
}

// "Salin sebagai gelombang berikutnya": the new start date; the rest is copied and moved.
export function CopyWaveButton({ program }: { program: Program }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [startDate, setStartDate] = useState('');
  const copy = useCopyProgram(program.id);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconCopy size={14} />}
        onClick={() => setOpened(true)}
      >
        {t('waves.copy')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('waves.copyTitle')} centered>
        <Stack gap="sm">
          <Text size="sm">{t('waves.copyHelp')}</Text>
          <TextInput
            type="date"
            label={t('waves.startDate')}
            value={startDate}
            onChange={(e) => setStartDate(e.currentTarget.value)}
            required
          />
          <ErrorAlert error={copy.error} />
          <Group justify="flex-end">
            <Button
              disabled={!/^\d{4}-\d{2}-\d{2}$/.test(startDate)}
              loading={copy.isPending}
              onClick={() =>
                copy.mutate(startDate, {
                  onSuccess: (created) => {
                    setOpened(false);
                    void navigate(`/programs/${created.id}`);
                  },
                })
              }
            >
              {t('waves.create')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
