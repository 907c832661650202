import { Button, Stack, Text, Title } from '@mantine/core';
import { IconWifiOff } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function Failed() {
  const { t } = useTranslation();
  return (
    <Stack align="center" py="xl" gap="sm" ta="center" role="alert">
      <IconWifiOff size={36} color="var(--mantine-color-orange-6)" />
      <Title order={2} size="h4">
        {t('offline.title')}
      </Title>
      <Text c="dimmed" size="sm" maw={360}>
        {t('offline.body')}
      </Text>
      <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>
    </Stack>
  );
}

// A screen whose code could not be loaded (no signal on the first visit) says so, with a retry,
// instead of leaving an empty page.
export class RouteError extends Component<{ children: ReactNode; path: string }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidUpdate(previous: { path: string }) {
    if (previous.path !== this.props.path && this.state.failed) this.setState({ failed: false });
  }

  override render() {
    return this.state.failed ? <Failed /> : this.props.children;
  }
}
