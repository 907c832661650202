import {
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  Modal,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconFileUpload, IconUsersPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber } from '../../lib/format';
import type { Program } from '../../lib/types';
import { type BulkResult, type Resolved, useBulkApply, useResolveList } from './queries';

// The whole class in one action (issue 10): the confirmation that says how many, and the result
// per business with counts. Used by the screening list (select all eligible, a filtered subset or
// ticked rows) and by the NIK/ref list below.

export const bulkOutcomes = [
  'enrolled',
  'waitlisted',
  'pending',
  'ineligible',
  'already_applied',
  'not_found',
  'failed',
] as const;

const outcomeColor: Record<string, string> = {
  enrolled: 'teal',
  waitlisted: 'yellow',
  pending: 'blue',
  ineligible: 'red',
  already_applied: 'gray',
  not_found: 'gray',
  failed: 'red',
};

export type BulkProgress = { done: number; total: number };

// "Undang" for a priority program (applications wait for the selection run), else "Daftarkan".
export function bulkVerb(program: Pick<Program, 'selection'>) {
  return program.selection === 'priority' ? 'invite' : 'enrol';
}

export function ConfirmBulk({
  program,
  count,
  opened,
  onClose,
  onConfirm,
  busy,
  progress,
}: {
  program: Program;
  count: number;
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  busy: boolean;
  progress?: BulkProgress | null;
}) {
  const { t } = useTranslation('enrolment');
  const verb = bulkVerb(program);
  return (
    <Modal opened={opened} onClose={onClose} title={t(`confirm.title.${verb}`)} centered>
      <Stack gap="sm">
        <Text data-testid="bulk-confirm-text">
          {t(`confirm.body.${verb}`, { count, n: formatNumber(count), program: program.name })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('confirm.rules')}
        </Text>
        {busy && progress && progress.total > 0 && (
          <Stack gap={4} data-testid="bulk-progress">
            <Progress value={(100 * progress.done) / progress.total} animated aria-hidden />
            <Text size="sm">
              {t('progress', { done: formatNumber(progress.done), total: formatNumber(progress.total) })}
            </Text>
          </Stack>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('confirm.cancel')}
          </Button>
          <Button onClick={onConfirm} loading={busy} data-testid="bulk-confirm">
            {t(`action.${verb}`, { n: formatNumber(count) })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function BulkResults({ results, names }: { results: BulkResult[]; names: Map<string, string> }) {
  const { t } = useTranslation('enrolment');
  const { t: tw } = useTranslation();
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const columns: Column<BulkResult & { n: number }>[] = [
    { key: 'n', header: '#', render: (r) => r.n, hideOnPhone: true },
    {
      key: 'business',
      header: t('result.business'),
      primary: true,
      render: (r) => (
        <Text fw={600} size="sm" className="break-anywhere">
          {names.get(r.businessId) ?? t('result.unknownBusiness')}
        </Text>
      ),
    },
    {
      key: 'status',
      header: t('result.status'),
      render: (r) => (
        <Badge color={outcomeColor[r.status] ?? 'gray'} variant="light" radius="sm">
          {t(`outcome.${r.status}`)}
        </Badge>
      ),
    },
    {
      key: 'detail',
      header: t('result.detail'),
      render: (r) => {
        if (r.status === 'ineligible' && r.reasons?.length)
          return t('result.failed', {
            fields: r.reasons.map((c) => tw(`field.${c.field}`, { defaultValue: c.field })).join(', '),
          });
        if (r.status === 'already_applied' && r.applicationStatus)
          return t('result.existing', { status: tw(`applicationStatus.${r.applicationStatus}`) });
        if (r.error && r.error !== r.status) return tw(`errors:${r.error}`, { defaultValue: r.error });
        return '';
      },
    },
  ];
  return (
    <Card withBorder radius="md" padding="md" data-testid="bulk-results">
      <Title order={3} size="h5" mb="sm">
        {t('result.title', { n: formatNumber(results.length) })}
      </Title>
      <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="xs" mb="md">
        {bulkOutcomes
          .filter((o) => counts.has(o))
          .map((o) => (
            <div key={o} data-testid={`bulk-count-${o}`}>
              <Text size="xs" c="dimmed">
                {t(`outcome.${o}`)}
              </Text>
              <Text fw={700}>{formatNumber(counts.get(o) ?? 0)}</Text>
            </div>
          ))}
      </SimpleGrid>
      <DataTable
        rows={results.map((r, i) => ({ ...r, n: i + 1 }))}
        columns={columns}
        rowKey={(r) => `${r.n}`}
        caption={t('result.caption')}
      />
    </Card>
  );
}

// Lines of a pasted list or of an uploaded one-column file (CSV or text): the first cell of each.
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => (line.split(/[;,\t]/)[0] ?? '').trim())
    .filter((line) => line !== '');
}

export function ListEnrolment({ program }: { program: Program }) {
  const { t } = useTranslation('enrolment');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const resolve = useResolveList(program.id);
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const bulk = useBulkApply(program.id, (done, total) => setProgress({ done, total }));
  const verb = bulkVerb(program);
  const resolved = resolve.data?.items ?? null;
  const found = (resolved ?? []).filter((r) => r.status === 'found');
  const ids = [...new Set(found.map((r) => r.businessId!))];
  const names = new Map(found.map((r) => [r.businessId!, r.businessName ?? '']));

  // A CSV or text file is read here into the list; an XLSX is sent to the server, which reads
  // it with the registry import's guarded reader and answers the resolved lines directly.
  const readFile = async (file: File | null) => {
    if (!file) return;
    if (/\.xlsx$/i.test(file.name)) {
      setText('');
      resolve.mutate(file);
      return;
    }
    setText((await file.text()).trim());
  };

  const columns: Column<Resolved>[] = [
    { key: 'line', header: t('list.line'), render: (r) => r.line },
    { key: 'input', header: t('list.input'), primary: true, render: (r) => r.input },
    {
      key: 'business',
      header: t('result.business'),
      render: (r) =>
        r.status === 'found' ? (
          `${r.businessName} · ${r.ownerName}${r.kecamatanName ? ` · ${r.kecamatanName}` : ''}`
        ) : (
          <Badge color="gray" variant="light" radius="sm">
            {t('outcome.not_found')}
          </Badge>
        ),
    },
  ];

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={3} size="h5" mb={4}>
        {t('list.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('list.help')}
      </Text>
      <Stack gap="sm">
        <Textarea
          label={t('list.paste')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={10}
          data-testid="bulk-list"
        />
        <Group gap="sm">
          <FileButton
            onChange={(f) => void readFile(f)}
            accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          >
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconFileUpload size={16} />}>
                {t('list.upload')}
              </Button>
            )}
          </FileButton>
          <Button
            variant="light"
            onClick={() => resolve.mutate(linesOf(text))}
            loading={resolve.isPending}
            disabled={linesOf(text).length === 0}
            data-testid="bulk-resolve"
          >
            {t('list.resolve')}
          </Button>
        </Group>
        <ErrorAlert error={resolve.error} />
        {resolved && (
          <>
            <Text size="sm" data-testid="bulk-resolved">
              {t('list.summary', {
                found: formatNumber(ids.length),
                missing: formatNumber(resolved.filter((r) => r.status === 'not_found').length),
              })}
            </Text>
            <DataTable rows={resolved} columns={columns} rowKey={(r) => `${r.line}-${r.businessId ?? ''}`} />
            <Group>
              <Button
                leftSection={<IconUsersPlus size={16} />}
                disabled={ids.length === 0}
                onClick={() => setConfirming(true)}
              >
                {t(`action.${verb}`, { n: formatNumber(ids.length) })}
              </Button>
            </Group>
          </>
        )}
        <ConfirmBulk
          program={program}
          count={ids.length}
          opened={confirming}
          onClose={() => setConfirming(false)}
          busy={bulk.isPending}
          progress={progress}
          onConfirm={() => bulk.mutate(ids, { onSettled: () => setConfirming(false) })}
        />
        <ErrorAlert error={bulk.error} />
        {bulk.data && <BulkResults results={bulk.data} names={names} />}
      </Stack>
    </Card>
  );
}
