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
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../auth/auth';
import { detailText, ErrorAlert, useFieldError } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ApiError, api } from '../../lib/api';
import { kbliOptions, useKbliList, useKecamatan, useRegions } from '../reference/reference';
import type { BusinessCreated, CreateBusinessBody } from '../../lib/types';

type Form = {
  nik: string;
  ownerName: string;
  sex: string | null;
  birthDate: string;
  phone: string;
  address: string;
  name: string;
  kbli: string | null;
  kecamatan: string | null;
  kelurahan: string | null;
  nib: string;
  capital: number | string;
  annualTurnover: number | string;
  workers: number | string;
  covidImpacted: boolean;
  ref: string;
};

const empty = (kecamatan: string | null): Form => ({
  nik: '',
  ownerName: '',
  sex: null,
  birthDate: '',
  phone: '',
  address: '',
  name: '',
  kbli: null,
  kecamatan,
  kelurahan: null,
  nib: '',
  capital: '',
  annualTurnover: '',
  workers: '',
  covidImpacted: false,
  ref: '',
});

const orNull = (s: string) => (s.trim() ? s.trim() : null);
const numberOrNull = (v: number | string) => (typeof v === 'number' ? v : null);

export function BusinessCreatePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const fixedKecamatan = me.role === 'kecamatan_officer' ? (me.organisation?.regionCode ?? null) : null;
  const [form, setForm] = useState<Form>(() => empty(fixedKecamatan));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<BusinessCreated | null>(null);
  const kecamatanList = useKecamatan();
  const kelurahanList = useRegions(form.kecamatan);
  const kbliList = useKbliList();
  const fieldError = useFieldError(error);
  const thousand = i18n.language === 'en' ? ',' : '.';
  const decimal = i18n.language === 'en' ? '.' : ',';

  const kbliChoices = useMemo(() => kbliOptions(kbliList), [kbliList]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: CreateBusinessBody = {
      ref: orNull(form.ref),
      name: form.name.trim(),
      kbli: form.kbli,
      regionCode: form.kelurahan ?? form.kecamatan ?? '',
      nib: orNull(form.nib),
      capital: numberOrNull(form.capital),
      annualTurnover: numberOrNull(form.annualTurnover),
      workers: numberOrNull(form.workers),
      covidImpacted: form.covidImpacted,
      owner: {
        nik: form.nik.trim(),
        name: form.ownerName.trim(),
        sex: form.sex === 'L' || form.sex === 'P' ? form.sex : null,
        birthDate: orNull(form.birthDate),
        phone: orNull(form.phone),
        address: orNull(form.address),
      },
    };
    try {
      setCreated(await api<BusinessCreated>('/businesses', { method: 'POST', body }));
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
      window.scrollTo({ top: 0 });
    } finally {
      setBusy(false);
    }
  };

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
                setCreated(null);
                setForm(empty(fixedKecamatan));
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
          <ErrorAlert error={error} />
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
                  value={form.nik}
                  onChange={(e) => set('nik', e.currentTarget.value)}
                  error={fieldError('owner.nik')}
                  autoComplete="off"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t('business.ownerName')}
                  required
                  value={form.ownerName}
                  onChange={(e) => set('ownerName', e.currentTarget.value)}
                  error={fieldError('owner.name')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <Select
                  label={t('business.sex')}
                  data={[
                    { value: 'L', label: t('sex.L') },
                    { value: 'P', label: t('sex.P') },
                  ]}
                  value={form.sex}
                  onChange={(v) => set('sex', v)}
                  clearable
                />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <TextInput
                  type="date"
                  label={t('business.birthDate')}
                  value={form.birthDate}
                  onChange={(e) => set('birthDate', e.currentTarget.value)}
                  error={fieldError('owner.birthDate')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  type="tel"
                  label={t('business.phone')}
                  placeholder="0812 3456 7890"
                  value={form.phone}
                  onChange={(e) => set('phone', e.currentTarget.value)}
                  error={fieldError('owner.phone')}
                  autoComplete="off"
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t('business.address')}
                  autosize
                  minRows={2}
                  value={form.address}
                  onChange={(e) => set('address', e.currentTarget.value)}
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
                <TextInput
                  label={t('business.name')}
                  required
                  value={form.name}
                  onChange={(e) => set('name', e.currentTarget.value)}
                  error={fieldError('name')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t('business.nib')}
                  inputMode="numeric"
                  value={form.nib}
                  onChange={(e) => set('nib', e.currentTarget.value)}
                  error={fieldError('nib')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t('field.kecamatan')}
                  required
                  data={kecamatanList.map((k) => ({ value: k.code, label: k.name }))}
                  value={form.kecamatan}
                  onChange={(v) => setForm((f) => ({ ...f, kecamatan: v, kelurahan: null }))}
                  disabled={fixedKecamatan !== null}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t('field.kelurahan')}
                  required
                  data={kelurahanList.map((k) => ({ value: k.code, label: k.name }))}
                  value={form.kelurahan}
                  onChange={(v) => set('kelurahan', v)}
                  disabled={!form.kecamatan}
                  searchable
                  error={fieldError('regionCode')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Select
                  label={t('field.kbli')}
                  data={kbliChoices}
                  value={form.kbli}
                  onChange={(v) => set('kbli', v)}
                  searchable
                  clearable
                  error={fieldError('kbli')}
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
                  value={form.capital}
                  onChange={(v) => set('capital', v)}
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
                  value={form.annualTurnover}
                  onChange={(v) => set('annualTurnover', v)}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <NumberInput
                  label={t('field.workers')}
                  allowNegative={false}
                  allowDecimal={false}
                  value={form.workers}
                  onChange={(v) => set('workers', v)}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Switch
                  mt="xs"
                  label={t('field.covidImpacted')}
                  checked={form.covidImpacted}
                  onChange={(e) => set('covidImpacted', e.currentTarget.checked)}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t('business.ref')}
                  description={t('create.refHelp')}
                  value={form.ref}
                  onChange={(e) => set('ref', e.currentTarget.value)}
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Text size="xs" c="dimmed">
            {t('create.privacy')}
          </Text>
          <Group>
            <Button type="submit" loading={busy} size="md">
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
