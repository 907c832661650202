import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChecks,
  IconCloudCheck,
  IconCloudUpload,
  IconIdBadge2,
  IconQrcode,
  IconSearch,
  IconWifi,
  IconWifiOff,
} from '@tabler/icons-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { readCardCode } from '../../../../src/domain/card-code';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import type { ApiError } from '../../lib/api';
import { formatDate, formatTime, percent } from '../../lib/format';
import type { SessionDetail, SessionParticipant } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { useOfflineReadiness } from './offline';
import type { OutboxItem } from './outbox';
import { ParticipantCard } from './ParticipantCard';
import { QrScanner, type ScanOutcome, useScanFeedback } from './QrScanner';
import { DaftarHadirLinks } from './SessionsTab';
import { useAttendanceSession } from './useAttendanceSession';

type Filter = 'all' | 'absent' | 'present';

// The phone's calendar day; the server decides by the office's time zone, this only picks
// what the screen offers (check-in on the day, a late entry after it, nothing before it).
function localDay() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function SessionPage() {
  const { t } = useTranslation('attendance');
  const { t: tWeb } = useTranslation();
  const { t: tt } = useTranslation('training');
  const [late, setLate] = useState<SessionParticipant | null>(null);
  const [lateReason, setLateReason] = useState('');
  const [marking, setMarking] = useState(false);
  const { id = '' } = useParams();
  const { can } = useAuth();
  const readiness = useOfflineReadiness();
  const feedback = useScanFeedback();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [scanning, setScanning] = useState(false);
  const mayRecordAtAll = can('recordAttendance');

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
  const latest = useRef<SessionDetail | undefined>(undefined);
  const nameOf = (item: OutboxItem) =>
    latest.current?.participants.find((p) => p.applicationId === item.applicationId)?.ownerName ?? '';

  const attendance = useAttendanceSession(id, (report, except) => {
    const sent = report.sent.filter((s) => s.item.key !== except).length;
    if (sent > 0) notifications.show({ color: 'teal', message: t('synced', { count: sent }) });
    for (const item of report.failed.filter((f) => f.key !== except)) {
      notifications.show({
        color: 'red',
        message: `${nameOf(item)}: ${reason(item.error)}`,
        autoClose: 8000,
      });
    }
  });
  const { session, online, syncing, waiting, presentAt, counts } = attendance;
  const data = session.detail;
  latest.current = data;
  const today = localDay();
  const when = !data
    ? 'today'
    : data.cancelledAt
      ? 'cancelled'
      : data.date > today
        ? 'future'
        : data.date < today
          ? 'past'
          : 'today';
  // On the day: tap, scan, all present. After it: late entries only, by those who may.
  const mayRecord = mayRecordAtAll && when === 'today';
  const mayLate = when === 'past' && can('recordLateAttendance');

  const tap = async (p: SessionParticipant) => {
    if (mayLate && !presentAt(p)) {
      setLateReason('');
      setLate(p);
      return;
    }
    if (!mayRecord || presentAt(p)) return;
    const result = await attendance.checkInByName(p);
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
    const result = await attendance.record(p, 'qr', code.token);
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
      await attendance.discard(item);
      return;
    }
    if (!window.confirm(t('confirmUndo', { name: p.ownerName }))) return;
    const failed = (error: ApiError) =>
      notifications.show({
        color: 'red',
        message: error.code === 'network_error' ? t('undoNeedsSignal') : reason(error),
      });
    try {
      await attendance.undo({ applicationId: p.applicationId });
    } catch (error) {
      const e = error as ApiError;
      // Certified already: undoing must revoke the certificate too, so ask.
      if (e.code !== 'certificate_exists') return failed(e);
      if (!window.confirm(tt('revokeConfirm', { name: p.ownerName }))) return;
      await attendance.undo({ applicationId: p.applicationId, revokeCertificate: true }).catch(failed);
    }
  };

  const markAll = async (absent: SessionParticipant[]) => {
    if (absent.length === 0) return;
    if (!window.confirm(tt('allPresentConfirm', { count: absent.length }))) return;
    setMarking(true);
    try {
      const n = await attendance.recordAll(absent);
      notifications.show({ color: 'teal', message: tt('allPresentDone', { count: n }) });
    } finally {
      setMarking(false);
    }
  };

  const saveLate = async () => {
    if (!late) return;
    try {
      await attendance.lateEntry({ applicationId: late.applicationId, reason: lateReason.trim() });
      notifications.show({ color: 'teal', message: t('checkedIn', { name: late.ownerName }) });
      setLate(null);
    } catch (error) {
      notifications.show({ color: 'red', message: `${late.ownerName}: ${reason(error as ApiError)}` });
    }
  };

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

  const { total, present: count, unsynced, failed } = counts;
  const absent = (data.participants ?? []).filter((p) => !presentAt(p));
  const offlineCopy = session.source === 'saved';

  return (
    <>
      <PageHeader
        title={t('day', { day: data.day })}
        subtitle={`${formatDate(data.date)} · ${data.startsAt}–${data.endsAt}${(data.venue ?? data.program.venue) ? ` · ${data.venue ?? data.program.venue}` : ''}`}
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
              onClick={() => void attendance.syncNow()}
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
        {data.trainers.length > 0 && (
          <Text size="sm" c="dimmed">
            {data.trainers.map((x) => `${x.name} (${tt(`role.${x.role}`)})`).join(', ')}
            {data.lessonHours ? ` · ${tt('jp', { count: data.lessonHours })}` : ''}
          </Text>
        )}
        {when === 'cancelled' && (
          <Alert color="red" variant="light" data-testid="session-cancelled">
            {tt('cancelledBanner', { reason: data.cancelReason ?? '' })}
          </Alert>
        )}
        {when === 'future' && mayRecordAtAll && (
          <Alert color="blue" variant="light" data-testid="session-future">
            {tt('future', { date: formatDate(data.date) })}
          </Alert>
        )}
        {when === 'past' && mayRecordAtAll && (
          <Alert color="orange" variant="light" data-testid="session-past">
            {mayLate ? tt('past') : tt('pastNoRight')}
          </Alert>
        )}
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
        {mayRecord && absent.length > 0 && (
          <Button
            size="lg"
            variant="light"
            color="teal"
            leftSection={<IconChecks size={22} />}
            loading={marking}
            onClick={() => void markAll(absent)}
            data-testid="all-present"
          >
            {tt('allPresent', { count: absent.length })}
          </Button>
        )}
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
          {participants.map((p) => (
            <ParticipantCard
              key={p.applicationId}
              participant={p}
              presentAt={presentAt(p)}
              waiting={waiting.get(p.applicationId)}
              mayRecord={mayRecord || (mayLate && !presentAt(p))}
              reason={reason}
              onTap={() => void tap(p)}
              onUndo={() => void undo(p)}
              onRetry={(item) => void attendance.retry(item)}
            />
          ))}
          {participants.length === 0 && (
            <Text c="dimmed" size="sm" ta="center" py="md">
              {tWeb('common.empty')}
            </Text>
          )}
        </Stack>
      </Stack>
      <Modal opened={late !== null} onClose={() => setLate(null)} title={tt('lateTitle')} centered>
        {late && (
          <Stack gap="sm">
            <Text size="sm">
              {tt('lateFor', { name: late.ownerName, day: data.day, date: formatDate(data.date) })}
            </Text>
            <TextInput
              label={tt('lateReason')}
              required
              value={lateReason}
              onChange={(e) => setLateReason(e.currentTarget.value)}
              data-testid="late-reason"
            />
            <Button disabled={lateReason.trim().length < 3} onClick={() => void saveLate()}>
              {tt('lateSave')}
            </Button>
          </Stack>
        )}
      </Modal>
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
