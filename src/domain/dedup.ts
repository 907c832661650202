// Duplicate detection among people: name keys, NIK relations and the score of a pair.
//
// The database evaluates these rules at scale (blocking and scoring in SQL, see
// src/modules/dedup/dedup.queries.ts), so every rule here is written to be evaluated the same
// way in SQL: the name key is a list of steps (lower-casing, regular expressions in the common
// subset of JavaScript and PostgreSQL regexes, literal replacements), similarity is pg_trgm's,
// and the score is plain float8 arithmetic over the features of a pair.

import { normalizeNik } from './nik.ts';

// ---------------------------------------------------------------------------------------------
// Name key

export type NameStep =
  | { kind: 'lower' }
  // `guard`, when given, matches every value the step can change; the database tests it first
  // because it is much cheaper than the replacement itself.
  | { kind: 'regex'; pattern: string; replacement: string; guard?: string }
  | { kind: 'literal'; from: string; to: string }
  | { kind: 'wrap' };

// Honorifics written before a name (haji, hajjah, ibu, bapak, saudara, academic and religious titles).
const titles = [
  'h', 'hj', 'haji', 'hajah', 'hajjah', 'ibu', 'bu', 'bapak', 'bpk', 'bp', 'pak', 'sdr', 'sdri', 'sdra',
  'saudara', 'saudari', 'dr', 'drs', 'dra', 'ir', 'prof', 'ust', 'ustad', 'ustadz', 'ustaz', 'ustadzah',
  'ustazah', 'kh', 'tn', 'ny', 'nn', 'nyonya', 'tuan', 'nona', 'alm', 'almh', 'almarhum', 'almarhumah', 'ns',
]; // biome-ignore format: a word list

// Academic degrees (gelar) written after a name without a comma, as their dotted segments.
// A degree whose letters could be a name on their own (S.E., S.H., M.M.) must carry its dots.
const degrees: string[][] = [
  ['s', 'pd'], ['s', 'pd', 'i'], ['s', 'pd', 'sd'], ['s', 'e'], ['s', 'e', 'i'], ['s', 'h'], ['s', 'h', 'i'],
  ['s', 't'], ['s', 'ag'], ['s', 'kom'], ['s', 'sos'], ['s', 'si'], ['s', 'ip'], ['s', 'i', 'kom'],
  ['s', 'km'], ['s', 'kep'], ['s', 'ked'], ['s', 'farm'], ['s', 'p'], ['s', 'pt'], ['s', 'tp'], ['s', 'hut'],
  ['s', 'sn'], ['s', 'ds'], ['s', 'th'], ['s', 'hum'], ['s', 'psi'], ['s', 'kes'], ['s', 'ak'], ['s', 'tr'],
  ['a', 'md'], ['a', 'md', 'keb'], ['a', 'md', 'kep'], ['a', 'md', 'kes'], ['a', 'md', 'ak'], ['a', 'md', 'kom'],
  ['amd'], ['amd', 'keb'], ['amd', 'kep'], ['a', 'ma'], ['a', 'ma', 'pd'], ['m', 'm'], ['m', 'pd'], ['m', 'si'],
  ['m', 'h'], ['m', 't'], ['m', 'ag'], ['m', 'kes'], ['m', 'kom'], ['m', 'sc'], ['m', 'a'], ['m', 'e'],
  ['m', 'hum'], ['m', 'ak'], ['m', 'b', 'a'], ['mba'], ['ph', 'd'], ['b', 'a'], ['b', 'sc'], ['apt'],
]; // biome-ignore format: a word list

function degreePattern(segments: string[]): string {
  const dotted = segments.join('\\.\\s?');
  const bare = segments.join('');
  // Without dots only when the letters are unmistakably a degree (spd, skom, amd, mpd …).
  return bare.length >= 3 && segments.length > 1 ? `${dotted}|${bare}` : dotted;
}

