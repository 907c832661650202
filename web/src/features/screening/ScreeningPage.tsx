import {
  Anchor,
  Button,
  Card,
  Checkbox,
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
import {
  IconBrandWhatsapp,
  IconChecks,
  IconPencil,
  IconPrinter,
  IconRefresh,
  IconUsersPlus,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApplicationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { ApiError, api, apiBase, type Page, query } from '../../lib/api';
import { formatDateTime, formatNumber, percent } from '../../lib/format';
import type { Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import {
  type BulkProgress,
  BulkResults,
  bulkVerb,
  ConfirmBulk,
  ListEnrolment,
} from '../programs/BulkEnrolment';
import { useBulkApply, useProgramQuery } from '../programs/queries';
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

// How many eligible businesses the list's filter shows, from the screening's counts.
function matchingCount(result: Result, kecamatan: string | null, applied: Applied) {
  const rows = kecamatan ? result.byKecamatan.filter((k) => k.kecamatan === kecamatan) : result.byKecamatan;
  return rows.reduce(
    (n, k) => n + (applied === 'all' ? k.eligible : applied === 'true' ? k.applied : k.eligible - k.applied),
    0,
  );
}

// Every business the filter shows (not only the pages loaded), for "select all eligible".
async function allMatching(programId: string, params: { kecamatan: string | null; applied?: string }) {
  const found: Eligible[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Eligible> = await api<Page<Eligible>>(
      `/programs/${programId}/screening/eligible${query({ ...params, limit: 200, cursor })}`,
    );
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

function EligibleList({ program, result }: { program: Program; result: Result }) {
  const programId = program.id;
  const { t } = useTranslation('screening');
  const { t: te } = useTranslation('enrolment');
  const { t: tw } = useTranslation();
  const { can } = useAuth();
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [applied, setApplied] = useState<Applied>('false');
  const filter = { kecamatan, applied: applied === 'all' ? undefined : applied };
  const list = useEligibleQuery(programId, result.ranAt, { ...filter, limit: 50 });
  const { items, error, loading } = list;
  const printUrl = `${apiBase}/programs/${programId}/screening/invitations.pdf${query({ kecamatan, applied })}`;
  // Ticked rows, or every row the filter shows ("select all eligible").
  const [ticked, setTicked] = useState<Map<string, string>>(new Map());
  const [everyMatching, setEveryMatching] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [collecting, setCollecting] = useState<ApiError | null | 'busy'>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const bulk = useBulkApply(programId, (done, total) => setProgress({ done, total }));
  const verb = bulkVerb(program);
  const matching = matchingCount(result, kecamatan, applied);
  const chosen = everyMatching ? matching : ticked.size;
  const mayApply = can('apply') && !program.archivedAt;
  const clearChoice = () => {
    setTicked(new Map());
    setEveryMatching(false);
  };
  const toggle = (b: Eligible) => {
    setEveryMatching(false);
    setTicked((before) => {
      const next = new Map(before);
      if (next.has(b.businessId)) next.delete(b.businessId);
      else next.set(b.businessId, b.name);
      return next;
    });
  };
  const confirm = async () => {
    let chosenNames = ticked;
    if (everyMatching) {
      setCollecting('busy');
      try {
        chosenNames = new Map((await allMatching(programId, filter)).map((b) => [b.businessId, b.name]));
      } catch (e) {
        setCollecting(e as ApiError);
        setConfirming(false);
        return;
      }
      setCollecting(null);
    }
    setNames(chosenNames);
    bulk.mutate([...chosenNames.keys()], {
      onSettled: () => {
        setConfirming(false);
        clearChoice();
      },
    });
  };

  const columns: Column<Eligible>[] = [
    ...(mayApply
      ? [
          {
            key: 'tick',
            header: '',
            render: (b: Eligible) => (
              <Checkbox
                aria-label={te('tick', { name: b.name })}
                checked={everyMatching || ticked.has(b.businessId)}
                onChange={() => toggle(b)}
                data-testid="bulk-tick"
              />
            ),
          },
        ]
      : []),
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
      {mayApply && (
        <Group gap="sm" mb="sm" data-testid="bulk-toolbar">
          <Button
            variant={everyMatching ? 'filled' : 'light'}
            size="xs"
            leftSection={<IconChecks size={16} />}
            onClick={() => (everyMatching ? clearChoice() : setEveryMatching(true))}
            // On a phone the label wraps rather than being cut off.
            h="auto"
            py={6}
            styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
            disabled={matching === 0}
            data-testid="bulk-select-all"
          >
            {everyMatching ? te('clearSelection') : te('selectAll', { n: formatNumber(matching) })}
          </Button>
          <Button
            size="xs"
            leftSection={<IconUsersPlus size={16} />}
            disabled={chosen === 0}
            onClick={() => setConfirming(true)}
            data-testid="bulk-apply"
          >
            {te(`action.${verb}`, { n: formatNumber(chosen) })}
          </Button>
        </Group>
      )}
      <ConfirmBulk
        program={program}
        count={chosen}
        opened={confirming}
        onClose={() => setConfirming(false)}
        busy={bulk.isPending || collecting === 'busy'}
        progress={progress}
        onConfirm={() => void confirm()}
      />
      <ErrorAlert error={bulk.error ?? (collecting instanceof ApiError ? collecting : null)} />
      {bulk.data && (
        <div style={{ marginBottom: 'var(--mantine-spacing-md)' }}>
          <BulkResults results={bulk.data} names={names} />
        </div>
      )}
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
        {result && <EligibleList key={result.ranAt} program={p} result={result} />}
        {can('apply') && !p.archivedAt && <ListEnrolment program={p} />}
      </Stack>
    </>
  );
}
