import jsonLogic, { type RulesLogic } from 'json-logic-js';
import type { BusinessSize } from './business-size.ts';
import { businessStatuses, exclusionKinds, sexes } from './enums.ts';
import { type Issue, issue } from './result.ts';
import { ruleLimitBreach } from './rule-limits.ts';

export type EligibilityFacts = {
  kecamatan: string | null;
  kelurahan: string | null;
  kbli: string | null;
  size: BusinessSize | null;
  covidImpacted: boolean | null;
  annualTurnover: number | null;
  workers: number | null;
  status: string | null;
  ownerAge: number | null;
  ownerSex: 'L' | 'P' | null;
  // The kinds of the exclusion lists the owner's NIK is on, e.g. ['asn']. Optional so that
  // facts built without the lists still type-check; a rule that reads it then refuses to run.
  exclusions?: readonly string[];
};

export type EligibilityFieldName = keyof EligibilityFacts;

export type EligibilityField = {
  name: EligibilityFieldName;
  type: 'string' | 'number' | 'boolean' | 'enum' | 'list';
  values?: readonly string[];
};

export { exclusionKinds };
export type ExclusionKind = (typeof exclusionKinds)[number];

export const eligibilityFields: readonly EligibilityField[] = [
  { name: 'kecamatan', type: 'string' },
  { name: 'kelurahan', type: 'string' },
  { name: 'kbli', type: 'string' },
  { name: 'size', type: 'enum', values: ['mikro', 'kecil', 'menengah', 'besar'] },
  { name: 'covidImpacted', type: 'boolean' },
  { name: 'annualTurnover', type: 'number' },
  { name: 'workers', type: 'number' },
  { name: 'status', type: 'enum', values: businessStatuses },
  { name: 'ownerAge', type: 'number' },
  { name: 'ownerSex', type: 'enum', values: sexes },
  { name: 'exclusions', type: 'list', values: exclusionKinds },
];

export type ClauseResult = { rule: unknown; passed: boolean; value: unknown };

export type EligibilityResult = { eligible: boolean; clauses: ClauseResult[] };

export type ClauseOp =
  | 'eq'
  | 'neq'
  | 'in'
  | 'not_in'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'true'
  | 'false'
  | 'listed'
  | 'not_listed'
  | 'complex';

export type ClauseDescription = { field: string; op: ClauseOp; values: unknown[] };

// The founding program: rattan weavers of Bukit Batu or Rakumpit whose business Covid-19 hit.
export const rattanTrainingRule = {
  and: [
    { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    { '==': [{ var: 'kbli' }, '16291'] },
    { '==': [{ var: 'covidImpacted' }, true] },
  ],
};

const unbounded = Number.POSITIVE_INFINITY;

// Allowed operators and how many arguments each takes.
const operatorArity: Record<string, readonly [number, number]> = {
  and: [0, unbounded],
  or: [1, unbounded],
  '!': [1, 1],
  '!!': [1, 1],
  '==': [2, 2],
  '!=': [2, 2],
  '===': [2, 2],
  '!==': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  '>': [2, 2],
  '>=': [2, 2],
  in: [2, 2],
  var: [1, 2],
  if: [1, unbounded],
};

const fieldNames: ReadonlySet<string> = new Set(eligibilityFields.map((f) => f.name));

const orderingOps: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

type Node = { op: string; args: unknown[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// json-logic accepts a single argument without its array: {"!": {"var": "x"}}.
function nodeOf(value: unknown): Node | null {
  if (!isPlainObject(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] === undefined) return null;
  const raw = value[keys[0]];
  return { op: keys[0], args: Array.isArray(raw) ? raw : [raw] };
}

export function isEmptyRule(rule: unknown): boolean {
  return (
    rule === undefined ||
    rule === null ||
    rule === true ||
    (isPlainObject(rule) && Object.keys(rule).length === 0)
  );
}

function checkVar(args: unknown[]): Issue[] {
  const name = args[0];
  if (typeof name !== 'string') return [issue('rule_invalid', 'Nama kolom pada "var" harus berupa teks')];
  if (!fieldNames.has(name)) return [issue('rule_unknown_field', `Kolom "${name}" tidak dikenal`, name)];
  return [];
}

function checkNode(value: unknown): Issue[] {
  if (Array.isArray(value)) return value.flatMap(checkNode);
  if (!isPlainObject(value)) return [];
  const node = nodeOf(value);
  if (!node) return [issue('rule_invalid', 'Setiap bagian aturan harus berisi tepat satu operator')];
  // own keys only: "constructor" or "toString" are not operators
  const arity = Object.hasOwn(operatorArity, node.op) ? operatorArity[node.op] : undefined;
  if (!arity) return [issue('rule_unknown_operator', `Operator "${node.op}" tidak dikenal`)];
  const [min, max] = arity;
  if (node.args.length < min || node.args.length > max) {
    return [issue('rule_invalid', `Jumlah argumen untuk "${node.op}" salah`)];
  }
  return node.op === 'var' ? checkVar(node.args) : node.args.flatMap(checkNode);
}

export function validateRule(rule: unknown): Issue[] {
  if (isEmptyRule(rule) || rule === false) return [];
  // First, without recursion: a rule stored before the limits existed must not overflow the
  // stack of the walks below (it is refused as invalid instead).
  const breach = ruleLimitBreach(rule);
  if (breach)
    return [issue('rule_too_large', `Aturan terlalu besar (${breach.limit}) pada ${breach.path || '/'}`)];
  if (!isPlainObject(rule)) return [issue('rule_invalid', 'Aturan harus berupa objek JSON Logic')];
  return checkNode(rule);
}

function clausesOf(rule: unknown): unknown[] {
  const node = nodeOf(rule);
  return node?.op === 'and' ? node.args : [rule];
}

// The clauses every business must pass, as evaluateEligibility splits them ([] admits all).
export function ruleClauses(rule: unknown): unknown[] {
  return isEmptyRule(rule) ? [] : clausesOf(rule);
}

function varNameOf(value: unknown): string | null {
  const node = nodeOf(value);
  return node?.op === 'var' && typeof node.args[0] === 'string' ? node.args[0] : null;
}

function varsRead(value: unknown): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap(varsRead))];
  const name = varNameOf(value);
  if (name !== null) return [name];
  const node = nodeOf(value);
  return node ? varsRead(node.args) : [];
}

