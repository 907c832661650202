import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { apiBase, query } from '../../lib/api';
import { formatNumber, formatRupiah, percent } from '../../lib/format';
import { useAuth, useMe } from '../auth/auth';
import { useKecamatan } from '../reference/queries';
import { KecamatanMap } from './KecamatanMap';
import {
  type FunnelReport,
  type OutcomesReport,
  useFunnelQuery,
  useOutcomesQuery,
  useRecapYearsQuery,
} from './queries';

// The outcomes dashboard: the funnel from application to new entrepreneur, and the outcome
// figures with their denominators, per program and per kecamatan. Every chart has its table:
// read by screen readers always, shown to anyone with the switch.

const steps = [
  'registered',
  'eligible',
  'enrolled',
  'completed',
  'equipped',
  'selling',
  'newEntrepreneurs',
] as const;
type FunnelRow = FunnelReport['totals'];
type OutcomeRow = OutcomesReport['totals'];

function Figure({ label, value, of, testId }: { label: string; value: number; of: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text fw={700} fz={24} lh={1.2}>
        {formatNumber(value)}
      </Text>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Text size="xs" c="dimmed">
        {of}
      </Text>
    </Paper>
  );
}

// A chart and the same numbers as a table: the table is visually hidden unless asked for, so a
// screen reader reads it while the chart itself is hidden from it.
function ChartWithTable(props: {
  title: string;
  chart: React.ReactNode;
  table: React.ReactNode;
  showTables: boolean;
}) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Title order={3} fz="md" mb="xs">
        {props.title}
      </Title>
      <div aria-hidden="true">{props.chart}</div>
      <div
        className={props.showTables ? undefined : 'visually-hidden'}
        style={props.showTables ? undefined : hidden}
      >
        {props.table}
      </div>
    </Paper>
  );
}

const hidden: React.CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

function FunnelChart({ funnel, showTables }: { funnel: FunnelRow; showTables: boolean }) {
  const { t } = useTranslation('outcomes');
  const data = steps.map((s) => ({ step: t(`dashboard.step.${s}`), count: funnel[s] }));
  const columns: Column<(typeof data)[number]>[] = [
    { key: 'step', header: t('dashboard.stepColumn'), primary: true, render: (r) => r.step },
    { key: 'count', header: t('dashboard.count'), align: 'right', render: (r) => formatNumber(r.count) },
    {
      key: 'share',
      header: t('dashboard.shareOfRegistered'),
      align: 'right',
      render: (r) => `${percent(r.count, funnel.registered)}%`,
    },
  ];
  return (
    <ChartWithTable
      title={t('dashboard.funnel')}
      showTables={showTables}
      chart={
        <BarChart
          h={Math.max(240, steps.length * 40)}
          data={data}
          dataKey="step"
          orientation="vertical"
          yAxisProps={{ width: 120 }}
          series={[{ name: 'count', label: t('dashboard.count'), color: 'pulih.6' }]}
          withTooltip={false}
          withBarValueLabel
        />
      }
      table={
        <DataTable rows={data} columns={columns} rowKey={(r) => r.step} caption={t('dashboard.funnel')} />
      }
    />
  );
}

type NamedFunnel = FunnelRow & { name: string; key: string };

// The funnel per program or per kecamatan: the steps from graduates on as bars, every step in
// the table.
function FunnelRowsChart({
  rows,
  title,
  showTables,
}: {
  rows: NamedFunnel[];
  title: string;
  showTables: boolean;
}) {
  const { t } = useTranslation('outcomes');
  const columns: Column<NamedFunnel>[] = [
    { key: 'name', header: t('dashboard.name'), primary: true, render: (r) => r.name },
    ...steps.map(
      (s): Column<NamedFunnel> => ({
        key: s,
        header: t(`dashboard.step.${s}`),
        align: 'right',
        hideOnPhone: s === 'eligible' || s === 'enrolled',
        render: (r) => formatNumber(r[s]),
      }),
    ),
  ];
  return (
    <ChartWithTable
      title={title}
      showTables={showTables}
      chart={
        rows.length > 0 ? (
          <BarChart
            h={Math.max(220, rows.length * 48)}
            data={rows}
            dataKey="name"
            orientation="vertical"
            yAxisProps={{ width: 120 }}
            withLegend
            withTooltip={false}
            series={[
              { name: 'completed', label: t('dashboard.step.completed'), color: 'gray.5' },
              { name: 'selling', label: t('dashboard.step.selling'), color: 'teal.6' },
              { name: 'newEntrepreneurs', label: t('dashboard.step.newEntrepreneurs'), color: 'pulih.6' },
            ]}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('dashboard.none')}
          </Text>
        )
      }
      table={
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(r) => r.key}
          caption={title}
          empty={t('dashboard.none')}
        />
      }
    />
  );
}

