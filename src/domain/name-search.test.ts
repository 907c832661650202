import { describe, expect, it } from 'vitest';
import { nameSearchQuery, nameSearchTerms } from './name-search.ts';

describe('nameSearchTerms', () => {
  it('is the words and the pairs of adjacent words, in byte order', () => {
    expect(nameSearchTerms('Warung Makan Berkah Jaya')).toEqual([
      '_berkah_jaya',
      '_makan_berkah',
      '_warung_makan',
      'berkah',
      'jaya',
      'makan',
      'warung',
    ]);
    expect(nameSearchTerms('Dodol')).toEqual(['dodol']);
    expect(nameSearchTerms('')).toEqual([]);
    expect(nameSearchTerms(' -- ')).toEqual([]);
  });

  it('separates at spaces, punctuation and symbols, joins at apostrophes and keeps digits', () => {
    expect(nameSearchTerms("UD. Ma'ruf  --  Jaya/2")).toEqual([
      '2',
      '_jaya_2',
      '_maruf_jaya',
      '_ud_maruf',
      'jaya',
      'maruf',
      'ud',
    ]);
    expect(nameSearchTerms('Kopi “Gayo” – Ané')).toEqual(['_gayo_ané', '_kopi_gayo', 'ané', 'gayo', 'kopi']);
    expect(nameSearchTerms('Berkah_Jaya')).toEqual(nameSearchTerms('berkah jaya'));
  });

  it('keeps a word repeated once', () => {
    expect(nameSearchTerms('Jaya Jaya Jaya')).toEqual(['_jaya_jaya', 'jaya']);
  });
});

describe('nameSearchQuery', () => {
  it('asks for one word as a prefix, and for several as the pairs they make, the last a prefix', () => {
    expect(nameSearchQuery('yuli')).toBe("'yuli':*");
    expect(nameSearchQuery('  Berkah   JAYA ')).toBe("'_Berkah_JAYA':*");
    expect(nameSearchQuery('warung berkah ja')).toBe("'_warung_berkah' & '_berkah_ja':*");
  });

  it('has nothing to ask when the search has no word, and no operator survives', () => {
    expect(nameSearchQuery('%')).toBeNull();
    expect(nameSearchQuery('_')).toBeNull();
    expect(nameSearchQuery(" ' ")).toBeNull();
    expect(nameSearchQuery("a:* | !b & 'c' \\ d")).toBe("'_a_b' & '_b_c' & '_c_d':*");
  });

  // A search matches a name when its terms are among the name's: the query's pairs are pairs of
  // the name, its last term the beginning of one.
  const matches = (query: string, name: string) => {
    const terms = nameSearchTerms(name);
    const wanted = [...(nameSearchQuery(query.toLowerCase()) ?? '').matchAll(/'([^']+)'(:\*)?/g)];
    return (
      wanted.length > 0 &&
      wanted.every(([, term, prefix]) => terms.some((t) => (prefix ? t.startsWith(term ?? '') : t === term)))
    );
  };

  it('finds the typed words in order, the last one begun, and nothing from inside a word', () => {
    expect(matches('yuli', 'Warung Yuli')).toBe(true);
    expect(matches('yuli', 'Yuliana Rangkap')).toBe(true);
    expect(matches('yuliana rang', 'Yuliana Rangkap')).toBe(true);
    expect(matches('TUMBANG tahai', 'Lampit Rotan Tumbang Tahai')).toBe(true);
    expect(matches('berkah-jaya', 'Warung Berkah Jaya')).toBe(true);
    expect(matches('jaya berkah', 'Warung Berkah Jaya')).toBe(false);
    expect(matches('uliana', 'Yuliana Rangkap')).toBe(false);
    expect(matches('berk jaya', 'Berkah Jaya')).toBe(false);
    expect(matches('anyaman csv 299', 'Anyaman CSV 299')).toBe(true);
  });
});
