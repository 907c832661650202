import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/ErrorAlert';
import { useAuth } from '../features/auth/auth';

export function Offline() {
  const { t } = useTranslation();
  const { state, retry } = useAuth();
  return (
    <Center h="100vh" p="md">
      <Stack align="center" gap="sm" maw={360} ta="center">
        <IconWifiOff size={40} color="var(--mantine-color-orange-6)" />
        <Title order={3}>{t('offline.title')}</Title>
        <Text c="dimmed" size="sm">
          {state.status === 'offline' ? errorText(t, state.error) : t('offline.body')}
        </Text>
        <Button onClick={retry}>{t('common.retry')}</Button>
      </Stack>
    </Center>
  );
}
