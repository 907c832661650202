import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatNumber } from '../../lib/format';
import { type Overview, useRegistryOverviewQuery } from './queries';

function Figure({ label, value, to, testId }: { label: string; value: number; to: string; testId: string }) {
  return (
    <Card withBorder padding="sm" component={Link} to={to} data-testid={testId} data-value={value}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={800} fz={28}>
        {formatNumber(value)}
      </Text>
    </Card>
  );
}

function List({ title, items, empty }: { title: string; items: Overview['newest']; empty: string }) {
  return (
    <Card withBorder padding="sm">
      <Title order={4} mb="xs">
        {title}
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((r) => (
            <Group key={r.id} justify="space-between" wrap="nowrap">
              <Text size="sm" truncate>
                <strong>{r.businessName}</strong> · {r.name}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDate(r.at, 'medium')}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

// The registry page of a kecamatan office: what came in, what waits for a visit, what was
// verified this month, and the duplicates to review; each figure opens its queue.
export function RegistryOverviewPage() {
  const { t } = useTranslation('field');
  const overview = useRegistryOverviewQuery();
  if (overview.isPending) return <Loading />;
  if (overview.error) return <ErrorAlert error={overview.error} onRetry={() => overview.refetch()} />;
  const { counts, kecamatanName } = overview.data;
  return (
    <>
      <PageHeader
        title={t('overview.title')}
        subtitle={kecamatanName ? t('overview.kecamatan', { name: kecamatanName }) : t('overview.all')}
        actions={
          <Anchor component={Link} to="/registry/registrations">
            {t('overview.openQueue')}
          </Anchor>
        }
      />
      <SimpleGrid cols={{ base: 2, sm: 3 }} mb="md">
        <Figure
          label={t('overview.newThisWeek')}
          value={counts.newThisWeek}
          to="/registry/registrations"
          testId="count-new"
        />
        <Figure
          label={t('overview.awaiting')}
          value={counts.awaitingVerification}
          to="/registry/registrations"
          testId="count-awaiting"
        />
        <Figure
          label={t('overview.needsFix')}
          value={counts.needsFix}
          to="/registry/registrations?status=perlu_perbaikan"
          testId="count-fix"
        />
        <Figure
          label={t('overview.verifiedThisMonth')}
          value={counts.verifiedThisMonth}
          to="/registry/registrations?status=terverifikasi"
          testId="count-verified"
        />
        <Figure
          label={t('overview.possibleDuplicates')}
          value={counts.possibleDuplicates}
          to="/registry/registrations"
          testId="count-possible"
        />
        <Figure
          label={t('overview.duplicatesToReview')}
          value={counts.duplicatesToReview}
          to="/registry/duplicates"
          testId="count-duplicates"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <List title={t('overview.newest')} items={overview.data.newest} empty={t('overview.none')} />
        <List
          title={t('overview.verifiedRecently')}
          items={overview.data.verifiedRecently}
          empty={t('overview.none')}
        />
      </SimpleGrid>
    </>
  );
}
