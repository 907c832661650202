import { Anchor, Badge, Button, Stack } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDateRange, formatNumber } from '../../lib/format';
import { useAuth } from '../auth/auth';
import { EventForm } from './EventForm';
import { type PromotionEvent, useEventsQuery } from './queries';

// Promotion events: bazaars, exhibitions and business meetings, newest first.
export function EventsPage() {
  const { t } = useTranslation('market');
  const { can } = useAuth();
  const navigate = useNavigate();
  const events = useEventsQuery();
  const [creating, setCreating] = useState(false);
  const columns: Column<PromotionEvent>[] = [
    {
      key: 'name',
      header: t('events.name'),
      primary: true,
      render: (e) => (
        <Anchor component={Link} to={`/events/${e.id}`}>
          {e.name}
        </Anchor>
      ),
    },
    {
      key: 'kind',
      header: t('events.kind'),
      render: (e) => <Badge variant="light">{t(`event.kinds.${e.kind}`)}</Badge>,
    },
    {
      key: 'dates',
      header: t('events.dates'),
      render: (e) => formatDateRange(e.startDate, e.endDate),
      nowrap: true,
    },
    { key: 'venue', header: t('events.venue'), render: (e) => e.venue },
    {
      key: 'participants',
      header: t('events.participants'),
      render: (e) => formatNumber(e.participantCount),
      align: 'right',
    },
  ];
  return (
    <>
      <PageHeader
        title={t('events.title')}
        subtitle={t('events.subtitle')}
        actions={
          can('manageEvents') &&
          !creating && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('events.create')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        {creating && <EventForm onDone={(e) => void navigate(`/events/${e.id}`)} />}
        <ErrorAlert error={events.error} onRetry={events.reload} />
        <DataTable rows={events.items} columns={columns} rowKey={(e) => e.id} empty={t('events.none')} />
        <PagedFooter list={events} />
      </Stack>
    </>
  );
}
