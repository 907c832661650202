import { Badge, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { PersonalDataAccess } from '../../lib/types';
import { FilterSummary } from '../businesses/filters';
import { usePersonalDataLogQuery } from './queries';

export const personalDataLogPath = '/audit/personal-data';

function fullData(entry: PersonalDataAccess): boolean {
  if (entry.kind === 'view') return true;
  const filter = entry.filter;
  return Boolean(
    filter && typeof filter === 'object' && (filter as { personalData?: unknown }).personalData === true,
  );
}

function formatOf(entry: PersonalDataAccess): string | null {
  const filter = entry.filter;
  const format = filter && typeof filter === 'object' ? (filter as { format?: unknown }).format : undefined;
  return typeof format === 'string' ? format.toUpperCase() : null;
}

// Who saw full personal data, or exported the registry, when, with which filter and how many
// rows (UU PDP No. 27/2022). Admins only (the readAudit capability).
export function PersonalDataLogPage() {
  const { t } = useTranslation('registry');
  const list = usePersonalDataLogQuery();
  const { items, error, loading, reload } = list;
  const columns: Column<PersonalDataAccess>[] = [
    {
      key: 'who',
      header: t('log.who'),
      primary: true,
      render: (e) => (
        <div>
          <Text fw={600} size="sm">
            {e.actor ?? t('log.system')}
          </Text>
          <Text size="xs" c="dimmed" className="nowrap">
            {formatDateTime(e.at)}
          </Text>
        </div>
      ),
    },
    {
      key: 'kind',
      header: t('log.kind'),
      render: (e) => (
        <Stack gap={4} align="flex-start">
          <Badge variant="light" color={e.kind === 'export' ? 'orange' : 'blue'}>
            {t(`log.kinds.${e.kind}`)}
            {formatOf(e) ? ` · ${formatOf(e)}` : ''}
          </Badge>
          <Badge variant="outline" color={fullData(e) ? 'red' : 'gray'} size="xs">
            {fullData(e) ? t('log.fullData') : t('log.masked')}
          </Badge>
        </Stack>
      ),
    },
    {
      key: 'what',
      header: t('log.filter'),
      render: (e) =>
        e.kind === 'export' ? (
          <FilterSummary filter={e.filter} empty={t('log.wholeRegistry')} />
        ) : (
          <Text size="sm" className="break-anywhere">
            {e.subject.startsWith('person:') ? t('log.person', { id: e.subject.slice(7, 15) }) : e.subject}
          </Text>
        ),
    },
    { key: 'rows', header: t('log.rows'), align: 'right', render: (e) => formatNumber(e.rows) },
  ];
  return (
    <>
      <PageHeader title={t('log.title')} subtitle={t('log.subtitle')} />
      <ErrorAlert error={error} onRetry={reload} />
      <Stack gap="sm">
        {!(loading && items.length === 0) && (
          <DataTable
            rows={items}
            columns={columns}
            rowKey={(e) => String(e.id)}
            caption={t('log.title')}
            empty={t('log.empty')}
            minWidth={760}
          />
        )}
        <PagedFooter list={list} label={t('log.loadMore')} />
      </Stack>
    </>
  );
}
