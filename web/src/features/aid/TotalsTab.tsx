import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber, formatRupiah } from '../../lib/format';
import { type StockTotal, useStockTotalsQuery } from './queries';

// Stock per SOPD and budget year, with the "rekap penyaluran bantuan" of each as XLSX and PDF.
export function TotalsTab() {
  const { t } = useTranslation('aid');
  const [year, setYear] = useState<string | null>(null);
  const totals = useStockTotalsQuery(year ? Number(year) : null);
  const rows = totals.data?.items ?? [];
  const years = Array.from({ length: 8 }, (_, i) => String(new Date().getFullYear() + 1 - i));
  const rekap = (r: StockTotal, ext: 'xlsx' | 'pdf') =>
    `/api/v1/aid/rekap.${ext}?budgetYear=${r.budgetYear}&organisationId=${r.organisation.id}`;
  const columns: Column<StockTotal>[] = [
    {
      key: 'sopd',
      header: t('sopd'),
      primary: true,
      render: (r) => (
        <div>
          <Text fw={600} size="sm" className="break-anywhere">
            {r.organisation.name}
          </Text>
          <Text size="xs" c="dimmed">
            {t('budgetYear')} {r.budgetYear} · {formatNumber(r.lines)} {t('lines').toLowerCase()}
          </Text>
        </div>
      ),
    },
    { key: 'quantity', header: t('quantity'), align: 'right', render: (r) => formatNumber(r.quantity) },
    { key: 'allocated', header: t('allocated'), align: 'right', render: (r) => formatNumber(r.allocated) },
    { key: 'remaining', header: t('remaining'), align: 'right', render: (r) => formatNumber(r.remaining) },
    { key: 'value', header: t('value'), align: 'right', nowrap: true, render: (r) => formatRupiah(r.value) },
    {
      key: 'allocatedValue',
      header: t('allocatedValue'),
      align: 'right',
      nowrap: true,
      render: (r) => formatRupiah(r.allocatedValue),
    },
    {
      key: 'rekap',
      header: '',
      align: 'right',
      render: (r) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button
            component="a"
            href={rekap(r, 'xlsx')}
            size="compact-sm"
            variant="light"
            leftSection={<IconFileSpreadsheet size={14} />}
            data-testid="rekap-xlsx"
          >
            {t('rekapXlsx')}
          </Button>
          <Button
            component="a"
            href={rekap(r, 'pdf')}
            target="_blank"
            size="compact-sm"
            variant="light"
            leftSection={<IconFileTypePdf size={14} />}
          >
            {t('rekapPdf')}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <Stack gap="sm">
      <Select
        label={t('budgetYear')}
        data={years}
        value={year}
        onChange={setYear}
        clearable
        w={{ base: '100%', xs: 200 }}
      />
      <ErrorAlert error={totals.error} onRetry={() => void totals.refetch()} />
      {rows.length === 0 && !totals.isPending ? (
        <Text c="dimmed">{t('noTotals')}</Text>
      ) : (
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(r) => `${r.organisation.id}/${r.budgetYear}`}
          minWidth={900}
          caption={t('totalsTitle')}
        />
      )}
    </Stack>
  );
}
