import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { loginBody } from '../../../../src/modules/auth/auth.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { useSchemaForm } from '../../lib/form';
import { useAuth } from './auth';

export function LoginPage() {
  const { t } = useTranslation();
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = (location.state as { expired?: boolean } | null)?.expired === true;
  const { form, onSubmit } = useSchemaForm({
    schema: loginBody,
    initialValues: { username: '', password: '' },
    toBody: (values) => ({ username: values.username.trim(), password: values.password }),
  });
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: () => void navigate(next, { replace: true }),
  });
  const error = signIn.error;

  if (state.status === 'signedIn') return <Navigate to={next} replace />;

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
          onSubmit={onSubmit((body) => signIn.mutate(body))}
          noValidate
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
              {...form.getInputProps('username')}
              size="md"
            />
            <PasswordInput
              label={t('login.password')}
              name="password"
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
              size="md"
            />
            <Button type="submit" loading={signIn.isPending} size="md" fullWidth>
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
