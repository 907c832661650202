import { Stack, Text, Timeline } from '@mantine/core';
import { IconArrowUp, IconCircleCheck, IconCircleX, IconClock, IconPoint } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationEvent as ApplicationEventSchema } from '../../../../src/modules/programs/programs.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { useApplicationEventsQuery } from './queries';

export type ApplicationEvent = Wire<ApplicationEventSchema>;

const icons: Partial<Record<ApplicationEvent['kind'], ReactNode>> = {
  enrolled: <IconCircleCheck size={14} />,
  selected: <IconCircleCheck size={14} />,
  completed: <IconCircleCheck size={14} />,
  promoted: <IconArrowUp size={14} />,
  waitlisted: <IconClock size={14} />,
  applied: <IconClock size={14} />,
  ineligible: <IconCircleX size={14} />,
  withdrawn: <IconCircleX size={14} />,
  no_show: <IconCircleX size={14} />,
};

// The history of one application (GET /applications/{id}/events): applied, selected,
// waitlisted, promoted (with why the seat came free), withdrawn, no-show, completed. For the
// owner of the business and the officers who may see it.
export function ApplicationEvents({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation('apply');
  const { data, error, isPending, refetch } = useApplicationEventsQuery(applicationId);
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} onRetry={refetch} />;
  const events = data?.items ?? [];
  if (events.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('selection.noEvents')}
      </Text>
    );
  return (
    <Timeline active={events.length - 1} bulletSize={22} lineWidth={2} aria-label={t('selection.history')}>
      {events.map((e) => (
        <Timeline.Item
          key={e.id}
          bullet={icons[e.kind] ?? <IconPoint size={14} />}
          title={t(`events.${e.kind}`)}
        >
          <Stack gap={0}>
            {e.note && (
              <Text size="sm" c="dimmed">
                {t(`notes.${e.note}`, { defaultValue: e.note })}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at)}
            </Text>
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
