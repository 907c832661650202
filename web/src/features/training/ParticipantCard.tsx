import { ActionIcon, Alert, Badge, Button, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconCircleCheckFilled,
  IconUserCircle,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/format';
import type { SessionParticipant } from '../../lib/types';
import type { OutboxItem } from './outbox';

// One participant of a session on the officer's phone: tap to check in; present (accepted, or
// waiting on the phone to be sent), or refused by the server with the reason and what to do.
export function ParticipantCard({
  participant: p,
  presentAt: at,
  waiting: item,
  mayRecord,
  reason,
  onTap,
  onUndo,
  onRetry,
}: {
  participant: SessionParticipant;
  presentAt: string | null;
  waiting: OutboxItem | undefined;
  mayRecord: boolean;
  reason: (error: { code: string; message: string } | null) => string;
  onTap: () => void;
  onUndo: () => void;
  onRetry: (item: OutboxItem) => void;
}) {
  const { t } = useTranslation('attendance');
  const { t: tt } = useTranslation('training');
  return (
    <Card
      withBorder
      radius="md"
      p={0}
      bg={item?.state === 'failed' ? 'red.0' : item ? 'orange.0' : at ? 'teal.0' : undefined}
      data-testid="participant-card"
    >
      <Group wrap="nowrap" gap={0}>
        <UnstyledButton
          onClick={onTap}
          disabled={!mayRecord || !!at}
          className="touch-row"
          px="md"
          py="sm"
          style={{ flex: 1, minWidth: 0, cursor: mayRecord && !at ? 'pointer' : 'default' }}
          aria-label={at ? t('presentLabel', { name: p.ownerName }) : t('tapLabel', { name: p.ownerName })}
          aria-pressed={!!at}
          data-testid="participant"
          data-present={at ? 'true' : 'false'}
          data-sync={item ? item.state : at ? 'synced' : 'none'}
        >
          <Group wrap="nowrap" gap="sm">
            {at ? (
              <IconCircleCheckFilled
                size={30}
                color={`var(--mantine-color-${item ? 'orange' : 'teal'}-6)`}
                style={{ flexShrink: 0 }}
              />
            ) : (
              <IconUserCircle size={30} color="var(--mantine-color-gray-5)" style={{ flexShrink: 0 }} />
            )}
            <div style={{ minWidth: 0 }}>
              <Text fw={600} className="break-anywhere">
                {p.ownerName}
              </Text>
              <Text size="xs" c="dimmed" className="break-anywhere">
                {p.businessName}
                {p.kelurahanName ? ` · ${p.kelurahanName}` : ''}
              </Text>
              {p.lateReason && (
                <Text size="xs" c="orange.8" className="break-anywhere" data-testid="late-entry">
                  {tt('late', { reason: p.lateReason })}
                </Text>
              )}
            </div>
          </Group>
        </UnstyledButton>
        {(at || item) && (
          <Stack gap={2} align="flex-end" pr="sm" style={{ flexShrink: 0 }}>
            <Badge
              color={item?.state === 'failed' ? 'red' : item ? 'orange' : 'teal'}
              variant="light"
              data-testid="check-in-state"
            >
              {item?.state === 'failed' ? t('failed') : item ? t('pending') : formatTime(at ?? '')}
            </Badge>
            {mayRecord && item?.state !== 'failed' && (
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                onClick={onUndo}
                aria-label={item ? t('discard') : t('undo', { name: p.ownerName })}
              >
                <IconArrowBackUp size={18} />
              </ActionIcon>
            )}
          </Stack>
        )}
      </Group>
      {item?.state === 'failed' && (
        <Alert color="red" variant="light" radius={0} p="xs" icon={<IconAlertTriangle size={16} />}>
          <Text size="sm">{t('failedReason', { reason: reason(item.error) })}</Text>
          {mayRecord && (
            <Group gap="xs" mt={4}>
              <Button size="compact-sm" variant="light" color="red" onClick={() => onRetry(item)}>
                {t('retry')}
              </Button>
              <Button size="compact-sm" variant="subtle" color="gray" onClick={onUndo}>
                {t('discard')}
              </Button>
            </Group>
          )}
        </Alert>
      )}
    </Card>
  );
}
