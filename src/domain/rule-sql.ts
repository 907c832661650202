import jsonLogic, { type RulesLogic } from 'json-logic-js';
import { type BusinessSize, byCapital, bySales } from './business-size.ts';
import { type EligibilityFieldName, guardOrdering, ruleClauses, validateRule } from './eligibility.ts';
import { businessStatuses, sexes } from './enums.ts';

// Compiles an eligibility rule into one SQL boolean expression over the registry, so that a
// program can be screened against every business in one query instead of a loop in JS.
//
// The expression reads `businesses b join people p on p.id = b.owner_id`, plus the tables
// exclusion_entries and exclusion_lists. It must agree with evaluateEligibility on every
// business, so it reproduces json-logic-js as JavaScript runs it: loose equality (`==`),
// truthiness (0, '', [] and null are false), `and`/`or` returning an operand, `in` on a
// string being a substring test, and unknown values (SQL NULL, JS null) failing every
// ordering comparison (see guardOrdering). The compiler tracks, for each sub-expression,
// which JavaScript types it can take at run time and under which SQL condition, and builds
// the comparison for each pair of types; constant sub-expressions are evaluated here with
// json-logic-js itself. The few constructs whose JavaScript meaning depends on how an
// array turns into a string (an array compared with `==` or `<`) are refused.
//
// Pure: the result is text and parameters; the screening queries turn it into a query.

export type SqlParam = { param: string; cast: 'text' | 'float8' | 'bigint' | 'date' };
export type SqlPart = string | SqlParam;
export type SqlFragment = readonly SqlPart[];

export class RuleNotScreenable extends Error {
  readonly code = 'rule_not_screenable';
}

export type RuleSqlOptions = {
  // The program's start date (YYYY-MM-DD): the owner's age is counted on this day.
  on: string;
};

// ---- SQL fragments ----

type Frag = SqlPart[];
// A boolean: known at compile time, or an SQL expression that is never NULL.
type B = boolean | Frag;

function q(strings: TemplateStringsArray, ...values: (Frag | SqlParam)[]): Frag {
  const out: Frag = [];
  strings.forEach((text, i) => {
    if (text) out.push(text);
    const value = values[i];
    if (value === undefined) return;
    if (Array.isArray(value)) out.push(...value);
    else out.push(value as SqlParam);
  });
  return out;
}

const raw = (text: string): Frag => [text];
const textParam = (value: string): Frag => [{ param: value, cast: 'text' }];
const numberParam = (value: number): Frag => [{ param: String(value), cast: 'float8' }];
const bigintParam = (value: number): Frag => [{ param: String(value), cast: 'bigint' }];
const dateParam = (value: string): Frag => [{ param: value, cast: 'date' }];

function join(parts: Frag[], separator: string): Frag {
  return parts.flatMap((part, i) => (i === 0 ? part : [separator, ...part]));
}

function sqlOf(b: B): Frag {
  return typeof b === 'boolean' ? raw(b ? 'true' : 'false') : b;
}

function and(...terms: B[]): B {
  const parts: Frag[] = [];
  for (const term of terms) {
    if (term === false) return false;
    if (term !== true) parts.push(term);
  }
  if (parts.length === 0) return true;
  if (parts.length === 1) return parts[0]!;
  return q`(${join(parts, ' and ')})`;
}

function or(...terms: B[]): B {
  const parts: Frag[] = [];
  for (const term of terms) {
    if (term === true) return true;
    if (term !== false) parts.push(term);
  }
  if (parts.length === 0) return false;
  if (parts.length === 1) return parts[0]!;
  return q`(${join(parts, ' or ')})`;
}

function not(term: B): B {
  return typeof term === 'boolean' ? !term : q`(not ${term})`;
}

// ---- values: the JavaScript types an expression can take, each under an SQL condition ----

type Const = { c: unknown };
// What a value is made of, when a comparison with a constant can then be written on the
// column itself: the planner estimates `b.status = 'aktif'` or `p.birth_date <= '2002-08-24'`
// from the column's statistics, but not `b.status::text = …` or an age computed per row, and
// a wrong estimate turns a hash join over the registry into a million index probes.
type Source =
  | { enumColumn: string; enumValues: readonly string[] }
  | { size: true }
  | { intColumn: string }
  | { ageOn: string };
