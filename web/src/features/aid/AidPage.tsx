import { Anchor, Badge, Button, Group, Select, Stack, Tabs, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFileTypePdf, IconPlus, IconTruckDelivery, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { allocationStatus } from '../../../../src/modules/aid/aid.schema';
import { AllocationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatNumber, formatRupiah } from '../../lib/format';
import type { AidAllocation, AidStockItem } from '../../lib/types';
import { useAuth, useMe } from '../auth/auth';
import { AllocationForm } from './AllocationForm';
import { BulkAllocationModal } from './BulkAllocationModal';
import { HandoverDetailModal } from './HandoverDetailModal';
import { HandoverModal } from './HandoverModal';
import { PackagesSection } from './PackagesSection';
import { useAllocationsQuery, useStockQuery } from './queries';
import { ScheduleHandover } from './ScheduleHandover';
import { StockForm } from './StockForm';
import { TotalsTab } from './TotalsTab';

const allocationStatuses = allocationStatus.options;

function StockTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const list = useStockQuery();
  const { items, error, loading, reload } = list;
  const columns: Column<AidStockItem>[] = [
    {
      key: 'item',
      header: t('aid.item'),
      primary: true,
      render: (s) => (
        <div>
          <Text fw={600} size="sm" className="break-anywhere">
            {s.item}
          </Text>
          {s.spec && (
            <Text size="xs" c="dimmed" className="break-anywhere">
              {s.spec}
            </Text>
          )}
        </div>
      ),
    },
    ...(me.scope.ownOrganisationAid
      ? []
      : [{ key: 'sopd', header: t('aid.sopd'), render: (s: AidStockItem) => s.organisation.name }]),
    { key: 'year', header: t('aid.budgetYear'), render: (s) => s.budgetYear },
    { key: 'value', header: t('aid.unitValue'), align: 'right', render: (s) => formatRupiah(s.unitValue) },
    {
      key: 'quantity',
      header: t('aid.quantity'),
      nowrap: true,
      align: 'right',
      render: (s) => `${formatNumber(s.quantity)} ${s.unit}`,
    },
    {
      key: 'allocated',
      header: t('aid.allocated'),
      align: 'right',
      render: (s) => formatNumber(s.allocated),
    },
    {
      key: 'remaining',
      header: t('aid.remaining'),
      nowrap: true,
      align: 'right',
      render: (s) => (
        <Badge color={s.remaining > 0 ? 'teal' : 'gray'} variant="light">
          {formatNumber(s.remaining)}
        </Badge>
      ),
    },
  ];
  return (
    <Stack gap="sm">
      {can('writeAid') &&
        (adding ? (
          <StockForm onDone={() => setAdding(false)} />
        ) : (
          <Group>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              {t('aid.addStock')}
            </Button>
          </Group>
        ))}
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(s) => s.id}
          minWidth={860}
          caption={t('aid.stock')}
        />
      )}
      <PagedFooter list={list} />
      <PackagesSection canWrite={can('writeAid')} />
    </Stack>
  );
}

