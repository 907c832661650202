import {
  Anchor,
  Button,
  Card,
  CopyButton,
  Group,
  List,
  Modal,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconHistory, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApplicationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import type { ApiError } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import type { Application, Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { NotificationList } from '../notifications/NotificationList';
import { ApplicationEvents } from './ApplicationEvents';
import { useApplicationsQuery, useMarkNoShow, useRunSelection } from './queries';

function Quotas({ program }: { program: Program }) {
  const { t } = useTranslation('apply');
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {t('selection.quotas')}
      </Text>
      {program.quotas.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('selection.noQuotas')}
        </Text>
      ) : (
        <>
          {program.quotas.map((q) => (
            <div key={q.kecamatan}>
              <Group justify="space-between" gap="xs">
                <Text size="sm">{q.kecamatanName ?? q.kecamatan}</Text>
                <Text size="sm" fw={600}>
                  {t('selection.quotaTaken', { taken: formatNumber(q.taken), quota: formatNumber(q.quota) })}
                </Text>
              </Group>
              <Progress
                value={q.quota === 0 ? 100 : (q.taken / q.quota) * 100}
                color={q.taken >= q.quota ? 'teal' : 'blue'}
                aria-label={q.kecamatanName ?? q.kecamatan}
              />
            </div>
          ))}
          <Text size="xs" c="dimmed">
            {t('selection.otherKecamatan')}
          </Text>
        </>
      )}
    </Stack>
  );
}

function PriorityRule({ program }: { program: Program }) {
  const { t } = useTranslation('apply');
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {t('selection.priorityRule')}
      </Text>
      <List type="ordered" size="sm">
        {program.priorityRule.map((c) => (
          <List.Item key={c.field}>
            {t(`fields.${c.field}`)} · {t(`selection.${c.direction}`)}
          </List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed">
        {t('selection.tieBreak')}
      </Text>
    </Stack>
  );
}

function PublicLink({ program }: { program: Program }) {
  const { t } = useTranslation('apply');
  const url = `${window.location.origin}/daftar/${program.id}`;
  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput label={t('selection.publicLink')} value={url} readOnly style={{ flex: 1 }} />
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              leftSection={<IconCopy size={16} />}
              onClick={copy}
              color={copied ? 'teal' : undefined}
            >
              {copied ? t('selection.copied') : t('selection.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        {t('selection.publicLinkHelp')}
      </Text>
    </Stack>
  );
}

// For the program page: seats and kecamatan quotas (taken / quota), the priority rule and
// "run selection" for a priority program, the applications in rank order with their rank, a
// no-show action for enrolled participants, and each application's history.
export function SelectionPanel({ program }: { program: Program }) {
  const { t } = useTranslation('apply');
  const { t: tw } = useTranslation();
  const { can } = useAuth();
  const decide = can('decideApplications');
  const priority = program.selection === 'priority';
  const list = useApplicationsQuery(program.id, { order: priority ? 'rank' : 'applied', limit: 50 });
  const { items, error, loading, reload } = list;
  const selection = useRunSelection(program.id);
  const noShows = useMarkNoShow();
  const [history, setHistory] = useState<Application | null>(null);

  const fail = (e: ApiError) => notifications.show({ color: 'red', message: errorText(tw, e) });

  const run = () => {
    if (!window.confirm(t('selection.confirmRun'))) return;
    selection.mutate(undefined, {
      onSuccess: (result) => notifications.show({ color: 'teal', message: t('selection.ran', result) }),
      onError: fail,
    });
  };

  const noShow = (a: Application) => {
    if (!window.confirm(t('selection.confirmNoShow', { name: a.business.name }))) return;
    noShows.mutate(a, {
      onSuccess: () =>
        notifications.show({
          color: 'teal',
          message: t('selection.markedNoShow', { name: a.business.name }),
        }),
      onError: fail,
    });
  };

  const columns: Column<Application>[] = [
    ...(priority
      ? [
          {
            key: 'rank',
            header: t('selection.rank'),
            nowrap: true,
            align: 'right' as const,
            render: (a: Application) => (a.rank === null ? '–' : formatNumber(a.rank)),
          },
        ]
      : []),
    {
      key: 'business',
      header: t('selection.business'),
      primary: true,
      render: (a) => <Text fw={600}>{a.business.name}</Text>,
    },
    {
      key: 'kecamatan',
      header: t('selection.kecamatan'),
      render: (a) => a.business.kecamatanName ?? a.business.kecamatan,
    },
    {
      key: 'status',
      header: t('selection.statusCol'),
      nowrap: true,
      render: (a) => <ApplicationBadge status={a.status} />,
    },
    {
      key: 'actions',
      header: t('selection.actions'),
      render: (a) => (
        <Group gap="xs" justify="flex-end" wrap="wrap">
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconHistory size={14} />}
            onClick={() => setHistory(a)}
          >
            {t('selection.history')}
          </Button>
          {decide && a.status === 'enrolled' && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="orange"
              loading={noShows.isPending && noShows.variables?.id === a.id}
              onClick={() => noShow(a)}
            >
              {t('selection.noShow')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="md">
        <Group justify="space-between" align="flex-start" mb="sm">
          <Title order={3} size="h5">
            {t('selection.title')}
          </Title>
          <Text size="sm" fw={600}>
            {t('selection.seats', {
              enrolled: formatNumber(program.enrolled),
              capacity: formatNumber(program.capacity),
            })}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Quotas program={program} />
          {priority ? (
            <Stack gap="sm">
              <PriorityRule program={program} />
              {decide && (
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  loading={selection.isPending}
                  onClick={run}
                >
                  {items.some((a) => a.rank !== null) ? t('selection.runAgain') : t('selection.run')}
                </Button>
              )}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {t('selection.firstCome')}
            </Text>
          )}
        </SimpleGrid>
        {decide && (
          <Stack mt="md">
            <PublicLink program={program} />
          </Stack>
        )}
      </Card>
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(a) => a.id}
          caption={t('selection.title')}
          empty={t('selection.empty')}
          minWidth={720}
        />
      )}
      <PagedFooter list={list} />
      <Modal opened={history !== null} onClose={() => setHistory(null)} title={history?.business.name ?? ''}>
        {history && (
          <Stack gap="sm">
            <ApplicationEvents applicationId={history.id} />
            <Text size="sm" fw={500} mt="xs">
              {t('notifications:title')}
            </Text>
            <NotificationList applicationId={history.id} />
            {history.statusPath && (
              <Anchor href={history.statusPath} target="_blank" rel="noreferrer" size="sm">
                {t('selection.statusPage')}
              </Anchor>
            )}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