type Alt =
  | ({ t: 'undefined' | 'null'; when: B } & Partial<Const>)
  | ({ t: 'string'; when: B; v: Frag; source?: Source } & Partial<Const>)
  // asText: the number as JavaScript's String() writes it
  | ({ t: 'number'; when: B; v: Frag; asText: Frag; source?: Source } & Partial<Const>)
  | ({ t: 'boolean'; when: B; v: B } & Partial<Const>)
  | ({ t: 'array'; when: B; elems: Val[] } & Partial<Const>)
  // the owner's exclusion list kinds (a JavaScript array in the facts)
  | { t: 'list'; when: B };
type Val = Alt[];

const isConst = (alt: Alt): alt is Alt & Const => 'c' in alt;
const nullish = (alt: Alt) => alt.t === 'null' || alt.t === 'undefined';
const isObject = (alt: Alt) => alt.t === 'array' || alt.t === 'list';

function constAlt(value: unknown): Alt {
  if (value === undefined) return { t: 'undefined', when: true, c: value };
  if (value === null) return { t: 'null', when: true, c: value };
  if (Array.isArray(value))
    return { t: 'array', when: true, elems: value.map((v) => [constAlt(v)]), c: value };
  switch (typeof value) {
    case 'string':
      return { t: 'string', when: true, v: textParam(value), c: value };
    case 'number':
      return { t: 'number', when: true, v: numberParam(value), asText: textParam(String(value)), c: value };
    case 'boolean':
      return { t: 'boolean', when: true, v: value, c: value };
    default:
      throw new RuleNotScreenable(`A value of type ${typeof value} cannot be screened`);
  }
}

function withWhen(alt: Alt, when: B): Alt {
  return { ...alt, when };
}

function boolVal(b: B): Val {
  return [
    typeof b === 'boolean' ? { t: 'boolean', when: true, v: b, c: b } : { t: 'boolean', when: true, v: b },
  ];
}

// ---- the registry's columns ----

const exclusionAny = raw('exists (select 1 from exclusion_entries xe where xe.nik = p.nik)');

function exclusionOfKind(kind: Frag): Frag {
  return q`exists (select 1 from exclusion_entries xe join exclusion_lists xl on xl.id = xe.list_id where xe.nik = p.nik and xl.kind = ${kind})`;
}

function bandsSql(column: string, bands: readonly [number, BusinessSize][]): string {
  const arms = bands.map(([limit, size]) => `when ${column} <= ${limit} then '${size}'`).join(' ');
  return `case ${arms} else 'besar' end`;
}

// classifyBusinessSize: by sales when known (a finite amount ≥ 0), else by capital.
const sizeSql = `(case when b.annual_turnover >= 0 then ${bandsSql('b.annual_turnover', bySales)} when b.capital >= 0 then ${bandsSql('b.capital', byCapital)} end)`;

// ownerAgeAt: completed years on the day, one less while the birthday is still to come.
function ageSql(on: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!match) throw new Error(`ruleToSql: "on" must be a date (YYYY-MM-DD), got ${on}`);
  const year = Number(match[1]);
  const monthDay = Number(match[2]) * 100 + Number(match[3]);
  return `(${year} - extract(year from p.birth_date)::int - case when extract(month from p.birth_date)::int * 100 + extract(day from p.birth_date)::int > ${monthDay} then 1 else 0 end)`;
}

function nullableText(column: string): Val {
  return [
    { t: 'null', when: raw(`${column} is null`), c: null },
    { t: 'string', when: raw(`${column} is not null`), v: raw(column) },
  ];
}

function nullableNumber(column: string, nullTest: string, source: Source): Val {
  return [
    { t: 'null', when: raw(`${nullTest} is null`), c: null },
    {
      t: 'number',
      when: raw(`${nullTest} is not null`),
      v: raw(`${column}::float8`),
      asText: raw(`${column}::text`),
      source,
    },
  ];
}

const salesKnown = '(b.annual_turnover is not null and b.annual_turnover >= 0)';
const salesUnknown = '(b.annual_turnover is null or b.annual_turnover < 0)';
const capitalKnown = '(b.capital is not null and b.capital >= 0)';

