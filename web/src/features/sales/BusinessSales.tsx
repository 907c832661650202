import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { formatDate, formatNumber, formatRupiah } from '../../lib/format';
import { type Sale, useSalesQuery, useSalesSummaryQuery } from './queries';

// A business's sales: the totals (all time, by channel) and the latest sales, newest first.
export function BusinessSales({ businessId }: { businessId: string }) {
  const { t } = useTranslation('market');
  const summary = useSalesSummaryQuery(businessId);
  const list = useSalesQuery(businessId);
  const columns: Column<Sale>[] = [
    {
      key: 'date',
      header: t('sales.date'),
      render: (s) => formatDate(s.date, 'medium'),
      primary: true,
      nowrap: true,
    },
    {
      key: 'amount',
      header: t('sales.amount'),
      render: (s) => formatRupiah(s.amount),
      align: 'right',
      nowrap: true,
    },
    { key: 'channel', header: t('sales.channel'), render: (s) => t(`sales.channels.${s.channel}`) },
    { key: 'note', header: t('sales.note'), render: (s) => s.note ?? '', hideOnPhone: true },
  ];
  return (
    <Stack gap="sm">
      <ErrorAlert error={summary.error} />
      {summary.data && (
        <Card withBorder radius="md" padding="sm">
          <Group justify="space-between" align="flex-end">
            <div>
              <Text size="sm" c="dimmed">
                {t('sales.total')}
              </Text>
              <Title order={3}>{formatRupiah(summary.data.total)}</Title>
            </div>
            <Text size="sm" c="dimmed">
              {t('sales.count', { count: summary.data.count, formatted: formatNumber(summary.data.count) })}
            </Text>
          </Group>
          {summary.data.byChannel.length > 0 && (
            <Text size="sm" mt="xs">
              {summary.data.byChannel
                .map((c) => `${t(`sales.channels.${c.channel}`)}: ${formatRupiah(c.total)}`)
                .join(' · ')}
            </Text>
          )}
        </Card>
      )}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <DataTable rows={list.items} columns={columns} rowKey={(s) => s.id} empty={t('sales.none')} />
      <PagedFooter list={list} />
    </Stack>
  );
}
