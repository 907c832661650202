import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { templateKeys, updateTemplateBody } from '../../../../src/modules/notifications/notifications.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { type Template, usePreviewTemplate, useSaveTemplate, useTemplatesQuery } from './queries';

type Values = { subject: string; body: string; whatsappName: string };

function TemplateForm({ template }: { template: Template }) {
  const { t } = useTranslation('notifications');
  const save = useSaveTemplate();
  const preview = usePreviewTemplate();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: updateTemplateBody,
    initialValues: {
      subject: template.subject,
      body: template.body,
      whatsappName: template.whatsappName,
    } as Values,
    toBody: (v: Values) => ({
      subject: v.subject.trim(),
      body: v.body.trim(),
      whatsappName: v.whatsappName.trim(),
    }),
  });
  const submit = onSubmit((body) =>
    save.mutate({ key: template.key, language: template.language, body }, { onError: showServerErrors }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label={t('editor.subject')} {...form.getInputProps('subject')} />
        <Textarea label={t('editor.body')} autosize minRows={3} {...form.getInputProps('body')} />
        <Text size="xs" c="dimmed">
          {t('editor.variables', { list: template.variables.map((v) => `{{${v}}}`).join(' ') })}
        </Text>
        <TextInput
          label={t('editor.whatsappName')}
          description={t('editor.whatsappNameHint')}
          {...form.getInputProps('whatsappName')}
        />
        <Group gap="sm">
          <Button type="submit" loading={save.isPending}>
            {t('editor.save')}
          </Button>
          <Button
            variant="light"
            loading={preview.isPending}
            onClick={() =>
              preview.mutate({ key: template.key, language: template.language, body: form.values.body })
            }
          >
            {t('editor.preview')}
          </Button>
        </Group>
        {save.isSuccess && save.data.body === form.values.body.trim() && (
          <Alert color="green" variant="light" data-testid="template-saved">
            {t('editor.saved')}
          </Alert>
        )}
        <ErrorAlert error={save.error ?? preview.error} />
        {preview.data && (
          <Card withBorder padding="sm" data-testid="template-preview">
            <Text size="xs" c="dimmed" mb={4}>
              {t('editor.previewTitle')}
            </Text>
            <Text size="sm" className="break-anywhere">
              {preview.data.text}
            </Text>
            {preview.data.unknownVariables.length > 0 && (
              <Text size="xs" c="red" mt={4}>
                {t('editor.unknown', { list: preview.data.unknownVariables.join(', ') })}
              </Text>
            )}
          </Card>
        )}
      </Stack>
    </form>
  );
}

// The texts of the WhatsApp, SMS and e-mail messages, per event and language, for an admin.
export function NotificationTemplatesPage() {
  const { t } = useTranslation('notifications');
  const { data, error, isPending, refetch } = useTemplatesQuery();
  const [key, setKey] = useState<string>(templateKeys[0]);
  const [language, setLanguage] = useState<'id' | 'en'>('id');
  const template = data?.find((x) => x.key === key && x.language === language);
  return (
    <>
      <PageHeader title={t('templatesTitle')} subtitle={t('templatesSubtitle')} />
      {isPending && <Loading />}
      <ErrorAlert error={error} onRetry={refetch} />
      {data && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="sm">
              <Select
                label={t('editor.event')}
                data={templateKeys.map((k) => ({ value: k, label: t(`templates.${k}`) }))}
                value={key}
                onChange={(v) => v && setKey(v)}
                allowDeselect={false}
                data-testid="template-key"
              />
              <SegmentedControl
                value={language}
                onChange={(v) => setLanguage(v as 'id' | 'en')}
                data={[
                  { value: 'id', label: 'Bahasa Indonesia' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {template && (
              <Card withBorder radius="md" padding="md">
                <TemplateForm key={`${template.key}:${template.language}`} template={template} />
              </Card>
            )}
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}
