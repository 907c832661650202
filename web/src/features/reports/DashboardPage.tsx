import { Anchor, Card, Group, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconBuildingStore,
  IconCertificate,
  IconPackage,
  IconSchool,
  IconTools,
  IconUsers,
  IconVirus,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatNumber, percent } from '../../lib/format';
import type { Summary } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { ComplaintCounts } from '../complaints/ComplaintCounts';
import { useSummaryQuery } from './queries';

type KecamatanRow = Summary['byKecamatan'][number];
type ProgramRow = Summary['programs'][number];

function Stat({
  label,
  value,
  icon,
  color,
}: {
  label: string;
  value: number;
  icon: ReactNode;
  color: string;
}) {
  return (
    <Paper withBorder radius="md" className="stat-card">
      <Group justify="space-between" align="center" wrap="nowrap" gap="xs">
        <Text fw={700} lh={1.2} className="stat-value" data-testid="stat-value">
          {formatNumber(value)}
        </Text>
        <ThemeIcon variant="light" color={color} size={34} radius="md">
          {icon}
        </ThemeIcon>
      </Group>
      <Text size="sm" c="dimmed" fw={500} mt={4} lh={1.3}>
        {label}
      </Text>
    </Paper>
  );
}

function ProgramProgress({ program }: { program: ProgramRow }) {
  const { t } = useTranslation();
  const enrolledPct = percent(program.enrolled, program.capacity);
  const completedPct = percent(program.completed, program.capacity);
  return (
    <Card withBorder radius="md" padding="md" data-testid="program-progress">
      <Anchor component={Link} to={`/programs/${program.id}`} fw={600} className="break-anywhere">
        {program.name}
      </Anchor>
      <Text size="xs" c="dimmed" mb="sm">
        {t(`programType.${program.type}`, { defaultValue: program.type })} · {formatDate(program.startDate)}
      </Text>
      <Progress.Root size={22} aria-label={t('dashboard.progressLabel')}>
        <Progress.Section value={completedPct} color="teal">
          <Progress.Label>{program.completed}</Progress.Label>
        </Progress.Section>
        <Progress.Section value={Math.max(0, enrolledPct - completedPct)} color="pulih.5">
          <Progress.Label>
            {program.enrolled - program.completed > 0 ? program.enrolled - program.completed : ''}
          </Progress.Label>
        </Progress.Section>
      </Progress.Root>
      <div className="program-figures">
        <Figure label={t('program.capacity')} value={program.capacity} />
        <Figure label={t('program.enrolled')} value={program.enrolled} />
        <Figure label={t('program.completed')} value={program.completed} color="teal" />
        <Figure label={t('program.waitlisted')} value={program.waitlisted} color="yellow.8" />
      </div>
      <Text size="xs" c="dimmed" mt="xs">
        {t('dashboard.certificates', { count: program.certificates })}
      </Text>
    </Card>
  );
}

function Figure({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} c={color}>
        {formatNumber(value)}
      </Text>
    </div>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useSummaryQuery();
  const { can } = useAuth();

  const columns: Column<KecamatanRow>[] = [
    {
      key: 'kecamatan',
      header: t('field.kecamatan'),
      primary: true,
      render: (r) => (
        <Text fw={600} size="sm">
          {r.kecamatanName ?? r.kecamatan}
        </Text>
      ),
    },
    {
      key: 'businesses',
      header: t('dashboard.businesses'),
      align: 'right',
      render: (r) => formatNumber(r.businesses),
    },
    {
      key: 'enrolled',
      header: t('dashboard.enrolled'),
      align: 'right',
      render: (r) => formatNumber(r.enrolled),
    },
    {
      key: 'trained',
      header: t('dashboard.trained'),
      align: 'right',
      render: (r) => formatNumber(r.trained),
    },
    {
      key: 'certified',
      header: t('dashboard.certified'),
      align: 'right',
      render: (r) => formatNumber(r.certified),
    },
    {
      key: 'equipped',
      header: t('dashboard.equipped'),
      align: 'right',
      render: (r) => formatNumber(r.equipped),
    },
    {
      key: 'listedProducts',
      header: t('dashboard.listedProducts'),
      align: 'right',
      render: (r) => formatNumber(r.listedProducts),
    },
  ];

  return (
    <>
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} />
      <ErrorAlert error={error} onRetry={refetch} />
      {isPending && <Loading />}
      {data && (
        <Stack gap="lg">
          <Text size="xs" c="dimmed">
            {t('dashboard.definitions', { certificates: formatNumber(data.totals.certificates) })}
          </Text>
          <div className="dashboard-stats">
            <Stat
              label={t('dashboard.businesses')}
              value={data.totals.businesses}
              icon={<IconBuildingStore size={20} />}
              color="pulih"
            />
            <Stat
              label={t('dashboard.covidImpacted')}
              value={data.totals.covidImpacted}
              icon={<IconVirus size={20} />}
              color="orange"
            />
            <Stat
              label={t('dashboard.enrolled')}
              value={data.totals.enrolled}
              icon={<IconUsers size={20} />}
              color="indigo"
            />
            <Stat
              label={t('dashboard.trained')}
              value={data.totals.trained}
              icon={<IconSchool size={20} />}
              color="teal"
            />
            <Stat
              label={t('dashboard.certified')}
              value={data.totals.certified}
              icon={<IconCertificate size={20} />}
              color="grape"
            />
            <Stat
              label={t('dashboard.equipped')}
              value={data.totals.equipped}
              icon={<IconTools size={20} />}
              color="cyan"
            />
            <Stat
              label={t('dashboard.listedProducts')}
              value={data.totals.listedProducts}
              icon={<IconPackage size={20} />}
              color="lime"
            />
            <Stat
              label={t('dashboard.applications')}
              value={data.totals.applications}
              icon={<IconUsers size={20} />}
              color="gray"
            />
          </div>

          <section aria-labelledby="dash-programs">
            <Title order={3} size="h4" mb="sm" id="dash-programs">
              {t('dashboard.programs')}
            </Title>
            {data.programs.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('common.empty')}
              </Text>
            ) : (
              <div className="dashboard-programs">
                {data.programs.map((p) => (
                  <ProgramProgress key={p.id} program={p} />
                ))}
              </div>
            )}
          </section>

          {can('handleComplaints') && <ComplaintCounts />}

          <section aria-labelledby="dash-kecamatan">
            <Title order={3} size="h4" mb="sm" id="dash-kecamatan">
              {t('dashboard.byKecamatan')}
            </Title>
            <DataTable
              rows={[
                ...data.byKecamatan,
                // The totals as the last row: the figures above, which the rows add up to.
                { ...data.totals, kecamatan: 'total', kecamatanName: t('dashboard.total') },
              ]}
              columns={columns}
              rowKey={(r) => r.kecamatan}
              caption={t('dashboard.byKecamatan')}
            />
          </section>
        </Stack>
      )}
    </>
  );
}