const dotlessDegrees = degrees
  .filter((segments) => segments.length === 1 || (segments.join('').length >= 3 && segments.length > 1))
  .map((segments) => segments.join(''));

// Spelling variants folded to one form. Old spelling (oe, dj, tj), Arabic transcriptions (th, dh,
// ch/kh), a final y for i. Applied to the padded key, where every token is " token ".
const folds: [string, string][] = [
  ['oe', 'u'],
  ['dj', 'j'],
  ['tj', 'c'],
  ['sj', 's'],
  ['ch', 'kh'],
  ['kh', 'h'],
  ['sy', 's'],
  ['th', 't'],
  ['dh', 'd'],
  ['ph', 'f'],
  ['q', 'k'],
  ['y ', 'i '],
];

// Tokens (after folding and doubled letters collapsed) that are one name written differently.
// "m" alone stands for Muhammad only before another word ("M. Rizki", not "Rizki M.").
export const nameSynonyms: Record<string, string[]> = {
  muhamad: [
    'mohamad', 'muhamed', 'mohamed', 'muhamat', 'mohamat', 'mukhamad', 'mokhamad', 'mukhamat', 'muhammad',
    'mohd', 'muhd', 'muh', 'moh', 'mhd', 'md',
  ],
  ahmad: ['akhmad', 'ahmed', 'ahmat', 'akhmat', 'achmad'],
  abdul: ['abd', 'abdol'],
  nur: ['nor', 'nurul'],
  yohanes: ['johanes', 'yohanis', 'johanis'],
  yusuf: ['yusup', 'jusuf'],
}; // biome-ignore format: a word list

export const nameKeySteps: readonly NameStep[] = [
  { kind: 'lower' },
  // Degrees after a comma ("Siti Aminah, S.Pd., M.M.") go with the comma.
  { kind: 'regex', pattern: ',.*$', replacement: '' },
  { kind: 'regex', pattern: "['`’‘]", replacement: '' },
  { kind: 'regex', pattern: '\\s+', replacement: ' ' },
  // A name that is nothing but titles comes out empty and nameKey() falls back to its letters.
  { kind: 'regex', pattern: `^ ?((${titles.join('|')})(\\. ?| ))+`, replacement: '' },
  {
    kind: 'regex',
    pattern: `( (${degrees.map(degreePattern).join('|')})\\.?)+ ?$`,
    replacement: '',
    guard: `[.]|(${dotlessDegrees.join('|')}) ?$`,
  },
  { kind: 'regex', pattern: '[^a-z]+', replacement: ' ' },
  { kind: 'regex', pattern: '^ +| +$', replacement: '' },
  // Every token gets its own surrounding spaces, so literal " token " replacements never overlap.
  { kind: 'literal', from: ' ', to: '  ' },
  { kind: 'wrap' },
  ...folds.map(([from, to]): NameStep => ({ kind: 'literal', from, to })),
  { kind: 'regex', pattern: '([a-z])\\1+', replacement: '\\1' },
  ...Object.entries(nameSynonyms).flatMap(([canonical, variants]) =>
    variants
      .map((variant): NameStep => ({ kind: 'literal', from: ` ${variant} `, to: ` ${canonical} ` }))
      .concat(canonical === 'muhamad' ? [{ kind: 'literal', from: ' m  ', to: ' muhamad  ' }] : []),
  ),
  { kind: 'regex', pattern: ' +', replacement: ' ' },
  { kind: 'regex', pattern: '^ | $', replacement: '' },
];

function compileStep(step: NameStep): (value: string) => string {
  switch (step.kind) {
    case 'lower':
      return (value) => value.toLowerCase();
    case 'regex': {
      const pattern = new RegExp(step.pattern, 'g');
      const replacement = step.replacement.replace(/\\(\d)/g, '$$$1');
      const guard = step.guard === undefined ? null : new RegExp(step.guard);
      return (value) => (guard && !guard.test(value) ? value : value.replace(pattern, replacement));
    }
    case 'literal':
      // most names hold none of the forty-odd variants: a scan instead of an array each
      return (value) => (value.includes(step.from) ? value.split(step.from).join(step.to) : value);
    case 'wrap':
      return (value) => ` ${value} `;
  }
}

