import {
  Button,
  Card,
  FileInput,
  Group,
  Image,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type Settings, settingsBody, timeZones } from '../../../../src/modules/settings/settings.schema';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { apiBase } from '../../lib/api';
import { useSchemaForm } from '../../lib/form';
import { KecamatanMapCard } from './KecamatanMapCard';
import { useSaveLogo, useSaveSettings, useSettingsQuery } from './queries';

async function readBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation('accounts');
  const save = useSaveSettings();
  const logo = useSaveLogo();
  const initial = {
    regionCode: settings.regionCode,
    officeName: settings.officeName,
    officeAddress: settings.officeAddress,
    headName: settings.headName,
    headNip: settings.headNip,
    headPosition: settings.headPosition,
    placeName: settings.placeName,
    timeZone: settings.timeZone as string,
    publicUrl: settings.publicUrl ?? '',
  };
  const { form, onSubmit, showServerErrors } = useSchemaForm({
    schema: settingsBody,
    initialValues: initial,
    toBody: (v) => ({
      ...v,
      timeZone: v.timeZone as Settings['timeZone'],
      publicUrl: v.publicUrl.trim() || null,
    }),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the stored settings change
  useEffect(() => form.setValues(initial), [settings]);
  return (
    <Stack gap="lg">
      <Card withBorder>
        <form
          onSubmit={onSubmit((body) =>
            save.mutate(body, {
              onSuccess: () => notifications.show({ color: 'teal', message: t('settings.saved') }),
              onError: showServerErrors,
            }),
          )}
        >
          <Stack gap="sm" maw={640}>
            <Title order={3} size="h4">
              {t('settings.office')}
            </Title>
            <TextInput
              label={t('settings.regionCode')}
              description={
                settings.regionName
                  ? `${settings.regionName} · ${settings.government}`
                  : t('settings.regionHint')
              }
              {...form.getInputProps('regionCode')}
            />
            <TextInput
              label={t('settings.placeName')}
              description={t('settings.placeHint')}
              {...form.getInputProps('placeName')}
            />
            <TextInput label={t('settings.officeName')} {...form.getInputProps('officeName')} />
            <Textarea
              label={t('settings.officeAddress')}
              autosize
              minRows={2}
              {...form.getInputProps('officeAddress')}
            />
            <Group grow>
              <TextInput label={t('settings.headName')} {...form.getInputProps('headName')} />
              <TextInput
                label={t('settings.headNip')}
                inputMode="numeric"
                {...form.getInputProps('headNip')}
              />
            </Group>
            <TextInput label={t('settings.headPosition')} {...form.getInputProps('headPosition')} />
            <Select
              label={t('settings.timeZone')}
              data={timeZones.map((z) => ({ value: z, label: t(`settings.zones.${z.replace('/', '_')}`) }))}
              allowDeselect={false}
              {...form.getInputProps('timeZone')}
            />
            <TextInput
              label={t('settings.publicUrl')}
              description={t('settings.publicUrlHint')}
              placeholder="https://pulih.palangkaraya.go.id"
              {...form.getInputProps('publicUrl')}
            />
            <ErrorAlert error={save.error} />
            <Button type="submit" loading={save.isPending} w="fit-content">
              {t('save')}
            </Button>
          </Stack>
        </form>
      </Card>
      <Card withBorder>
        <Stack gap="sm" maw={640}>
          <Title order={3} size="h4">
            {t('settings.logo')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.logoHint')}
          </Text>
          {settings.hasLogo && (
            <Image
              src={`${apiBase}/settings/logo?v=${logo.submittedAt}`}
              alt={t('settings.logo')}
              w={96}
              h={96}
              fit="contain"
            />
          )}
          <FileInput
            accept="image/png,image/jpeg"
            label={t('settings.logoFile')}
            onChange={(file) => {
              if (!file) return;
              void readBase64(file).then((dataBase64) =>
                logo.mutate({
                  contentType: file.type === 'image/png' ? 'image/png' : 'image/jpeg',
                  dataBase64,
                }),
              );
            }}
          />
          <ErrorAlert error={logo.error} />
        </Stack>
      </Card>
      <KecamatanMapCard />
    </Stack>
  );
}

export function SettingsPage() {
  const { t } = useTranslation('accounts');
  const settings = useSettingsQuery();
  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      {settings.data ? <SettingsForm settings={settings.data} /> : <Loading />}
    </>
  );
}
