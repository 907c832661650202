import { Anchor, Card, Group, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatNumber, formatRupiah } from '../../lib/format';
import { useAuth, useMe } from '../auth/auth';
import { useBusinessSearchQuery } from '../businesses/queries';
import { useProgramChoicesQuery } from '../programs/queries';
import { BusinessSales } from './BusinessSales';
import {
  type CohortSales,
  type SalesByBusiness,
  useCohortSalesQuery,
  useSalesByBusinessQuery,
} from './queries';
import { SaleForm } from './SaleForm';

// Sales: an owner records a sale and sees their own; the offices see sales per business and a
// program's graduates before and after the training (per event: on the event's page).
export function SalesPage() {
  const { t } = useTranslation('market');
  const me = useMe();
  const { can } = useAuth();
  const owner = me.scope.ownBusinesses;
  return (
    <>
      <PageHeader
        title={t('sales.title')}
        subtitle={owner ? t('sales.ownerSubtitle') : t('sales.subtitle')}
      />
      {owner ? <OwnerSales /> : can('readReports') ? <OfficerSales /> : null}
    </>
  );
}

function OwnerSales() {
  const { t } = useTranslation('market');
  const businesses = useBusinessSearchQuery('', 20);
  const [businessId, setBusinessId] = useState<string | null>(null);
  const items = businesses.data?.items ?? [];
  useEffect(() => {
    if (!businessId && items[0]) setBusinessId(items[0].id);
  }, [businessId, items]);
  if (businesses.isPending) return <Loading />;
  return (
    <Stack gap="md">
      <ErrorAlert error={businesses.error} />
      {items.length > 1 && (
        <Select
          label={t('sales.business')}
          data={items.map((b) => ({ value: b.id, label: b.name }))}
          value={businessId}
          onChange={setBusinessId}
          allowDeselect={false}
          maw={480}
        />
      )}
      {items.length === 0 && <Text c="dimmed">{t('sales.noBusiness')}</Text>}
      {businessId && (
        <>
          <SaleForm businessId={businessId} />
          <Title order={3} size="h4">
            {t('sales.recent')}
          </Title>
          <BusinessSales businessId={businessId} />
        </>
      )}
    </Stack>
  );
}

function OfficerSales() {
  const { t } = useTranslation('market');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'cohort' ? 'cohort' : 'business';
  return (
    <Tabs value={tab} onChange={(v) => setParams(v === 'cohort' ? { tab: v } : {}, { replace: true })}>
      <Tabs.List mb="md">
        <Tabs.Tab value="business">{t('sales.byBusiness')}</Tabs.Tab>
        <Tabs.Tab value="cohort">{t('sales.byCohort')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="business">
        <ByBusiness />
      </Tabs.Panel>
      <Tabs.Panel value="cohort">{tab === 'cohort' && <ByCohort />}</Tabs.Panel>
    </Tabs>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Title order={3}>{value}</Title>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Card>
  );
}

function ByBusiness() {
  const { t } = useTranslation('market');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const sales = useSalesByBusinessQuery({ from: from || undefined, to: to || undefined });
  const columns: Column<SalesByBusiness['items'][number]>[] = [
    {
      key: 'business',
      header: t('sales.business'),
      primary: true,
      render: (r) => (
        <Anchor component={Link} to={`/registry/${r.businessId}/sales`}>
          {r.businessName}
        </Anchor>
      ),
    },
    { key: 'kecamatan', header: t('sales.kecamatan'), render: (r) => r.kecamatanName ?? r.kecamatan },
    {
      key: 'total',
      header: t('sales.total'),
      render: (r) => formatRupiah(r.total),
      align: 'right',
      nowrap: true,
    },
    { key: 'count', header: t('sales.sales'), render: (r) => formatNumber(r.count), align: 'right' },
    { key: 'last', header: t('sales.last'), render: (r) => formatDate(r.lastDate, 'medium'), nowrap: true },
  ];
  return (
    <Stack gap="md">
      <Group>
        <TextInput
          label={t('sales.from')}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          label={t('sales.to')}
          type="date"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      <ErrorAlert error={sales.error} />
      {sales.data && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Figure label={t('sales.total')} value={formatRupiah(sales.data.total)} />
          <Figure label={t('sales.sales')} value={formatNumber(sales.data.count)} />
          <Figure label={t('sales.businessesSelling')} value={formatNumber(sales.data.businesses)} />
        </SimpleGrid>
      )}
      {sales.isPending ? (
        <Loading />
      ) : (
        <DataTable
          rows={sales.data?.items ?? []}
          columns={columns}
          rowKey={(r) => r.businessId}
          empty={t('sales.none')}
        />
      )}
    </Stack>
  );
}

function ByCohort() {
  const { t } = useTranslation('market');
  const programs = useProgramChoicesQuery();
  const [programId, setProgramId] = useState<string | null>(null);
  const [months, setMonths] = useState('6');
  const cohort = useCohortSalesQuery(programId, Number(months));
  const columns: Column<CohortSales['items'][number]>[] = [
    {
      key: 'business',
      header: t('sales.business'),
      primary: true,
      render: (r) => (
        <Anchor component={Link} to={`/registry/${r.businessId}/sales`}>
          {r.businessName}
        </Anchor>
      ),
    },
    { key: 'kecamatan', header: t('sales.kecamatan'), render: (r) => r.kecamatanName ?? '' },
    {
      key: 'before',
      header: t('sales.before'),
      render: (r) => formatRupiah(r.before),
      align: 'right',
      nowrap: true,
    },
    {
      key: 'after',
      header: t('sales.after'),
      render: (r) => formatRupiah(r.after),
      align: 'right',
      nowrap: true,
    },
  ];
  const data = cohort.data;
  return (
    <Stack gap="md">
      <Group align="flex-end">
        <Select
          label={t('sales.program')}
          placeholder={t('sales.pickProgram')}
          searchable
          data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={programId}
          onChange={setProgramId}
          miw={280}
        />
        <Select
          label={t('sales.months')}
          data={['3', '6', '12'].map((m) => ({
            value: m,
            label: t('sales.monthsValue', { count: Number(m) }),
          }))}
          value={months}
          onChange={(v) => setMonths(v ?? '6')}
          allowDeselect={false}
          w={160}
        />
      </Group>
      <ErrorAlert error={programs.error ?? cohort.error} />
      {programId && cohort.isPending && <Loading />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Figure
              label={t('sales.beforeRange', {
                from: formatDate(data.before.from, 'medium'),
                to: formatDate(data.before.to, 'medium'),
              })}
              value={formatRupiah(data.totalBefore)}
              note={t('sales.withSales', { count: data.withSalesBefore, graduates: data.graduates })}
            />
            <Figure
              label={t('sales.afterRange', {
                from: formatDate(data.after.from, 'medium'),
                to: formatDate(data.after.to, 'medium'),
              })}
              value={formatRupiah(data.totalAfter)}
              note={t('sales.withSales', { count: data.withSalesAfter, graduates: data.graduates })}
            />
          </SimpleGrid>
          <DataTable
            rows={data.items}
            columns={columns}
            rowKey={(r) => r.businessId}
            empty={t('sales.noGraduates')}
          />
        </>
      )}
    </Stack>
  );
}
