import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { passwordBody } from '../../../../src/modules/auth/auth.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ApiError } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { useChangePassword } from './queries';

// The password policy's reasons (src/domain/password-policy.ts) in the user's words.
export function passwordProblemText(t: (key: string) => string, error: ApiError | null): string | null {
  if (error?.code !== 'password_too_weak') return null;
  const reason = (error.details as { reason?: string } | undefined)?.reason ?? 'too_common';
  return t(`accounts:policy.${reason}`);
}

export function PasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation('accounts');
  const change = useChangePassword();
  const { form, onSubmit } = useSchemaForm({
    schema: passwordBody,
    initialValues: { currentPassword: '', newPassword: '', repeat: '' },
    toBody: (v) => ({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
  });
  const policy = passwordProblemText(t, change.error);
  return (
    <form
      onSubmit={onSubmit((body) => {
        if (form.values.repeat !== body.newPassword) {
          form.setFieldError('repeat', t('password.mismatch'));
          return;
        }
        change.mutate(body, {
          onSuccess: () => {
            form.reset();
            notifications.show({ color: 'teal', message: t('password.changed') });
            onDone?.();
          },
        });
      })}
    >
      <Stack gap="sm" maw={420}>
        <Text size="sm" c="dimmed">
          {t('password.policy')}
        </Text>
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          autoComplete="new-password"
          {...form.getInputProps('newPassword')}
          error={form.errors.newPassword ?? policy}
        />
        <PasswordInput
          label={t('password.repeat')}
          autoComplete="new-password"
          {...form.getInputProps('repeat')}
        />
        {!policy && <ErrorAlert error={change.error} />}
        <Button type="submit" loading={change.isPending} w="fit-content">
          {t('password.submit')}
        </Button>
      </Stack>
    </form>
  );
}
