import {
  Anchor,
  Button,
  Card,
  CopyButton,
  Grid,
  Group,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconBrandWhatsapp, IconPencil, IconPrinter, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApplicationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { ApiError, apiBase, query } from '../../lib/api';
import { formatDateTime, formatNumber, percent } from '../../lib/format';
import { useAuth } from '../auth/auth';
import { useProgramQuery } from '../programs/queries';
import { RuleText } from '../programs/RuleText';
import { useEligibleQuery, useRunScreening } from './queries';

type Result = NonNullable<ReturnType<typeof useRunScreening>['data']>;
type Eligible = ReturnType<typeof useEligibleQuery>['items'][number];
type Applied = 'all' | 'false' | 'true';

function Counts({ result }: { result: Result }) {
  const { t } = useTranslation('screening');
  const max = Math.max(1, ...result.byKecamatan.map((k) => k.eligible));
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table verticalSpacing={6} data-testid="screening-counts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('page.kecamatan')}</Table.Th>
            <Table.Th style={{ width: '40%' }} />
            <Table.Th ta="right">{t('page.eligible')}</Table.Th>
            <Table.Th ta="right">{t('page.applied')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.byKecamatan.map((k) => (
            <Table.Tr key={k.kecamatan}>
              <Table.Td>
                <Text size="sm">{k.kecamatanName ?? k.kecamatan}</Text>
              </Table.Td>
              <Table.Td>
                <Progress.Root size="lg" aria-hidden>
                  <Progress.Section value={percent(k.applied, max)} color="teal" />
                  <Progress.Section value={percent(k.eligible - k.applied, max)} color="blue" />
                </Progress.Root>
              </Table.Td>
              <Table.Td ta="right">{formatNumber(k.eligible)}</Table.Td>
              <Table.Td ta="right">{formatNumber(k.applied)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th>{t('page.total')}</Table.Th>
            <Table.Th />
            <Table.Th ta="right">{formatNumber(result.total.eligible)}</Table.Th>
            <Table.Th ta="right">{formatNumber(result.total.applied)}</Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

function EligibleList({ programId, result }: { programId: string; result: Result }) {
  const { t } = useTranslation('screening');
  const { t: tw } = useTranslation();
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [applied, setApplied] = useState<Applied>('false');
  const filter = { kecamatan, applied: applied === 'all' ? undefined : applied };
  const list = useEligibleQuery(programId, result.ranAt, { ...filter, limit: 50 });
  const { items, error, loading } = list;
  const printUrl = `${apiBase}/programs/${programId}/screening/invitations.pdf${query({ kecamatan, applied })}`;

  const columns: Column<Eligible>[] = [
    {
      key: 'business',
      header: t('page.business'),
      primary: true,
      render: (b) => (
        <div>
          <Anchor component={Link} to={`/registry/${b.businessId}`} fw={600} className="break-anywhere">
            {b.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {b.ownerName} · {tw('business.nikShort')} {b.nik}
          </Text>
        </div>
      ),
    },
    {
      key: 'region',
      header: t('page.region'),
      render: (b) => (
        <Text size="sm">
          {b.kelurahanName ?? '–'}
          {b.kecamatanName ? `, ${b.kecamatanName}` : ''}
        </Text>
      ),
    },
    { key: 'phone', header: t('page.phone'), nowrap: true, render: (b) => b.phone ?? '–' },
    {
      key: 'status',
      header: t('page.status'),
      render: (b) => (b.applicationStatus ? <ApplicationBadge status={b.applicationStatus} /> : null),
    },
    {
      key: 'invite',
      header: '',
      align: 'right',
      render: (b) =>
        b.whatsappUrl ? (
          <Button
            component="a"
            href={b.whatsappUrl}
            target="_blank"
            rel="noopener noreferrer"
            size="xs"
            color="green"
            variant="light"
            leftSection={<IconBrandWhatsapp size={16} />}
          >
            {t('page.invite')}
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            {t('page.noPhone')}
          </Text>
        ),
    },
  ];

  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <Title order={3} size="h5">
          {t('page.list')}
        </Title>
        <Button
          component="a"
          href={printUrl}
          target="_blank"
          rel="noopener"
          variant="default"
          size="xs"
          leftSection={<IconPrinter size={16} />}
          data-testid="screening-print"
        >
          {t('page.print')}
        </Button>
      </Group>
      <Group gap="sm" mb="sm" align="flex-end">
        <Select
          label={t('page.filterKecamatan')}
          placeholder={t('page.allKecamatan')}
          data={result.byKecamatan.map((k) => ({
            value: k.kecamatan,
            label: k.kecamatanName ?? k.kecamatan,
          }))}
          value={kecamatan}
          onChange={setKecamatan}
          clearable
          w={220}
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('page.filterApplied')}
          </Text>
          <SegmentedControl
            value={applied}
            onChange={(v) => setApplied(v as Applied)}
            data={[
              { value: 'false', label: t('page.notApplied') },
              { value: 'true', label: t('page.applied') },
              { value: 'all', label: t('page.all') },
            ]}
          />
        </div>
      </Group>
      <ErrorAlert error={error} />
      {loading && items.length === 0 ? (
        <Loading />
      ) : (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(b) => b.businessId}
          empty={t('page.none')}
          caption={t('page.list')}
        />
      )}
      {items.length > 0 && <PagedFooter list={list} label={t('page.more')} />}
    </Card>
  );
}

// /programs/:id/screening
export function ScreeningPage() {
  const { t } = useTranslation('screening');
  const { t: tw } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const program = useProgramQuery(id);
  const screening = useRunScreening(id);
  // The last result stays on screen while a new run goes.
  const [result, setResult] = useState<Result | null>(null);
  const running = screening.isPending;
  const error = screening.error;
  const { mutate } = screening;
  const run = () => mutate(undefined, { onSuccess: setResult });

  // biome-ignore lint/correctness/useExhaustiveDependencies: one run when the page opens
  useEffect(() => {
    mutate(undefined, { onSuccess: setResult });
  }, [id]);

  if (program.error) return <ErrorAlert error={program.error} onRetry={program.refetch} />;
  if (!program.data) return <Loading />;
  const p = program.data;
  const notScreenable = error?.code === 'invalid_rule';

  return (
    <>
      <PageHeader
        title={t('page.title')}
        subtitle={t('page.subtitle', { program: p.name })}
        crumbs={[
          { label: tw('programs.title'), to: '/programs' },
          { label: p.name, to: `/programs/${p.id}` },
        ]}
        actions={
          <>
            {can('writePrograms') && (
              <Button
                component={Link}
                to={`/programs/${p.id}/edit`}
                variant="default"
                leftSection={<IconPencil size={16} />}
              >
                {t('page.editRule')}
              </Button>
            )}
            <Button
              onClick={run}
              loading={running}
              leftSection={<IconRefresh size={16} />}
              data-testid="screening-run"
            >
              {result ? t('page.rerun') : t('page.run')}
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {notScreenable ? (
          <ErrorAlert error={new ApiError(422, 'invalid_rule', t('page.notScreenable'), error?.details)} />
        ) : (
          <ErrorAlert error={error} onRetry={run} />
        )}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Card withBorder radius="md" padding="md" h="100%">
              <Title order={3} size="h5" mb="xs">
                {t('page.rule')}
              </Title>
              <RuleText clauses={p.eligibilityDescription} />
              {result && (
                <Stack gap={4} mt="md">
                  <Text size="sm" fw={500}>
                    {t('page.publicLink')}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <TextInput
                      value={result.applicationUrl}
                      readOnly
                      size="xs"
                      style={{ flex: 1 }}
                      aria-label={t('page.publicLink')}
                    />
                    <CopyButton value={result.applicationUrl}>
                      {({ copied, copy }) => (
                        <Button size="xs" variant="light" onClick={copy} color={copied ? 'teal' : undefined}>
                          {copied ? t('page.copied') : t('page.copy')}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                </Stack>
              )}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Card withBorder radius="md" padding="md" h="100%">
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h5">
                  {t('page.byKecamatan')}
                </Title>
                {result && (
                  <Text size="xs" c="dimmed">
                    {t('page.ranAt', {
                      at: formatDateTime(result.ranAt),
                      seconds: (result.milliseconds / 1000).toLocaleString(undefined, {
                        maximumFractionDigits: 1,
                      }),
                    })}
                  </Text>
                )}
              </Group>
              {result ? <Counts result={result} /> : running ? <Loading /> : null}
            </Card>
          </Grid.Col>
        </Grid>
        {result && <EligibleList key={result.ranAt} programId={p.id} result={result} />}
      </Stack>
    </>
  );
}
