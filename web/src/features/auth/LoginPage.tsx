import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { loginBody } from '../../../../src/modules/auth/auth.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { ApiError } from '../../lib/api';
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
  // Uncontrolled: on a slow phone the app takes the server-drawn form over while the officer
  // types, and a controlled input would be set back to what the app read when it started.
  // What is sent is what the inputs hold at the moment of sending.
  const { form, onSubmit } = useSchemaForm({
    schema: loginBody,
    mode: 'uncontrolled',
    initialValues: { username: typedBefore('username'), password: typedBefore('password') },
    toBody: (values) => ({ username: values.username.trim(), password: values.password }),
  });
  const send = onSubmit((body) => signIn.mutate(body));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    const fields = event.currentTarget.elements;
    const typed = (name: string) => {
      const input = fields.namedItem(name);
      return input instanceof HTMLInputElement ? input.value : '';
    };
    form.setValues({ username: typed('username'), password: typed('password') });
    send(event);
  };
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: () => void navigate(next, { replace: true }),
  });
  // The server-drawn form, sent before the app had taken it over, came back with an error
  // (src/modules/auth/auth-form.routes.ts).
  const failed = params.get('failed');
  const error = signIn.error ?? (failed && !signIn.isPending ? new ApiError(401, failed, '') : null);

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
          // Sent before the app has taken the server-drawn form over (web/prerender.ts), the
          // form posts to the server (never a GET, which would put the password in the address).
          method="post"
          onSubmit={submit}
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

// What was typed into the form the server drew (web/prerender.ts) before the app took it over:
// read while hydrating, when the page still holds those inputs, so that it is kept rather than
// replaced by empty fields. Nothing on the server, nor when the app draws the form itself.
function typedBefore(name: 'username' | 'password'): string {
  if (typeof document === 'undefined') return '';
  const input = document.querySelector(`#root[data-prerendered] input[name="${name}"]`);
  return input instanceof HTMLInputElement ? input.value : '';
}

// Only paths inside this app: never an open redirect.
function safeNext(value: string | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return '/';
  return value;
}