const compiledSteps = nameKeySteps.map(compileStep);

const sqlLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

function stepSql(expression: string, step: NameStep): string {
  switch (step.kind) {
    case 'lower':
      return `lower(${expression})`;
    case 'regex':
      return `regexp_replace(${expression}, ${sqlLiteral(step.pattern)}, ${sqlLiteral(step.replacement)}, 'g')`;
    case 'literal':
      return `replace(${expression}, ${sqlLiteral(step.from)}, ${sqlLiteral(step.to)})`;
    case 'wrap':
      return `(' ' || ${expression} || ' ')`;
  }
}

// nameKey() as one PostgreSQL expression over `column`. It has no subquery and calls only
// immutable functions, so that it can define the stored column people.name_key (src/db/schema.ts):
// changing the steps changes the schema, and drizzle-kit generates the migration that recomputes
// the keys. A guarded step repeats the expression before it (for its test and for its branch):
// still cheaper than running the step's long pattern on every name.
export function nameKeySql(column: string): string {
  const key = nameKeySteps.reduce((expression, step) => {
    if (step.kind === 'regex' && step.guard !== undefined) {
      return `case when ${expression} ~ ${sqlLiteral(step.guard)} then ${stepSql(expression, step)} else ${expression} end`;
    }
    return stepSql(expression, step);
  }, column);
  const fallback = `btrim(regexp_replace(lower(${column}), '[^a-z]+', ' ', 'g'))`;
  return `coalesce(nullif(${key}, ''), ${fallback})`;
}

// One key for the ways one person's name gets written: case, spacing, punctuation, titles and
// degrees, Muhammad/Muhamad/M./Moh., old spellings. "Hj. SITI  Aminah, S.Pd" → "siti aminah".
export function nameKey(name: string): string {
  return simpleName.test(name) ? simpleNameKey(name) : nameKeyBySteps(name);
}

// nameKey() by running every step over the whole name: the definition, for any name.
export function nameKeyBySteps(name: string): string {
  const key = compiledSteps.reduce((value, step) => step(value), name);
  // A name that is nothing but a title keeps its letters rather than becoming empty.
  return (
    key ||
    name
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim()
  );
}

// Most names are words of letters with one space between them. For those the steps come down to
// words: titles are leading words followed by another, degrees (their dotless forms, the only
// ones without a dot) trailing words after the first, and every later step (folds, doubled
// letters, synonyms) changes each space-padded word on its own, except that a lone "m" before
// another word is Muhammad. So each word's key is computed once by the same steps and kept: an
// import of a million owners meets a few thousand distinct words, and the sixty steps over each
// whole name were about a tenth of its thread's work. nameKeyBySteps stays the definition;
// dedup.test.ts holds the two together over names built from every title, degree, fold and synonym.
const simpleName = /^[A-Za-z]+(?: [A-Za-z]+)*$/;
const titleWords = new Set(titles);
const dotlessDegreeWords = new Set(dotlessDegrees);
const wrapAt = nameKeySteps.findIndex((step) => step.kind === 'wrap');
const loneM = nameKeySteps.findIndex((step) => step.kind === 'literal' && step.from === ' m  ');
// the steps after the wrap, up to the last two (runs of spaces, the ends), without the lone "m"
const wordSteps = compiledSteps.slice(wrapAt + 1, -2).filter((_, i) => i + wrapAt + 1 !== loneM);
const wordKeys = new Map<string, string>();

function wordKey(word: string): string {
  let key = wordKeys.get(word);
  if (key === undefined) {
    key = wordSteps.reduce((value, step) => step(value), ` ${word} `).trim();
    // bounded: a file of unusual names must not grow it without end
    if (wordKeys.size >= 100_000) wordKeys.clear();
    wordKeys.set(word, key);
  }
  return key;
}

