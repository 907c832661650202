import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconBrandWhatsapp, IconMail, IconMessage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../lib/format';
import { type Notification, useNotificationsQuery } from './queries';

const statusColor: Record<Notification['status'], string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  not_sent: 'yellow',
};

const channelIcon = {
  whatsapp: <IconBrandWhatsapp size={16} />,
  sms: <IconMessage size={16} />,
  email: <IconMail size={16} />,
};

function NotificationCard({ n }: { n: Notification }) {
  const { t } = useTranslation('notifications');
  const when = n.deliveredAt ?? n.sentAt ?? n.failedAt ?? n.createdAt;
  return (
    <Card withBorder radius="md" padding="sm" data-testid="notification">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap={6} wrap="nowrap">
            {channelIcon[n.channel]}
            <Text size="sm" fw={500}>
              {t(`templates.${n.template}`)}
            </Text>
          </Group>
          <Badge color={statusColor[n.status]} variant="light" data-testid="notification-status">
            {t(`status.${n.status}`)}
          </Badge>
        </Group>
        <Text size="sm" className="break-anywhere">
          {n.text}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`channel.${n.channel}`)} · {n.recipient || '–'} · {formatDateTime(when)}
          {n.reason ? ` · ${t(`reason.${n.reason}`, { defaultValue: n.reason })}` : ''}
        </Text>
        {n.clickToChatUrl && (
          <Button
            component="a"
            href={n.clickToChatUrl}
            target="_blank"
            rel="noreferrer"
            size="xs"
            variant="light"
            color="green"
            leftSection={<IconBrandWhatsapp size={14} />}
            data-testid="click-to-chat"
            style={{ alignSelf: 'flex-start' }}
          >
            {t('clickToChat')}
          </Button>
        )}
      </Stack>
    </Card>
  );
}

// The messages of an application or a business, newest first, with a click-to-chat link for
// those not sent (no channel configured): the officer sends the same text by hand.
export function NotificationList(by: { applicationId?: string; businessId?: string }) {
  const { t } = useTranslation('notifications');
  const { data, error, isPending, refetch } = useNotificationsQuery(by);
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} onRetry={refetch} />;
  if (data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('empty')}
      </Text>
    );
  return (
    <Stack gap="xs" aria-label={t('title')}>
      {data.map((n) => (
        <NotificationCard key={n.id} n={n} />
      ))}
      {data.some((n) => n.reason === 'no_channel') && (
        <Text size="xs" c="dimmed">
          {t('noChannelHint')}
        </Text>
      )}
    </Stack>
  );
}
