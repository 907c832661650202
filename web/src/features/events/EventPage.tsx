import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Card,
  FileButton,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconFileTypePdf, IconPencil, IconTrash, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { apiBase } from '../../lib/api';
import { formatDateRange, formatNumber, formatRupiah } from '../../lib/format';
import { useAuth } from '../auth/auth';
import { useBusinessSearchQuery } from '../businesses/queries';
import { type SalesImportSummary, useEventSalesQuery, useImportEventSales } from '../sales/queries';
import { EventForm } from './EventForm';
import {
  type EventParticipant,
  type PromotionEventDetail,
  useAddParticipant,
  useEventQuery,
  useRemoveParticipant,
  useSetBooth,
} from './queries';

// One promotion event for the officers: its particulars, the businesses taking part with their
// booths, the printed lists, and the sales recorded for it (entered, or imported from the cash book).
export function EventPage() {
  const { t } = useTranslation('market');
  const { id = '' } = useParams();
  const { can } = useAuth();
  const event = useEventQuery(id);
  const [editing, setEditing] = useState(false);
  const manage = can('manageEvents');
  const data = event.data;
  return (
    <>
      <PageHeader
        title={data?.name ?? '…'}
        subtitle={
          data
            ? `${t(`event.kinds.${data.kind}`)} · ${formatDateRange(data.startDate, data.endDate)} · ${data.venue}`
            : undefined
        }
        crumbs={[{ label: t('events.title'), to: '/events' }, { label: data?.name ?? '…' }]}
        actions={
          data && (
            <Group gap="xs">
              <Button
                component="a"
                href={data.publicUrl}
                target="_blank"
                variant="light"
                rightSection={<IconExternalLink size={14} />}
              >
                {t('events.publicPage')}
              </Button>
              {manage && !editing && (
                <Button
                  variant="default"
                  leftSection={<IconPencil size={14} />}
                  onClick={() => setEditing(true)}
                >
                  {t('events.edit')}
                </Button>
              )}
            </Group>
          )
        }
      />
      <ErrorAlert error={event.error} onRetry={() => void event.refetch()} />
      {event.isPending && <Loading />}
      {data && (
        <Stack gap="lg">
          {editing && <EventForm event={data} onDone={() => setEditing(false)} />}
          {data.description && <Text>{data.description}</Text>}
          <Group gap="xs">
            <Button
              component="a"
              href={`${apiBase}/events/${id}/booths.pdf`}
              target="_blank"
              variant="light"
              leftSection={<IconFileTypePdf size={16} />}
            >
              {t('events.boothList')}
            </Button>
            <Button
              component="a"
              href={`${apiBase}/events/${id}/attendance.pdf`}
              target="_blank"
              variant="light"
              leftSection={<IconFileTypePdf size={16} />}
            >
              {t('events.attendanceList')}
            </Button>
          </Group>
          <Participants event={data} manage={manage} />
          <EventSalesSection eventId={id} manage={manage} />
        </Stack>
      )}
    </>
  );
}

function Participants({ event, manage }: { event: PromotionEventDetail; manage: boolean }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('market');
  const remove = useRemoveParticipant(event.id);
  const setBooth = useSetBooth(event.id);
  const changeBooth = (p: EventParticipant) => {
    const booth = window.prompt(tm('events.boothPrompt', { name: p.businessName }), p.booth ?? '');
    if (booth === null) return;
    setBooth.mutate(
      { businessId: p.businessId, booth: booth.trim() || null },
      { onError: (e) => notifications.show({ color: 'red', message: errorText(t, e) }) },
    );
  };
  const columns: Column<EventParticipant>[] = [
    { key: 'booth', header: tm('events.booth'), render: (p) => p.booth ?? '–', nowrap: true },
    {
      key: 'business',
      header: tm('sales.business'),
      primary: true,
      render: (p) => (
        <Anchor component={Link} to={`/registry/${p.businessId}`}>
          {p.businessName}
        </Anchor>
      ),
    },
    { key: 'owner', header: tm('events.owner'), render: (p) => p.ownerName },
    { key: 'kecamatan', header: tm('sales.kecamatan'), render: (p) => p.kecamatanName ?? p.kecamatan },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: '',
      align: 'right',
      render: (p) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <ActionIcon variant="subtle" aria-label={tm('events.changeBooth')} onClick={() => changeBooth(p)}>
            <IconPencil size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={tm('events.remove')}
            onClick={() => {
              if (window.confirm(tm('events.removeConfirm', { name: p.businessName })))
                remove.mutate(p.businessId);
            }}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ),
    });
  }
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {tm('events.participantsTitle', { count: event.participants.length })}
      </Title>
      {manage && <AddParticipant eventId={event.id} />}
      <ErrorAlert error={remove.error ?? setBooth.error} />
      <DataTable
        rows={event.participants}
        columns={columns}
        rowKey={(p) => p.businessId}
        empty={tm('events.noParticipants')}
      />
    </Stack>
  );
}

