import { Anchor, Badge, Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { complaintStatuses } from '../../../../src/domain/enums';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber } from '../../lib/format';
import { useComplaintCountsQuery } from './queries';
import { statusColor } from './status';

// The dashboard's complaints: a count per program and status, and how many are overdue.
export function ComplaintCounts() {
  const { t } = useTranslation('complaints');
  const { data, error, refetch } = useComplaintCountsQuery();
  if (error) return <ErrorAlert error={error} onRetry={refetch} />;
  if (!data || data.items.length === 0) return null;
  const programs = new Map<string, { name: string; counts: Record<string, number> }>();
  for (const row of data.items) {
    const key = row.programId ?? '';
    const entry = programs.get(key) ?? { name: row.programName ?? t('dashboard.noProgram'), counts: {} };
    entry.counts[row.status] = row.count;
    programs.set(key, entry);
  }
  return (
    <section aria-labelledby="dash-complaints">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="dash-complaints">
          <Anchor component={Link} to="/complaints" inherit>
            {t('dashboard.title')}
          </Anchor>
        </Title>
        {data.overdue > 0 && (
          <Badge color="red" size="lg" data-testid="complaints-overdue">
            {t('dashboard.overdue', { count: data.overdue })}
          </Badge>
        )}
      </Group>
      <div className="complaint-counts">
        {[...programs.entries()].map(([id, p]) => (
          <Card key={id} withBorder padding="sm">
            <Text fw={600} size="sm" mb={4} truncate>
              {p.name}
            </Text>
            <Group gap={6}>
              {complaintStatuses.map((s) =>
                p.counts[s] ? (
                  <Badge key={s} color={statusColor[s]} variant="light">
                    {t(`statuses.${s}`)}: {formatNumber(p.counts[s])}
                  </Badge>
                ) : null,
              )}
            </Group>
          </Card>
        ))}
      </div>
    </section>
  );
}
