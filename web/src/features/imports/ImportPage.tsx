import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type {
  ImportIssue as ImportIssueSchema,
  ImportItem as ImportItemSchema,
  ImportListItem as ImportListItemSchema,
} from '../../../../src/modules/imports/imports.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import type { ApiError } from '../../lib/api';
import { apiBase, query } from '../../lib/api';
import { formatDateTime, formatNumber, percent } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { useAuth } from '../auth/auth';
import {
  useCancelImport,
  useImportLimitsQuery,
  useImportQuery,
  useRecentImportsQuery,
  useRunImport,
  useUploadImport,
} from './queries';

type ImportItem = Wire<ImportItemSchema>;
type ImportListItem = Wire<ImportListItemSchema>;
type ImportIssue = Wire<ImportIssueSchema>;

const statusColor: Record<ImportItem['status'], string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}`
    : `${m}:${String(rest).padStart(2, '0')}`;
}

function fileSize(bytes: number): string {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// A file error of the upload (missing columns, unreadable file) in the officer's words.
function uploadErrorText(
  t: (key: string, options?: Record<string, unknown>) => string,
  error: ApiError,
): string | null {
  if (!error.code.startsWith('import_')) return null;
  const details = error.details as { missing?: string[] } | undefined;
  return t(`fileError.${error.code}`, {
    columns: details?.missing?.join(', ') ?? '',
    defaultValue: error.message,
  });
}

function UploadCard({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation('imports');
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [fraction, setFraction] = useState(0);
  const upload = useUploadImport();
  const limits = useImportLimitsQuery();
  const maxMb = limits.data ? Math.floor(limits.data.maxUploadBytes / 1048576) : null;
  const progress = upload.isPending ? fraction : null;
  const error = upload.error;
  const input = useRef<HTMLInputElement>(null);

  const choose = (files: FileList | null) => {
    const picked = files?.[0];
    if (picked) {
      setFile(picked);
      upload.reset();
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files);
  };
  const start = () => {
    if (!file) return;
    setFraction(0);
    upload.mutate(
      { file, dryRun, onProgress: setFraction },
      { onSuccess: (created) => onStarted(created.id) },
    );
  };
  const fileError = error ? uploadErrorText(t, error) : null;

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        <Paper
          withBorder
          radius="md"
          p="xl"
          role="button"
          tabIndex={0}
          aria-label={t('page.drop')}
          onClick={() => input.current?.click()}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') input.current?.click();
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{
            borderStyle: 'dashed',
            cursor: 'pointer',
            background: dragging ? 'var(--mantine-color-blue-light)' : undefined,
            textAlign: 'center',
          }}
          data-testid="import-drop"
        >
          <Stack align="center" gap={6}>
            <IconFileSpreadsheet size={36} stroke={1.5} />
            <Text fw={600}>{t('page.drop')}</Text>
            <Text size="sm" c="dimmed">
              {maxMb === null ? t('page.dropHintNoLimit') : t('page.dropHint', { mb: maxMb })}
            </Text>
            {file && (
              <Text size="sm" className="break-anywhere">
                {t('page.chosen', { name: file.name, size: fileSize(file.size) })}
              </Text>
            )}
          </Stack>
          <input
            ref={input}
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            hidden
            onChange={(e) => choose(e.currentTarget.files)}
            data-testid="import-file"
          />
        </Paper>
        <Switch
          checked={dryRun}
          onChange={(e) => setDryRun(e.currentTarget.checked)}
          label={t('page.dryRun')}
          description={t('page.dryRunHint')}
        />
        {progress !== null && (
          <Stack gap={4}>
            <Text size="sm">{t('page.uploading')}</Text>
            <Progress value={Math.round(progress * 100)} animated />
          </Stack>
        )}
        {fileError ? (
          <Alert color="red" variant="light" role="alert">
            {fileError}
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        )}
        <Group>
          <Button
            leftSection={<IconUpload size={16} />}
            disabled={!file || progress !== null}
            onClick={start}
          >
            {dryRun ? t('page.startDry') : t('page.start')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function issueText(
  t: (key: string, options?: Record<string, unknown>) => string,
  lang: string,
  issue: ImportIssue,
) {
  // The server's message is Indonesian and names the value; other languages get the code's text.
  return lang === 'id' ? issue.message : t(`issue.${issue.code}`, { defaultValue: issue.message });
}

function IssueTable({ issues, empty }: { issues: ImportIssue[]; empty: string }) {
  const { t, i18n } = useTranslation('imports');
  const columns: Column<ImportIssue>[] = [
    { key: 'row', header: t('table.row'), render: (i) => formatNumber(i.row), align: 'right' },
    { key: 'column', header: t('table.column'), render: (i) => i.column ?? '–' },
    {
      key: 'code',
      header: t('table.code'),
      hideOnPhone: true,
      render: (i) => (
        <Text size="xs" ff="monospace">
          {i.code}
        </Text>
      ),
    },
    // On a phone the message heads each card, with the row and column labelled below it.
    {
      key: 'message',
      header: t('table.message'),
      render: (i) => issueText(t, i18n.language, i),
      primary: true,
    },
  ];
  return (
    <DataTable
      rows={issues}
      columns={columns}
      rowKey={(i) => `${i.row}:${i.column ?? ''}:${i.code}`}
      empty={empty}
      caption={t('summary.title')}
    />
  );
}

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid="import-stat">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

function ImportView({
  id,
  onAgain,
  onStatus,
}: {
  id: string;
  onAgain: () => void;
  onStatus: (status: ImportItem['status']) => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const [, setParams] = useSearchParams();
  const { data, error, refetch } = useImportQuery(id);
  const run = useRunImport();
  const cancel = useCancelImport();
  const { can } = useAuth();
  const active = data?.status === 'queued' || data?.status === 'running';

  const status = data?.status;
  useEffect(() => {
    if (status) onStatus(status);
  }, [status, onStatus]);

  if (!data) return error ? <ErrorAlert error={error} onRetry={refetch} /> : <Loading />;
  const { progress, summary } = data;
  const total = progress.total ?? null;
  const runForReal = () =>
    run.mutate(data.id, { onSuccess: (created) => setParams({ id: created.id }, { replace: false }) });

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Title order={3} size="h4" className="break-anywhere">
                {data.fileName}
              </Title>
              <Text size="sm" c="dimmed">
                {formatDateTime(data.createdAt)}
                {data.dryRun ? ` · ${t('progress.dryRun')}` : ''}
              </Text>
            </div>
            <Badge color={statusColor[data.status]} variant="light" size="lg" data-testid="import-status">
              {t(`status.${data.status}`)}
            </Badge>
          </Group>
          {(active || data.status === 'succeeded') && (
            <Stack gap={4}>
              <Progress
                value={data.status === 'succeeded' ? 100 : total ? percent(progress.done, total) : 0}
                animated={active}
                striped={active}
                aria-label={t('progress.rows', { done: progress.done, total: total ?? '?' })}
              />
              <Group gap="lg" wrap="wrap">
                <Text size="sm" data-testid="import-rows">
                  {total !== null
                    ? t('progress.rows', { done: formatNumber(progress.done), total: formatNumber(total) })
                    : t('progress.rowsUnknown', { done: formatNumber(progress.done) })}
                </Text>
                {progress.rowsPerSecond !== null && (
                  <Text size="sm" c="dimmed">
                    {t('progress.rate', { rate: formatNumber(progress.rowsPerSecond) })}
                  </Text>
                )}
                {active && progress.etaSeconds !== null && (
                  <Text size="sm" c="dimmed">
                    {t('progress.eta', { time: duration(progress.etaSeconds) })}
                  </Text>
                )}
              </Group>
            </Stack>
          )}
          {(active || data.status === 'failed') && (
            <Group gap="sm">
              <Button
                size="xs"
                variant="light"
                color="red"
                onClick={() => cancel.mutate(data.id)}
                loading={cancel.isPending}
                data-testid="import-cancel"
              >
                {t('page.cancel')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('page.cancelHint')}
              </Text>
            </Group>
          )}
          <ErrorAlert error={cancel.error} />
          {data.status === 'cancelled' && (
            <Alert color="gray" variant="light" data-testid="import-cancelled">
              {t('summary.cancelledNote', { rows: formatNumber(summary.rows) })}
            </Alert>
          )}
          {data.error && (
            <Alert color="red" variant="light" role="alert">
              {t(`fileError.${data.error.code}`, {
                columns:
                  (data.error.details as { missing?: string[] } | undefined)?.missing?.join(', ') ?? '',
                defaultValue: t(`errors:${data.error.code}`, { defaultValue: data.error.message }),
              })}
            </Alert>
          )}
        </Stack>
      </Card>

      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        <Stat label={t('summary.rows')} value={summary.rows} />
        <Stat label={t('summary.inserted')} value={summary.inserted} color="teal" />
        <Stat label={t('summary.updated')} value={summary.updated} color="blue" />
        <Stat label={t('summary.unchanged')} value={summary.unchanged} />
        <Stat
          label={t('summary.rejected')}
          value={summary.rejected}
          color={summary.rejected > 0 ? 'red' : undefined}
        />
      </SimpleGrid>

      {data.dryRun && data.status === 'succeeded' && (
        <Alert variant="light" color="blue">
          <Stack gap="xs">
            <Text size="sm">{t('summary.dryRunNote')}</Text>
            <Group>
              <Button size="xs" onClick={runForReal} loading={run.isPending}>
                {t('page.runForReal')}
              </Button>
            </Group>
            <ErrorAlert error={run.error} />
          </Stack>
        </Alert>
      )}

      {!data.dryRun && data.status === 'succeeded' && summary.inserted + summary.updated > 0 && (
        <Alert variant="light" color="gray" data-testid="dedup-queued">
          <Text size="sm">
            {t('summary.dedupQueued')}{' '}
            {can('revealPersonalData') && (
              <Anchor component={Link} to="/registry/duplicates">
                {t('summary.dedupReview')}
              </Anchor>
            )}
          </Text>
        </Alert>
      )}

      <Group gap="sm">
        {summary.errorCount > 0 && (
          <Button
            component="a"
            href={`${apiBase}/imports/${data.id}/errors.xlsx${query({ lang: i18n.language })}`}
            variant="light"
            leftSection={<IconDownload size={16} />}
            download
          >
            {t('summary.report')}
          </Button>
        )}
        <Button variant="subtle" onClick={onAgain}>
          {t('page.again')}
        </Button>
      </Group>

      <Tabs defaultValue="errors" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="errors">{t('summary.errors', { count: summary.errorCount })}</Tabs.Tab>
          <Tabs.Tab value="warnings">{t('summary.warnings', { count: summary.warningCount })}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="errors" pt="sm" data-testid="import-errors">
          {summary.errorCount > summary.errors.length && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('summary.capped', {
                shown: formatNumber(summary.errors.length),
                count: formatNumber(summary.errorCount),
              })}
            </Text>
          )}
          <IssueTable issues={summary.errors} empty={t('summary.noErrors')} />
        </Tabs.Panel>
        <Tabs.Panel value="warnings" pt="sm">
          {summary.warningCount > summary.warnings.length && (
            <Text size="sm" c="dimmed" mb="xs">
              {t('summary.capped', {
                shown: formatNumber(summary.warnings.length),
                count: formatNumber(summary.warningCount),
              })}
            </Text>
          )}
          <IssueTable issues={summary.warnings} empty={t('summary.noWarnings')} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function RecentImports() {
  const { t } = useTranslation('imports');
  const { data, error, refetch } = useRecentImportsQuery();
  const columns: Column<ImportListItem>[] = [
    {
      key: 'file',
      header: t('history.file'),
      primary: true,
      render: (i) => (
        <Anchor component={Link} to={`?id=${i.id}`} className="break-anywhere">
          {i.fileName}
        </Anchor>
      ),
    },
    {
      key: 'status',
      header: t('history.status'),
      render: (i) => (
        <Badge color={statusColor[i.status]} variant="light">
          {t(`status.${i.status}`)}
        </Badge>
      ),
    },
    { key: 'when', header: t('history.when'), hideOnPhone: true, render: (i) => formatDateTime(i.createdAt) },
    {
      key: 'counts',
      header: t('history.counts'),
      align: 'right',
      render: (i) =>
        t('history.countsValue', {
          rows: formatNumber(i.summary.rows),
          inserted: formatNumber(i.summary.inserted),
          updated: formatNumber(i.summary.updated),
          rejected: formatNumber(i.summary.rejected),
        }),
    },
  ];
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('page.history')}
      </Title>
      <ErrorAlert error={error} onRetry={refetch} />
      {data && (
        <DataTable rows={data.items} columns={columns} rowKey={(i) => i.id} empty={t('page.noHistory')} />
      )}
    </Stack>
  );
}

// Route: /registry/import (optionally ?id=<import id> to follow one import).
export function ImportPage() {
  const { t, i18n } = useTranslation('imports');
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  // The list below shows the followed import too: it is read again when that import's status changes.
  const client = useQueryClient();
  const [followed, setFollowed] = useState<ImportItem['status'] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another import followed, or its new status, is the trigger
  useEffect(() => {
    void client.invalidateQueries({ queryKey: ['imports', 'recent'] });
  }, [id, followed, client]);
  return (
    <>
      <PageHeader
        title={t('page.title')}
        subtitle={t('page.subtitle')}
        actions={
          <Button
            component="a"
            href={`${apiBase}/imports/template.xlsx${query({ lang: i18n.language })}`}
            variant="light"
            leftSection={<IconDownload size={16} />}
            download
          >
            {t('page.template')}
          </Button>
        }
      />
      <Stack gap="xl">
        {id ? (
          <ImportView key={id} id={id} onAgain={() => setParams({})} onStatus={setFollowed} />
        ) : (
          <UploadCard onStarted={(created) => setParams({ id: created })} />
        )}
        <RecentImports />
      </Stack>
    </>
  );
}