function simpleNameKey(name: string): string {
  const words = name.toLowerCase().split(' ');
  let first = 0;
  while (first < words.length - 1 && titleWords.has(words[first] as string)) first++;
  let end = words.length;
  while (end - 1 > first && dotlessDegreeWords.has(words[end - 1] as string)) end--;
  let key = '';
  // " m  " takes the next word's leading space with it, so of "m m x" only the first is Muhammad
  let afterMuhamad = false;
  for (let i = first; i < end; i++) {
    const word = wordKey(words[i] as string);
    const muhamad: boolean = word === 'm' && i < end - 1 && !afterMuhamad;
    key += (i === first ? '' : ' ') + (muhamad ? 'muhamad' : word);
    afterMuhamad = muhamad;
  }
  return key;
}

// nameKey() where it is known to give what nameKeySql() gives: printable ASCII, on which lower(),
// \s, '.' and the anchors mean the same to both regex engines. The import writes this key with
// the person and leaves other names (accents, curly quotes, other scripts) to the database
// (people.name_key); V8 computes it at a small fraction of PostgreSQL's cost.
const printableAscii = /^[\x20-\x7e]*$/;
export function plainNameKey(name: string): string | null {
  return printableAscii.test(name) ? nameKey(name) : null;
}

export function nameTokens(key: string): string[] {
  return key.split(' ').filter(Boolean);
}

// pg_trgm's similarity() for keys made of [a-z ] (the database computes it the same way): the
// trigrams of every word padded with two spaces before and one after, compared as sets, in float4.
export function trigrams(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  }
  return set;
}

export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return Math.fround(shared / (ta.size + tb.size - shared));
}

export type NameRelation = 'same' | 'reordered' | 'subset' | 'similar';

export function nameRelation(keyA: string, keyB: string): NameRelation {
  // "Nurhayati" / "Nur Hayati": the same letters with a space between are the same name.
  if (keyA.replaceAll(' ', '') === keyB.replaceAll(' ', '')) return 'same';
  const a = new Set(nameTokens(keyA));
  const b = new Set(nameTokens(keyB));
  const aInB = [...a].every((t) => b.has(t));
  const bInA = [...b].every((t) => a.has(t));
  if (aInB && bInA) return 'reordered';
  if (aInB || bInA) return 'subset';
  return 'similar';
}

// ---------------------------------------------------------------------------------------------
// NIK and phone

export type NikRelation = 'equal' | 'one_digit' | 'transposed' | 'two_digits' | 'different';

// Positions (0-based) where two NIKs differ; a NIK that is not 16 digits differs everywhere.
export function nikDifferences(a: string, b: string): number[] {
  const x = normalizeNik(a);
  const y = normalizeNik(b);
  const length = Math.max(x.length, y.length);
  const positions: number[] = [];
  for (let i = 0; i < length; i++) if (x[i] !== y[i]) positions.push(i);
  return positions;
}

export function isAdjacentSwap(a: string, b: string, positions = nikDifferences(a, b)): boolean {
  const [i, j] = positions;
  return positions.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

export function nikRelation(a: string, b: string): NikRelation {
  const positions = nikDifferences(a, b);
  if (positions.length === 0) return 'equal';
  if (positions.length === 1) return 'one_digit';
  if (isAdjacentSwap(normalizeNik(a), normalizeNik(b), positions)) return 'transposed';
  return positions.length === 2 ? 'two_digits' : 'different';
}

// The national part of a mobile number however it was written: "0812-3456-7890", "+62 812…",
// "62812…" and "812…" give "81234567890". Too short to identify anyone → null.
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const key = phone.replace(/[^0-9]/g, '').replace(/^(62)?0?/, '');
  return key.length >= 8 ? key : null;
}

