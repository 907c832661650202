import { Code, List, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatRupiah, joinList } from '../../lib/format';
import type { ClauseDescription } from '../../lib/types';
import { useKbliList, useRegionNames } from '../reference/queries';

type Names = { regions: Record<string, string>; kbli: Record<string, string> };

const setOps = new Set(['eq', 'in', 'neq', 'not_in']);
const numericFields = new Set(['annualTurnover', 'workers', 'ownerAge']);
const specificSetFields = new Set(['kecamatan', 'kelurahan', 'kbli', 'size', 'status', 'ownerSex']);

function valueWord(t: TFunction, field: string, value: unknown, names: Names): string {
  const text = String(value);
  switch (field) {
    case 'kecamatan':
    case 'kelurahan':
      return names.regions[text] ?? text;
    case 'kbli': {
      const title = names.kbli[text];
      return title ? t('rule.kbliValue', { title, code: text }) : t('rule.kbliCode', { code: text });
    }
    case 'size':
      return t(`businessSize.${text}`, { defaultValue: text });
    case 'status':
      return t(`businessStatus.${text}`, { defaultValue: text });
    case 'ownerSex':
      return t(`sexWord.${text}`, { defaultValue: text });
    case 'annualTurnover':
      return typeof value === 'number' ? formatRupiah(value) : text;
    case 'workers':
      return typeof value === 'number' ? t('rule.people', { count: value, n: formatNumber(value) }) : text;
    case 'ownerAge':
      return typeof value === 'number' ? t('rule.years', { count: value, n: formatNumber(value) }) : text;
    default:
      return typeof value === 'boolean' ? t(value ? 'common.yes' : 'common.no') : text;
  }
}

// One clause of a JSON Logic rule, as a phrase a program officer can read aloud, e.g.
// "tinggal di Kecamatan Bukit Batu atau Rakumpit".
export function describeClause(t: TFunction, clause: ClauseDescription, names: Names): string {
  const { field, op, values } = clause;
  const subject = t(`subject.${field}`, { defaultValue: field });
  if (op === 'complex') return t('rule.complex', { rule: JSON.stringify(values[0] ?? values) });
  if (field === 'covidImpacted') {
    const yes =
      op === 'true' ||
      ((op === 'eq' || op === 'in') && values[0] === true) ||
      (op === 'neq' && values[0] === false);
    return t(yes ? 'rule.covidImpacted.true' : 'rule.covidImpacted.false');
  }
  if (field === 'exclusions') {
    const kinds = values.map((v) => t(`rules:value.exclusions.${String(v)}`, { defaultValue: String(v) }));
    return t(`rules:clause.exclusions.${op}`, { values: joinList(kinds, 'disjunction'), defaultValue: op });
  }
  if (op === 'true' || op === 'false') return t(`rule.bool.${op}`, { subject });
  const words = values.map((v) => valueWord(t, field, v, names));
  if (setOps.has(op)) {
    const positive = op === 'eq' || op === 'in';
    const list = joinList(words, 'disjunction');
    const suffix = positive ? 'in' : 'not_in';
    if (specificSetFields.has(field)) return t(`rule.${field}.${suffix}`, { values: list });
    return t(`rule.generic.${suffix}`, { subject, values: list });
  }
  if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') {
    return t(`rule.compare.${op}`, { subject, value: words[0] ?? '' });
  }
  return t('rule.unknown', { subject, op, values: words.join(', ') });
}

export function useClauseNames(clauses: ClauseDescription[], actual: unknown[] = []): Names {
  const regionCodes = useMemo(
    () => [
      ...clauses
        .filter((c) => c.field === 'kecamatan' || c.field === 'kelurahan')
        .flatMap((c) => c.values.map(String)),
      ...actual.filter((v): v is string => typeof v === 'string' && /^\d{2}\.\d{2}\.\d{2}/.test(v)),
    ],
    [clauses, actual],
  );
  const regions = useRegionNames(regionCodes);
  const kbliList = useKbliList();
  const kbli = useMemo(() => Object.fromEntries(kbliList.map((k) => [k.code, k.title])), [kbliList]);
  return { regions, kbli };
}

export function ClauseText({ clause }: { clause: ClauseDescription }) {
  const { t } = useTranslation(['web', 'rules']);
  const clauses = useMemo(() => [clause], [clause]);
  const names = useClauseNames(clauses);
  return <>{describeClause(t, clause, names)}</>;
}

// The whole rule as a list: every clause must hold.
export function EligibilityRule({ clauses }: { clauses: ClauseDescription[] }) {
  const { t } = useTranslation(['web', 'rules']);
  const names = useClauseNames(clauses);
  if (clauses.length === 0) return <Text size="sm">{t('rule.everyone')}</Text>;
  return (
    <div>
      <Text size="sm" mb={4}>
        {t('rule.intro')}
      </Text>
      <List spacing={4} size="sm" data-testid="eligibility-rule">
        {clauses.map((clause) => (
          <List.Item key={`${clause.field}:${clause.op}:${JSON.stringify(clause.values)}`}>
            {describeClause(t, clause, names)}
          </List.Item>
        ))}
      </List>
    </div>
  );
}

// Clause results from an eligibility check or an application: what passed, what failed.
export function ClauseResults({
  clauses,
}: {
  clauses: { passed: boolean; description: ClauseDescription; value?: unknown }[];
}) {
  const { t } = useTranslation(['web', 'rules']);
  const descriptions = useMemo(() => clauses.map((c) => c.description), [clauses]);
  const values = useMemo(() => clauses.map((c) => c.value), [clauses]);
  const names = useClauseNames(descriptions, values);
  return (
    <List spacing={6} size="sm" data-testid="clause-results">
      {clauses.map((c) => (
        <List.Item
          key={`${c.description.field}:${c.description.op}:${JSON.stringify(c.description.values)}`}
          icon={
            <ThemeIcon color={c.passed ? 'teal' : 'red'} size={20} radius="xl" variant="light">
              {c.passed ? <IconCheck size={14} /> : <IconX size={14} />}
            </ThemeIcon>
          }
        >
          <Text span size="sm" fw={c.passed ? 400 : 600}>
            {describeClause(t, c.description, names)}
          </Text>
          {!c.passed && c.value !== undefined && (
            <Text size="xs" c="dimmed">
              {t('rule.actual', {
                value:
                  c.value === null ? t('common.unknown') : valueWord(t, c.description.field, c.value, names),
              })}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

export function RawRule({ rule }: { rule: unknown }) {
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {JSON.stringify(rule, null, 2)}
    </Code>
  );
}

export { numericFields };
