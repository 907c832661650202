// How a buyer's search text becomes a query: pure rules, no I/O. The database does the
// stemming (PostgreSQL's Snowball 'indonesian' configuration, on both engines) and the typo
// correction (pg_trgm over the catalogue's vocabulary); this file decides which words are
// searched, which are place names, and the price bands of the facets.

export const maxSearchWords = 8;

// Case and diacritics are ignored, reduplication ("kue-kue", "kue2") counts once, and every
// other character separates words: `%`, `_` and quotes are never operators, only gaps.
export function searchWords(q: string | undefined | null): string[] {
  if (!q) return [];
  const words = q
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(^|[^\p{L}])(\p{L}+)-\2(?=$|[^\p{L}])/gu, '$1$2')
    .replace(/(^|[^\p{L}])(\p{L}+)2(?=$|[^\p{L}\p{N}])/gu, '$1$2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= 40);
  return [...new Set(words)].slice(0, maxSearchWords);
}

// A place the buyer may name: a kecamatan or kelurahan/desa.
export type Place = { code: string; name: string };

// Looks names up by their words ("bukit batu"); the caller decides which places exist.
export type PlaceLookup = (phrase: string) => Place[];

// The longest run of words (up to three) that names a place is taken out of the query and
// becomes a place filter: "tikar bukit batu" is tikar in Bukit Batu. One-word place names
// shorter than four letters are too likely to be ordinary words.
export function splitPlace(
  words: readonly string[],
  lookup: PlaceLookup,
): { places: Place[]; words: string[] } {
  for (const { phrase, start, size } of placePhrases(words)) {
    const places = lookup(phrase);
    if (places.length > 0) {
      return { places, words: [...words.slice(0, start), ...words.slice(start + size)] };
    }
  }
  return { places: [], words: [...words] };
}

// The runs of words that may name a place, in the order splitPlace tries them (longest first,
// then from the left).
export function placePhrases(words: readonly string[]): { phrase: string; start: number; size: number }[] {
  const phrases: { phrase: string; start: number; size: number }[] = [];
  for (let size = Math.min(3, words.length); size >= 1; size--) {
    for (let start = 0; start + size <= words.length; start++) {
      const phrase = words.slice(start, start + size).join(' ');
      if (size === 1 && phrase.length < 4) continue;
      phrases.push({ phrase, start, size });
    }
  }
  return phrases;
}

// Price bands of the facet, in whole rupiah: [min, max) with max null for "and above".
export const priceBands = [
  { key: 'lt50k', min: 0, max: 50_000 },
  { key: '50k-100k', min: 50_000, max: 100_000 },
  { key: '100k-250k', min: 100_000, max: 250_000 },
  { key: '250k-500k', min: 250_000, max: 500_000 },
  { key: 'gte500k', min: 500_000, max: null },
] as const;

export type PriceBandKey = (typeof priceBands)[number]['key'];

export function priceBand(key: string | undefined | null) {
  return priceBands.find((b) => b.key === key) ?? null;
}

// "mungkin maksud Anda …": the query as typed with each corrected word replaced.
export function suggestQuery(
  words: readonly string[],
  corrections: ReadonlyMap<string, string>,
): string | null {
  if (![...corrections.entries()].some(([from, to]) => from !== to)) return null;
  return words.map((w) => corrections.get(w) ?? w).join(' ');
}

// Precision at k of a ranked list against the names a buyer meant: the share of the first k
// results that are relevant, out of at most k (a query with two relevant products scores 1
// when both come in the first five).
export function precisionAt(k: number, ranked: readonly string[], relevant: readonly string[]): number {
  const wanted = new Set(relevant);
  const hits = ranked.slice(0, k).filter((name) => wanted.has(name)).length;
  return hits / Math.max(1, Math.min(k, wanted.size));
}
