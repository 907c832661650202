import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page, query } from '../../lib/api';
import type { BusinessItem } from '../../lib/types';

// An owner account belongs to a person of the registry: found by their business or name.
export function OwnerPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (personId: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation('accounts');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 350);
  const found = useQuery({
    queryKey: ['businesses', 'owner-picker', debounced],
    queryFn: ({ signal }) =>
      api<Page<BusinessItem>>(`/businesses${query({ q: debounced, limit: 20 })}`, { signal }),
    enabled: debounced.length >= 2,
  });
  const options = new Map<string, string>();
  for (const b of found.data?.items ?? []) options.set(b.owner.id, `${b.owner.name} — ${b.name}`);
  return (
    <Select
      label={t('users.owner')}
      description={t('users.ownerHint')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={[...options].map(([id, label]) => ({ value: id, label }))}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      nothingFoundMessage={debounced.length >= 2 ? t('users.noOwner') : undefined}
      filter={({ options: o }) => o}
      error={error}
    />
  );
}