// The annual recap (XLSX) of every program ending in the chosen year, downloaded by the
// browser; the server holds a kecamatan office to its own kecamatan.
function AnnualRecapDownload() {
  const { t } = useTranslation('outcomes');
  const thisYear = new Date().getFullYear();
  const recapYears = useRecapYearsQuery();
  // Until the officer picks one, the year is the latest that has programs (a recap of a year
  // without any would be empty), today's year only when there are none.
  const [picked, setPicked] = useState<string | null>(null);
  const known = (recapYears.data?.years ?? []).map(String);
  const year = picked ?? known[0] ?? String(thisYear);
  const years = [...new Set([...known, ...Array.from({ length: 8 }, (_, k) => String(thisYear - k))])].sort(
    (a, b) => b.localeCompare(a),
  );
  return (
    <Group align="end" gap="xs">
      <Select
        label={t('dashboard.annualYear')}
        data={years}
        value={year}
        onChange={(v) => setPicked(v ?? year)}
        allowDeselect={false}
        w={120}
        data-testid="annual-year"
      />
      <Button
        component="a"
        href={`${apiBase}/reports/annual.xlsx${query({ year })}`}
        download=""
        variant="default"
        leftSection={<IconDownload size={16} />}
        data-testid="annual-recap"
      >
        {t('dashboard.annualRecap')}
      </Button>
    </Group>
  );
}

type Named = OutcomeRow & { name: string; key: string };

function OutcomeTable({ rows, caption }: { rows: Named[]; caption: string }) {
  const { t } = useTranslation('outcomes');
  const of = (n: number, d: number) => `${formatNumber(n)} / ${formatNumber(d)}`;
  const columns: Column<Named>[] = [
    { key: 'name', header: t('dashboard.name'), primary: true, render: (r) => r.name },
    {
      key: 'graduates',
      header: t('dashboard.graduates'),
      align: 'right',
      render: (r) => formatNumber(r.graduates),
    },
    { key: 'asked', header: t('dashboard.asked'), align: 'right', render: (r) => formatNumber(r.asked) },
    {
      key: 'answered',
      header: t('dashboard.answered'),
      align: 'right',
      render: (r) => formatNumber(r.answered),
    },
    {
      key: 'new',
      header: t('dashboard.newEntrepreneurs'),
      align: 'right',
      render: (r) => formatNumber(r.newEntrepreneurs),
    },
    {
      key: 'active',
      header: t('dashboard.activeOfAnswered'),
      align: 'right',
      render: (r) => of(r.activeAfterFollowUp, r.answered),
    },
    {
      key: 'recovered',
      header: t('dashboard.recoveredOfKnown'),
      align: 'right',
      render: (r) => of(r.recovered, r.recoveredKnown),
    },
    {
      key: 'turnover',
      header: t('dashboard.medianTurnover'),
      align: 'right',
      hideOnPhone: true,
      render: (r) => `${formatRupiah(r.turnoverBefore.median)} → ${formatRupiah(r.turnoverAfter.median)}`,
    },
  ];
  return (
    <DataTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.key}
      caption={caption}
      empty={t('dashboard.none')}
    />
  );
}

function OutcomeChart({ rows, title, showTables }: { rows: Named[]; title: string; showTables: boolean }) {
  const { t } = useTranslation('outcomes');
  const data = rows.map((r) => ({
    name: r.name,
    answered: r.answered,
    active: r.activeAfterFollowUp,
    newEntrepreneurs: r.newEntrepreneurs,
  }));
  return (
    <ChartWithTable
      title={title}
      showTables={showTables}
      chart={
        rows.length > 0 ? (
          <BarChart
            h={Math.max(220, rows.length * 48)}
            data={data}
            dataKey="name"
            orientation="vertical"
            yAxisProps={{ width: 120 }}
            withLegend
            withTooltip={false}
            series={[
              { name: 'answered', label: t('dashboard.answered'), color: 'gray.5' },
              { name: 'active', label: t('dashboard.active'), color: 'teal.6' },
              { name: 'newEntrepreneurs', label: t('dashboard.newEntrepreneurs'), color: 'pulih.6' },
            ]}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('dashboard.none')}
          </Text>
        )
      }
      table={<OutcomeTable rows={rows} caption={title} />}
    />
  );
}

