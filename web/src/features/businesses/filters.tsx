import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BusinessFilterQuery } from '../../../../src/modules/businesses/businesses.schema';
import { useRegionNames } from '../reference/queries';

export type FilterKey = keyof BusinessFilterQuery;

// The registry filters as the registry page holds them (URL parameters): empty means "any".
export type RegistryExportFilters = Partial<Record<FilterKey, string | null | undefined>>;

const filterKeys: readonly FilterKey[] = [
  'q',
  'kecamatan',
  'kelurahan',
  'kbli',
  'size',
  'status',
  'covidImpacted',
];

export function activeFilters(filters: RegistryExportFilters): [FilterKey, string][] {
  return filterKeys.flatMap((key): [FilterKey, string][] => {
    const value = filters[key]?.trim();
    return value ? [[key, value]] : [];
  });
}

// A filter as the server logged it: the registry filters plus how the file was made.
type LoggedFilter = Record<string, unknown>;

function asRecord(value: unknown): LoggedFilter {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as LoggedFilter) : {};
}

export function FilterSummary({ filter, empty }: { filter: unknown; empty?: string }) {
  const { t } = useTranslation('registry');
  const record = asRecord(filter);
  const entries = Object.entries(record).filter(
    ([key, value]) =>
      value !== undefined && value !== null && value !== '' && key !== 'personalData' && key !== 'format',
  );
  const regionCodes = entries
    .filter(([key, value]) => (key === 'kecamatan' || key === 'kelurahan') && typeof value === 'string')
    .map(([, value]) => value as string);
  const names = useRegionNames(regionCodes);
  const show = (key: string, value: unknown): string => {
    const text = String(value);
    switch (key) {
      case 'kecamatan':
      case 'kelurahan':
        return names[text] ? `${names[text]} (${text})` : text;
      case 'size':
        return t(`size.${text}`, { defaultValue: text });
      case 'status':
        return t(`status.${text}`, { defaultValue: text });
      case 'covidImpacted':
        return value === true || value === 'true' ? t('yes') : t('no');
      case 'interrupted':
        return '';
      default:
        return text;
    }
  };
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty ?? t('filter.none')}
      </Text>
    );
  }
  return (
    <Group gap={6}>
      {entries.map(([key, value]) =>
        key === 'interrupted' ? (
          <Badge key={key} color="red" variant="light">
            {t('filter.interrupted')}
          </Badge>
        ) : (
          <Badge key={key} variant="default" tt="none" fw={500} style={{ maxWidth: '100%' }}>
            {t(`filter.${key}`, { defaultValue: key })}: {show(key, value)}
          </Badge>
        ),
      )}
    </Group>
  );
}
