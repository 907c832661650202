import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBusinessQuery, useBusinessSearchQuery } from '../businesses/queries';

// The business and application a complaint is about, picked from what the officer may see:
// the business search is the registry list, which the server holds to the officer's scope.
export function LinkPicker(props: {
  businessId: string;
  applicationId: string;
  onChange: (link: { businessId: string; applicationId: string }) => void;
}) {
  const { t } = useTranslation('complaints');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 350);
  const businesses = useBusinessSearchQuery(debounced, 20, debounced.length >= 2);
  const picked = useBusinessQuery(props.businessId || null);
  const options = (businesses.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }));
  if (picked.data && !options.some((o) => o.value === picked.data.id))
    options.unshift({ value: picked.data.id, label: picked.data.name });
  const applications = (picked.data?.applications ?? []).map((a) => ({ value: a.id, label: a.programName }));
  return (
    <>
      <Select
        label={t('form.business')}
        placeholder={t('form.businessSearch')}
        searchable
        clearable
        data={options}
        value={props.businessId || null}
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: o }) => o}
        nothingFoundMessage={debounced.length >= 2 ? t('form.noBusiness') : undefined}
        onChange={(v) => props.onChange({ businessId: v ?? '', applicationId: '' })}
      />
      {applications.length > 0 && (
        <Select
          label={t('form.application')}
          clearable
          data={applications}
          value={props.applicationId || null}
          onChange={(v) => props.onChange({ businessId: props.businessId, applicationId: v ?? '' })}
        />
      )}
    </>
  );
}