export function OutcomesPage() {
  const { t } = useTranslation('outcomes');
  const me = useMe();
  const { can } = useAuth();
  const kecamatanList = useKecamatan();
  // A kecamatan office is held to its own kecamatan by the server: no choice to offer.
  const scopedToKecamatan = me.scope.kecamatan !== null;
  const [programId, setProgramId] = useState<string | null>(null);
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [showTables, setShowTables] = useState(false);
  const filters = { programId: programId ?? undefined, kecamatan: kecamatan ?? undefined };
  const outcomes = useOutcomesQuery(filters);
  const funnel = useFunnelQuery(filters);
  const all = useOutcomesQuery({});
  if (outcomes.isPending || funnel.isPending) return <Loading />;
  if (!outcomes.data || !funnel.data)
    return (
      <ErrorAlert
        error={outcomes.error ?? funnel.error}
        onRetry={() => Promise.all([outcomes.refetch(), funnel.refetch()])}
      />
    );
  const o = outcomes.data.totals;
  const byProgram: Named[] = outcomes.data.byProgram.map((r) => ({
    ...r,
    name: r.programName,
    key: r.programId,
  }));
  const byKecamatan: Named[] = outcomes.data.byKecamatan.map((r) => ({
    ...r,
    name: r.kecamatanName ?? r.kecamatan,
    key: r.kecamatan,
  }));
  const funnelByProgram: NamedFunnel[] = funnel.data.byProgram.map((r) => ({
    ...r,
    name: r.programName,
    key: r.programId,
  }));
  const funnelByKecamatan: NamedFunnel[] = funnel.data.byKecamatan.map((r) => ({
    ...r,
    name: r.kecamatanName ?? r.kecamatan,
    key: r.kecamatan,
  }));
  return (
    <Stack>
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} />
      {can('readReports') && <AnnualRecapDownload />}
      <SimpleGrid cols={{ base: 1, xs: scopedToKecamatan ? 2 : 3 }}>
        <Select
          label={t('dashboard.program')}
          placeholder={t('dashboard.allPrograms')}
          clearable
          searchable
          value={programId}
          onChange={setProgramId}
          data={(all.data?.byProgram ?? []).map((p) => ({ value: p.programId, label: p.programName }))}
        />
        {!scopedToKecamatan && (
          <Select
            label={t('dashboard.kecamatan')}
            placeholder={t('dashboard.allKecamatan')}
            clearable
            searchable
            value={kecamatan}
            onChange={setKecamatan}
            data={kecamatanList.map((k) => ({ value: k.code, label: k.name }))}
            data-testid="outcomes-kecamatan"
          />
        )}
        <Switch
          mt={{ base: 0, xs: 'xl' }}
          label={t('dashboard.showTables')}
          checked={showTables}
          onChange={(e) => setShowTables(e.currentTarget.checked)}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure
          testId="figure-new"
          label={t('dashboard.newEntrepreneurs')}
          value={o.newEntrepreneurs}
          of={t('dashboard.ofGraduates', { count: o.graduates })}
        />
        <Figure
          testId="figure-active"
          label={t('dashboard.active')}
          value={o.activeAfterFollowUp}
          of={t('dashboard.ofAnswered', { count: o.answered })}
        />
        <Figure
          testId="figure-recovered"
          label={t('dashboard.recovered')}
          value={o.recovered}
          of={t('dashboard.ofKnown', { count: o.recoveredKnown })}
        />
        <Figure
          testId="figure-answered"
          label={t('dashboard.answered')}
          value={o.answered}
          of={t('dashboard.ofAsked', { count: o.asked })}
        />
      </SimpleGrid>
      <FunnelChart funnel={funnel.data.totals} showTables={showTables} />
      <FunnelRowsChart
        rows={funnelByProgram}
        title={t('dashboard.funnelByProgram')}
        showTables={showTables}
      />
      <FunnelRowsChart
        rows={funnelByKecamatan}
        title={t('dashboard.funnelByKecamatan')}
        showTables={showTables}
      />
      <OutcomeChart rows={byProgram} title={t('dashboard.byProgram')} showTables={showTables} />
      <OutcomeChart rows={byKecamatan} title={t('dashboard.byKecamatan')} showTables={showTables} />
      <KecamatanMap filters={filters} />
      <Text size="xs" c="dimmed">
        {t('dashboard.definitions')}
      </Text>
    </Stack>
  );
}