function band(column: string, bands: readonly [number, BusinessSize][], size: string): string | null {
  const i = bands.findIndex(([, s]) => s === size);
  const lower = i > 0 ? bands[i - 1]![0] : i < 0 ? bands.at(-1)![0] : null;
  const upper = i >= 0 ? bands[i]![0] : null;
  if (i < 0 && size !== 'besar') return null;
  return [lower === null ? null : `${column} > ${lower}`, upper === null ? null : `${column} <= ${upper}`]
    .filter(Boolean)
    .join(' and ');
}

// size = 'mikro' as ranges of turnover, or of capital when turnover is unknown.
function sizeIs(size: string): B {
  const sales = band('b.annual_turnover', bySales, size);
  const capital = band('b.capital', byCapital, size);
  if (sales === null || capital === null) return false;
  return raw(`((${salesKnown} and ${sales}) or (${salesUnknown} and ${capitalKnown} and ${capital}))`);
}

function fieldVal(name: EligibilityFieldName, options: RuleSqlOptions): Val {
  switch (name) {
    case 'kecamatan':
      return [{ t: 'string', when: true, v: raw('b.kecamatan_code') }];
    case 'kelurahan':
      // A business registered at kecamatan level has no kelurahan.
      return [
        { t: 'null', when: raw('length(b.region_code) <= 8'), c: null },
        { t: 'string', when: raw('length(b.region_code) > 8'), v: raw('b.region_code') },
      ];
    case 'kbli':
      return nullableText('b.kbli');
    case 'size':
      return [
        { t: 'null', when: raw(`(${salesUnknown} and not ${capitalKnown})`), c: null },
        {
          t: 'string',
          when: raw(`(${salesKnown} or ${capitalKnown})`),
          v: raw(sizeSql),
          source: { size: true },
        },
      ];
    case 'covidImpacted':
      return [
        { t: 'null', when: raw('b.covid_impacted is null'), c: null },
        { t: 'boolean', when: raw('b.covid_impacted is not null'), v: raw('b.covid_impacted') },
      ];
    case 'annualTurnover':
      return nullableNumber('b.annual_turnover', 'b.annual_turnover', { intColumn: 'b.annual_turnover' });
    case 'workers':
      return nullableNumber('b.workers', 'b.workers', { intColumn: 'b.workers' });
    case 'status':
      return [
        {
          t: 'string',
          when: true,
          v: raw('b.status::text'),
          source: { enumColumn: 'b.status', enumValues: businessStatuses },
        },
      ];
    case 'ownerAge':
      return nullableNumber(ageSql(options.on), 'p.birth_date', { ageOn: options.on });
    case 'ownerSex':
      return [
        { t: 'null', when: raw('p.sex is null'), c: null },
        {
          t: 'string',
          when: raw('p.sex is not null'),
          v: raw('p.sex::text'),
          source: { enumColumn: 'p.sex', enumValues: sexes },
        },
      ];
    case 'exclusions':
      return [{ t: 'list', when: true }];
  }
}

// ---- JavaScript's conversions ----

// Number(text): blank is 0, a decimal literal its value, anything else NaN (SQL NULL here).
// Hexadecimal and binary literals ("0x1f") would be numbers in JavaScript; the registry's
// text columns (region codes, KBLI digits, enum words) never hold them.
function textToNumber(v: Frag): Frag {
  return q`(case when ${v} ~ '^\\s*$' then 0::float8 when ${v} ~ '^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?\\s*$' then (${v})::float8 when ${v} ~ '^\\s*[+-]?Infinity\\s*$' then (btrim(${v}))::float8 end)`;
}

// A number, or NaN (as a constant, or SQL NULL in `v` when `maybeNaN`).
type Num = { c: number } | { v: Frag; maybeNaN: boolean; source?: Source | undefined };

