import {
  Alert,
  Button,
  Checkbox,
  FileButton,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { fieldRegistrationBody } from '../../../../src/modules/registrations/registrations.schema';
import { PageHeader } from '../../components/PageHeader';
import { useSchemaForm } from '../../lib/form';
import { type PhotoUpload, preparePhoto } from '../../lib/image';
import { useMe } from '../auth/auth';
import { addWalk } from './field-store';
import { syncFieldOutbox } from './field-sync';
import { useSavedReference } from './queries';

type Values = {
  nik: string;
  name: string;
  sex: 'L' | 'P';
  birthDate: string;
  phone: string;
  address: string;
  regionCode: string;
  businessName: string;
  kbli: string;
  annualTurnover: number | string;
  workers: number | string;
  covidImpacted: 'ya' | 'tidak' | '';
  consent: boolean;
};

const numberOrNull = (value: number | string) => (value === '' ? null : Number(value));

// A business the kecamatan officer finds on a walk, registered on the phone with or without
// signal: saved on the phone, sent with its client key when there is signal; the server applies
// the owner's form's checks and enters it in the registry (or queues it, saying why).
export function WalkRegistrationPage() {
  const { t } = useTranslation('field');
  const me = useMe();
  const navigate = useNavigate();
  const kecamatan = me.scope.kecamatan;
  const villages = useSavedReference(
    `regions:${kecamatan ?? 'all'}`,
    kecamatan ? `/regions?parent=${encodeURIComponent(kecamatan)}` : '/regions',
    (r) => ({ code: r.code ?? '', name: r.name ?? '' }),
  );
  const kbli = useSavedReference('kbli', '/kbli', (k) => ({
    code: k.code ?? '',
    name: `${k.code} · ${k.title}`,
  }));
  const [photo, setPhoto] = useState<PhotoUpload | null>(null);
  const { form, onSubmit } = useSchemaForm({
    schema: fieldRegistrationBody,
    initialValues: {
      nik: '',
      name: '',
      sex: 'P',
      birthDate: '',
      phone: '',
      address: '',
      regionCode: '',
      businessName: '',
      kbli: '',
      annualTurnover: '',
      workers: '',
      covidImpacted: '',
      consent: false,
    } as Values,
    toBody: (v) => ({
      clientKey: 'saved-on-phone',
      nik: v.nik,
      name: v.name,
      sex: v.sex,
      birthDate: v.birthDate,
      phone: v.phone,
      address: v.address,
      regionCode: v.regionCode,
      businessName: v.businessName,
      kbli: v.kbli || null,
      annualTurnover: numberOrNull(v.annualTurnover),
      workers: numberOrNull(v.workers),
      covidImpacted: v.covidImpacted === '' ? null : v.covidImpacted === 'ya',
      consent: v.consent as true,
      photo,
    }),
  });

  const submit = onSubmit((body) => {
    const { clientKey: _local, ...rest } = body;
    void addWalk(rest).then(
      async () => {
        if (navigator.onLine) await syncFieldOutbox();
        else
          notifications.show({
            color: 'orange',
            message: t('walk.savedOffline', { name: body.businessName }),
          });
        void navigate('/registry/registrations');
      },
      () => form.setFieldError('consent', t('visit.saveFailed')),
    );
  });

  // 2 kBLI lists (2020 and 2025) share codes: one option per code.
  const kbliOptions = [
    ...new Map((kbli.data ?? []).map((k) => [k.code, { value: k.code, label: k.name }])).values(),
  ];

  return (
    <>
      <PageHeader
        title={t('walk.title')}
        subtitle={t('walk.subtitle')}
        crumbs={[{ label: t('queue.title'), to: '/registry/registrations' }, { label: t('walk.title') }]}
      />
      <form onSubmit={submit} data-testid="walk-form">
        <Stack gap="sm" maw={560}>
          <TextInput
            label={t('walk.nik')}
            inputMode="numeric"
            maxLength={24}
            {...form.getInputProps('nik')}
          />
          <TextInput label={t('walk.name')} maxLength={200} {...form.getInputProps('name')} />
          <SegmentedControl
            data={[
              { value: 'L', label: t('walk.sexL') },
              { value: 'P', label: t('walk.sexP') },
            ]}
            {...form.getInputProps('sex')}
          />
          <TextInput label={t('walk.birthDate')} type="date" {...form.getInputProps('birthDate')} />
          <TextInput
            label={t('walk.phone')}
            type="tel"
            inputMode="tel"
            maxLength={30}
            {...form.getInputProps('phone')}
          />
          <TextInput label={t('walk.address')} maxLength={500} {...form.getInputProps('address')} />
          <Select
            label={t('walk.kelurahan')}
            data={(villages.data ?? []).map((v) => ({ value: v.code, label: v.name }))}
            searchable
            {...form.getInputProps('regionCode')}
          />
          <TextInput label={t('walk.businessName')} maxLength={200} {...form.getInputProps('businessName')} />
          <Select
            label={t('walk.kbli')}
            data={kbliOptions}
            searchable
            clearable
            {...form.getInputProps('kbli')}
          />
          <NumberInput
            label={t('walk.annualTurnover')}
            min={0}
            thousandSeparator="."
            decimalSeparator=","
            {...form.getInputProps('annualTurnover')}
          />
          <NumberInput label={t('walk.workers')} min={0} {...form.getInputProps('workers')} />
          <SegmentedControl
            data={[
              { value: 'ya', label: t('walk.covidYes') },
              { value: 'tidak', label: t('walk.covidNo') },
            ]}
            {...form.getInputProps('covidImpacted')}
          />
          <FileButton
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            onChange={async (file) => {
              if (file) setPhoto(await preparePhoto(file).catch(() => null));
            }}
          >
            {(props) => (
              <Button variant="light" {...props}>
                {photo ? t('visit.photoTaken') : t('visit.photo')}
              </Button>
            )}
          </FileButton>
          <Checkbox label={t('walk.consent')} {...form.getInputProps('consent', { type: 'checkbox' })} />
          {villages.error && (
            <Alert color="orange" variant="light">
              {t('walk.noReference')}
            </Alert>
          )}
          <Button type="submit" size="md">
            {t('walk.save')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('walk.savedFirst')}
          </Text>
        </Stack>
      </form>
    </>
  );
}
