import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiTokenBody } from '../../../../src/modules/auth/auth.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { useMe } from '../auth/auth';
import { PasswordForm } from './PasswordForm';
import {
  useApiTokensQuery,
  useCreateApiToken,
  useEndSession,
  useRevokeApiToken,
  useSessionsQuery,
} from './queries';

type Session = NonNullable<ReturnType<typeof useSessionsQuery>['data']>['items'][number];
type Token = NonNullable<ReturnType<typeof useApiTokensQuery>['data']>['items'][number];

function Sessions() {
  const { t } = useTranslation('accounts');
  const sessions = useSessionsQuery();
  const end = useEndSession();
  if (sessions.isPending) return <Loading />;
  const columns: Column<Session>[] = [
    {
      key: 'device',
      header: t('sessions.device'),
      primary: true,
      render: (s) => (
        <div>
          <Text size="sm" className="break-anywhere">
            {s.userAgent ?? t('sessions.unknownDevice')}
          </Text>
          {s.current && (
            <Badge size="xs" color="teal">
              {t('sessions.current')}
            </Badge>
          )}
        </div>
      ),
    },
    { key: 'address', header: t('sessions.address'), render: (s) => s.address ?? '' },
    { key: 'since', header: t('sessions.since'), nowrap: true, render: (s) => formatDateTime(s.createdAt) },
    {
      key: 'end',
      header: '',
      align: 'right',
      render: (s) =>
        s.current ? null : (
          <Button
            size="xs"
            variant="light"
            color="red"
            loading={end.isPending}
            onClick={() => end.mutate(s.id)}
          >
            {t('sessions.end')}
          </Button>
        ),
    },
  ];
  return (
    <Stack gap="sm">
      <ErrorAlert error={sessions.error ?? end.error} onRetry={() => void sessions.refetch()} />
      <DataTable rows={sessions.data?.items ?? []} columns={columns} rowKey={(s) => s.id} minWidth={640} />
    </Stack>
  );
}

function Tokens() {
  const { t } = useTranslation('accounts');
  const tokens = useApiTokensQuery();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [shown, setShown] = useState<string | null>(null);
  const { form, onSubmit } = useSchemaForm({
    schema: apiTokenBody,
    initialValues: { name: '', expiresInDays: 90 as number | string },
    toBody: (v) => ({ name: v.name, expiresInDays: Number(v.expiresInDays) }),
  });
  const columns: Column<Token>[] = [
    { key: 'name', header: t('tokens.name'), primary: true, render: (k) => k.name },
    { key: 'created', header: t('tokens.created'), nowrap: true, render: (k) => formatDateTime(k.createdAt) },
    {
      key: 'expires',
      header: t('tokens.expires'),
      nowrap: true,
      render: (k) => (k.expiresAt ? formatDateTime(k.expiresAt) : t('tokens.never')),
    },
    {
      key: 'revoke',
      header: '',
      align: 'right',
      render: (k) => (
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={t('tokens.revoke')}
          title={t('tokens.revoke')}
          onClick={() => revoke.mutate(k.id)}
        >
          <IconTrash size={16} />
        </ActionIcon>
      ),
    },
  ];
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('tokens.intro')}
      </Text>
      <form
        onSubmit={onSubmit((body) =>
          create.mutate(body as { name: string; expiresInDays: number }, {
            onSuccess: (made) => {
              setShown(made.token);
              form.reset();
            },
          }),
        )}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label={t('tokens.name')} {...form.getInputProps('name')} w={240} />
          <NumberInput
            label={t('tokens.days')}
            min={1}
            max={366}
            {...form.getInputProps('expiresInDays')}
            w={140}
          />
          <Button type="submit" loading={create.isPending}>
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      {shown && (
        <Alert color="yellow" title={t('tokens.shownOnce')} withCloseButton onClose={() => setShown(null)}>
          <Group gap="xs" wrap="nowrap">
            <Code className="break-anywhere">{shown}</Code>
            <CopyButton value={shown}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('copied') : t('copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      <ErrorAlert error={tokens.error ?? create.error ?? revoke.error} />
      <DataTable
        rows={tokens.data?.items ?? []}
        columns={columns}
        rowKey={(k) => k.id}
        empty={t('tokens.none')}
        minWidth={560}
      />
    </Stack>
  );
}

export function AccountPage() {
  const { t } = useTranslation('accounts');
  const me = useMe();
  return (
    <>
      <PageHeader title={t('account.title')} subtitle={`${me.displayName} · ${me.username}`} />
      <Stack gap="lg">
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('password.title')}
          </Title>
          <PasswordForm />
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('sessions.title')}
          </Title>
          <Sessions />
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('tokens.title')}
          </Title>
          <Tokens />
        </Card>
      </Stack>
    </>
  );
}