export function samePhone(a: string | null | undefined, b: string | null | undefined): boolean {
  const ka = phoneKey(a);
  return ka !== null && ka === phoneKey(b);
}

// ---------------------------------------------------------------------------------------------
// Addresses

// "Jl. RTA Milono No. 5" and "JALAN RTA MILONO NO 5": one key for both.
export function addressKey(address: string | null | undefined): string | null {
  if (!address) return null;
  const key = ` ${address.toLowerCase()} `
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' jalan ')
    .join(' jl ')
    .split(' gang ')
    .join(' gg ')
    .trim();
  return key || null;
}

// "47111" and "Toko Kelontong  Dian" → "47111 toko kelontong dian".
export function businessKey(kbli: string | null, name: string): string {
  return `${kbli ?? ''} ${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()}`;
}

// ---------------------------------------------------------------------------------------------
// Levenshtein distance (fuzzystrmatch's levenshtein(): insert, delete and substitute cost 1).

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

// ---------------------------------------------------------------------------------------------
// Score

export type Agreement = 'same' | 'different' | 'unknown';

// What the database measures for a pair (compareRecords measures the same in memory).
export type PairFeatures = {
  nikDistance: number; // digits that differ
  nikTransposed: boolean; // exactly two adjacent digits, swapped
  // The NIKs were issued in two kecamatan (digits 1–6 differ).
  nikOtherKecamatan: boolean;
  // The NIKs differ beyond a typo (two digits or more, not two neighbours swapped) and come from
  // two kecamatan, but carry the same birth date and sex (digits 7–12: DDMMYY, day + 40 for
  // women): the person may have moved and got a new NIK there.
  nikMoved: boolean;
  name: NameRelation;
  nameSimilarity: number; // pg_trgm similarity of the keys (a float4)
  // Levenshtein distance of the keys, 1 for two letters swapped (the same letters, distance 2),
  // and 4 for anything above 3.
  nameDistance: number;
  // Letters in the longer of the words each key has and the other lacks ("muhamad ari wibowo" /
  // "muhamad andi wibowo": "andi"), when nameDistance <= 3; else 0.
  nameLength: number;
  shorterNameTokens: number; // words in the shorter key
  nameFrequency: number; // people whose name key is the rarer of the two keys
  birthDate: Agreement; // a difference that a typo explains counts as unknown (see agreement())
  sex: Agreement; // likewise
  samePhone: boolean;
  sameAddress: boolean;
  sameKelurahan: boolean;
  // A business of one and a business of the other with the same KBLI and name (businessKey()):
  // an owner who moves takes the business along.
  sameBusiness: boolean;
  // Another pair of people who moved the same way has its records at the same two addresses as
  // this one: a household registered again together in another kecamatan (the database finds it
  // among the pairs of one run; compareRecords() cannot see other pairs and takes it as given).
  householdMoved: boolean;
};

// score = name evidence × identity evidence, both in [0, 1]; a pair is proposed from `threshold`.
// The name must agree (different people share addresses, phones, birth dates and NIKs one digit
// apart: spouses, siblings, twins, neighbours registered the same day), and so must something
// beyond the name and the NIK: two people with a common name born on one day in neighbouring
// kecamatan have NIKs one digit apart too. Rounded weights, measured on the people generator
// (src/testing/people-generator.ts) by dedup.test.ts and bench/dedup.ts.
export const dedupModel = {
  threshold: 0.7,
  // A name key at most this many people have makes a chance agreement of name and birth date
  // unlikely (about n² / 2 / 20,000 birth dates pairs per key), whatever the size of the registry.
  rareNameCount: 20,
  name: {
    same: 1,
    reordered: 0.95,
    subset: 0.9,
    subsetOfOneWord: 0.8,
    // Similar names: trigram similarity of the keys from `similarityFloor` (no evidence) to
    // `similarityFull` (full evidence), or the share of the differing words' letters that their
    // edit distance leaves alone, from `editFloor` to `editFull`: "Suprtadi" for "Supriadi", not
    // "Andi" for "Ari".
    similarityFloor: 0.3,
    similarityFull: 0.8,
    editFloor: 0.5,
    editFull: 0.85,
  },
  identity: {
    nikOneDigit: 0.3,
    nikTransposed: 0.3,
    nikTwoDigits: 0.15,
    // Less than a birth date: namesakes born on one day in two kecamatan carry it too. It needs
    // a phone, a household or a rare name beside the name and birth date (see dedup.ts header).
    nikMoved: 0.2,
    sameBirthDate: 0.25,
    differentBirthDate: -0.5,
    differentSex: -0.3,
    samePhone: 0.3,
    sameAddress: 0.25,
    sameKelurahan: 0.1,
    sameBusiness: 0.25,
    householdMoved: 0.3,
    rareName: 0.2,
  },
} as const;

