import { MultiSelect, NumberInput, SegmentedControl, Select } from '@mantine/core';
import { QueryBuilderMantine } from '@react-querybuilder/mantine';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryBuilder, type RuleGroupType, type ValueEditorProps } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import './rule-builder.css';
import { kbliOptions, type Region, useKbliList, useKecamatan, useRegionsOf } from '../reference/queries';
import type { RuleField } from './rule-query';

type Option = { value: string; label: string };
type OptionGroup = { group: string; items: Option[] };

// Every kelurahan of the city, grouped by kecamatan.
function useCityKelurahan(kecamatan: Region[]): OptionGroup[] {
  const names = new Map(kecamatan.map((k) => [k.code, k.name]));
  return useRegionsOf(kecamatan.map((k) => k.code)).map(({ parent, regions }) => ({
    group: names.get(parent) ?? parent,
    items: regions.map((r) => ({ value: r.code, label: r.name })),
  }));
}

function useFieldOptions(field: RuleField): (Option | OptionGroup)[] {
  const { t } = useTranslation('rules');
  const kecamatan = useKecamatan();
  const kelurahan = useCityKelurahan(kecamatan);
  const kbli = useKbliList();
  return useMemo(() => {
    switch (field.name) {
      case 'kecamatan':
        return kecamatan.map((k) => ({ value: k.code, label: k.name }));
      case 'kelurahan':
        return kelurahan;
      case 'kbli':
        return kbliOptions(kbli);
      default:
        return field.choices.map((v) => ({
          value: v,
          label: t(`value.${field.name}.${v}`, { defaultValue: v }),
        }));
    }
  }, [field, kecamatan, kelurahan, kbli, t]);
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? value.split(',') : [];

// Values are picked, not typed: regions and KBLI from the reference lists, yes/no as such.
function RuleValueEditor({ fieldData, operator, value, handleOnChange, disabled }: ValueEditorProps) {
  const { t, i18n } = useTranslation('rules');
  const field = fieldData as RuleField;
  const options = useFieldOptions(field);
  const label = field.label;
  switch (field.kind) {
    case 'number':
      return (
        <NumberInput
          aria-label={label}
          size="xs"
          w={190}
          min={0}
          value={typeof value === 'number' ? value : value === '' || value === undefined ? '' : Number(value)}
          onChange={(v) => handleOnChange(typeof v === 'number' ? v : v === '' ? '' : Number(v))}
          thousandSeparator={i18n.language === 'en' ? ',' : '.'}
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          disabled={disabled}
        />
      );
    case 'boolean':
      return (
        <SegmentedControl
          aria-label={label}
          size="xs"
          data={[
            { value: 'true', label: t('builder.yes') },
            { value: 'false', label: t('builder.no') },
          ]}
          value={value === false ? 'false' : 'true'}
          onChange={(v) => handleOnChange(v === 'true')}
          disabled={disabled}
        />
      );
    default: {
      const multiple = operator === 'in' || operator === 'notIn';
      const common = {
        'aria-label': label,
        size: 'xs' as const,
        data: options,
        searchable: true,
        disabled,
        miw: 180,
        style: { flex: '1 1 220px' },
        comboboxProps: { withinPortal: true },
      };
      return multiple ? (
        <MultiSelect
          {...common}
          placeholder={t('builder.pickValues')}
          value={asList(value)}
          onChange={(v) => handleOnChange(v)}
          clearable
        />
      ) : (
        <Select
          {...common}
          placeholder={t('builder.pickValue')}
          value={Array.isArray(value) ? (value[0] ?? null) : value ? String(value) : null}
          onChange={(v) => handleOnChange(v ?? '')}
        />
      );
    }
  }
}

export function RuleBuilder({
  fields,
  query,
  onChange,
}: {
  fields: RuleField[];
  query: RuleGroupType;
  onChange: (query: RuleGroupType) => void;
}) {
  const { t } = useTranslation('rules');
  const translations = useMemo(
    () => ({
      addRule: { label: t('builder.addRule'), title: t('builder.addRule') },
      addGroup: { label: t('builder.addGroup'), title: t('builder.addGroup') },
      removeRule: { label: '⨯', title: t('builder.remove') },
      removeGroup: { label: '⨯', title: t('builder.remove') },
      fields: { title: t('builder.pickValue') },
      operators: { title: t('builder.pickValue') },
      combinators: { title: t('builder.pickValue') },
    }),
    [t],
  );
  const combinators = useMemo(
    () => [
      { name: 'and', value: 'and', label: t('combinator.and') },
      { name: 'or', value: 'or', label: t('combinator.or') },
    ],
    [t],
  );
  return (
    <div className="pulih-rule-builder" data-testid="rule-builder">
      <QueryBuilderMantine>
        <QueryBuilder
          fields={fields}
          query={query}
          onQueryChange={onChange}
          combinators={combinators}
          controlElements={{ valueEditor: RuleValueEditor }}
          translations={translations}
          controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
          resetOnOperatorChange
          listsAsArrays
          showNotToggle={false}
          maxLevels={3}
        />
      </QueryBuilderMantine>
    </div>
  );
}
