import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBrandWhatsapp, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleSchema } from '../../../../src/modules/auth/auth.schema';
import { createUserBody } from '../../../../src/modules/users/users.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { useMe } from '../auth/auth';
import { useKecamatan } from '../reference/queries';
import { OwnerPicker } from './OwnerPicker';
import {
  type User,
  useCreateUser,
  useInviteUser,
  useOrganisationsQuery,
  useResetPassword,
  useUpdateUser,
  useUsersQuery,
} from './queries';

const roles = roleSchema.options;
type RoleName = (typeof roles)[number];

function OneTimePassword({ username, password }: { username: string; password: string }) {
  const { t } = useTranslation('accounts');
  return (
    <Alert color="yellow" title={t('users.oneTimeTitle', { username })}>
      <Text size="sm" mb="xs">
        {t('users.oneTimeText')}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code fz="md">{password}</Code>
        <CopyButton value={password}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('copied') : t('copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}

// The scope fields a role needs: a kecamatan, an organisation of the right kind, or a person.
function ScopeFields({
  role,
  values,
  set,
  errors,
}: {
  role: RoleName;
  values: { kecamatan: string; organisationId: string; personId: string };
  set: (field: 'kecamatan' | 'organisationId' | 'personId', value: string) => void;
  errors: Record<string, unknown>;
}) {
  const { t } = useTranslation('accounts');
  const organisations = useOrganisationsQuery();
  const kind = role === 'sopd_officer' ? 'sopd' : role === 'program_officer' ? 'dinas' : null;
  const kecamatan = useKecamatan();
  if (role === 'kecamatan_officer')
    return (
      <Select
        label={t('users.kecamatan')}
        description={t('users.kecamatanHint')}
        searchable
        data={kecamatan.map((k) => ({ value: k.code, label: `${k.name} (${k.code})` }))}
        value={values.kecamatan || null}
        onChange={(v) => set('kecamatan', v ?? '')}
        error={errors.kecamatan as string | undefined}
      />
    );
  if (role === 'owner')
    return (
      <OwnerPicker
        value={values.personId}
        onChange={(v) => set('personId', v)}
        error={errors.personId as string | undefined}
      />
    );
  if (!kind) return null;
  return (
    <Select
      label={t('users.organisation')}
      data={(organisations.data?.items ?? [])
        .filter((o) => o.kind === kind)
        .map((o) => ({ value: o.id, label: o.name }))}
      value={values.organisationId || null}
      onChange={(v) => set('organisationId', v ?? '')}
      clearable={role === 'program_officer'}
      error={errors.organisationId as string | undefined}
    />
  );
}

type FormValues = {
  username: string;
  name: string;
  role: RoleName;
  kecamatan: string;
  organisationId: string;
  personId: string;
  nip: string;
  position: string;
};

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('accounts');
  const create = useCreateUser();
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createUserBody,
    initialValues: {
      username: '',
      name: '',
      role: 'program_officer',
      kecamatan: '',
      organisationId: '',
      personId: '',
      nip: '',
      position: '',
    } as FormValues,
    toBody: (v) => ({
      username: v.username,
      name: v.name,
      role: v.role,
      kecamatan: v.kecamatan || null,
      organisationId: v.organisationId || null,
      personId: v.personId || null,
      nip: v.nip || null,
      position: v.position || null,
    }),
  });
  const close = () => {
    setCreated(null);
    create.reset();
    form.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('users.create')} size="lg">
      {created ? (
        <Stack>
          <OneTimePassword username={created.username} password={created.password} />
          <Button onClick={close} w="fit-content">
            {t('done')}
          </Button>
        </Stack>
      ) : (
        <form
          onSubmit={onSubmit((body) =>
            create.mutate(body, {
              onSuccess: (user) =>
                setCreated({ username: user.username, password: user.temporaryPassword ?? '' }),
              onError: showServerErrors,
            }),
          )}
        >
          <Stack gap="sm">
            <TextInput
              label={t('users.username')}
              autoCapitalize="none"
              {...form.getInputProps('username')}
            />
            <TextInput label={t('users.name')} {...form.getInputProps('name')} />
            <Select
              label={t('users.role')}
              data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              allowDeselect={false}
              {...form.getInputProps('role')}
            />
            <ScopeFields
              role={form.values.role}
              values={form.values}
              set={(field, value) => form.setFieldValue(field, value)}
              errors={form.errors}
            />
            {form.values.role !== 'owner' && (
              <Group grow>
                <TextInput label={t('users.nip')} inputMode="numeric" {...form.getInputProps('nip')} />
                <TextInput label={t('users.position')} {...form.getInputProps('position')} />
              </Group>
            )}
            <ErrorAlert error={create.error} />
            <Button type="submit" loading={create.isPending} w="fit-content">
              {t('users.create')}
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function EditUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation('accounts');
  const me = useMe();
  const update = useUpdateUser();
  const reset = useResetPassword();
  const invite = useInviteUser();
  const [values, setValues] = useState({
    name: user.name,
    role: user.role as RoleName,
    kecamatan: user.kecamatan ?? '',
    organisationId: user.organisation?.id ?? '',
    personId: user.personId ?? '',
    nip: user.nip ?? '',
    position: user.position ?? '',
  });
  const set = (field: keyof typeof values, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const save = () =>
    update.mutate(
      {
        id: user.id,
        body: {
          name: values.name,
          role: values.role,
          ...(values.role === 'kecamatan_officer' && values.kecamatan !== (user.kecamatan ?? '')
            ? { kecamatan: values.kecamatan || null }
            : {}),
          organisationId:
            values.role === 'kecamatan_officer'
              ? (user.organisation?.id ?? null)
              : values.organisationId || null,
          personId: values.personId || null,
          nip: values.nip || null,
          position: values.position || null,
        },
      },
      { onSuccess: onClose },
    );
  return (
    <Modal opened onClose={onClose} title={`${user.name} (${user.username})`} size="lg">
      <Stack gap="sm">
        <TextInput
          label={t('users.name')}
          value={values.name}
          onChange={(e) => set('name', e.currentTarget.value)}
        />
        <Select
          label={t('users.role')}
          data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          allowDeselect={false}
          value={values.role}
          onChange={(v) => set('role', v ?? values.role)}
        />
        <ScopeFields role={values.role} values={values} set={set} errors={{}} />
        {values.role !== 'owner' && (
          <Group grow>
            <TextInput
              label={t('users.nip')}
              value={values.nip}
              onChange={(e) => set('nip', e.currentTarget.value)}
            />
            <TextInput
              label={t('users.position')}
              value={values.position}
              onChange={(e) => set('position', e.currentTarget.value)}
            />
          </Group>
        )}
        <ErrorAlert error={update.error ?? reset.error ?? invite.error} />
        <Group>
          <Button onClick={save} loading={update.isPending}>
            {t('save')}
          </Button>
        </Group>
        <Switch
          label={t('users.active')}
          description={t('users.activeHint')}
          checked={user.active}
          disabled={user.id === me.id || update.isPending}
          onChange={(e) =>
            update.mutate({ id: user.id, body: { active: e.currentTarget.checked } }, { onSuccess: onClose })
          }
        />
        <Group>
          <Button
            variant="light"
            loading={reset.isPending}
            disabled={!user.active}
            onClick={() => reset.mutate(user.id)}
          >
            {t('users.resetPassword')}
          </Button>
          <Button
            variant="light"
            loading={invite.isPending}
            disabled={!user.active}
            onClick={() => invite.mutate(user.id)}
          >
            {t('users.invite')}
          </Button>
        </Group>
        {reset.data && <OneTimePassword username={user.username} password={reset.data.temporaryPassword} />}
        {invite.data && (
          <Alert color="teal" title={t('users.inviteTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('users.inviteText', { date: formatDateTime(invite.data.expiresAt) })}</Text>
              <Code className="break-anywhere">{invite.data.link}</Code>
              <Group gap="xs">
                <CopyButton value={invite.data.link}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="light" onClick={copy}>
                      {copied ? t('copied') : t('copy')}
                    </Button>
                  )}
                </CopyButton>
                {invite.data.whatsappUrl && (
                  <Button
                    size="xs"
                    color="green"
                    component="a"
                    href={invite.data.whatsappUrl}
                    target="_blank"
                    rel="noopener"
                    leftSection={<IconBrandWhatsapp size={16} />}
                  >
                    {t('users.sendWhatsapp')}
                  </Button>
                )}
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation('accounts');
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const [debounced] = useDebouncedValue(q.trim(), 350);
  const list = useUsersQuery({ q: debounced, role: role ?? '', active: active ?? '' });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const columns: Column<User>[] = [
    {
      key: 'user',
      header: t('users.user'),
      primary: true,
      render: (u) => (
        <div>
          <Text size="sm" fw={600}>
            {u.name}
          </Text>
          <Text size="xs" c="dimmed">
            {u.username}
          </Text>
        </div>
      ),
    },
    {
      key: 'role',
      header: t('users.role'),
      render: (u) => <Badge variant="light">{t(`roles.${u.role}`)}</Badge>,
    },
    {
      key: 'scope',
      header: t('users.scope'),
      render: (u) => u.personName ?? u.organisation?.name ?? '',
    },
    {
      key: 'state',
      header: t('users.state'),
      nowrap: true,
      render: (u) =>
        !u.active ? (
          <Badge color="gray">{t('users.disabled')}</Badge>
        ) : u.mustChangePassword ? (
          <Badge color="yellow">{t('users.mustChange')}</Badge>
        ) : (
          <Badge color="teal">{t('users.activeBadge')}</Badge>
        ),
    },
    {
      key: 'edit',
      header: '',
      align: 'right',
      render: (u) => (
        <Button size="xs" variant="subtle" onClick={() => setEditing(u)}>
          {t('edit')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        }
      />
      <Stack gap="sm">
        <Group gap="sm" align="flex-end">
          <TextInput
            label={t('users.search')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={240}
          />
          <Select
            label={t('users.role')}
            data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={setRole}
            clearable
            w={200}
          />
          <Select
            label={t('users.state')}
            data={[
              { value: 'true', label: t('users.activeBadge') },
              { value: 'false', label: t('users.disabled') },
            ]}
            value={active}
            onChange={setActive}
            clearable
            w={160}
          />
        </Group>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <DataTable rows={list.items} columns={columns} rowKey={(u) => u.id} minWidth={720} />
        <PagedFooter list={list} />
      </Stack>
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
