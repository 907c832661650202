import { Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../lib/format';
import { useConsentsQuery, useRecordConsent } from './queries';

const channels = ['whatsapp', 'sms', 'email'] as const;

// The owner's consent per channel (UU PDP): recorded with its source and time; staff record
// what the owner said, the owner records their own.
export function ConsentPanel({ businessId, canEdit }: { businessId: string; canEdit: boolean }) {
  const { t } = useTranslation('notifications');
  const consents = useConsentsQuery(businessId);
  const record = useRecordConsent();
  const [email, setEmail] = useState('');
  if (consents.isPending) return <Loading />;
  if (consents.error) return <ErrorAlert error={consents.error} onRetry={consents.refetch} />;
  const byChannel = new Map(consents.data.map((c) => [c.channel, c]));
  return (
    <Stack gap="xs">
      {channels.map((channel) => {
        const c = byChannel.get(channel);
        const set = (granted: boolean) =>
          record.mutate({
            businessId,
            channel,
            granted,
            ...(channel === 'email' ? { address: email || c?.address || null } : {}),
          });
        return (
          <Stack key={channel} gap={2}>
            <Group gap="sm" wrap="wrap">
              <Switch
                label={t(`channel.${channel}`)}
                checked={c?.granted ?? false}
                disabled={!canEdit || record.isPending || (channel === 'email' && !c?.address && !email)}
                onChange={(e) => set(e.currentTarget.checked)}
              />
              {channel === 'email' && canEdit && (
                <TextInput
                  size="xs"
                  type="email"
                  placeholder={t('consent.emailPlaceholder')}
                  aria-label={t('consent.email')}
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  w={220}
                />
              )}
              {channel === 'email' && canEdit && email && (
                <Button size="xs" variant="light" onClick={() => set(true)} loading={record.isPending}>
                  {t('consent.saveEmail')}
                </Button>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {c
                ? t(c.granted ? 'consent.granted' : 'consent.refused', {
                    source: t(`consent.source.${c.source}`),
                    at: formatDateTime(c.recordedAt),
                  }) + (c.address ? ` · ${c.address}` : '')
                : t('consent.none')}
            </Text>
          </Stack>
        );
      })}
      <ErrorAlert error={record.error} />
    </Stack>
  );
}
