import { List, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { joinList } from '../../lib/format';
import type { ClauseDescription } from '../../lib/types';
import { describeClause, useClauseNames } from './EligibilityRule';

// Exclusion lists are new to the rule; their clauses ("not on the list of civil servants")
// are worded here, every other clause by the shared EligibilityRule wording.
function exclusionText(t: TFunction, clause: ClauseDescription): string | null {
  if (clause.field !== 'exclusions') return null;
  const kinds = clause.values.map((v) => t(`value.exclusions.${String(v)}`, { defaultValue: String(v) }));
  switch (clause.op) {
    case 'listed':
    case 'not_listed':
      return t(`clause.exclusions.${clause.op}`, { values: joinList(kinds, 'disjunction') });
    case 'true':
    case 'false':
      return t(`clause.exclusions.${clause.op}`);
    default:
      return null;
  }
}

export function useClauseText(clauses: ClauseDescription[]) {
  const { t } = useTranslation();
  const { t: tr } = useTranslation('rules');
  const names = useClauseNames(clauses);
  return (clause: ClauseDescription) => exclusionText(tr, clause) ?? describeClause(t, clause, names);
}

// The rule as a list of plain-language conditions, every one of which must hold.
export function RuleText({ clauses }: { clauses: ClauseDescription[] }) {
  const { t } = useTranslation();
  const text = useClauseText(clauses);
  if (clauses.length === 0) return <Text size="sm">{t('rule.everyone')}</Text>;
  return (
    <div>
      <Text size="sm" mb={4}>
        {t('rule.intro')}
      </Text>
      <List spacing={4} size="sm" data-testid="eligibility-rule">
        {clauses.map((clause, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: clauses have no identity beyond their place
          <List.Item key={i}>{text(clause)}</List.Item>
        ))}
      </List>
    </div>
  );
}
