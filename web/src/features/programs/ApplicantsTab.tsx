import { Anchor, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCertificate, IconMessage } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApplicationBadge } from '../../components/Badges';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert, errorText } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { formatDate } from '../../lib/format';
import { currentLanguage } from '../../lib/i18n';
import type { Application, Program } from '../../lib/types';
import { useAuth } from '../auth/auth';
import { NotificationList } from '../notifications/NotificationList';
import { ClauseResults } from './EligibilityRule';
import { useApplicationsQuery, useWithdrawApplication } from './queries';

const statuses = [
  'enrolled',
  'waitlisted',
  'completed',
  'ineligible',
  'pending',
  'withdrawn',
  'dropped',
] as const;
export const withdrawable = new Set(['pending', 'enrolled', 'waitlisted']);

export function ApplicantsTab({ program }: { program: Program }) {
  const { t } = useTranslation();
  const narrow = useMediaQuery('(max-width: 48em)');
  const { can } = useAuth();
  const [status, setStatus] = useState<string | null>(null);
  const [messagesOf, setMessagesOf] = useState<Application | null>(null);
  const list = useApplicationsQuery(program.id, { status, limit: 50 });
  const { items, error, loading, reload } = list;
  const withdrawal = useWithdrawApplication();

  const withdraw = (application: Application) => {
    if (!window.confirm(t('applications.confirmWithdraw', { name: application.business.name }))) return;
    withdrawal.mutate(application, {
      onSuccess: () =>
        notifications.show({
          color: 'teal',
          message: t('applications.withdrawn', { name: application.business.name }),
        }),
      onError: (e) => notifications.show({ color: 'red', message: errorText(t, e) }),
    });
  };

  const lang = currentLanguage();
  const staff = can('readParticipants');
  const columns: Column<Application>[] = [
    {
      key: 'business',
      header: t('applications.business'),
      primary: true,
      width: 240,
      render: (a) => (
        <div>
          {can('readBusinesses') ? (
            <Anchor component={Link} to={`/registry/${a.businessId}`} fw={600} className="break-anywhere">
              {a.business.name}
            </Anchor>
          ) : (
            <Text fw={600}>{a.business.name}</Text>
          )}
          <Text size="xs" c="dimmed">
            {a.business.ownerName}
          </Text>
        </div>
      ),
    },
    {
      key: 'region',
      header: t('business.region'),
      render: (a) => [a.business.kelurahanName, a.business.kecamatanName].filter(Boolean).join(', ') || '–',
    },
    {
      key: 'status',
      header: t('field.status'),
      phoneLayout: 'block',
      width: 300,
      render: (a) => (
        <Stack gap={4} align="flex-start">
          <ApplicationBadge status={a.status} />
          {a.status === 'ineligible' && a.reasons.length > 0 && <ClauseResults clauses={a.reasons} />}
          {a.rank !== null && (
            <Text size="xs" c="dimmed">
              {t('applications.rank', { rank: a.rank })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'date',
      nowrap: true,
      header: t('applications.date'),
      hideOnPhone: true,
      render: (a) => formatDate(a.createdAt, 'medium'),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      align: 'right',
      nowrap: true,
      render: (a) =>
        !staff && !a.certificateCode && !(can('apply') && withdrawable.has(a.status)) ? null : (
          <Group gap="xs" justify="flex-end" wrap="wrap">
            {staff && (
              <Button
                size={narrow ? 'sm' : 'compact-sm'}
                variant="subtle"
                leftSection={<IconMessage size={14} />}
                onClick={() => setMessagesOf(a)}
              >
                {t('notifications:section')}
              </Button>
            )}
            {a.certificateCode && (
              <Anchor href={`/sertifikat/${a.certificateCode}?lang=${lang}`} target="_blank" size="sm">
                <Group gap={4} wrap="nowrap">
                  <IconCertificate size={14} />
                  {a.certificateCode}
                </Group>
              </Anchor>
            )}
            {can('apply') && withdrawable.has(a.status) && (
              <Button
                size={narrow ? 'sm' : 'compact-sm'}
                variant="subtle"
                color="red"
                loading={withdrawal.isPending && withdrawal.variables?.id === a.id}
                onClick={() => withdraw(a)}
              >
                {t('applications.withdraw')}
              </Button>
            )}
          </Group>
        ),
    },
  ];

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('applications.filter')}
          placeholder={t('applications.allStatuses')}
          data={statuses.map((s) => ({ value: s, label: t(`applicationStatus.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={{ base: '100%', xs: 240 }}
        />
        <Text size="sm" c="dimmed">
          {t('program.seats', {
            enrolled: program.enrolled,
            capacity: program.capacity,
            waitlisted: program.waitlisted,
            completed: program.completed,
          })}
        </Text>
      </Group>
      <ErrorAlert error={error} onRetry={reload} />
      {!(loading && items.length === 0) && (
        <DataTable
          rows={items}
          columns={columns}
          rowKey={(a) => a.id}
          caption={t('program.tab.applicants')}
          minWidth={760}
        />
      )}
      <PagedFooter list={list} />
      <Modal
        opened={messagesOf !== null}
        onClose={() => setMessagesOf(null)}
        title={messagesOf ? `${t('notifications:title')} · ${messagesOf.business.name}` : ''}
      >
        {messagesOf && <NotificationList applicationId={messagesOf.id} />}
      </Modal>
    </Stack>
  );
}