export const dedupReasons = [
  'nik_one_digit',
  'nik_transposed',
  'nik_two_digits',
  'nik_moved',
  'name_same',
  'name_variant',
  'name_reordered',
  'name_partial',
  'name_similar',
  'rare_name',
  'same_birth_date',
  'different_birth_date',
  'different_sex',
  'same_phone',
  'same_address',
  'same_kelurahan',
  'same_business',
  'household_moved',
] as const;
export type DedupReason = (typeof dedupReasons)[number];

const clamp = (x: number) => Math.min(1, Math.max(0, x));

export function nameEvidence(
  f: Pick<PairFeatures, 'name' | 'nameSimilarity' | 'nameDistance' | 'nameLength' | 'shorterNameTokens'>,
): number {
  const m = dedupModel.name;
  switch (f.name) {
    case 'same':
      return m.same;
    case 'reordered':
      return m.reordered;
    case 'subset':
      return f.shorterNameTokens >= 2 ? m.subset : m.subsetOfOneWord;
    case 'similar': {
      const trigram = clamp((f.nameSimilarity - m.similarityFloor) / (m.similarityFull - m.similarityFloor));
      const edit =
        f.nameDistance <= 3 && f.nameLength > 0
          ? clamp((1 - f.nameDistance / f.nameLength - m.editFloor) / (m.editFull - m.editFloor))
          : 0;
      return Math.max(trigram, edit);
    }
  }
}

// A rare name counts only between records of one kecamatan: between two kecamatan a rare name
// shared with a birth date is what a namesake born the same day looks like too (their NIKs may
// even be one digit apart: 627102… and 627103… with one serial), so there the pair needs a phone,
// an address or a household in common.
export function rareNameCounts(f: Pick<PairFeatures, 'nameFrequency' | 'nikOtherKecamatan'>): boolean {
  return f.nameFrequency <= dedupModel.rareNameCount && !f.nikOtherKecamatan;
}

// Terms are added in this order in SQL too, so both sums are the same float.
export function identityEvidence(f: PairFeatures): number {
  const m = dedupModel.identity;
  let sum = 0;
  if (f.nikDistance === 1) sum += m.nikOneDigit;
  else if (f.nikTransposed) sum += m.nikTransposed;
  else if (f.nikMoved) sum += m.nikMoved;
  else if (f.nikDistance === 2) sum += m.nikTwoDigits;
  if (f.birthDate === 'same') sum += m.sameBirthDate;
  else if (f.birthDate === 'different') sum += m.differentBirthDate;
  if (f.sex === 'different') sum += m.differentSex;
  if (f.samePhone) sum += m.samePhone;
  if (f.sameAddress) sum += m.sameAddress;
  if (f.sameKelurahan) sum += m.sameKelurahan;
  if (f.sameBusiness) sum += m.sameBusiness;
  if (f.householdMoved) sum += m.householdMoved;
  if (rareNameCounts(f)) sum += m.rareName;
  return clamp(sum);
}