function AllocationsTab() {
  const { t } = useTranslation();
  const narrow = useMediaQuery('(max-width: 48em)');
  const { can } = useAuth();
  const me = useMe();
  const [status, setStatus] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [detail, setDetail] = useState<{
    handover: NonNullable<AidAllocation['handover']>;
    businessId: string;
  } | null>(null);
  const [handing, setHanding] = useState<AidAllocation | null>(null);
  const list = useAllocationsQuery(status);
  const { items, error, loading, reload } = list;
  const columns: Column<AidAllocation>[] = [
    {
      key: 'business',
      header: t('aid.recipient'),
      primary: true,
      render: (a) => (
        <div>
          {can('readBusinesses') ? (
            <Anchor
              component={Link}
              to={`/registry/${a.business.id}`}
              fw={600}
              size="sm"
              className="break-anywhere"
            >
              {a.business.name}
            </Anchor>
          ) : (
            <Text fw={600} size="sm">
              {a.business.name}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {a.business.ownerName}
            {a.business.kecamatanName ? ` · ${a.business.kecamatanName}` : ''}
          </Text>
        </div>
      ),
    },
    {
      key: 'item',
      header: t('aid.item'),
      render: (a) => (
        <Stack gap={0}>
          <Text size="sm" className="break-anywhere">
            {a.stock.item} · {formatNumber(a.quantity)} {a.stock.unit}
          </Text>
          {a.status === 'planned' && a.schedule && (
            <Text size="xs" c="dimmed" className="break-anywhere" data-testid="handover-schedule">
              {t('aid:scheduledFor', { date: formatDate(a.schedule.at, 'medium'), place: a.schedule.place })}
            </Text>
          )}
        </Stack>
      ),
    },
    ...(me.scope.ownOrganisationAid
      ? []
      : [
          {
            key: 'sopd',
            header: t('aid.sopd'),
            hideOnPhone: true,
            render: (a: AidAllocation) => a.sopd.name,
          },
        ]),
    {
      key: 'status',
      header: t('field.status'),
      nowrap: true,
      render: (a) => <AllocationBadge status={a.status} />,
    },
    {
      key: 'handover',
      header: t('aid.handover'),
      align: 'right',
      nowrap: true,
      render: (a) =>
        a.handover ? (
          <Stack gap={0} align="flex-end">
            <Anchor
              href={`/api/v1/aid/handovers/${a.handover.id}/bast.pdf`}
              target="_blank"
              size="sm"
              data-testid="bast-link"
            >
              <Group gap={4} wrap="nowrap" className="nowrap">
                <IconFileTypePdf size={14} style={{ flexShrink: 0 }} />
                {a.handover.number}
              </Group>
            </Anchor>
            <Text size="xs" c="dimmed">
              {formatDate(a.handover.handedOverAt, 'medium')}
            </Text>
            <Anchor
              component="button"
              type="button"
              size="xs"
              onClick={() => a.handover && setDetail({ handover: a.handover, businessId: a.business.id })}
              data-testid="handover-details"
            >
              {t('aid:details')}
            </Anchor>
          </Stack>
        ) : can('writeAid') && a.status === 'planned' ? (
          <Stack gap={4} align="flex-end">
            <Button
              size={narrow ? 'sm' : 'compact-sm'}
              variant="light"
              leftSection={<IconTruckDelivery size={14} />}
              onClick={() => setHanding(a)}
              data-testid="record-handover"
            >
              {t('aid.recordHandover')}
            </Button>
            <Anchor
              component={Link}
              to={`/aid/handover/${a.business.id}`}
              size="xs"
              data-testid="record-multi-handover"
            >
              {t('aid:handOverAll')}
            </Anchor>
            <ScheduleHandover allocation={a} />
          </Stack>
        ) : (
          '–'
        ),
    },
  ];
  return (
    <Stack gap="sm">
      {can('writeAid') &&
        (adding ? (
          <AllocationForm onDone={() => setAdding(false)} />
        ) : (
          <Group>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              {t('aid.allocate')}
            </Button>
            <Button variant="light" leftSection={<IconUsersGroup size={16} />} onClick={() => setBulk(true)}>
              {t('aid:bulkAllocate')}
            </Button>
          </Group>
        ))}
      {bulk && <BulkAllocationModal onClose={() => setBulk(false)} />}
      <Select
        label={t('applications.filter')}
        placeholder={t('applications.allStatuses')}
        data={allocationStatuses.map((s) => ({ value: s, label: t(`allocationStatus.${s}`) }))}
        value={status}
        onChange={setStatus}
        clearable
        w={{ base: '100%', xs: 240 }}
      />
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(a) => a.id}
          minWidth={860}
          caption={t('aid.allocations')}
        />
      )}
      <PagedFooter list={list} />
      {handing && <HandoverModal allocation={handing} onClose={() => setHanding(null)} />}
      {detail && (
        <HandoverDetailModal
          handover={detail.handover}
          businessId={detail.businessId}
          canWrite={can('writeAid')}
          onClose={() => setDetail(null)}
        />
      )}
    </Stack>
  );
}

export function AidPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { tab: tabParam } = useParams();
  const tab = tabParam === 'stock' || tabParam === 'totals' ? tabParam : 'allocations';
  return (
    <>
      <PageHeader
        title={t('aid.title')}
        subtitle={can('writeAid') ? (me.organisation?.name ?? t('aid.subtitle')) : t('aid.readOnly')}
      />
      <Tabs
        value={tab}
        onChange={(v) =>
          void navigate(v === 'stock' || v === 'totals' ? `/aid/${v}` : '/aid', { replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="allocations">{t('aid.allocations')}</Tabs.Tab>
          <Tabs.Tab value="stock">{t('aid.stock')}</Tabs.Tab>
          <Tabs.Tab value="totals">{t('aid:totalsTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="allocations">
          <AllocationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="stock">
          <StockTab />
        </Tabs.Panel>
        <Tabs.Panel value="totals">
          <TotalsTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