function toNumber(alt: Alt): Num {
  if (isConst(alt) && !isObject(alt)) return { c: Number(alt.c) };
  switch (alt.t) {
    case 'number':
      return { v: alt.v, maybeNaN: false, source: alt.source };
    case 'boolean':
      return { v: q`(case when ${sqlOf(alt.v)} then 1 else 0 end)::float8`, maybeNaN: false };
    case 'string':
      return { v: textToNumber(alt.v), maybeNaN: true };
    case 'null':
      return { c: 0 };
    case 'undefined':
      return { c: Number.NaN };
    case 'array':
    case 'list':
      throw new RuleNotScreenable('An array compared as a number cannot be screened');
  }
}

const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

function compareNumbers(a: Num, b: Num, op: string): B {
  if ('c' in a && 'c' in b) return jsCompare(a.c, b.c, op);
  if (('c' in a && Number.isNaN(a.c)) || ('c' in b && Number.isNaN(b.c))) return false;
  const onColumn =
    'c' in b ? columnCompare(a, op, b.c) : 'c' in a ? columnCompare(b, flipped[op]!, a.c) : null;
  if (onColumn !== null) return onColumn;
  const left = 'c' in a ? numberParam(a.c) : a.v;
  const right = 'c' in b ? numberParam(b.c) : b.v;
  const nan = ('maybeNaN' in a && a.maybeNaN) || ('maybeNaN' in b && b.maybeNaN);
  const sqlOp = op === '==' ? '=' : op;
  return nan ? q`coalesce(${left} ${raw(sqlOp)} ${right}, false)` : q`(${left} ${raw(sqlOp)} ${right})`;
}

// An integer column (or the age) compared with a number, as a comparison on the column.
// Exact because the column holds integers: x <= 2.5 is x <= 2, x > 2.5 is x >= 3.
function columnCompare(n: Num, op: string, c: number): B | null {
  if ('c' in n || !n.source || !Number.isFinite(c)) return null;
  // Every comparison as "x >= k" or its negation, k an integer.
  const bounds: { k: number; negate: boolean }[] =
    op === '>='
      ? [{ k: Math.ceil(c), negate: false }]
      : op === '>'
        ? [{ k: Math.floor(c) + 1, negate: false }]
        : op === '<='
          ? [{ k: Math.floor(c) + 1, negate: true }]
          : op === '<'
            ? [{ k: Math.ceil(c), negate: true }]
            : Number.isInteger(c)
              ? [
                  { k: c, negate: false },
                  { k: c + 1, negate: true },
                ]
              : [];
  if (op === '==' && !Number.isInteger(c)) return false;
  const source = n.source;
  if (op === '==' && 'intColumn' in source) {
    return Number.isSafeInteger(c) ? q`(${raw(source.intColumn)} = ${bigintParam(c)})` : null;
  }
  const terms: B[] = [];
  for (const { k, negate } of bounds) {
    let term: B;
    if ('intColumn' in source) {
      if (!Number.isSafeInteger(k)) return null;
      term = q`(${raw(source.intColumn)} >= ${bigintParam(k)})`;
    } else if ('ageOn' in source) {
      if (Math.abs(k) > 200) return null;
      term = q`(p.birth_date <= ${dateParam(bornBy(source.ageOn, k))})`;
    } else {
      return null;
    }
    terms.push(negate ? not(term) : term);
  }
  return and(...terms);
}

// The last birth date of someone at least `years` old on the day (ownerAgeAt): the same
// day `years` earlier, or 28 February when that day is a 29 February that did not exist.
function bornBy(on: string, years: number): string {
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  const year = y - years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function jsCompare(a: unknown, b: unknown, op: string): boolean {
  // JavaScript's own comparison (with its coercions) is the specification; the casts only
  // let the compiler accept it, they change nothing at run time.
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      // biome-ignore lint/suspicious/noDoubleEquals: JavaScript's loose equality is what json-logic means by ==
      return x == y;
    default:
      throw new Error(`jsCompare: ${op}`);
  }
}

// String(value), for a substring test.
function toText(alt: Alt): Frag {
  if (isConst(alt) && !isObject(alt)) return textParam(String(alt.c));
  switch (alt.t) {
    case 'string':
      return alt.v;
    case 'number':
      return alt.asText;
    case 'boolean':
      return q`(case when ${sqlOf(alt.v)} then 'true' else 'false' end)`;
    case 'null':
      return textParam('null');
    case 'undefined':
      return textParam('undefined');
    case 'array':
    case 'list':
      throw new RuleNotScreenable('An array searched for in a text cannot be screened');
  }
}

