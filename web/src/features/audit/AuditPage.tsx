import { Badge, Code, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';
import type { AuditEntry, PersonalDataAccess } from '../../lib/types';
import { useAuditQuery, usePersonalDataLogQuery } from './queries';

type Change = { field: string; before: unknown; after: unknown };

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

// Only the fields that changed; a creation shows every field, a deletion every old one.
export function diff(before: unknown, after: unknown): Change[] {
  const a = asRecord(before);
  const b = asRecord(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .filter((k) => !(a[k] === undefined && b[k] === null))
    .map((k) => ({ field: k, before: mask(k, a[k]), after: mask(k, b[k]) }));
}

// The audit trail records people's NIKs; reading the trail is not a reason to see them
// (UU PDP), so they are masked here as everywhere else.
function mask(field: string, value: unknown): unknown {
  if (field.toLowerCase().includes('nik') && typeof value === 'string' && /^\d{16}$/.test(value)) {
    return `${value.slice(0, 4)}********${value.slice(12)}`;
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function Diff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = diff(entry.before, entry.after);
  if (changes.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('audit.noChanges')}
      </Text>
    );
  return (
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} fz="xs">
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
              <Text size="xs" fw={600}>
                {c.field}
              </Text>
            </Table.Td>
            <Table.Td style={{ verticalAlign: 'top' }}>
              {c.before !== undefined && (
                <Code color="red.0" style={{ textDecoration: 'line-through', wordBreak: 'break-all' }}>
                  {show(c.before)}
                </Code>
              )}{' '}
              {c.after !== undefined && (
                <Code color="teal.0" style={{ wordBreak: 'break-all' }}>
                  {show(c.after)}
                </Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Changes() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState('');
  const [debounced] = useDebouncedValue(entity.trim(), 350);
  const list = useAuditQuery(debounced);
  const { items, error, loading, reload } = list;
  const columns: Column<AuditEntry>[] = [
    {
      key: 'what',
      header: t('audit.action'),
      primary: true,
      render: (e) => (
        <div>
          <Badge variant="light" color="pulih">
            {e.action}
          </Badge>{' '}
          <Text span size="sm" fw={600}>
            {e.entity}
          </Text>
          {e.entityId && (
            <Text size="xs" c="dimmed" className="break-anywhere">
              {e.entityId}
            </Text>
          )}
        </div>
      ),
    },
    { key: 'who', header: t('audit.who'), render: (e) => e.actor ?? t('audit.system') },
    {
      key: 'when',
      header: t('audit.when'),
      render: (e) => <span className="nowrap">{formatDateTime(e.at)}</span>,
    },
    { key: 'diff', header: t('audit.changes'), phoneLayout: 'block', render: (e) => <Diff entry={e} /> },
  ];
  return (
    <Stack gap="sm">
      <TextInput
        label={t('audit.entity')}
        placeholder="business, application, aid_handover…"
        value={entity}
        onChange={(e) => setEntity(e.currentTarget.value)}
        maw={360}
      />
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable rows={items} columns={columns} rowKey={(e) => String(e.id)} minWidth={900} />
      )}
      <PagedFooter list={list} />
    </Stack>
  );
}

function PersonalData() {
  const { t } = useTranslation();
  const list = usePersonalDataLogQuery();
  const { items, error, loading, reload } = list;
  const columns: Column<PersonalDataAccess>[] = [
    {
      key: 'who',
      header: t('audit.who'),
      primary: true,
      render: (e) => (
        <Text fw={600} size="sm">
          {e.actor ?? t('audit.system')}
        </Text>
      ),
    },
    {
      key: 'kind',
      header: t('audit.kind'),
      render: (e) => (
        <Badge variant="light" color={e.kind === 'export' ? 'orange' : 'pulih'}>
          {t(`audit.kinds.${e.kind}`)}
        </Badge>
      ),
    },
    {
      key: 'subject',
      header: t('audit.subject'),
      render: (e) => <span className="break-anywhere">{e.subject}</span>,
    },
    { key: 'rows', header: t('audit.rows'), align: 'right', render: (e) => e.rows },
    {
      key: 'when',
      header: t('audit.when'),
      render: (e) => <span className="nowrap">{formatDateTime(e.at)}</span>,
    },
  ];
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('audit.personalDataIntro')}
      </Text>
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable rows={items} columns={columns} rowKey={(e) => String(e.id)} minWidth={720} />
      )}
      <PagedFooter list={list} />
    </Stack>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Tabs defaultValue="changes" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="changes">{t('audit.changesTab')}</Tabs.Tab>
          <Tabs.Tab value="personal">{t('audit.personalTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="changes">
          <Changes />
        </Tabs.Panel>
        <Tabs.Panel value="personal">
          <PersonalData />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
