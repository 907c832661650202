import { Button, Card, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { type ChangeEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reportTextsBody } from '../../../../src/modules/reports/activity-report.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { ApiError, apiBase } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { preparePhoto } from '../../lib/image';
import { useAuth } from '../auth/auth';
import {
  type ReportTexts,
  useAddProgramPhoto,
  useDeleteProgramPhoto,
  useProgramPhotosQuery,
  useReportTextsQuery,
  useSaveReportTexts,
} from './queries';

// The program's Laporan Kegiatan: print it, and write what the figures cannot say (background,
// legal basis) and add the event's photos. Handover photos come from the BASTs by themselves.

function TextsForm({
  programId,
  texts,
  editable,
}: {
  programId: string;
  texts: ReportTexts;
  editable: boolean;
}) {
  const { t } = useTranslation('activity-report');
  const save = useSaveReportTexts(programId);
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: reportTextsBody,
    initialValues: { background: texts.background ?? '', legalBasis: texts.legalBasis ?? '' },
    toBody: (v) => ({ background: v.background.trim() || null, legalBasis: v.legalBasis.trim() || null }),
  });
  return (
    <Card
      withBorder
      component="form"
      onSubmit={onSubmit((body) => save.mutate(body, { onError: showServerErrors }))}
    >
      <Stack gap="sm">
        <Textarea
          label={t('background')}
          description={t('backgroundHint')}
          autosize
          minRows={3}
          readOnly={!editable}
          {...form.getInputProps('background')}
        />
        <Textarea
          label={t('legalBasis')}
          description={t('legalBasisHint')}
          autosize
          minRows={3}
          readOnly={!editable}
          {...form.getInputProps('legalBasis')}
        />
        {save.error && <ErrorAlert error={save.error} />}
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('save')}
            </Button>
            {save.isSuccess && (
              <Text size="sm" c="dimmed">
                {t('saved')}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function Photos({ programId, editable }: { programId: string; editable: boolean }) {
  const { t } = useTranslation('activity-report');
  const { data, error, isPending, refetch } = useProgramPhotosQuery(programId);
  const add = useAddProgramPhoto(programId);
  const remove = useDeleteProgramPhoto(programId);
  const [caption, setCaption] = useState('');
  const [pickError, setPickError] = useState<ApiError | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setPickError(null);
    try {
      const photo = await preparePhoto(file);
      add.mutate(
        { photo, caption: caption.trim() || null },
        {
          onSuccess: () => {
            setCaption('');
            input.value = '';
          },
        },
      );
    } catch {
      setPickError(new ApiError(415, 'unsupported_media', file.type));
    }
  };

  if (isPending) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={refetch} />;
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {t('photos')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('photosHint')}
      </Text>
      {data.items.length === 0 ? (
        <Text size="sm">{t('noPhotos')}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.caption ?? t('noCaption')}</Table.Td>
                <Table.Td>{formatDateTime(p.createdAt)}</Table.Td>
                {editable && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      loading={remove.isPending && remove.variables === p.id}
                      onClick={() => remove.mutate(p.id)}
                    >
                      {t('remove')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <Stack gap="xs" mt="sm">
          <TextInput
            label={t('caption')}
            maxLength={200}
            value={caption}
            onChange={(e) => setCaption(e.currentTarget.value)}
          />
          <input ref={fileRef} type="file" accept="image/jpeg,image/png" hidden onChange={pick} />
          <Group>
            <Button variant="light" loading={add.isPending} onClick={() => fileRef.current?.click()}>
              {t('addPhoto')}
            </Button>
          </Group>
        </Stack>
      )}
      {(pickError ?? add.error ?? remove.error) && (
        <ErrorAlert error={pickError ?? add.error ?? remove.error} />
      )}
    </Card>
  );
}

export function ActivityReportTab({ programId }: { programId: string }) {
  const { t } = useTranslation('activity-report');
  const { can } = useAuth();
  const editable = can('writePrograms');
  const { data, error, isPending, refetch } = useReportTextsQuery(programId);
  if (isPending) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={refetch} />;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={560}>
          {t('lead')}
        </Text>
        <Button component="a" href={`${apiBase}/programs/${programId}/laporan-kegiatan.pdf`} target="_blank">
          {t('print')}
        </Button>
      </Group>
      <TextsForm programId={programId} texts={data} editable={editable} />
      <Photos programId={programId} editable={editable} />
    </Stack>
  );
}
