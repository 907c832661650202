import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createOrganisationBody } from '../../../../src/modules/users/users.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { useKecamatan } from '../reference/queries';
import {
  type Organisation,
  useCreateOrganisation,
  useOrganisationsQuery,
  useUpdateOrganisation,
} from './queries';

const kinds = ['dinas', 'sopd', 'kecamatan'] as const;

function OrganisationModal({
  organisation,
  onClose,
}: {
  organisation: Organisation | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('accounts');
  const kecamatan = useKecamatan();
  const create = useCreateOrganisation();
  const update = useUpdateOrganisation();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createOrganisationBody,
    initialValues: {
      name: organisation?.name ?? '',
      kind: (organisation?.kind ?? 'sopd') as (typeof kinds)[number],
      regionCode: organisation?.regionCode ?? '',
    },
    toBody: (v) => ({
      name: v.name,
      kind: v.kind,
      regionCode: v.kind === 'kecamatan' ? v.regionCode || null : null,
    }),
  });
  const error = create.error ?? update.error;
  return (
    <Modal opened onClose={onClose} title={organisation ? organisation.name : t('organisations.create')}>
      <form
        onSubmit={onSubmit((body) => {
          if (organisation) {
            update.mutate(
              {
                id: organisation.id,
                body: {
                  name: body.name,
                  ...(organisation.kind === 'kecamatan' ? { regionCode: body.regionCode ?? null } : {}),
                },
              },
              { onSuccess: onClose, onError: showServerErrors },
            );
          } else create.mutate(body, { onSuccess: onClose, onError: showServerErrors });
        })}
      >
        <Stack gap="sm">
          <TextInput label={t('organisations.name')} {...form.getInputProps('name')} />
          <Select
            label={t('organisations.kind')}
            data={kinds.map((k) => ({ value: k, label: t(`organisations.kinds.${k}`) }))}
            allowDeselect={false}
            disabled={organisation !== null}
            {...form.getInputProps('kind')}
          />
          {form.values.kind === 'kecamatan' && (
            <Select
              label={t('users.kecamatan')}
              searchable
              data={kecamatan.map((k) => ({ value: k.code, label: `${k.name} (${k.code})` }))}
              {...form.getInputProps('regionCode')}
            />
          )}
          <ErrorAlert error={error} />
          <Button type="submit" loading={create.isPending || update.isPending} w="fit-content">
            {t('save')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function OrganisationsPage() {
  const { t } = useTranslation('accounts');
  const organisations = useOrganisationsQuery();
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);
  if (organisations.isPending) return <Loading />;
  const columns: Column<Organisation>[] = [
    {
      key: 'name',
      header: t('organisations.name'),
      primary: true,
      render: (o) => (
        <Text fw={600} size="sm">
          {o.name}
        </Text>
      ),
    },
    {
      key: 'kind',
      header: t('organisations.kind'),
      render: (o) => <Badge variant="light">{t(`organisations.kinds.${o.kind}`)}</Badge>,
    },
    { key: 'region', header: t('organisations.region'), render: (o) => o.regionName ?? '' },
    { key: 'users', header: t('organisations.users'), align: 'right', render: (o) => o.users },
    {
      key: 'edit',
      header: '',
      align: 'right',
      render: (o) => (
        <Button size="xs" variant="subtle" onClick={() => setEditing(o)}>
          {t('edit')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('organisations.title')}
        subtitle={t('organisations.subtitle')}
        actions={
          <Group>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              {t('organisations.create')}
            </Button>
          </Group>
        }
      />
      <Stack gap="sm">
        <ErrorAlert error={organisations.error} onRetry={() => void organisations.refetch()} />
        <DataTable
          rows={organisations.data?.items ?? []}
          columns={columns}
          rowKey={(o) => o.id}
          minWidth={640}
        />
      </Stack>
      {editing && (
        <OrganisationModal
          organisation={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
