import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from './auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { ApiError } from '../../lib/api';

export function LoginPage() {
  const { t } = useTranslation();
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  const expired = (location.state as { expired?: boolean } | null)?.expired === true;

  if (state.status === 'signedIn') return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Stack w="100%" maw={400} gap="md">
        <Stack align="center" gap="xs">
          <Logo size={40} />
          <LanguageSwitch />
        </Stack>
        <Paper
          withBorder
          shadow="sm"
          p="lg"
          radius="md"
          component="form"
          onSubmit={submit}
          aria-labelledby="login-title"
        >
          <Stack gap="md">
            <div>
              <Title order={1} size="h3" id="login-title">
                {t('login.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('login.subtitle')}
              </Text>
            </div>
            {expired && !error && (
              <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
                {t('login.expired')}
              </Alert>
            )}
            <ErrorAlert error={error} />
            <TextInput
              label={t('login.username')}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              size="md"
            />
            <PasswordInput
              label={t('login.password')}
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              size="md"
            />
            <Button type="submit" loading={busy} size="md" fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          {t('login.footer')}
        </Text>
      </Stack>
    </Center>
  );
}

// Only paths inside this app: never an open redirect.
function safeNext(value: string | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return '/';
  return value;
}
