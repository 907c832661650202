import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { apiBase, query } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { currentLanguage, i18n, locale } from '../../lib/i18n';
import type { AuditEntry, PersonalDataAccess } from '../../lib/types';
import { useSettingsQuery } from '../settings/queries';
import { useUsersQuery } from '../users/queries';
import { type AuditFilter, useAuditQuery, usePersonalDataLogQuery } from './queries';

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

function Diff({ entry, timeZone }: { entry: AuditEntry; timeZone: string | undefined }) {
  const { t } = useTranslation('audit');
  const changes = diff(entry.before, entry.after);
  if (changes.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('noChanges')}
      </Text>
    );
  return (
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} fz="xs">
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
              <Text size="xs" fw={600}>
                {t(`fields.${c.field}`, { defaultValue: c.field })}
              </Text>
            </Table.Td>
            <Table.Td style={{ verticalAlign: 'top' }}>
              {c.before !== undefined && (
                <Code color="red.0" style={{ textDecoration: 'line-through', wordBreak: 'break-all' }}>
                  {showValue(c.before, timeZone)}
                </Code>
              )}{' '}
              {c.after !== undefined && (
                <Code color="teal.0" style={{ wordBreak: 'break-all' }}>
                  {showValue(c.after, timeZone)}
                </Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

// Instants recorded in a change (updatedAt, checkedInAt…) read in the office zone too.
function showValue(value: unknown, timeZone: string | undefined): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value))
    return officeTime(value, timeZone);
  return show(value);
}

// Times as the office reads them (its zone from the settings), whatever the reader's device says.
function officeTime(value: string, timeZone: string | undefined): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(i18n.language), {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

const noFilter: AuditFilter = { actorId: '', entity: '', entityId: '', from: '', to: '' };

function Changes() {
  const { t } = useTranslation('audit');
  const [filter, setFilter] = useState<AuditFilter>(noFilter);
  const [userSearch, setUserSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(userSearch.trim(), 300);
  const [debounced] = useDebouncedValue(filter, 350);
  const list = useAuditQuery(debounced);
  const settings = useSettingsQuery();
  const timeZone = settings.data?.timeZone;
  const users = useUsersQuery({ q: debouncedSearch, role: '', active: '' });
  const set = (patch: Partial<AuditFilter>) => setFilter((f) => ({ ...f, ...patch }));
  // The kinds of record the log knows, in the reader's language (the namespace is loaded with the route).
  const bundle = i18n.getResourceBundle(i18n.language, 'audit') as
    | { entities?: Record<string, string> }
    | undefined;
  const entities = Object.entries(bundle?.entities ?? {})
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const userOptions = users.items.map((u) => ({ value: u.id, label: `${u.name} (${u.username})` }));
  const { items, error, loading, reload } = list;
  const exportHref = (format: 'csv' | 'xlsx') =>
    `${apiBase}/audit/export${query({ ...debounced, format, lang: currentLanguage() })}`;
  const columns: Column<AuditEntry>[] = [
    {
      key: 'what',
      header: t('columns.action'),
      primary: true,
      render: (e) => (
        <div>
          <Badge variant="light" color="pulih" style={{ textTransform: 'none' }}>
            {t(`actions.${e.action}`, { defaultValue: e.action })}
          </Badge>{' '}
          <Text span size="sm" c="dimmed">
            {t(`entities.${e.entity}`, { defaultValue: e.entity })}
          </Text>
          {e.entityId && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              fw={600}
              display="block"
              ta="left"
              className="break-anywhere"
              title={t('showRecord')}
              onClick={() => set({ entity: e.entity, entityId: e.entityId ?? '' })}
            >
              {e.recordName ?? e.entityId}
            </Anchor>
          )}
        </div>
      ),
    },
    {
      key: 'who',
      header: t('columns.actor'),
      render: (e) =>
        e.actorId ? (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => set({ actorId: e.actorId ?? '' })}
          >
            {e.actorName ?? e.actor}
          </Anchor>
        ) : (
          t('system')
        ),
    },
    {
      key: 'when',
      header: t('columns.at'),
      render: (e) => <span className="nowrap">{officeTime(e.at, timeZone)}</span>,
    },
    {
      key: 'diff',
      header: t('columns.changes'),
      phoneLayout: 'block',
      render: (e) => <Diff entry={e} timeZone={timeZone} />,
    },
  ];
  const active = Object.values(filter).some((v) => v !== '');
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('subtitle', { zone: timeZone ?? '…' })}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <Select
          label={t('filters.actor')}
          placeholder={t('filters.anyActor')}
          data={userOptions}
          value={filter.actorId || null}
          onChange={(v) => set({ actorId: v ?? '' })}
          searchable
          searchValue={userSearch}
          onSearchChange={setUserSearch}
          filter={({ options }) => options}
          clearable
        />
        <Select
          label={t('filters.entity')}
          placeholder={t('filters.anyEntity')}
          data={entities}
          value={filter.entity || null}
          onChange={(v) => set({ entity: v ?? '', entityId: '' })}
          searchable
          clearable
        />
        <TextInput
          label={t('filters.entityId')}
          value={filter.entityId}
          onChange={(e) => set({ entityId: e.currentTarget.value.trim() })}
        />
        <TextInput
          type="date"
          label={t('filters.from')}
          value={filter.from}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('filters.to')}
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
        <Group gap="xs" align="flex-end" wrap="wrap">
          <Button
            component="a"
            href={exportHref('xlsx')}
            download
            variant="light"
            leftSection={<IconDownload size={16} />}
          >
            {t('export.xlsx')}
          </Button>
          <Button component="a" href={exportHref('csv')} download variant="default">
            {t('export.csv')}
          </Button>
          {active && (
            <Button variant="subtle" onClick={() => setFilter(noFilter)}>
              {t('filters.clear')}
            </Button>
          )}
        </Group>
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('export.note')}
      </Text>
      <ErrorAlert error={error} onRetry={reload} />
      {!loading && items.length === 0 && !error && <Text c="dimmed">{t('empty')}</Text>}
      {!(loading && items.length === 0) && items.length > 0 && (
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
