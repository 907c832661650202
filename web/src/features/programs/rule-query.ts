import type { TFunction } from 'i18next';
import {
  type Field,
  type FullOperator,
  formatQuery,
  type RuleGroupType,
  type RuleGroupTypeAny,
  type RuleType,
} from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';

// The eligibility fields as GET /programs/fields lists them.
export type FieldInfo = {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'enum' | 'list';
  values?: string[];
};

// Only operators whose JSON Logic the server reads back clause by clause (describeRule):
// no "between" (two conditions read better) and no null tests.
const operatorsByType: Record<FieldInfo['type'], string[]> = {
  string: ['in', 'notIn', '=', '!='],
  enum: ['in', 'notIn', '=', '!='],
  number: ['>=', '<=', '>', '<', '=', '!='],
  boolean: ['='],
  list: ['doesNotContain', 'contains'],
};

const defaultOperatorOf: Record<FieldInfo['type'], string> = {
  string: 'in',
  enum: 'in',
  number: '>=',
  boolean: '=',
  list: 'doesNotContain',
};

export type RuleField = Field & { value: string; kind: FieldInfo['type']; choices: string[] };

export function builderFields(fields: FieldInfo[], t: TFunction): RuleField[] {
  return fields.map((f) => ({
    name: f.name,
    value: f.name,
    label: t(`field.${f.name}`, { defaultValue: f.name }),
    kind: f.type,
    choices: f.values ?? [],
    ...(f.type === 'number' ? { inputType: 'number' } : {}),
    operators: operatorsByType[f.type].map(
      (name): FullOperator => ({ name, value: name, label: t(`operator.${name}`, { defaultValue: name }) }),
    ),
    defaultOperator: defaultOperatorOf[f.type],
    defaultValue: f.type === 'boolean' ? true : f.type === 'list' ? (f.values?.[0] ?? 'asn') : undefined,
  }));
}

export const emptyQuery: RuleGroupType = { combinator: 'and', rules: [] };

const isEmptyValue = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

// A condition still being filled in is left out of the rule rather than sent as "= ''".
function complete(group: RuleGroupTypeAny): RuleGroupType {
  const rules = group.rules.flatMap((r): (RuleType | RuleGroupType)[] => {
    if (typeof r === 'string') return [];
    if ('rules' in r) {
      const inner = complete(r);
      return inner.rules.length > 0 ? [inner] : [];
    }
    return isEmptyValue(r.value) ? [] : [r];
  });
  return { ...(group as RuleGroupType), rules };
}

// The query as the JSON Logic rule the programs API stores; no condition admits everyone.
export function ruleOf(query: RuleGroupType, fields: RuleField[]): unknown {
  const rule = formatQuery(complete(query), { format: 'jsonlogic', fields, parseNumbers: 'strict-limited' });
  return rule === false ? true : rule;
}

function normalise(rule: unknown): string {
  if (rule === null || rule === undefined || rule === true) return 'true';
  if (typeof rule === 'object' && !Array.isArray(rule) && Object.keys(rule as object).length === 0)
    return 'true';
  const and = (rule as { and?: unknown[] }).and;
  if (Array.isArray(and) && and.length === 0) return 'true';
  if (Array.isArray(and) && and.length === 1) return normalise(and[0]);
  return JSON.stringify(rule);
}

// The builder's query for a stored rule, and whether the builder shows all of it (a rule
// written by hand may use JSON Logic the builder has no control for).
export function queryOf(rule: unknown, fields: RuleField[]): { query: RuleGroupType; complete: boolean } {
  if (normalise(rule) === 'true') return { query: emptyQuery, complete: true };
  let query: RuleGroupType;
  try {
    // The parser ships from @react-querybuilder/core, whose types are a newer copy of the same shapes.
    query = parseJsonLogic(rule as Parameters<typeof parseJsonLogic>[0], {
      listsAsArrays: true,
    }) as unknown as RuleGroupType;
  } catch {
    return { query: emptyQuery, complete: false };
  }
  return { query, complete: normalise(ruleOf(query, fields)) === normalise(rule) };
}