function truthyAlt(alt: Alt): B {
  if (isConst(alt)) return jsonLogic.truthy(alt.c);
  switch (alt.t) {
    case 'null':
    case 'undefined':
      return false;
    case 'boolean':
      return alt.v;
    case 'number':
      return q`(${alt.v} <> 0)`;
    case 'string':
      return q`(${alt.v} <> '')`;
    case 'array':
      return alt.elems.length > 0;
    case 'list':
      return exclusionAny;
  }
}

function truthy(val: Val): B {
  return or(...val.map((alt) => and(alt.when, truthyAlt(alt))));
}

// ---- operators, pair by pair of run-time types ----

function pairwise(a: Val, b: Val, f: (x: Alt, y: Alt) => B): B {
  const terms: B[] = [];
  for (const x of a) {
    for (const y of b) {
      const when = and(x.when, y.when);
      if (when !== false) terms.push(and(when, f(x, y)));
    }
  }
  return or(...terms);
}

function sameScalar(x: Alt, y: Alt): B {
  if (x.t === 'boolean' && y.t === 'boolean') {
    if (typeof x.v === 'boolean') return x.v ? y.v : not(y.v);
    if (typeof y.v === 'boolean') return y.v ? x.v : not(x.v);
    return q`(${x.v} = ${y.v})`;
  }
  if (x.t === 'string' && y.t === 'string') {
    if (isConst(y) && x.source) return sourceIs(x.source, String(y.c)) ?? q`(${x.v} = ${y.v})`;
    if (isConst(x) && y.source) return sourceIs(y.source, String(x.c)) ?? q`(${x.v} = ${y.v})`;
    return q`(${x.v} = ${y.v})`;
  }
  if (x.t === 'number' && y.t === 'number') return compareNumbers(toNumber(x), toNumber(y), '==');
  throw new Error(`sameScalar: ${x.t} and ${y.t}`);
}

// An enum or the size equal to a constant, on the columns themselves.
function sourceIs(source: Source, value: string): B | null {
  if ('enumColumn' in source) {
    // The enum's values are known words, safe to write out; any other text never matches.
    return source.enumValues.includes(value) ? raw(`(${source.enumColumn} = '${value}')`) : false;
  }
  if ('size' in source) return sizeIs(value);
  return null;
}

function strictEqual(x: Alt, y: Alt): B {
  if (isConst(x) && isConst(y)) return x.c === y.c;
  if (x.t !== y.t) return false;
  // Two arrays are the same only when they are one object: the facts' list, read twice.
  if (x.t === 'list') return true;
  if (x.t === 'array') return false;
  if (nullish(x)) return true;
  return sameScalar(x, y);
}

function looseEqual(x: Alt, y: Alt): B {
  if (isConst(x) && isConst(y)) return jsCompare(x.c, y.c, '==');
  if (nullish(x) || nullish(y)) return nullish(x) && nullish(y);
  if (isObject(x) || isObject(y)) {
    if (isObject(x) && isObject(y)) return x.t === 'list' && y.t === 'list';
    throw new RuleNotScreenable('An array compared with == cannot be screened');
  }
  if (x.t === y.t) return sameScalar(x, y);
  // A boolean is compared as 0 or 1; a string against a number as Number(string).
  return compareNumbers(toNumber(x), toNumber(y), '==');
}

function relational(op: string) {
  return (x: Alt, y: Alt): B => {
    // guardOrdering has already made the clause false when an operand is null.
    if (nullish(x) || nullish(y)) return false;
    if (isConst(x) && isConst(y)) return jsCompare(x.c, y.c, op);
    if (isObject(x) || isObject(y))
      throw new RuleNotScreenable(`An array compared with ${op} cannot be screened`);
    // Two strings compare by code unit, as the C collation compares bytes.
    if (x.t === 'string' && y.t === 'string') return q`(${x.v} ${raw(op)} ${y.v} collate "C")`;
    return compareNumbers(toNumber(x), toNumber(y), op);
  };
}