// JavaScript orders null as 0, so "annualTurnover <= 2000000000" would pass for an unknown
// turnover. An ordering comparison with a missing operand fails instead.
export function guardOrdering(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(guardOrdering);
  const node = nodeOf(value);
  if (!node || node.op === 'var') return value;
  const args = node.args.map(guardOrdering);
  if (!orderingOps.has(node.op)) return { [node.op]: args };
  return { and: [...args.map((arg) => ({ '!=': [arg, null] })), { [node.op]: args }] };
}

function readValue(clause: unknown, facts: EligibilityFacts): unknown {
  const names = varsRead(clause);
  const factOf = (name: string) => facts[name as EligibilityFieldName] ?? null;
  if (names.length === 0) return null;
  if (names.length === 1 && names[0] !== undefined) return factOf(names[0]);
  return Object.fromEntries(names.map((name) => [name, factOf(name)]));
}

export function evaluateEligibility(rule: unknown, facts: EligibilityFacts): EligibilityResult {
  const issues = validateRule(rule);
  if (issues.length > 0) throw new Error(`Invalid eligibility rule: ${issues.map((i) => i.code).join(', ')}`);
  if (isEmptyRule(rule)) return { eligible: true, clauses: [] };
  // Without the lists, "not a civil servant" would pass for everyone: refuse instead.
  if (facts.exclusions === undefined && varsRead(rule).includes('exclusions')) {
    throw new Error('Eligibility facts lack "exclusions" but the rule reads it');
  }
  const clauses = clausesOf(rule).map((clause) => ({
    rule: clause,
    passed: jsonLogic.truthy(jsonLogic.apply(guardOrdering(clause) as RulesLogic, facts)),
    value: readValue(clause, facts),
  }));
  return { eligible: clauses.every((c) => c.passed), clauses };
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

const equalityOps: Record<string, 'eq' | 'neq'> = { '==': 'eq', '===': 'eq', '!=': 'neq', '!==': 'neq' };
const orderingNames: Record<string, ClauseOp> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
// "5 < age" reads as "age > 5".
const flippedOrdering: Record<string, ClauseOp> = { '<': 'gt', '<=': 'gte', '>': 'lt', '>=': 'lte' };
const negated: Partial<Record<ClauseOp, ClauseOp>> = {
  eq: 'neq',
  neq: 'eq',
  in: 'not_in',
  not_in: 'in',
  true: 'false',
  false: 'true',
  listed: 'not_listed',
  not_listed: 'listed',
};

// Splits a two-argument node into its field and literal, whichever side the var is on.
function fieldAndLiteral(args: unknown[]): { field: string; literal: unknown; flipped: boolean } | null {
  if (args.length !== 2) return null;
  const [left, right] = args;
  const leftVar = varNameOf(left);
  const rightVar = varNameOf(right);
  if (leftVar !== null && rightVar === null && isScalar(right))
    return { field: leftVar, literal: right, flipped: false };
  if (rightVar !== null && leftVar === null && isScalar(left))
    return { field: rightVar, literal: left, flipped: true };
  return null;
}

function describeEquality(op: 'eq' | 'neq', field: string, literal: unknown): ClauseDescription {
  if (typeof literal === 'boolean') {
    const isTrue = literal === (op === 'eq');
    return { field, op: isTrue ? 'true' : 'false', values: [] };
  }
  return { field, op, values: [literal] };
}

// An "or" of equalities on one field is an "in"; an "and" of inequalities is a "not in".
// Likewise an "or" of exclusion lists is "on one of these lists", an "and" of their
// negations "on none of them".
function describeSet(args: unknown[], partOp: 'eq' | 'neq'): ClauseDescription | null {
  const parts = args.map(describeSimple);
  const first = parts[0];
  if (!first) return null;
  const sameField = parts.every((p) => p && p.field === first.field);
  const listOp = partOp === 'eq' ? 'listed' : 'not_listed';
  const setOp = first.field === 'exclusions' ? listOp : partOp === 'eq' ? 'in' : 'not_in';
  const accepted = first.field === 'exclusions' ? [listOp] : [partOp, setOp];
  if (!sameField || !parts.every((p) => p && accepted.includes(p.op))) return null;
  const values = [...new Set(parts.flatMap((p) => p?.values ?? []))];
  return { field: first.field, op: setOp, values };
}

function describeSimple(clause: unknown): ClauseDescription | null {
  const name = varNameOf(clause);
  if (name !== null) return { field: name, op: 'true', values: [] };
  const node = nodeOf(clause);
  if (!node) return null;
  const equality = equalityOps[node.op];
  if (equality) {
    const pair = fieldAndLiteral(node.args);
    return pair ? describeEquality(equality, pair.field, pair.literal) : null;
  }
  if (orderingOps.has(node.op)) {
    const pair = fieldAndLiteral(node.args);
    if (!pair) return null;
    const op = (pair.flipped ? flippedOrdering : orderingNames)[node.op];
    return op ? { field: pair.field, op, values: [pair.literal] } : null;
  }
  const [first, second] = node.args;
  switch (node.op) {
    case '!!':
      return node.args.length === 1 && varNameOf(first) !== null ? describeSimple(first) : null;
    case '!': {
      const inner = node.args.length === 1 ? describeSimple(first) : null;
      const op = inner ? negated[inner.op] : undefined;
      return inner && op ? { ...inner, op } : null;
    }
    case 'in': {
      // {"in": ["asn", {"var": "exclusions"}]}: the owner is on a list of that kind.
      if (varNameOf(second) === 'exclusions' && typeof first === 'string' && node.args.length === 2) {
        return { field: 'exclusions', op: 'listed', values: [first] };
      }
      const field = varNameOf(first);
      const listed = Array.isArray(second) && second.every(isScalar);
      return field !== null && listed && node.args.length === 2
        ? { field, op: 'in', values: [...second] }
        : null;
    }
    case 'or':
      return describeSet(node.args, 'eq');
    case 'and':
      return describeSet(node.args, 'neq');
    default:
      return null;
  }
}

function describeClause(clause: unknown): ClauseDescription {
  const described = describeSimple(clause);
  if (described) return described;
  const names = varsRead(clause);
  return { field: names.length === 1 ? (names[0] ?? '') : '', op: 'complex', values: [clause] };
}

export function describeRule(rule: unknown): ClauseDescription[] {
  if (isEmptyRule(rule)) return [];
  // a rule past the limits (stored before they existed) is shown as one opaque clause
  if (ruleLimitBreach(rule)) return [{ field: '', op: 'complex', values: [] }];
  return clausesOf(rule).map(describeClause);
}

export function ownerAgeAt(birthDate: string, on: string): number {
  const born = birthDate.slice(0, 10);
  const day = on.slice(0, 10);
  const years = Number(day.slice(0, 4)) - Number(born.slice(0, 4));
  // Compare MM-DD as text: the birthday has not come yet this year when it sorts later.
  return day.slice(5) < born.slice(5) ? years - 1 : years;
}
