import {
  ActionIcon,
  Alert,
  Anchor,
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
  IconAlertTriangle,
  IconArrowBackUp,
  IconCircleCheckFilled,
  IconCloudCheck,
  IconCloudUpload,
  IconIdBadge2,
  IconQrcode,
  IconSearch,
  IconUserCircle,
  IconWifi,
  IconWifiOff,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAuth } from '../auth/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import {
  addToOutbox,
  getOutboxItem,
  type OutboxItem,
  patchSavedSession,
  removeFromOutbox,
  updateOutboxItem,
} from './outbox';
import { useOfflineReadiness, useOfflineSession, useOnline, useOutbox } from './offline';
import { QrScanner, type ScanOutcome, useScanFeedback } from './QrScanner';
import { announce, type SyncReport, syncOutbox } from './outbox-sync';
import { readCardCode } from './card-code';
import { ApiError, api } from '../../lib/api';
import { formatDate, formatTime, percent } from '../../lib/format';
import type { SessionDetail, SessionParticipant } from '../../lib/types';
import { DaftarHadirLinks } from './SessionsTab';

type Filter = 'all' | 'absent' | 'present';

type Recorded =
  | { kind: 'sent'; duplicate: boolean }
  | { kind: 'queued' }
  | { kind: 'failed'; error: { code: string; message: string } | null };

// While the phone has signal, the outbox is also tried now and then: a check-in that met a
// dropped connection goes out without waiting for the next tap.
const syncEveryMs = 15_000;

