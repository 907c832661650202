import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  List,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconCheck } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { createBusinessBody } from '../../../../src/modules/businesses/businesses.schema';
import { detailText, ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import type { CreateBusinessBody } from '../../lib/types';
import { useMe } from '../auth/auth';
import { kbliOptions, useKbliList, useKecamatan, useRegions } from '../reference/queries';
import { useCreateBusiness } from './queries';

type Values = {
  ref: string;
  name: string;
  kbli: string | null;
  kecamatan: string | null;
  kelurahan: string | null;
  nib: string;
  capital: number | string;
  annualTurnover: number | string;
  workers: number | string;
  covidImpacted: boolean;
  owner: {
    nik: string;
    name: string;
    sex: string | null;
    birthDate: string;
    phone: string;
    address: string;
  };
};

const empty = (kecamatan: string | null): Values => ({
  ref: '',
  name: '',
  kbli: null,
  kecamatan,
  kelurahan: null,
  nib: '',
  capital: '',
  annualTurnover: '',
  workers: '',
  covidImpacted: false,
  owner: { nik: '', name: '', sex: null, birthDate: '', phone: '', address: '' },
});

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const numberOrNull = (v: number | string) => (typeof v === 'number' ? v : null);

const toBody = (v: Values): CreateBusinessBody => ({
  ref: orNull(v.ref),
  name: v.name.trim(),
  kbli: v.kbli,
  regionCode: v.kelurahan ?? v.kecamatan ?? '',
  nib: orNull(v.nib),
  capital: numberOrNull(v.capital),
  annualTurnover: numberOrNull(v.annualTurnover),
  workers: numberOrNull(v.workers),
  covidImpacted: v.covidImpacted,
  owner: {
    nik: v.owner.nik.trim(),
    name: v.owner.name.trim(),
    sex: v.owner.sex === 'L' || v.owner.sex === 'P' ? v.owner.sex : null,
    birthDate: orNull(v.owner.birthDate),
    phone: orNull(v.owner.phone),
    address: orNull(v.owner.address),
  },
});

export function BusinessCreatePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const fixedKecamatan = me.scope.kecamatan !== null ? (me.organisation?.regionCode ?? null) : null;
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: createBusinessBody,
    initialValues: empty(fixedKecamatan),
    toBody,
    fields: { regionCode: 'kelurahan' },
  });
  const create = useCreateBusiness();
  const created = create.data;
  const kecamatanList = useKecamatan();
  const kelurahanList = useRegions(form.values.kecamatan);
  const kbliList = useKbliList();
  const thousand = i18n.language === 'en' ? ',' : '.';
  const decimal = i18n.language === 'en' ? '.' : ',';

  const kbliChoices = useMemo(() => kbliOptions(kbliList), [kbliList]);

  const submit = onSubmit((body) =>
    create.mutate(body, {
      onSettled: () => window.scrollTo({ top: 0 }),
      onError: showServerErrors,
    }),
  );

  const crumbs = [{ label: t('registry.title'), to: '/registry' }];

  if (created) {
    return (
      <>
        <PageHeader title={t('registry.add')} crumbs={crumbs} />
        <Stack gap="md" maw={640}>
          <Alert
            color="teal"
            icon={<IconCheck size={18} />}
            title={t('create.saved', { name: created.name })}
          >
            {created.owner.name} · {created.kelurahanName ?? created.kecamatanName}
          </Alert>
          {created.warnings.length > 0 && (
            <Alert color="yellow" icon={<IconAlertCircle size={18} />} title={t('create.warnings')}>
              <List size="sm">
                {created.warnings.map((w) => (
                  <List.Item key={`${w.code}:${w.message}`}>{detailText(t, w)}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Group>
            <Button component={Link} to={`/registry/${created.id}`}>
              {t('create.open')}
            </Button>
            <Button
              variant="light"
              onClick={() => {
                create.reset();
                form.reset();
              }}
            >
              {t('create.another')}
            </Button>
          </Group>
        </Stack>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('registry.add')} subtitle={t('create.subtitle')} crumbs={crumbs} />
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={900}>
          {create.error?.code === 'identity_review' ? (
            // Not a failure of the form: the business waits for an officer who sees both kecamatan.
            <Alert
              color="yellow"
              icon={<IconAlertCircle size={18} />}
              title={t('create.identityReviewTitle')}
              data-testid="identity-review-waiting"
            >
              {t('create.identityReviewBody')}
            </Alert>
          ) : (
            <ErrorAlert error={create.error} />
          )}
          <Card withBorder radius="md" padding="md">
            <Title order={3} size="h5" mb="sm">
              {t('business.owner')}
            </Title>
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t('business.nik')}
                  description={t('create.nikHelp')}
                  required
                  inputMode="numeric"
                  maxLength={24}
                  {...form.getInputProps('owner.nik')}
                  autoComplete="off"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t('business.ownerName')} required {...form.getInputProps('owner.name')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <Select
                  label={t('business.sex')}
                  data={[
                    { value: 'L', label: t('sex.L') },
                    { value: 'P', label: t('sex.P') },
                  ]}
                  {...form.getInputProps('owner.sex')}
                  clearable
                />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <TextInput
                  type="date"
                  label={t('business.birthDate')}
                  {...form.getInputProps('owner.birthDate')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  type="tel"
                  label={t('business.phone')}
                  placeholder="0812 3456 7890"
                  {...form.getInputProps('owner.phone')}
                  autoComplete="off"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('business.address')}
                  autosize
                  minRows={2}
                  {...form.getInputProps('owner.address')}
                />
              </Grid.Col>
            </Grid>
          </Card>

          <Card withBorder radius="md" padding="md">
            <Title order={3} size="h5" mb="sm">
              {t('business.section')}
            </Title>
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, sm: 8 }}>
                <TextInput label={t('business.name')} required {...form.getInputProps('name')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput label={t('business.nib')} inputMode="numeric" {...form.getInputProps('nib')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t('field.kecamatan')}
                  required
                  data={kecamatanList.map((k) => ({ value: k.code, label: k.name }))}
                  {...form.getInputProps('kecamatan')}
                  onChange={(v) => {
                    form.setFieldValue('kecamatan', v);
                    form.setFieldValue('kelurahan', null);
                  }}
                  disabled={fixedKecamatan !== null}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t('field.kelurahan')}
                  required
                  data={kelurahanList.map((k) => ({ value: k.code, label: k.name }))}
                  {...form.getInputProps('kelurahan')}
                  disabled={!form.values.kecamatan}
                  searchable
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Select
                  label={t('field.kbli')}
                  data={kbliChoices}
                  {...form.getInputProps('kbli')}
                  searchable
                  clearable
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <NumberInput
                  label={t('business.capital')}
                  prefix="Rp "
                  thousandSeparator={thousand}
                  decimalSeparator={decimal}
                  allowNegative={false}
                  allowDecimal={false}
                  {...form.getInputProps('capital')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <NumberInput
                  label={t('field.annualTurnover')}
                  prefix="Rp "
                  thousandSeparator={thousand}
                  decimalSeparator={decimal}
                  allowNegative={false}
                  allowDecimal={false}
                  {...form.getInputProps('annualTurnover')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <NumberInput
                  label={t('field.workers')}
                  allowNegative={false}
                  allowDecimal={false}
                  {...form.getInputProps('workers')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Switch
                  mt="xs"
                  label={t('field.covidImpacted')}
                  {...form.getInputProps('covidImpacted', { type: 'checkbox' })}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t('business.ref')}
                  description={t('create.refHelp')}
                  {...form.getInputProps('ref')}
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Text size="xs" c="dimmed">
            {t('create.privacy')}
          </Text>
          <Group>
            <Button type="submit" loading={create.isPending} size="md">
              {t('common.save')}
            </Button>
            <Button component={Link} to="/registry" variant="subtle" size="md">
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
