import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Mark,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsJoin, IconRefresh, IconUsersMinus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DedupPair, DedupPerson, DedupStatus } from '../../../../src/modules/dedup/dedup.schema';
import type { JobItem } from '../../../../src/modules/jobs/jobs.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { useMe } from '../auth/auth';
import {
  useCandidatesQuery,
  useDedupStatusQuery,
  useDismiss,
  useMerge,
  useRecomputeDuplicates,
} from './queries';
import { notifyMergedWithUndo, RecentMerges } from './RecentMerges';

type Pair = Wire<DedupPair>;
type Person = Wire<DedupPerson>;
type Status = Wire<DedupStatus>;
type Run = Wire<JobItem>;
type Side = 'a' | 'b';

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// Reasons that speak against the pair are shown in another colour.
const againstReasons = new Set(['different_birth_date', 'different_sex']);

// The name's weight multiplies the others (×0.95); the others add up (+0.3, −0.5).
function weightLabel(reason: string, weight: number): string {
  const value = formatNumber(Math.abs(weight));
  if (reason.startsWith('name_')) return `×${value}`;
  return `${weight < 0 ? '−' : '+'}${value}`;
}

const pairKey = (pair: Pair) => `${pair.a.id}|${pair.b.id}`;

// The masked NIK with the positions where the two NIKs differ marked (the digits stay masked).
function NikWithDifferences({ nik, differences }: { nik: string; differences: number[] }) {
  const marked = new Set(differences);
  return (
    <Text ff="monospace" size="sm" component="span">
      {[...nik].map((char, i) =>
        marked.has(i) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: a NIK's characters are positional
          <Mark key={i} color="orange">
            {char}
          </Mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: a NIK's characters are positional
          <span key={i}>{char}</span>
        ),
      )}
    </Text>
  );
}

