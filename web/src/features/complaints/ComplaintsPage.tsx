import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { complaintStatuses } from '../../../../src/modules/complaints/complaints.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../lib/format';
import { useProgramChoicesQuery } from '../programs/queries';
import { type Complaint, type ComplaintFilters, useComplaintsQuery } from './queries';
import { statusColor } from './status';

function ComplaintCard({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation('complaints');
  return (
    <Card
      withBorder
      padding="sm"
      component={Link}
      to={`/complaints/${complaint.id}`}
      data-testid="complaint-card"
      style={complaint.overdue ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={700} ff="monospace">
          {complaint.code}
        </Text>
        <Badge color={statusColor[complaint.status]}>{t(`statuses.${complaint.status}`)}</Badge>
      </Group>
      <Text size="sm" fw={600} truncate>
        {complaint.name}
      </Text>
      <Text size="xs" c="dimmed" truncate>
        {[t(`channels.${complaint.channel}`), complaint.programName, complaint.businessName]
          .filter(Boolean)
          .join(' · ')}
      </Text>
      <Group justify="space-between" gap="xs" mt={4}>
        <Text size="xs" c={complaint.overdue ? 'red' : 'dimmed'} fw={complaint.overdue ? 700 : 400}>
          {complaint.overdue ? `${t('list.overdue')} · ` : ''}
          {t('list.due', { date: formatDate(complaint.dueDate, 'medium') })}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {complaint.assignedToName ?? t('list.unassigned')}
        </Text>
      </Group>
    </Card>
  );
}

export function ComplaintsPage() {
  const { t } = useTranslation('complaints');
  const [filters, setFilters] = useState<ComplaintFilters>({});
  const list = useComplaintsQuery(filters);
  const programs = useProgramChoicesQuery();
  const set = (patch: ComplaintFilters) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <>
      <PageHeader
        title={t('list.title')}
        actions={
          <Button component={Link} to="/complaints/new">
            {t('list.new')}
          </Button>
        }
      />
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput
            aria-label={t('list.search')}
            placeholder={t('list.search')}
            value={filters.q ?? ''}
            onChange={(e) => set({ q: e.currentTarget.value })}
          />
          <Select
            aria-label={t('list.status')}
            placeholder={t('list.allStatuses')}
            clearable
            data={complaintStatuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            value={filters.status ?? null}
            onChange={(v) => set({ status: v ?? undefined })}
          />
          <Select
            aria-label={t('list.program')}
            placeholder={t('list.allPrograms')}
            clearable
            searchable
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={filters.programId ?? null}
            onChange={(v) => set({ programId: v ?? undefined })}
          />
        </SimpleGrid>
        <Group gap="md">
          <Switch
            label={t('list.overdueOnly')}
            checked={Boolean(filters.overdue)}
            onChange={(e) => set({ overdue: e.currentTarget.checked })}
          />
          <Switch
            label={t('list.mine')}
            checked={Boolean(filters.assignedToMe)}
            onChange={(e) => set({ assignedToMe: e.currentTarget.checked })}
          />
        </Group>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {!list.loading && !list.error && list.items.length === 0 && <Text c="dimmed">{t('list.empty')}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          {list.items.map((c) => (
            <ComplaintCard key={c.id} complaint={c} />
          ))}
        </SimpleGrid>
        <PagedFooter list={list} label={t('list.more')} />
      </Stack>
    </>
  );
}
