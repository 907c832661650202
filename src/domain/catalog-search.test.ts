import { describe, expect, it } from 'vitest';
import { precisionAt, priceBand, searchWords, splitPlace, suggestQuery } from './catalog-search.ts';

describe('searchWords', () => {
  it('folds case and diacritics, counts reduplication once and treats % and _ as gaps', () => {
    expect(searchWords('  Kue-kue ANYAMAN  tas2 ')).toEqual(['kue', 'anyaman', 'tas']);
    expect(searchWords('Café%rotan_tikar')).toEqual(['cafe', 'rotan', 'tikar']);
    expect(searchWords('%%_')).toEqual([]);
    expect(searchWords(undefined)).toEqual([]);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('splitPlace', () => {
  const places: Record<string, string> = {
    'bukit batu': '62.71.02',
    kalampangan: '62.71.04.1002',
    pager: '62.71.05.1005',
  };
  const lookup = (phrase: string) => (places[phrase] ? [{ code: places[phrase], name: phrase }] : []);

  it('takes the longest place name out of the words', () => {
    expect(splitPlace(['tikar', 'bukit', 'batu'], lookup)).toEqual({
      places: [{ code: '62.71.02', name: 'bukit batu' }],
      words: ['tikar'],
    });
    expect(splitPlace(['tas', 'kalampangan'], lookup).words).toEqual(['tas']);
    expect(splitPlace(['tas', 'rotan'], lookup)).toEqual({ places: [], words: ['tas', 'rotan'] });
  });
});

describe('suggestQuery and precisionAt', () => {
  it('suggests only when a word was corrected', () => {
    expect(suggestQuery(['tiker', 'rotan'], new Map([['tiker', 'tikar']]))).toBe('tikar rotan');
    expect(suggestQuery(['rotan'], new Map())).toBeNull();
  });

  it('scores the first k results against at most k relevant ones', () => {
    expect(precisionAt(5, ['a', 'b', 'x'], ['a', 'b'])).toBe(1);
    expect(precisionAt(5, ['x', 'a', 'y', 'z', 'w'], ['a', 'b'])).toBe(0.5);
    expect(precisionAt(2, ['a', 'x', 'b'], ['a', 'b', 'c'])).toBe(0.5);
  });

  it('knows the price bands of the facet', () => {
    expect(priceBand('50k-100k')).toMatchObject({ min: 50_000, max: 100_000 });
    expect(priceBand('gte500k')?.max).toBeNull();
    expect(priceBand('nonsense')).toBeNull();
  });
});
