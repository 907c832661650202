import { Alert, Button, Card, Center, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Logo } from '../../components/Logo';
import { useAuth } from '../auth/auth';
import { PasswordForm } from './PasswordForm';

// After a login with a one-time password: nothing else until the user chooses their own.
export function MustChangePasswordPage() {
  const { t } = useTranslation('accounts');
  const { logout } = useAuth();
  return (
    <Center mih="100vh" p="md">
      <Card withBorder maw={460} w="100%" p="lg">
        <Stack>
          <Logo />
          <Title order={1} size="h3">
            {t('password.mustChangeTitle')}
          </Title>
          <Alert color="yellow">{t('password.mustChangeText')}</Alert>
          <PasswordForm />
          <Button variant="subtle" onClick={() => void logout()} w="fit-content">
            {t('logout')}
          </Button>
        </Stack>
      </Card>
    </Center>
  );
}