function AddParticipant({ eventId }: { eventId: string }) {
  const { t } = useTranslation('market');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 350);
  const businesses = useBusinessSearchQuery(debounced, 20, debounced.length >= 2);
  const [businessId, setBusinessId] = useState<string | null>(null);
  const [booth, setBooth] = useState('');
  const add = useAddParticipant(eventId);
  const submit = () => {
    if (!businessId) return;
    add.mutate(
      { businessId, booth: booth.trim() || null },
      {
        onSuccess: () => {
          setBusinessId(null);
          setSearch('');
          setBooth('');
        },
      },
    );
  };
  return (
    <Card withBorder radius="md" padding="sm">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('events.addBusiness')}
          placeholder={t('events.searchBusiness')}
          searchable
          data={(businesses.data?.items ?? []).map((b) => ({
            value: b.id,
            label: `${b.name} · ${b.owner.name}`,
          }))}
          value={businessId}
          onChange={setBusinessId}
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          nothingFoundMessage={debounced.length >= 2 ? t('events.noBusinessFound') : undefined}
          miw={280}
          style={{ flex: '1 1 280px' }}
        />
        <TextInput
          label={t('events.booth')}
          value={booth}
          onChange={(e) => setBooth(e.currentTarget.value)}
          w={120}
          maxLength={20}
        />
        <Button onClick={submit} disabled={!businessId} loading={add.isPending}>
          {t('events.add')}
        </Button>
      </Group>
      <ErrorAlert error={add.error} />
    </Card>
  );
}

function EventSalesSection({ eventId, manage }: { eventId: string; manage: boolean }) {
  const { t } = useTranslation('market');
  const sales = useEventSalesQuery(eventId);
  const columns: Column<NonNullable<typeof sales.data>['items'][number]>[] = [
    { key: 'booth', header: t('events.booth'), render: (r) => r.booth ?? '–', nowrap: true },
    { key: 'business', header: t('sales.business'), primary: true, render: (r) => r.businessName },
    {
      key: 'total',
      header: t('sales.total'),
      render: (r) => formatRupiah(r.total),
      align: 'right',
      nowrap: true,
    },
    { key: 'count', header: t('sales.sales'), render: (r) => formatNumber(r.count), align: 'right' },
  ];
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('events.salesTitle')}
      </Title>
      <ErrorAlert error={sales.error} />
      {sales.data && (
        <SimpleGrid cols={{ base: 2, sm: 3 }} maw={720}>
          <Card withBorder padding="sm">
            <Text size="sm" c="dimmed">
              {t('sales.total')}
            </Text>
            <Title order={4}>{formatRupiah(sales.data.total)}</Title>
          </Card>
          <Card withBorder padding="sm">
            <Text size="sm" c="dimmed">
              {t('sales.sales')}
            </Text>
            <Title order={4}>{formatNumber(sales.data.count)}</Title>
          </Card>
        </SimpleGrid>
      )}
      {manage && <SalesImport eventId={eventId} />}
      <DataTable
        rows={sales.data?.items ?? []}
        columns={columns}
        rowKey={(r) => r.businessId}
        empty={t('events.noParticipants')}
      />
    </Stack>
  );
}

function SalesImport({ eventId }: { eventId: string }) {
  const { t } = useTranslation('market');
  const importSales = useImportEventSales(eventId);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<SalesImportSummary | null>(null);
  const run = (dryRun: boolean) => {
    if (!file) return;
    importSales.mutate({ file, dryRun }, { onSuccess: setResult });
  };
  return (
    <Card withBorder radius="md" padding="sm" maw={720}>
      <Stack gap="xs">
        <Text fw={600}>{t('import.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('import.help')}
        </Text>
        <Group>
          <FileButton
            onChange={(f) => {
              setFile(f);
              setResult(null);
            }}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          >
            {(props) => (
              <Button variant="default" leftSection={<IconUpload size={16} />} {...props}>
                {file ? file.name : t('import.pick')}
              </Button>
            )}
          </FileButton>
          <Button variant="light" disabled={!file} loading={importSales.isPending} onClick={() => run(true)}>
            {t('import.check')}
          </Button>
          <Button disabled={!file} loading={importSales.isPending} onClick={() => run(false)}>
            {t('import.run')}
          </Button>
        </Group>
        <ErrorAlert error={importSales.error} />
        {result && (
          <Alert color={result.errors.length > 0 ? 'red' : 'green'}>
            {result.errors.length > 0
              ? t('import.rejected', { rows: result.rows, rejected: result.rejected })
              : result.dryRun
                ? t('import.checked', { rows: result.rows, total: formatRupiah(result.total) })
                : t('import.done', { inserted: result.inserted, total: formatRupiah(result.total) })}
            {result.errors.length > 0 && (
              <List size="sm" mt="xs">
                {result.errors.slice(0, 50).map((e) => (
                  <List.Item key={`${e.row}-${e.column}-${e.code}`}>
                    {t('import.errorLine', { row: e.row, column: e.column ?? '–', message: e.message })}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