function Businesses({ person }: { person: Person }) {
  const { t } = useTranslation('dedup');
  if (person.businesses.length === 0) return <Text size="sm">{t('noBusiness')}</Text>;
  return (
    <Stack gap={2}>
      {person.businesses.map((b) => (
        <Text size="sm" key={b.id} className="break-anywhere">
          {b.name}
          <Text span size="xs" c="dimmed">
            {' '}
            · {[b.kelurahanName, b.kecamatanName].filter(Boolean).join(', ')}
            {b.ref ? ` · ${b.ref}` : ''}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}

function ComparisonRow({
  label,
  a,
  b,
  differs,
}: {
  label: string;
  a: ReactNode;
  b: ReactNode;
  differs: boolean;
}) {
  const { t } = useTranslation('dedup');
  const tone = differs ? 'var(--mantine-color-yellow-light)' : undefined;
  return (
    <Table.Tr>
      <Table.Th scope="row" style={{ width: '24%', verticalAlign: 'top' }}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {differs && (
          <Text size="xs" c="dimmed">
            {t('differs')}
          </Text>
        )}
      </Table.Th>
      <Table.Td className="break-anywhere" style={{ background: tone, verticalAlign: 'top' }}>
        {a}
      </Table.Td>
      <Table.Td className="break-anywhere" style={{ background: tone, verticalAlign: 'top' }}>
        {b}
      </Table.Td>
    </Table.Tr>
  );
}

function PairCard({ pair, index, onDone }: { pair: Pair; index: number; onDone: (reload: boolean) => void }) {
  const { t } = useTranslation('dedup');
  // Keep the record with more businesses by default; the reviewer decides.
  const [survivor, setSurvivor] = useState<Side>(
    pair.b.businesses.length > pair.a.businesses.length ? 'b' : 'a',
  );
  const [confirming, setConfirming] = useState(false);
  const merging = useMerge();
  const dismissing = useDismiss();
  const client = useQueryClient();
  const busy = merging.isPending || dismissing.isPending;
  const error = merging.error ?? dismissing.error;
  const kept = survivor === 'a' ? pair.a : pair.b;
  const merged = survivor === 'a' ? pair.b : pair.a;
  const sexLabel = (p: Person) => (p.sex ? t(`sex.${p.sex}`) : '–');
  const text = (value: string | null) => <Text size="sm">{value ?? '–'}</Text>;

  const merge = () =>
    merging.mutate(
      { survivorId: kept.id, duplicateId: merged.id },
      {
        onSuccess: (result) => {
          setConfirming(false);
          notifyMergedWithUndo(
            t,
            client,
            { survivorId: kept.id, duplicateId: merged.id },
            t('merged', { count: result.businesses.length, name: kept.name }),
          );
          for (const b of result.businesses) {
            if (b.renamedFrom)
              notifications.show({
                color: 'blue',
                message: t('renamed', { from: b.renamedFrom, to: b.name }),
              });
          }
          // Other pairs with the merged record are gone now.
          onDone(true);
        },
      },
    );

  const dismiss = () =>
    dismissing.mutate(
      { a: pair.a.id, b: pair.b.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'gray', message: t('dismissed') });
          onDone(false);
        },
      },
    );

  return (
    <Card withBorder padding="md" data-testid="dedup-pair">
      <Group justify="space-between" align="flex-start" mb="xs">
        <Text fw={600}>{t('pairTitle', { n: index + 1 })}</Text>
        <Badge
          size="lg"
          variant="filled"
          color={pair.score >= 0.9 ? 'red' : 'orange'}
          aria-label={t('scoreLabel')}
        >
          {t('score', { value: pair.score.toFixed(2) })}
        </Badge>
      </Group>
      <Group gap={6} mb="sm" aria-label={t('reasonsLabel')}>
        {pair.signals.map(({ reason, weight }) => (
          <Badge
            key={reason}
            variant="light"
            color={againstReasons.has(reason) ? 'red' : 'blue'}
            radius="sm"
            title={t('weightsHint')}
          >
            <span>{t(`reason.${reason}`, { defaultValue: reason })}</span>{' '}
            <span title={t('weight', { value: weightLabel(reason, weight) })}>
              {weightLabel(reason, weight)}
            </span>
          </Badge>
        ))}
      </Group>
      <Table.ScrollContainer minWidth={280}>
        {/* Fixed columns: on a 360 px phone both records stay side by side and long values wrap. */}
        <Table withColumnBorders verticalSpacing={6} horizontalSpacing={6} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{t('personA')}</Table.Th>
              <Table.Th>{t('personB')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <ComparisonRow
              label={t('field.name')}
              a={
                <Text size="sm" fw={600} className="break-anywhere">
                  {pair.a.name}
                </Text>
              }
              b={
                <Text size="sm" fw={600} className="break-anywhere">
                  {pair.b.name}
                </Text>
              }
              differs={pair.a.name !== pair.b.name}
            />
            <ComparisonRow
              label={t('field.nik')}
              a={<NikWithDifferences nik={pair.a.nik} differences={pair.nikDifferences} />}
              b={<NikWithDifferences nik={pair.b.nik} differences={pair.nikDifferences} />}
              differs={pair.nikDifferences.length > 0}
            />
            <ComparisonRow
              label={t('field.birthDate')}
              a={text(formatDate(pair.a.birthDate))}
              b={text(formatDate(pair.b.birthDate))}
              differs={pair.a.birthDate !== pair.b.birthDate}
            />
            <ComparisonRow
              label={t('field.sex')}
              a={text(sexLabel(pair.a))}
              b={text(sexLabel(pair.b))}
              differs={pair.a.sex !== pair.b.sex}
            />
            <ComparisonRow
              label={t('field.phone')}
              a={text(pair.a.phone)}
              b={text(pair.b.phone)}
              differs={pair.a.phone !== pair.b.phone}
            />
            <ComparisonRow
              label={t('field.address')}
              a={text(pair.a.address)}
              b={text(pair.b.address)}
              differs={(pair.a.address ?? '').toLowerCase() !== (pair.b.address ?? '').toLowerCase()}
            />
            <ComparisonRow
              label={t('field.businesses')}
              a={<Businesses person={pair.a} />}
              b={<Businesses person={pair.b} />}
              differs={false}
            />
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        {t('nikHint')}
      </Text>
      <ErrorAlert error={error} />
      <Group justify="space-between" mt="sm" gap="sm">
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t('survivor')}
          </Text>
          <SegmentedControl
            value={survivor}
            onChange={(value) => setSurvivor(value === 'b' ? 'b' : 'a')}
            data={[
              { value: 'a', label: t('keepA') },
              { value: 'b', label: t('keepB') },
            ]}
          />
        </Stack>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconUsersMinus size={16} />}
            onClick={dismiss}
            loading={busy}
          >
            {t('notSame')}
          </Button>
          <Button
            leftSection={<IconArrowsJoin size={16} />}
            onClick={() => setConfirming(true)}
            disabled={busy}
          >
            {t('merge')}
          </Button>
        </Group>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('confirmTitle')} centered>
        <Text size="sm">{t('confirmBody', { survivor: kept.name, duplicate: merged.name })}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </Button>
          <Button onClick={merge} loading={busy} data-testid="dedup-confirm-merge">
            {t('merge')}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

// A run in progress: detection is one database statement, so its progress is the time it has run
// against the time the last run took.
function RunProgress({ run, expectedSeconds }: { run: Run; expectedSeconds: number | null }) {
  const { t } = useTranslation('dedup');
  const elapsed = run.startedAt ? (Date.now() - new Date(run.startedAt).getTime()) / 1000 : 0;
  const running = run.status === 'running';
  const value = running && expectedSeconds ? Math.min(95, (elapsed / expectedSeconds) * 100) : 100;
  return (
    <Stack gap={4}>
      <Progress value={value} animated striped aria-label={t('run.progressLabel')} />
      <Group gap="lg" wrap="wrap">
        <Text size="sm" fw={600}>
          {running ? t('run.running') : t('run.queued')}
        </Text>
        {running && run.progress.total !== null && (
          <Text size="sm">{t('run.compared', { n: formatNumber(run.progress.total) })}</Text>
        )}
        {running && (
          <Text size="sm" c="dimmed">
            {t('run.elapsed', { time: duration(elapsed) })}
          </Text>
        )}
        {expectedSeconds !== null && (
          <Text size="sm" c="dimmed">
            {t('run.expected', { time: duration(Math.ceil(expectedSeconds)) })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

// When the queue was computed, the run in progress, and the button that asks for a new one.
function RunCard({ status }: { status: Status }) {
  const { t } = useTranslation('dedup');
  const recompute = useRecomputeDuplicates();
  const failed = status.run === null && status.lastRun?.status === 'failed' ? status.lastRun.error : null;

  return (
    <Card withBorder padding="md" data-testid="dedup-status">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
            <Text size="sm" fw={600}>
              {status.computedAt
                ? t('run.computedAt', { time: formatDateTime(status.computedAt) })
                : t('run.never')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('run.hint')}
            </Text>
          </Stack>
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} />}
            onClick={() => recompute.mutate()}
            loading={recompute.isPending}
            disabled={status.run !== null}
            data-testid="dedup-recompute"
          >
            {t('run.recompute')}
          </Button>
        </Group>
        {status.run && <RunProgress run={status.run} expectedSeconds={status.expectedSeconds} />}
        {failed && (
          <Alert color="red" variant="light" role="alert">
            {t('run.failed', {
              message: t(`errors:${failed.code}`, { defaultValue: failed.message }),
            })}
          </Alert>
        )}
        <ErrorAlert error={recompute.error} />
      </Stack>
    </Card>
  );
}

// The review queue of duplicate people (route /registry/duplicates).
export function DedupPage() {
  const { t } = useTranslation('dedup');
  const me = useMe();
  const status = useDedupStatusQuery();
  // A later run than the queue's shows up as a new computedAt below.
  const list = useCandidatesQuery(status.data !== undefined);
  const { items, error, loading, reload } = list;
  const active = status.data?.run != null;
  const computedAt = status.data ? status.data.computedAt : undefined;
  const [done, setDone] = useState<Set<string>>(new Set());
  const visible = items.filter((pair) => !done.has(pairKey(pair)));

  // A run that finished while the page was open: show its queue.
  const shownComputedAt = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (computedAt === undefined) return;
    if (shownComputedAt.current !== undefined && shownComputedAt.current !== computedAt) {
      setDone(new Set());
      reload();
      notifications.show({ color: 'teal', message: t('run.finished') });
    }
    shownComputedAt.current = computedAt;
  }, [computedAt, reload, t]);

  const finish = (pair: Pair) => (reloadAll: boolean) => {
    if (reloadAll) {
      setDone(new Set());
      reload();
    } else {
      setDone((previous) => new Set(previous).add(pairKey(pair)));
    }
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={
          me.scope.kecamatan !== null && me.organisation
            ? t('scoped', { name: me.organisation.name })
            : t('subtitle')
        }
      />
      <ErrorAlert error={error ?? status.error} onRetry={error ? reload : status.refetch} />
      <Stack gap="md">
        {status.data && <RunCard status={status.data} />}
        <RecentMerges />
        {visible.map((pair, index) => (
          <PairCard key={pairKey(pair)} pair={pair} index={index} onDone={finish(pair)} />
        ))}
        {!loading && !error && status.data && visible.length === 0 && (
          <Text c="dimmed" ta="center" py="xl" data-testid="dedup-empty">
            {status.data.computedAt ? t('empty') : active ? t('emptyFirstRun') : t('emptyNever')}
          </Text>
        )}
        <PagedFooter list={list} label={t('loadMore')} />
      </Stack>
    </>
  );
}