// json-logic's "in": membership in an array (by ===), or a substring of a non-empty string.
function within(x: Alt, y: Alt): B {
  if (isConst(x) && isConst(y)) return jsonLogic.apply({ in: [x.c, y.c] } as RulesLogic, {}) === true;
  switch (y.t) {
    case 'undefined':
    case 'null':
    case 'boolean':
    case 'number':
      return false;
    case 'string': {
      if (isConst(y) && y.c === '') return false;
      return q`(${y.v} <> '' and strpos(${y.v}, ${toText(x)}) > 0)`;
    }
    case 'array':
      return withinArray(x, y.elems);
    case 'list':
      if (x.t === 'string') return exclusionOfKind(x.v);
      // The list holds only strings (and never itself).
      return false;
  }
}

function withinArray(x: Alt, elems: Val[]): B {
  const terms: B[] = [];
  if (x.t === 'string' && x.source && !isConst(x) && ('enumColumn' in x.source || 'size' in x.source)) {
    const source = x.source;
    const words = elems
      .filter((e) => e.length === 1 && isConst(e[0]!) && e[0]!.t === 'string')
      .map((e) => String((e[0] as Const).c));
    if ('enumColumn' in source) {
      const known = [...new Set(words.filter((w) => source.enumValues.includes(w)))];
      if (known.length > 0)
        terms.push(raw(`(${source.enumColumn} in (${known.map((w) => `'${w}'`).join(', ')}))`));
    } else {
      terms.push(...[...new Set(words)].map(sizeIs));
    }
    elems = elems.filter((e) => !(e.length === 1 && isConst(e[0]!)));
  }
  if (x.t === 'number' && x.source && 'intColumn' in x.source && !isConst(x)) {
    const whole = elems
      .filter((e) => e.length === 1 && isConst(e[0]!) && e[0]!.t === 'number')
      .map((e) => (e[0] as Const).c as number)
      .filter((n) => Number.isSafeInteger(n));
    if (whole.length > 0)
      terms.push(q`(${raw(x.source.intColumn)} in (${join([...new Set(whole)].map(bigintParam), ', ')}))`);
    elems = elems.filter((e) => !(e.length === 1 && isConst(e[0]!)));
  }
  // Constant elements of the needle's own type become one IN (…).
  if ((x.t === 'string' || x.t === 'number') && !isConst(x)) {
    const same = elems.filter((e) => e.length === 1 && isConst(e[0]!) && e[0]!.t === x.t).map((e) => e[0]!);
    if (same.length > 0) {
      const list = same.map((e) => (e.t === 'string' || e.t === 'number' ? e.v : raw('null')));
      terms.push(q`(${x.v} in (${join(list, ', ')}))`);
    }
    elems = elems.filter((e) => !(e.length === 1 && isConst(e[0]!)));
  }
  for (const elem of elems) terms.push(pairwise([withWhen(x, true)], elem, strictEqual));
  return or(...terms);
}

// ---- the compiler ----

type Node = { op: string; args: unknown[] };

function nodeOf(value: unknown): Node | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  const rawArgs = (value as Record<string, unknown>)[op];
  return { op, args: Array.isArray(rawArgs) ? rawArgs : [rawArgs] };
}

function readsFacts(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(readsFacts);
  const node = nodeOf(value);
  if (!node) return false;
  return node.op === 'var' || node.args.some(readsFacts);
}

// A part that reads no fact has one value for every business: json-logic-js computes it.
function constant(node: unknown): unknown {
  return jsonLogic.apply(guardOrdering(node) as RulesLogic, {});
}

class Compiler {
  constructor(private readonly options: RuleSqlOptions) {}

  value(node: unknown): Val {
    if (!readsFacts(node)) return [constAlt(constant(node))];
    if (Array.isArray(node)) return [{ t: 'array', when: true, elems: node.map((n) => this.value(n)) }];
    const { op, args } = nodeOf(node)!;
    switch (op) {
      case 'var':
        // A default never applies: every fact is present (null when unknown).
        return fieldVal(args[0] as EligibilityFieldName, this.options);
      case 'and':
      case 'or':
        return this.shortCircuit(op, args);
      case 'if':
        return this.conditional(args);
      default:
        return boolVal(this.test(node));
    }
  }