// Four decimals, as stored in dedup_decisions.score; floor(x + 0.5) so SQL rounds the same way.
export function roundScore(score: number): number {
  return Math.floor(score * 10000 + 0.5) / 10000;
}

// A reason and what it weighs in the score: the name's reason is the factor of the name evidence
// (0–1, what the identity evidence is multiplied by), every other reason a term of the identity
// evidence (negative for one that speaks against the pair).
export type DedupSignal = { reason: DedupReason; weight: number };

export function scorePair(f: PairFeatures, options: { nameExact?: boolean } = {}) {
  const name = nameEvidence(f);
  const score = roundScore(name * identityEvidence(f));
  const m = dedupModel.identity;
  const signals: DedupSignal[] = [];
  const add = (reason: DedupReason, weight: number) => signals.push({ reason, weight });
  if (f.nikDistance === 1) add('nik_one_digit', m.nikOneDigit);
  else if (f.nikTransposed) add('nik_transposed', m.nikTransposed);
  else if (f.nikMoved) add('nik_moved', m.nikMoved);
  else if (f.nikDistance === 2) add('nik_two_digits', m.nikTwoDigits);
  switch (f.name) {
    case 'same':
      add(options.nameExact ? 'name_same' : 'name_variant', name);
      break;
    case 'reordered':
      add('name_reordered', name);
      break;
    case 'subset':
      add('name_partial', name);
      break;
    case 'similar':
      if (name > 0) add('name_similar', name);
      break;
  }
  if (rareNameCounts(f)) add('rare_name', m.rareName);
  if (f.birthDate === 'same') add('same_birth_date', m.sameBirthDate);
  if (f.birthDate === 'different') add('different_birth_date', m.differentBirthDate);
  if (f.sex === 'different') add('different_sex', m.differentSex);
  if (f.samePhone) add('same_phone', m.samePhone);
  if (f.sameAddress) add('same_address', m.sameAddress);
  if (f.sameKelurahan) add('same_kelurahan', m.sameKelurahan);
  if (f.sameBusiness) add('same_business', m.sameBusiness);
  if (f.householdMoved) add('household_moved', m.householdMoved);
  return {
    score,
    reasons: signals.map((s) => s.reason),
    signals: signals.map((s) => ({ ...s, weight: roundScore(s.weight) })),
    proposed: score >= dedupModel.threshold,
  };
}

// Names that differ only in case, spacing and punctuation are "the same"; anything else that gives
// the same key (a title, M. for Muhammad, an old spelling) is "a variant".
export function nameExactlyEqual(a: string, b: string): boolean {
  const plain = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim();
  return plain(a) === plain(b);
}

// ---------------------------------------------------------------------------------------------
// In memory (tests, small sets): the same features the database measures.

export type PersonRecord = {
  nik: string;
  name: string;
  sex?: 'L' | 'P' | null;
  birthDate?: string | null;
  phone?: string | null;
  address?: string | null;
  kelurahan?: readonly string[];
  businesses?: readonly string[]; // businessKey() of each business
};

export const sameAddressSimilarity = 0.7;

// Does the record's birth date (or sex) say what its own NIK says (DDMMYY, day + 40 for women)?
function birthAgreesWithNik(record: PersonRecord): boolean {
  const nik = normalizeNik(record.nik);
  const date = record.birthDate ? /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(record.birthDate) : null;
  if (!record.birthDate) return true;
  return (
    date !== null &&
    Number(nik.slice(6, 8)) % 40 === Number(date[3]) &&
    nik.slice(8, 12) === `${date[2]}${date[1]}`
  );
}

function sexAgreesWithNik(record: PersonRecord): boolean {
  return !record.sex || Number(normalizeNik(record.nik).slice(6, 8)) > 40 === (record.sex === 'P');
}

