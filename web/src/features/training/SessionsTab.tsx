import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDate, percent } from '../../lib/format';
import type { Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useSessionsQuery } from './queries';

export function DaftarHadirLinks({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="wrap">
      <Anchor href={`/api/v1/sessions/${sessionId}/daftar-hadir.pdf?filled=false`} target="_blank" size="sm">
        <Group gap={4} wrap="nowrap">
          <IconFileTypePdf size={14} />
          {t('sessions.blankList')}
        </Group>
      </Anchor>
      <Anchor href={`/api/v1/sessions/${sessionId}/daftar-hadir.pdf?filled=true`} target="_blank" size="sm">
        <Group gap={4} wrap="nowrap">
          <IconFileTypePdf size={14} />
          {t('sessions.filledList')}
        </Group>
      </Anchor>
    </Group>
  );
}

export function SessionsTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const staff = can('readParticipants');
  const { data, error, isPending, refetch } = useSessionsQuery(program.id);
  if (isPending) return <Loading />;
  const sessions = data?.items ?? [];
  // `enrolled` counts the seats taken, graduates included.
  const participants = program.enrolled;
  return (
    <Stack gap="sm">
      <ErrorAlert error={error} onRetry={refetch} />
      {sessions.length === 0 && !error && (
        <Text c="dimmed" size="sm">
          {t('sessions.none')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {sessions.map((s) => (
          <Card key={s.id} withBorder radius="md" padding="md" data-testid="session-card">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                {staff ? (
                  <Anchor component={Link} to={`/sessions/${s.id}`} fw={600}>
                    {t('sessions.day', { day: s.day })}
                  </Anchor>
                ) : (
                  <Text fw={600}>{t('sessions.day', { day: s.day })}</Text>
                )}
                <Text size="sm">{formatDate(s.date)}</Text>
                <Text size="xs" c="dimmed">
                  {s.startsAt}–{s.endsAt}
                </Text>
              </div>
              <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
                {t('sessions.attended', { count: s.attendedCount })}
              </Badge>
            </Group>
            {s.topic && (
              <Text size="sm" mt="xs" className="break-anywhere">
                {s.topic}
              </Text>
            )}
            {participants > 0 && (
              <Progress
                value={percent(s.attendedCount, participants)}
                size="sm"
                mt="sm"
                color="teal"
                aria-hidden
              />
            )}
            {staff && (
              <Stack gap={4} mt="sm">
                <DaftarHadirLinks sessionId={s.id} />
              </Stack>
            )}
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
