import { Button, Card, FileInput, Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mapPropertyNames } from '../../../../src/domain/kecamatan-map';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useKecamatanMapQuery, useSaveKecamatanMap } from './queries';

// The office's kecamatan map (GeoJSON): read in the browser so the officer can pick the property
// that names each kecamatan, then checked and stored by the server. Optional: without it the
// outcomes dashboard shows no map.
export function KecamatanMapCard() {
  const { t } = useTranslation('accounts');
  const state = useKecamatanMapQuery();
  const save = useSaveKecamatanMap();
  const [geojson, setGeojson] = useState<unknown>(null);
  const [unreadable, setUnreadable] = useState(false);
  const [property, setProperty] = useState<string | null>(null);
  const [matchBy, setMatchBy] = useState<'code' | 'name'>('code');
  const properties = mapPropertyNames(geojson);
  const map = state.data?.map ?? null;
  return (
    <Card withBorder>
      <Stack gap="sm" maw={640}>
        <Title order={3} size="h4">
          {t('settings.map.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('settings.map.hint')}
        </Text>
        {map && (
          <Text size="sm" data-testid="kecamatan-map-status">
            {t('settings.map.current', {
              count: map.kecamatan.length,
              date: new Date(map.uploadedAt).toLocaleDateString(),
            })}
            {map.missing.length > 0 &&
              ` ${t('settings.map.missing', { names: map.missing.map((k) => k.name).join(', ') })}`}
          </Text>
        )}
        <FileInput
          accept=".geojson,.json,application/geo+json,application/json"
          label={t('settings.map.file')}
          data-testid="kecamatan-map-file"
          onChange={(file) => {
            setGeojson(null);
            setUnreadable(false);
            setProperty(null);
            save.reset();
            if (!file) return;
            void file
              .text()
              .then((text) => {
                const parsed: unknown = JSON.parse(text);
                setGeojson(parsed);
                setProperty(mapPropertyNames(parsed)[0] ?? null);
              })
              .catch(() => setUnreadable(true));
          }}
        />
        {unreadable && (
          <Text size="sm" c="red">
            {t('settings.map.unreadable')}
          </Text>
        )}
        {geojson !== null && (
          <>
            <Select
              label={t('settings.map.property')}
              description={t('settings.map.propertyHint')}
              data={properties}
              value={property}
              onChange={setProperty}
              allowDeselect={false}
              data-testid="kecamatan-map-property"
            />
            <SegmentedControl
              value={matchBy}
              onChange={(v) => setMatchBy(v === 'name' ? 'name' : 'code')}
              data={[
                { value: 'code', label: t('settings.map.byCode') },
                { value: 'name', label: t('settings.map.byName') },
              ]}
              w="fit-content"
            />
          </>
        )}
        <ErrorAlert error={save.error} />
        {save.isSuccess && save.data.map && (
          <Text size="sm" c="teal">
            {t('settings.map.saved', { count: save.data.map.kecamatan.length })}
          </Text>
        )}
        <Group>
          <Button
            disabled={geojson === null || !property}
            loading={save.isPending}
            onClick={() => property && save.mutate({ geojson, property, matchBy })}
            data-testid="kecamatan-map-upload"
          >
            {t('settings.map.upload')}
          </Button>
          {map && (
            <Button variant="default" color="red" onClick={() => save.mutate(null)}>
              {t('settings.map.remove')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
