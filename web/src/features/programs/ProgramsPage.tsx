import { Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { IconCalendar, IconMapPin, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDateRange, formatNumber, percent } from '../../lib/format';
import type { Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useProgramsQuery } from './queries';

export function ProgramCardBody({ program }: { program: Program }) {
  const { t } = useTranslation();
  return (
    <>
      <Group gap={6} mt={4} wrap="nowrap" align="flex-start">
        <IconCalendar size={16} style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm">{formatDateRange(program.startDate, program.endDate)}</Text>
      </Group>
      {program.venue && (
        <Group gap={6} mt={2} wrap="nowrap" align="flex-start">
          <IconMapPin size={16} style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm">{program.venue}</Text>
        </Group>
      )}
      <Progress.Root size={10} mt="sm" aria-label={t('dashboard.progressLabel')}>
        <Progress.Section value={percent(program.completed, program.capacity)} color="teal" />
        <Progress.Section
          value={Math.max(
            0,
            percent(program.enrolled, program.capacity) - percent(program.completed, program.capacity),
          )}
          color="pulih.5"
        />
      </Progress.Root>
      <Text size="xs" c="dimmed" mt={4}>
        {t('program.seats', {
          enrolled: formatNumber(program.enrolled),
          capacity: formatNumber(program.capacity),
          waitlisted: formatNumber(program.waitlisted),
          completed: formatNumber(program.completed),
        })}
      </Text>
    </>
  );
}

export function ProgramsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [archived, setArchived] = useState(false);
  const list = useProgramsQuery(24, archived);
  const { items, error, loading, reload } = list;
  return (
    <>
      <PageHeader
        title={t('programs.title')}
        subtitle={t('programs.subtitle')}
        actions={
          can('writePrograms') && (
            <Button component={Link} to="/programs/new" leftSection={<IconPlus size={16} />}>
              {t('programs.new')}
            </Button>
          )
        }
      />
      <ErrorAlert error={error} onRetry={reload} />
      <Stack gap="md">
        <Switch
          checked={archived}
          onChange={(event) => setArchived(event.currentTarget.checked)}
          label={t('programs.showArchived')}
        />
        {!loading && items.length === 0 && !error && (
          <Text c="dimmed" ta="center">
            {t('common.empty')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {items.map((p) => (
            <Card key={p.id} withBorder radius="md" padding="md">
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                <Anchor component={Link} to={`/programs/${p.id}`} fw={600} className="break-anywhere">
                  {p.name}
                </Anchor>
                <Badge variant="light" style={{ flexShrink: 0 }}>
                  {t(`programType.${p.type}`)}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {p.organisation.name}
              </Text>
              <ProgramCardBody program={p} />
            </Card>
          ))}
        </SimpleGrid>
        <PagedFooter list={list} />
      </Stack>
    </>
  );
}
