import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconCircleCheckFilled,
  IconCloudUpload,
  IconSearch,
  IconUserCircle,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAuth } from '../auth';
import { ErrorAlert, errorText } from '../components/ErrorAlert';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ApiError, api } from '../lib/api';
import { checkIn, dequeue, enqueue, flush, readQueue } from '../lib/attendance-queue';
import { formatDate, formatTime, percent } from '../lib/format';
import { useApi } from '../lib/hooks';
import type { SessionDetail, SessionParticipant } from '../lib/types';
import { DaftarHadirLinks } from './program/SessionsTab';

type Filter = 'all' | 'absent' | 'present';

export function SessionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const { data, error, loading, reload } = useApi<SessionDetail>(`/sessions/${id}`);
  const [present, setPresent] = useState<Record<string, string>>({});
  const [queued, setQueued] = useState<Set<string>>(
    () =>
      new Set(
        readQueue()
          .filter((q) => q.sessionId === id)
          .map((q) => q.applicationId),
      ),
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const mayRecord = can('recordAttendance');

  // Check-ins made here override the loaded list until the next reload.
  useEffect(() => {
    if (!data) return;
    const map: Record<string, string> = {};
    for (const p of data.participants) if (p.checkedInAt) map[p.applicationId] = p.checkedInAt;
    setPresent(map);
  }, [data]);

  const sync = useCallback(async () => {
    const { sent, failed } = await flush(id);
    setQueued(
      new Set(
        readQueue()
          .filter((q) => q.sessionId === id)
          .map((q) => q.applicationId),
      ),
    );
    if (sent > 0) {
      notifications.show({ color: 'teal', message: t('session.synced', { count: sent }) });
      reload();
    }
    for (const f of failed) notifications.show({ color: 'red', message: errorText(t, f) });
  }, [id, reload, t]);

  useEffect(() => {
    const onOnline = () => void sync();
    window.addEventListener('online', onOnline);
    // Check-ins left from an earlier visit go out as soon as the page is open again.
    if (navigator.onLine && readQueue().some((q) => q.sessionId === id)) void sync();
    return () => window.removeEventListener('online', onOnline);
  }, [sync, id]);

  const tap = async (p: SessionParticipant) => {
    if (!mayRecord || present[p.applicationId] || busy) return;
    const at = new Date().toISOString();
    setBusy(p.applicationId);
    try {
      const result = await checkIn(id, p.applicationId);
      setPresent((m) => ({ ...m, [p.applicationId]: result.checkedInAt }));
      notifications.show({
        color: 'teal',
        message: result.duplicate
          ? t('session.already', { name: p.ownerName })
          : t('session.checkedIn', { name: p.ownerName }),
        autoClose: 2000,
      });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'network_error') {
        enqueue({ sessionId: id, applicationId: p.applicationId, checkedInAt: at });
        setQueued((s) => new Set(s).add(p.applicationId));
        setPresent((m) => ({ ...m, [p.applicationId]: at }));
        notifications.show({ color: 'orange', message: t('session.queued', { name: p.ownerName }) });
      } else {
        notifications.show({ color: 'red', message: e instanceof ApiError ? errorText(t, e) : String(e) });
      }
    } finally {
      setBusy(null);
    }
  };

  const undo = async (p: SessionParticipant) => {
    if (!window.confirm(t('session.confirmUndo', { name: p.ownerName }))) return;
    if (queued.has(p.applicationId)) {
      dequeue(id, p.applicationId);
      setQueued((s) => {
        const next = new Set(s);
        next.delete(p.applicationId);
        return next;
      });
      setPresent(({ [p.applicationId]: _, ...rest }) => rest);
      return;
    }
    setBusy(p.applicationId);
    try {
      await api(`/sessions/${id}/attendance/${p.applicationId}`, { method: 'DELETE' });
      setPresent(({ [p.applicationId]: _, ...rest }) => rest);
    } catch (e) {
      notifications.show({ color: 'red', message: e instanceof ApiError ? errorText(t, e) : String(e) });
    } finally {
      setBusy(null);
    }
  };

  const participants = useMemo(() => {
    const list = data?.participants ?? [];
    const needle = search.trim().toLowerCase();
    return list
      .filter((p) => !needle || `${p.ownerName} ${p.businessName}`.toLowerCase().includes(needle))
      .filter((p) =>
        filter === 'all'
          ? true
          : filter === 'present'
            ? !!present[p.applicationId]
            : !present[p.applicationId],
      );
  }, [data, search, filter, present]);

  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={reload} />;

  const total = data.participants.length;
  const count = data.participants.filter((p) => present[p.applicationId]).length;

  return (
    <>
      <PageHeader
        title={t('sessions.day', { day: data.day })}
        subtitle={`${formatDate(data.date)} · ${data.startsAt}–${data.endsAt}${data.program.venue ? ` · ${data.program.venue}` : ''}`}
        crumbs={[
          { label: t('programs.title'), to: '/programs' },
          { label: data.program.name, to: `/programs/${data.program.id}/sessions` },
        ]}
      />
      <Stack gap="sm" maw={820}>
        {data.topic && <Text size="sm">{data.topic}</Text>}
        <Paper withBorder p="sm" radius="md">
          <Group justify="space-between" mb={6}>
            <Text fw={600} data-testid="attendance-count">
              {t('session.count', { count, total })}
            </Text>
            <Text size="sm" c="dimmed">
              {percent(count, total)}%
            </Text>
          </Group>
          <Progress value={percent(count, total)} color="teal" size="md" aria-hidden mb="sm" />
          <DaftarHadirLinks sessionId={data.id} />
        </Paper>
        {queued.size > 0 && (
          <Alert color="orange" variant="light" icon={<IconCloudUpload size={18} />}>
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('session.queuedCount', { count: queued.size })}</Text>
              <Button size="xs" variant="light" color="orange" onClick={() => void sync()}>
                {t('session.syncNow')}
              </Button>
            </Group>
          </Alert>
        )}
        {mayRecord ? (
          <Text size="sm" c="dimmed">
            {t('session.tapHint')}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('session.readOnly')}
          </Text>
        )}
        <TextInput
          placeholder={t('session.search')}
          aria-label={t('session.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          size="md"
        />
        <SegmentedControl
          fullWidth
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={[
            { value: 'all', label: t('session.filter.all') },
            { value: 'absent', label: t('session.filter.absent') },
            { value: 'present', label: t('session.filter.present') },
          ]}
        />
        <Stack gap={6} data-testid="participants">
          {participants.map((p) => {
            const at = present[p.applicationId];
            const isQueued = queued.has(p.applicationId);
            return (
              <Card key={p.applicationId} withBorder radius="md" p={0} bg={at ? 'teal.0' : undefined}>
                <Group wrap="nowrap" gap={0}>
                  <UnstyledButton
                    onClick={() => void tap(p)}
                    disabled={!mayRecord || !!at || busy === p.applicationId}
                    className="touch-row"
                    px="md"
                    py="sm"
                    style={{ flex: 1, minWidth: 0, cursor: mayRecord && !at ? 'pointer' : 'default' }}
                    aria-label={
                      at
                        ? t('session.presentLabel', { name: p.ownerName })
                        : t('session.tapLabel', { name: p.ownerName })
                    }
                    aria-pressed={!!at}
                    data-testid="participant"
                    data-present={at ? 'true' : 'false'}
                  >
                    <Group wrap="nowrap" gap="sm">
                      {at ? (
                        <IconCircleCheckFilled
                          size={30}
                          color="var(--mantine-color-teal-6)"
                          style={{ flexShrink: 0 }}
                        />
                      ) : (
                        <IconUserCircle
                          size={30}
                          color="var(--mantine-color-gray-5)"
                          style={{ flexShrink: 0 }}
                        />
                      )}
                      <div style={{ minWidth: 0 }}>
                        <Text fw={600} className="break-anywhere">
                          {p.ownerName}
                        </Text>
                        <Text size="xs" c="dimmed" className="break-anywhere">
                          {p.businessName}
                          {p.kelurahanName ? ` · ${p.kelurahanName}` : ''}
                        </Text>
                      </div>
                    </Group>
                  </UnstyledButton>
                  <Stack gap={2} align="flex-end" pr="sm" style={{ flexShrink: 0 }}>
                    {at ? (
                      <>
                        <Badge color={isQueued ? 'orange' : 'teal'} variant="light">
                          {isQueued ? t('session.pendingSync') : formatTime(at)}
                        </Badge>
                        {mayRecord && (
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            size="lg"
                            onClick={() => void undo(p)}
                            aria-label={t('session.undo', { name: p.ownerName })}
                          >
                            <IconArrowBackUp size={18} />
                          </ActionIcon>
                        )}
                      </>
                    ) : null}
                  </Stack>
                </Group>
              </Card>
            );
          })}
          {participants.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="md">
              {t('common.empty')}
            </Text>
          )}
        </Stack>
      </Stack>
    </>
  );
}
