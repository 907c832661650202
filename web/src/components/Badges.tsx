import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus } from '../lib/types';

const applicationColors: Record<ApplicationStatus, string> = {
  pending: 'gray',
  ineligible: 'red',
  enrolled: 'blue',
  waitlisted: 'yellow',
  withdrawn: 'gray',
  completed: 'teal',
  dropped: 'orange',
};

export function ApplicationBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = status in applicationColors ? applicationColors[status as ApplicationStatus] : 'gray';
  return (
    <Badge color={color} variant="light" radius="sm">
      {t(`applicationStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

const allocationColors: Record<string, string> = {
  planned: 'blue',
  handed_over: 'teal',
  received: 'green',
  cancelled: 'gray',
};

export function AllocationBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={allocationColors[status] ?? 'gray'} variant="light" radius="sm">
      {t(`allocationStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}