// Two birth dates (or sexes) that differ count against a pair only when each agrees with its own
// NIK and the NIKs are not one typo apart: a record that contradicts its own NIK has a typo of
// its own, and one typo in the NIK explains the difference when the import took the birth date
// (or sex) from the mistyped NIK.
function agreement<T>(a: T | null | undefined, b: T | null | undefined, countsAgainst: boolean): Agreement {
  if (a === null || a === undefined || b === null || b === undefined) return 'unknown';
  if (a === b) return 'same';
  return countsAgainst ? 'different' : 'unknown';
}

// `nameFrequency`: how many people have the rarer key (the database counts them; unknown here).
const sortedLetters = (s: string) => [...s].sort().join('');

export function nameDistance(keyA: string, keyB: string): number {
  const d = Math.min(levenshtein(keyA, keyB), 4);
  const swapped = d === 2 && keyA.length === keyB.length && sortedLetters(keyA) === sortedLetters(keyB);
  return swapped ? 1 : d;
}

// The words of one key the other lacks, in order.
export function nameResidual(key: string, other: string): string {
  const words = new Set(nameTokens(other));
  return nameTokens(key)
    .filter((word) => !words.has(word))
    .join(' ');
}

// Issued in two kecamatan: digits 1–6 differ.
export function nikOtherKecamatan(a: string, b: string): boolean {
  return normalizeNik(a).slice(0, 6) !== normalizeNik(b).slice(0, 6);
}

// Two kecamatan (digits 1–6), the same birth date and sex (digits 7–12), more than a typo apart.
export function nikMoved(a: string, b: string, positions = nikDifferences(a, b)): boolean {
  const x = normalizeNik(a);
  const y = normalizeNik(b);
  return (
    positions.length >= 2 &&
    !isAdjacentSwap(x, y, positions) &&
    x.length === 16 &&
    y.length === 16 &&
    nikOtherKecamatan(x, y) &&
    x.slice(6, 12) === y.slice(6, 12)
  );
}

export function compareRecords(
  a: PersonRecord,
  b: PersonRecord,
  options: { nameFrequency?: number; householdMoved?: boolean } = {},
): PairFeatures {
  const ka = nameKey(a.name);
  const kb = nameKey(b.name);
  const positions = nikDifferences(a.nik, b.nik);
  const transposed = isAdjacentSwap(normalizeNik(a.nik), normalizeNik(b.nik), positions);
  const typo = positions.length === 1 || transposed;
  const distance = nameDistance(ka, kb);
  const kelurahanB = new Set(b.kelurahan ?? []);
  const addressA = addressKey(a.address);
  const addressB = addressKey(b.address);
  return {
    nikDistance: positions.length,
    nikTransposed: transposed,
    nikOtherKecamatan: nikOtherKecamatan(a.nik, b.nik),
    nikMoved: nikMoved(a.nik, b.nik, positions),
    name: nameRelation(ka, kb),
    nameSimilarity: trigramSimilarity(ka, kb),
    nameDistance: distance,
    nameLength: distance <= 3 ? Math.max(nameResidual(ka, kb).length, nameResidual(kb, ka).length) : 0,
    shorterNameTokens: Math.min(nameTokens(ka).length, nameTokens(kb).length),
    nameFrequency: options.nameFrequency ?? Number.POSITIVE_INFINITY,
    birthDate: agreement(a.birthDate, b.birthDate, !typo && birthAgreesWithNik(a) && birthAgreesWithNik(b)),
    sex: agreement(a.sex, b.sex, !typo && sexAgreesWithNik(a) && sexAgreesWithNik(b)),
    samePhone: samePhone(a.phone, b.phone),
    sameAddress:
      addressA !== null &&
      addressB !== null &&
      trigramSimilarity(addressA, addressB) >= sameAddressSimilarity,
    sameKelurahan: (a.kelurahan ?? []).some((k) => kelurahanB.has(k)),
    sameBusiness: (a.businesses ?? []).some((k) => (b.businesses ?? []).includes(k)),
    householdMoved: options.householdMoved ?? false,
  };
}
