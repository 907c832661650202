import type { KbliEntry } from './kbli.ts';

// KBLI picked by words: an owner types what they make ("anyaman rotan", "menganyam", "kue basah")
// and gets the codes whose title or sector holds those words. Indonesian affixes are dropped
// (me-/meng-/ber-/di-/pe- in front, -an/-kan/-nya behind) so "menganyam" and "anyaman" both find
// "Anyaman"; matching is by substring of the shortened word, so it only ever finds more.

const prefixes = ['meng', 'meny', 'mem', 'men', 'me', 'ber', 'di', 'peng', 'pem', 'pen', 'pe'];

export function kbliWordStem(word: string): string {
  let w = word;
  for (const suffix of ['nya', 'kan', 'an']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  for (const prefix of prefixes) {
    if (w.startsWith(prefix) && w.length - prefix.length >= 4) return w.slice(prefix.length);
  }
  return w;
}

const stopWords = new Set(['dan', 'dari', 'atau', 'untuk', 'yang', 'usaha', 'jual', 'buat', 'bikin']);

export function kbliSearchWords(q: string): string[] {
  const words = q
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !stopWords.has(w))
    .map(kbliWordStem);
  return [...new Set(words)].slice(0, 6);
}

// The best matches first: most words found, then words found in the title over the sector, then
// the code. A five-digit query is a code.
export function searchKbli(entries: readonly KbliEntry[], q: string, limit = 8): KbliEntry[] {
  const code = q.replace(/[\s.]/g, '');
  if (/^\d{5}$/.test(code)) return entries.filter((e) => e.code === code).slice(0, limit);
  const words = kbliSearchWords(q);
  if (words.length === 0) return [];
  const scored = entries.flatMap((entry) => {
    const title = entry.title.toLowerCase();
    const sector = entry.sector.toLowerCase();
    const inTitle = words.filter((w) => title.includes(w)).length;
    const found = words.filter((w) => title.includes(w) || sector.includes(w)).length;
    return found > 0 ? [{ entry, found, inTitle }] : [];
  });
  scored.sort(
    (x, y) => y.found - x.found || y.inTitle - x.inTitle || x.entry.code.localeCompare(y.entry.code),
  );
  return scored.slice(0, limit).map((s) => s.entry);
}