  // "and" answers its first falsy operand (or the last); "or" its first truthy one.
  private shortCircuit(op: 'and' | 'or', args: unknown[]): Val {
    const alts: Alt[] = [];
    let reached: B = true;
    args.forEach((arg, i) => {
      const val = this.value(arg);
      const last = i === args.length - 1;
      for (const alt of val) {
        const stops = op === 'and' ? not(truthyAlt(alt)) : truthyAlt(alt);
        alts.push(withWhen(alt, and(reached, alt.when, last ? true : stops)));
      }
      reached = and(reached, op === 'and' ? truthy(val) : not(truthy(val)));
    });
    return alts.filter((alt) => alt.when !== false);
  }

  private conditional(args: unknown[]): Val {
    const alts: Alt[] = [];
    let reached: B = true;
    let i = 0;
    for (; i < args.length - 1; i += 2) {
      const condition = this.test(args[i]);
      for (const alt of this.value(args[i + 1])) alts.push(withWhen(alt, and(reached, condition, alt.when)));
      reached = and(reached, not(condition));
    }
    if (args.length === i + 1) {
      for (const alt of this.value(args[i])) alts.push(withWhen(alt, and(reached, alt.when)));
    } else {
      alts.push({ t: 'null', when: reached, c: null });
    }
    return alts.filter((alt) => alt.when !== false);
  }

  // The truthiness of a node, as an SQL boolean that is never NULL.
  test(node: unknown): B {
    if (!readsFacts(node)) return jsonLogic.truthy(constant(node));
    if (Array.isArray(node)) return node.length > 0;
    const { op, args } = nodeOf(node)!;
    switch (op) {
      case 'var':
        return truthy(this.value(node));
      case 'and':
        return and(...args.map((a) => this.test(a)));
      case 'or':
        return or(...args.map((a) => this.test(a)));
      case '!':
        return not(this.test(args[0]));
      case '!!':
        return this.test(args[0]);
      case 'if': {
        const terms: B[] = [];
        let reached: B = true;
        let i = 0;
        for (; i < args.length - 1; i += 2) {
          const condition = this.test(args[i]);
          terms.push(and(reached, condition, this.test(args[i + 1])));
          reached = and(reached, not(condition));
        }
        if (args.length === i + 1) terms.push(and(reached, this.test(args[i])));
        return or(...terms);
      }
      case '==':
        return pairwise(this.value(args[0]), this.value(args[1]), looseEqual);
      case '!=':
        return not(pairwise(this.value(args[0]), this.value(args[1]), looseEqual));
      case '===':
        return pairwise(this.value(args[0]), this.value(args[1]), strictEqual);
      case '!==':
        return not(pairwise(this.value(args[0]), this.value(args[1]), strictEqual));
      case '<':
      case '<=':
      case '>':
      case '>=': {
        // relational() fails any pair with an unknown operand: that is guardOrdering's rule.
        const vals = args.map((a) => this.value(a));
        const compare = relational(op);
        return and(...vals.slice(1).map((right, i) => pairwise(vals[i]!, right, compare)));
      }
      case 'in':
        return pairwise(this.value(args[0]), this.value(args[1]), within);
      default:
        throw new RuleNotScreenable(`Operator "${op}" cannot be screened`);
    }
  }
}

// The rule as one SQL boolean expression (never NULL). Throws on a rule that does not
// validate, and RuleNotScreenable on the few constructs SQL cannot mirror exactly.
export function ruleToSql(rule: unknown, options: RuleSqlOptions): SqlFragment {
  const issues = validateRule(rule);
  if (issues.length > 0) throw new Error(`Invalid eligibility rule: ${issues.map((i) => i.code).join(', ')}`);
  const compiler = new Compiler(options);
  return sqlOf(and(...ruleClauses(rule).map((clause) => compiler.test(clause))));
}

// Numbered placeholders ($1, $2, …) for a driver that takes text and parameters.
export function toParameterised(fragment: SqlFragment, firstIndex = 1): { text: string; params: string[] } {
  const params: string[] = [];
  const text = fragment
    .map((part) => {
      if (typeof part === 'string') return part;
      params.push(part.param);
      return `$${firstIndex + params.length - 1}::${part.cast}`;
    })
    .join('');
  return { text, params };
}
