import { Anchor, Badge, Button, Card, Group, Menu, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCalendarPlus, IconDots, IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDate, percent } from '../../lib/format';
import type { Program, SessionSummary } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useSessionsQuery } from './queries';
import {
  FormModal,
  SessionCancelForm,
  SessionEditForm,
  SessionSeriesForm,
  useOpenState,
} from './SessionForms';

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
  const { t: tt } = useTranslation('training');
  const { can } = useAuth();
  const staff = can('readParticipants');
  const writer = can('writePrograms');
  const [adding, setAdding] = useState(false);
  const editing = useOpenState<SessionSummary>();
  const cancelling = useOpenState<SessionSummary>();
  const { data, error, isPending, refetch } = useSessionsQuery(program.id);
  if (isPending) return <Loading />;
  const sessions = data?.items ?? [];
  // `enrolled` counts the seats taken, graduates included.
  const participants = program.enrolled;
  return (
    <Stack gap="sm">
      <ErrorAlert error={error} onRetry={refetch} />
      {writer && (
        <Group>
          <Button
            leftSection={<IconCalendarPlus size={16} />}
            onClick={() => setAdding(true)}
            data-testid="add-sessions"
          >
            {tt('add')}
          </Button>
        </Group>
      )}
      {sessions.length === 0 && !error && (
        <Text c="dimmed" size="sm">
          {t('sessions.none')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {sessions.map((s) => (
          <Card
            key={s.id}
            withBorder
            radius="md"
            padding="md"
            data-testid="session-card"
            data-cancelled={s.cancelledAt ? 'true' : 'false'}
            style={s.cancelledAt ? { opacity: 0.75 } : undefined}
          >
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
                  {s.lessonHours ? ` · ${tt('jp', { count: s.lessonHours })}` : ''}
                </Text>
                {s.venue && (
                  <Text size="xs" c="dimmed" className="break-anywhere">
                    {s.venue}
                  </Text>
                )}
              </div>
              <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                {s.cancelledAt ? (
                  <Badge variant="light" color="red">
                    {tt('cancelled')}
                  </Badge>
                ) : (
                  <Badge variant="light" color="teal">
                    {t('sessions.attended', { count: s.attendedCount })}
                  </Badge>
                )}
                {writer && !s.cancelledAt && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button variant="subtle" size="compact-sm" px={4} aria-label={tt('actions')}>
                        <IconDots size={16} />
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => editing.open(s)}>{tt('edit')}</Menu.Item>
                      <Menu.Item color="red" onClick={() => cancelling.open(s)}>
                        {tt('cancel')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
            </Group>
            {s.cancelledAt && s.cancelReason && (
              <Text size="sm" c="red.8" mt="xs" className="break-anywhere">
                {tt('cancelledBanner', { reason: s.cancelReason })}
              </Text>
            )}
            {s.trainers.length > 0 && (
              <Text size="xs" mt="xs" className="break-anywhere">
                {s.trainers.map((x) => `${x.name} (${tt(`role.${x.role}`)})`).join(', ')}
              </Text>
            )}
            {s.topic && (
              <Text size="sm" mt="xs" className="break-anywhere">
                {s.topic}
              </Text>
            )}
            {participants > 0 && !s.cancelledAt && (
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
      <FormModal opened={adding} title={tt('addTitle')} onClose={() => setAdding(false)}>
        <SessionSeriesForm program={program} onDone={() => setAdding(false)} />
      </FormModal>
      <FormModal
        opened={editing.value !== null}
        title={tt('editTitle', { day: editing.value?.day ?? '' })}
        onClose={editing.close}
      >
        {editing.value && (
          <SessionEditForm program={program} session={editing.value} onDone={editing.close} />
        )}
      </FormModal>
      <FormModal
        opened={cancelling.value !== null}
        title={tt('cancelTitle', { day: cancelling.value?.day ?? '' })}
        onClose={cancelling.close}
      >
        {cancelling.value && (
          <SessionCancelForm program={program} session={cancelling.value} onDone={cancelling.close} />
        )}
      </FormModal>
    </Stack>
  );
}
