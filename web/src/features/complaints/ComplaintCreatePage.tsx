import { Button, Card, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { complaintChannels, complaintCreateBody } from '../../../../src/modules/complaints/complaints.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { useProgramChoicesQuery } from '../programs/queries';
import { LinkPicker } from './LinkPicker';
import { useComplaintOfficersQuery, useCreateComplaint } from './queries';

type Values = {
  name: string;
  phone: string;
  message: string;
  channel: string;
  programId: string;
  applicationId: string;
  businessId: string;
  laporRef: string;
  assignedTo: string;
};

const orUndefined = (v: string) => (v.trim() === '' ? undefined : v.trim());

// An officer records a complaint received by phone, WhatsApp, a visit or SP4N-LAPOR!. The
// business or application it is about is checked against the officer's scope by the server.
export function ComplaintCreatePage() {
  const { t } = useTranslation('complaints');
  const navigate = useNavigate();
  // Opened from a business, an application or a program, the link comes filled in.
  const [params] = useSearchParams();
  const create = useCreateComplaint();
  const programs = useProgramChoicesQuery();
  const officers = useComplaintOfficersQuery();
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: complaintCreateBody,
    initialValues: {
      name: '',
      phone: '',
      message: '',
      channel: 'phone',
      programId: params.get('programId') ?? '',
      applicationId: params.get('applicationId') ?? '',
      businessId: params.get('businessId') ?? '',
      laporRef: '',
      assignedTo: '',
    } as Values,
    toBody: (v: Values) => ({
      name: v.name.trim(),
      phone: orUndefined(v.phone),
      message: v.message.trim(),
      channel: v.channel as 'phone',
      programId: orUndefined(v.programId),
      applicationId: orUndefined(v.applicationId),
      businessId: orUndefined(v.businessId),
      laporRef: orUndefined(v.laporRef),
      assignedTo: orUndefined(v.assignedTo),
    }),
  });
  const submit = onSubmit((body) =>
    create.mutate(body, {
      onSuccess: (c) => void navigate(`/complaints/${c.id}`),
      onError: showServerErrors,
    }),
  );
  return (
    <>
      <PageHeader title={t('form.title')} />
      <Card withBorder maw={640}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Select
              label={t('form.channel')}
              data={complaintChannels
                .filter((c) => c !== 'web')
                .map((c) => ({ value: c, label: t(`channels.${c}`) }))}
              allowDeselect={false}
              {...form.getInputProps('channel')}
            />
            <TextInput label={t('form.name')} required {...form.getInputProps('name')} />
            <TextInput label={t('form.phone')} type="tel" inputMode="tel" {...form.getInputProps('phone')} />
            <Textarea
              label={t('form.message')}
              required
              autosize
              minRows={4}
              {...form.getInputProps('message')}
            />
            <Select
              label={t('form.program')}
              clearable
              searchable
              data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              {...form.getInputProps('programId')}
            />
            <LinkPicker
              businessId={form.values.businessId}
              applicationId={form.values.applicationId}
              onChange={(link) => form.setValues(link)}
            />
            <TextInput label={t('form.laporRef')} {...form.getInputProps('laporRef')} />
            <Select
              label={t('form.assignedTo')}
              clearable
              searchable
              data={(officers.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              {...form.getInputProps('assignedTo')}
            />
            <ErrorAlert error={create.error} />
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t('form.save')}
              </Button>
              <Button variant="default" component={Link} to="/complaints">
                {t('form.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </>
  );
}
