import { Alert, Anchor, Button, Card, Center, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { minPasswordLength } from '../../../../src/domain/password-policy';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Logo } from '../../components/Logo';
import { passwordProblemText } from './PasswordForm';
import { useAcceptInvite } from './queries';

// Opened from an invitation link (often on WhatsApp): the invited user chooses a password,
// then logs in with it.
export function InvitePage() {
  const { t } = useTranslation('accounts');
  const { token = '' } = useParams();
  const accept = useAcceptInvite();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const policy = passwordProblemText(t, accept.error);
  return (
    <Center mih="100vh" p="md">
      <Card withBorder maw={420} w="100%" p="lg">
        <Stack>
          <Logo />
          <Title order={1} size="h3">
            {t('invite.title')}
          </Title>
          {accept.data ? (
            <Alert color="teal">
              <Text size="sm" mb="xs">
                {t('invite.done', { username: accept.data.username })}
              </Text>
              <Anchor component={Link} to="/login">
                {t('invite.toLogin')}
              </Anchor>
            </Alert>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                setMismatch(password !== repeat);
                if (password === repeat) accept.mutate({ token, newPassword: password });
              }}
            >
              <Stack gap="sm">
                <Text size="sm">{t('password.policy')}</Text>
                <PasswordInput
                  label={t('password.new')}
                  autoComplete="new-password"
                  value={password}
                  minLength={minPasswordLength}
                  required
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={policy}
                />
                <PasswordInput
                  label={t('password.repeat')}
                  autoComplete="new-password"
                  value={repeat}
                  required
                  onChange={(e) => setRepeat(e.currentTarget.value)}
                  error={mismatch ? t('password.mismatch') : null}
                />
                {!policy && <ErrorAlert error={accept.error} />}
                <Button type="submit" loading={accept.isPending}>
                  {t('invite.submit')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Card>
    </Center>
  );
}
