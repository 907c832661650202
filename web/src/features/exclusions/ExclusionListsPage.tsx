import {
  Alert,
  Autocomplete,
  Badge,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileUpload, IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createExclusionListBody,
  type ExclusionImport,
  type ExclusionList,
} from '../../../../src/modules/exclusions/exclusions.schema';
import { type Column, DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PagedFooter } from '../../components/PagedFooter';
import { PageHeader } from '../../components/PageHeader';
import type { ApiError } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { Wire } from '../../lib/types';
import { useDeleteExclusionList, useExclusionListsQuery, useUploadExclusionList } from './queries';

type List = Wire<ExclusionList>;
type Imported = Wire<ExclusionImport>;
type Issue = Imported['issues'][number];

function IssueTable({ issues }: { issues: Issue[] }) {
  const { t } = useTranslation('screening');
  return (
    <>
      <Text size="xs" mt="xs" fw={500}>
        {t('exclusions.invalidLines')}
      </Text>
      <Table.ScrollContainer minWidth={360} mah={220}>
        <Table fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('exclusions.line')}</Table.Th>
              <Table.Th>{t('exclusions.value')}</Table.Th>
              <Table.Th>{t('exclusions.problem')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {issues.map((i) => (
              <Table.Tr key={`${i.line}:${i.code}`}>
                <Table.Td>{i.line}</Table.Td>
                <Table.Td>{i.value}</Table.Td>
                <Table.Td>{t(`errors:issue.${i.code}`, { defaultValue: i.message })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

// An upload without one valid NIK is refused with its lines in the error's details.
function issuesOf(error: ApiError | null): Issue[] {
  const details = error?.details as { issues?: Issue[] } | undefined;
  return Array.isArray(details?.issues) ? details.issues : [];
}
const kinds = ['asn', 'deceased', 'already_aided', 'other'] as const;
type Kind = (typeof kinds)[number];

const kindColor: Record<Kind, string> = {
  asn: 'blue',
  deceased: 'gray',
  already_aided: 'orange',
  other: 'violet',
};

const uploadFields = createExclusionListBody.omit({ niks: true });

function UploadForm({ lists }: { lists: List[] }) {
  const { t } = useTranslation('screening');
  const [file, setFile] = useState<File | null>(null);
  const upload = useUploadExclusionList();
  const { form, onSubmit } = useSchemaForm({
    schema: uploadFields,
    initialValues: { name: '', kind: 'asn' as Kind, source: '' },
    // A list that exists keeps its kind.
    toBody: (v) => ({
      name: v.name.trim(),
      kind: lists.find((l) => l.name === v.name.trim())?.kind ?? v.kind,
      source: v.source.trim() || null,
    }),
  });
  const { name, kind } = form.values;
  const existing = lists.find((l) => l.name === name.trim());
  const error = upload.error;
  const result = upload.data ?? null;

  const submit = onSubmit((body) => {
    if (!file) return;
    upload.mutate({ ...body, file }, { onSuccess: () => setFile(null) });
  });

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={3} size="h5" mb={4}>
        {t('exclusions.upload')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('exclusions.uploadHelp')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Autocomplete
            label={t('exclusions.name')}
            required
            data={lists.map((l) => l.name)}
            {...form.getInputProps('name')}
            data-testid="exclusion-name"
          />
          <Select
            label={t('exclusions.kind')}
            data={kinds.map((k) => ({ value: k, label: t(`exclusions.kindValue.${k}`) }))}
            value={existing?.kind ?? kind}
            onChange={(v) => v && form.setFieldValue('kind', v as Kind)}
            disabled={existing !== undefined}
            allowDeselect={false}
          />
          <TextInput
            label={t('exclusions.source')}
            placeholder={t('exclusions.sourcePlaceholder')}
            {...form.getInputProps('source')}
          />
          <FileInput
            label={t('exclusions.file')}
            required
            accept=".csv,.txt,.xlsx,text/csv,text/plain"
            value={file}
            onChange={setFile}
            leftSection={<IconFileUpload size={16} />}
            clearable
            data-testid="exclusion-file"
          />
          {issuesOf(error).length > 0 ? (
            <Alert color="red" variant="light" data-testid="exclusion-error">
              <Text size="sm" fw={600}>
                {t('exclusions.result', {
                  added: 0,
                  already: 0,
                  invalid: formatNumber(issuesOf(error).length),
                })}
              </Text>
              <IssueTable issues={issuesOf(error)} />
            </Alert>
          ) : (
            <ErrorAlert error={error} />
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={upload.isPending} disabled={!file || name.trim().length < 3}>
              {upload.isPending ? t('exclusions.uploading') : t('exclusions.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      {result && (
        <Alert
          color={result.invalid > 0 ? 'yellow' : 'teal'}
          variant="light"
          mt="sm"
          data-testid="exclusion-result"
        >
          <Text size="sm" fw={600}>
            {t('exclusions.result', {
              added: formatNumber(result.added),
              already: formatNumber(result.alreadyListed),
              invalid: formatNumber(result.invalid),
            })}
          </Text>
          {result.issues.length > 0 && <IssueTable issues={result.issues} />}
        </Alert>
      )}
    </Card>
  );
}

// /exclusions
export function ExclusionListsPage() {
  const { t } = useTranslation('screening');
  const lists = useExclusionListsQuery();
  const [deleting, setDeleting] = useState<List | null>(null);
  const removal = useDeleteExclusionList();
  const error = removal.error;

  const remove = (list: List) =>
    removal.mutate(list.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('exclusions.deleted') });
        setDeleting(null);
      },
    });

  const columns: Column<List>[] = [
    {
      key: 'name',
      header: t('exclusions.name'),
      primary: true,
      render: (l) => (
        <div>
          <Text fw={600} size="sm" className="break-anywhere">
            {l.name}
          </Text>
          {l.source && (
            <Text size="xs" c="dimmed">
              {l.source}
            </Text>
          )}
        </div>
      ),
    },
    {
      key: 'kind',
      header: t('exclusions.kind'),
      nowrap: true,
      render: (l) => (
        <Badge variant="light" color={kindColor[l.kind]} radius="sm" style={{ minWidth: 'max-content' }}>
          {t(`exclusions.kindValue.${l.kind}`)}
        </Badge>
      ),
    },
    {
      key: 'entries',
      header: t('exclusions.entries'),
      align: 'right',
      render: (l) => formatNumber(l.entries),
    },
    { key: 'by', header: t('exclusions.createdBy'), hideOnPhone: true, render: (l) => l.createdBy ?? '–' },
    {
      key: 'at',
      header: t('exclusions.createdAt'),
      nowrap: true,
      render: (l) => formatDateTime(l.createdAt),
    },
    {
      key: 'delete',
      header: '',
      align: 'right',
      render: (l) => (
        <Button
          size="xs"
          variant="subtle"
          color="red"
          leftSection={<IconTrash size={14} />}
          onClick={() => setDeleting(l)}
        >
          {t('exclusions.delete')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('exclusions.title')} subtitle={t('exclusions.subtitle')} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <UploadForm lists={lists.items} />
          <Alert color="blue" variant="light" mt="md" icon={<IconInfoCircle size={18} />}>
            <Text size="sm">{t('exclusions.useInRule')}</Text>
          </Alert>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <ErrorAlert error={lists.error ?? error} onRetry={lists.error ? lists.reload : undefined} />
            {lists.loading && lists.items.length === 0 ? (
              <Loading />
            ) : (
              <DataTable
                rows={lists.items}
                columns={columns}
                rowKey={(l) => l.id}
                empty={t('exclusions.none')}
                caption={t('exclusions.title')}
              />
            )}
            {lists.items.length > 0 && <PagedFooter list={lists} label={t('page.more')} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('exclusions.delete')}
        centered
      >
        {deleting && (
          <Stack gap="md">
            <Text size="sm">
              {t('exclusions.confirmDelete', { name: deleting.name, n: formatNumber(deleting.entries) })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                {t('exclusions.cancel')}
              </Button>
              <Button color="red" loading={removal.isPending} onClick={() => remove(deleting)}>
                {t('exclusions.delete')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