export function SessionPage() {
  const { t } = useTranslation('attendance');
  const { t: tWeb } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const session = useOfflineSession(id);
  const { items: outbox } = useOutbox(id);
  const online = useOnline();
  const readiness = useOfflineReadiness();
  const feedback = useScanFeedback();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [scanning, setScanning] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const mayRecord = can('recordAttendance');
  const data = session.detail;

  const waiting = useMemo(() => new Map(outbox.map((item) => [item.applicationId, item])), [outbox]);
  // Present: accepted by the server, or waiting on the phone to be sent. A check-in the
  // server refused is not counted; the row says why.
  const presentAt = useCallback(
    (p: SessionParticipant) => {
      const item = waiting.get(p.applicationId);
      return p.checkedInAt ?? (item?.state === 'pending' ? item.checkedInAt : null);
    },
    [waiting],
  );

  const reason = useCallback(
    (error: { code: string; message: string } | null) =>
      error
        ? t(`errors:${error.code}`, {
            defaultValue: t(`serverErrors.${error.code}`, { defaultValue: error.message }),
          })
        : '',
    [t],
  );

  // Names for messages about check-ins sent in the background.
  const latest = useRef<SessionDetail | undefined>(data);
  latest.current = data;
  const nameOf = useCallback(
    (item: OutboxItem) =>
      latest.current?.participants.find((p) => p.applicationId === item.applicationId)?.ownerName ?? '',
    [],
  );

  const sync = useCallback(async (): Promise<SyncReport | null> => {
    if (!navigator.onLine) return null;
    setSyncing(true);
    try {
      return await syncOutbox();
    } catch {
      return null;
    } finally {
      setSyncing(false);
    }
  }, []);

  const tell = useCallback(
    (report: SyncReport | null, except?: string) => {
      if (!report) return;
      const sent = report.sent.filter((s) => s.item.key !== except).length;
      if (sent > 0) notifications.show({ color: 'teal', message: t('synced', { count: sent }) });
      for (const item of report.failed.filter((f) => f.key !== except)) {
        notifications.show({
          color: 'red',
          message: `${nameOf(item)}: ${reason(item.error)}`,
          autoClose: 8000,
        });
      }
    },
    [t, nameOf, reason],
  );

  // Sends what waits on the phone: now, when the signal returns, when the page is looked at
  // again, and every little while.
  useEffect(() => {
    const run = () => void sync().then((report) => tell(report));
    run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') run();
    };
    window.addEventListener('online', run);
    document.addEventListener('visibilitychange', onVisible);
    const timer = window.setInterval(run, syncEveryMs);
    return () => {
      window.removeEventListener('online', run);
      document.removeEventListener('visibilitychange', onVisible);
      window.clearInterval(timer);
    };
  }, [sync, tell]);

  // Every check-in goes to the outbox first and shows at once; then it is sent if it can be.
  const record = async (
    p: SessionParticipant,
    method: 'qr' | 'manual',
    token: string | null,
  ): Promise<Recorded> => {
    const { item } = await addToOutbox({ sessionId: id, applicationId: p.applicationId, method, token });
    announce({ type: 'changed' });
    const report = await sync();
    tell(report, item.key);
    const mine = report?.sent.find((s) => s.item.key === item.key);
    if (mine) return { kind: 'sent', duplicate: mine.result.duplicate };
    const still = await getOutboxItem(item.key);
    // Gone: a sync running at the same time took it.
    if (!still) return { kind: 'sent', duplicate: false };
    return still.state === 'failed' ? { kind: 'failed', error: still.error } : { kind: 'queued' };
  };

  const tap = async (p: SessionParticipant) => {
    if (!mayRecord || presentAt(p)) return;
    // The officer vouches for someone whose card was refused: a check-in by name replaces it.
    const refused = waiting.get(p.applicationId);
    if (refused) await removeFromOutbox(refused.key);
    const result = await record(p, 'manual', null).catch(
      (): Recorded => ({ kind: 'failed', error: { code: 'storage', message: 'IndexedDB' } }),
    );
    switch (result.kind) {
      case 'sent':
        notifications.show({
          color: 'teal',
          message: t(result.duplicate ? 'already' : 'checkedIn', { name: p.ownerName }),
          autoClose: 2000,
        });
        break;
      case 'queued':
        notifications.show({ color: 'orange', message: t('queued', { name: p.ownerName }), autoClose: 3000 });
        break;
      case 'failed':
        notifications.show({
          color: 'red',
          message: `${p.ownerName}: ${reason(result.error)}`,
          autoClose: 8000,
        });
        break;
    }
  };

  const scanned = async (text: string): Promise<ScanOutcome> => {
    const code = readCardCode(text);
    if (!code) return { tone: 'error', title: t('scan.notACard') };
    // From the list on the phone, so that a scan works with no signal.
    const p = data?.participants.find((x) => x.applicationId === code.applicationId);
    if (!p) return { tone: 'error', title: t('scan.notInSession') };
    if (presentAt(p))
      return { tone: 'info', title: p.ownerName, detail: t('already', { name: p.ownerName }) };
    const result = await record(p, 'qr', code.token);
    switch (result.kind) {
      case 'sent':
        return result.duplicate
          ? { tone: 'info', title: p.ownerName, detail: t('already', { name: p.ownerName }) }
          : { tone: 'success', title: p.ownerName, detail: t('checkedIn', { name: p.ownerName }) };
      case 'queued':
        return { tone: 'success', title: p.ownerName, detail: t('queued', { name: p.ownerName }) };
      case 'failed':
        return { tone: 'error', title: p.ownerName, detail: reason(result.error) };
    }
  };

  const undo = async (p: SessionParticipant) => {
    const item = waiting.get(p.applicationId);
    if (item) {
      if (!window.confirm(t('confirmDiscard', { name: p.ownerName }))) return;
      await removeFromOutbox(item.key);
      announce({ type: 'changed' });
      return;
    }
    if (!window.confirm(t('confirmUndo', { name: p.ownerName }))) return;
    try {
      await api(`/sessions/${id}/attendance/${p.applicationId}`, { method: 'DELETE' });
      session.apply(p.applicationId, null);
      await patchSavedSession(id, p.applicationId, null);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e));
      notifications.show({
        color: 'red',
        message: error.code === 'network_error' ? t('undoNeedsSignal') : reason(error),
      });
    }
  };

  const retry = async (item: OutboxItem) => {
    await updateOutboxItem(item.key, { state: 'pending', error: null });
    announce({ type: 'changed' });
    tell(await sync());
  };

  // Back online with the saved list on screen: fetch the current one (others' check-ins).
  const { source, reload } = session;
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && source === 'saved') reload();
    wasOnline.current = online;
  }, [online, source, reload]);

  const participants = useMemo(() => {
    const list = data?.participants ?? [];
    const needle = search.trim().toLowerCase();
    return list
      .filter((p) => !needle || `${p.ownerName} ${p.businessName}`.toLowerCase().includes(needle))
      .filter((p) => (filter === 'all' ? true : filter === 'present' ? !!presentAt(p) : !presentAt(p)));
  }, [data, search, filter, presentAt]);

  if (!data) {
    if (session.loading) return <Loading />;
    return <ErrorAlert error={session.error} onRetry={session.reload} />;
  }

  const total = data.participants.length;
  const count = data.participants.filter((p) => presentAt(p)).length;
  // Waiting to be sent; those the server refused are counted apart, they wait for the officer.
  const unsynced = outbox.filter((item) => item.state === 'pending').length;
  const failed = outbox.length - unsynced;
  const offlineCopy = session.source === 'saved';

  return (
    <>
      <PageHeader
        title={t('day', { day: data.day })}
        subtitle={`${formatDate(data.date)} · ${data.startsAt}–${data.endsAt}${data.program.venue ? ` · ${data.program.venue}` : ''}`}
        crumbs={[
          { label: tWeb('programs.title'), to: '/programs' },
          { label: data.program.name, to: `/programs/${data.program.id}/sessions` },
        ]}
      />
      <Stack gap="sm" maw={820}>
        <Paper
          withBorder
          shadow="xs"
          p="xs"
          radius="md"
          data-testid="sync-status"
          style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + 6px)', zIndex: 10 }}
        >
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap={6} wrap="nowrap" data-testid="connection" data-online={online ? 'true' : 'false'}>
              {online ? (
                <IconWifi size={18} color="var(--mantine-color-teal-7)" />
              ) : (
                <IconWifiOff size={18} color="var(--mantine-color-orange-7)" />
              )}
              <Text size="sm" fw={600} className="nowrap">
                {online ? t('status.online') : t('status.offline')}
              </Text>
            </Group>
            <Group gap={6} wrap="wrap" justify="flex-end" ml="auto">
              <Badge
                size="lg"
                variant="light"
                color={unsynced > 0 ? 'orange' : 'teal'}
                leftSection={unsynced > 0 ? <IconCloudUpload size={14} /> : <IconCloudCheck size={14} />}
                data-testid="unsynced-count"
                data-count={unsynced}
              >
                {unsynced > 0 ? t('status.unsynced', { count: unsynced }) : t('status.allSynced')}
              </Badge>
              {failed > 0 && (
                <Badge size="lg" variant="filled" color="red" data-testid="failed-count">
                  {t('status.failed', { count: failed })}
                </Badge>
              )}
            </Group>
          </Group>
          {unsynced > 0 && online && (
            <Button
              mt={6}
              size="compact-sm"
              variant="light"
              color="orange"
              fullWidth
              loading={syncing}
              onClick={() => void sync().then((report) => tell(report))}
            >
              {t('status.syncNow')}
            </Button>
          )}
          {offlineCopy && session.savedAt && (
            <Text size="xs" c="orange.8" mt={4} data-testid="saved-copy">
              {t('status.savedCopy', { time: formatTime(session.savedAt) })}
            </Text>
          )}
          {readiness !== 'unsupported' && (
            <Text
              size="xs"
              c="dimmed"
              mt={2}
              data-testid="offline-ready"
              data-ready={readiness === 'ready' && session.savedAt ? 'true' : 'false'}
            >
              {readiness === 'ready' && session.savedAt ? t('status.ready') : t('status.preparing')}
            </Text>
          )}
        </Paper>
        {session.error && !offlineCopy && <ErrorAlert error={session.error} onRetry={session.reload} />}
        {data.topic && <Text size="sm">{data.topic}</Text>}
        <Paper withBorder p="sm" radius="md">
          <Group justify="space-between" mb={6}>
            <Text fw={600} data-testid="attendance-count">
              {t('count', { count, total })}
            </Text>
            <Text size="sm" c="dimmed">
              {percent(count, total)}%
            </Text>
          </Group>
          <Progress value={percent(count, total)} color="teal" size="md" aria-hidden mb="sm" />
          <Group gap="sm" wrap="wrap">
            <DaftarHadirLinks sessionId={data.id} />
            {(mayRecord || can('writePrograms')) && (
              <Anchor
                href={`/api/v1/programs/${data.program.id}/invitation-cards.pdf`}
                target="_blank"
                size="sm"
                data-testid="invitation-cards"
              >
                <Group gap={4} wrap="nowrap">
                  <IconIdBadge2 size={14} />
                  {t('cards')}
                </Group>
              </Anchor>
            )}
          </Group>
        </Paper>
        {mayRecord && (
          <Button
            size="lg"
            leftSection={<IconQrcode size={22} />}
            onClick={() => {
              feedback.prepare();
              setScanning(true);
            }}
            data-testid="scan-open"
          >
            {t('scan.open')}
          </Button>
        )}
        <Text size="sm" c="dimmed">
          {mayRecord ? t('tapHint') : t('readOnly')}
        </Text>
        <TextInput
          placeholder={t('search')}
          aria-label={t('search')}
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
            { value: 'all', label: t('filter.all') },
            { value: 'absent', label: t('filter.absent') },
            { value: 'present', label: t('filter.present') },
          ]}
        />
        <Stack gap={6} data-testid="participants">
          {participants.map((p) => {
            const at = presentAt(p);
            const item = waiting.get(p.applicationId);
            return (
              <Card
                key={p.applicationId}
                withBorder
                radius="md"
                p={0}
                bg={item?.state === 'failed' ? 'red.0' : item ? 'orange.0' : at ? 'teal.0' : undefined}
                data-testid="participant-card"
              >
                <Group wrap="nowrap" gap={0}>
                  <UnstyledButton
                    onClick={() => void tap(p)}
                    disabled={!mayRecord || !!at}
                    className="touch-row"
                    px="md"
                    py="sm"
                    style={{ flex: 1, minWidth: 0, cursor: mayRecord && !at ? 'pointer' : 'default' }}
                    aria-label={
                      at ? t('presentLabel', { name: p.ownerName }) : t('tapLabel', { name: p.ownerName })
                    }
                    aria-pressed={!!at}
                    data-testid="participant"
                    data-present={at ? 'true' : 'false'}
                    data-sync={item ? item.state : at ? 'synced' : 'none'}
                  >
                    <Group wrap="nowrap" gap="sm">
                      {at ? (
                        <IconCircleCheckFilled
                          size={30}
                          color={`var(--mantine-color-${item ? 'orange' : 'teal'}-6)`}
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
                  {(at || item) && (
                    <Stack gap={2} align="flex-end" pr="sm" style={{ flexShrink: 0 }}>
                      <Badge
                        color={item?.state === 'failed' ? 'red' : item ? 'orange' : 'teal'}
                        variant="light"
                        data-testid="check-in-state"
                      >
                        {item?.state === 'failed' ? t('failed') : item ? t('pending') : formatTime(at ?? '')}
                      </Badge>
                      {mayRecord && item?.state !== 'failed' && (
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          size="lg"
                          onClick={() => void undo(p)}
                          aria-label={item ? t('discard') : t('undo', { name: p.ownerName })}
                        >
                          <IconArrowBackUp size={18} />
                        </ActionIcon>
                      )}
                    </Stack>
                  )}
                </Group>
                {item?.state === 'failed' && (
                  <Alert color="red" variant="light" radius={0} p="xs" icon={<IconAlertTriangle size={16} />}>
                    <Text size="sm">{t('failedReason', { reason: reason(item.error) })}</Text>
                    {mayRecord && (
                      <Group gap="xs" mt={4}>
                        <Button
                          size="compact-sm"
                          variant="light"
                          color="red"
                          onClick={() => void retry(item)}
                        >
                          {t('retry')}
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="gray" onClick={() => void undo(p)}>
                          {t('discard')}
                        </Button>
                      </Group>
                    )}
                  </Alert>
                )}
              </Card>
            );
          })}
          {participants.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="md">
              {tWeb('common.empty')}
            </Text>
          )}
        </Stack>
      </Stack>
      {mayRecord && (
        <QrScanner
          opened={scanning}
          onClose={() => setScanning(false)}
          onCode={scanned}
          signal={feedback.signal}
        />
      )}
    </>
  );
}
