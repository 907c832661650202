import { describe, expect, it } from 'vitest';
import { placePhrases, splitPlace } from './catalog-search.ts';

describe('placePhrases', () => {
  it('lists the runs of up to three words, longest first, skipping one-word runs under four letters', () => {
    expect(placePhrases(['tas', 'bukit', 'batu', 'kue']).map((p) => p.phrase)).toEqual([
      'tas bukit batu',
      'bukit batu kue',
      'tas bukit',
      'bukit batu',
      'batu kue',
      'bukit',
      'batu',
    ]);
  });

  it('is the order splitPlace tries: the first run that names a place wins', () => {
    const tried: string[] = [];
    splitPlace(['madu', 'kalampangan'], (phrase) => {
      tried.push(phrase);
      return [];
    });
    expect(tried).toEqual(placePhrases(['madu', 'kalampangan']).map((p) => p.phrase));
    // A lookup that knows only where businesses are skips `madu` (a desa elsewhere).
    const split = splitPlace(['madu', 'kalampangan'], (phrase) =>
      phrase === 'kalampangan' ? [{ code: '62.71.04.1002', name: 'Kalampangan' }] : [],
    );
    expect(split).toEqual({ places: [{ code: '62.71.04.1002', name: 'Kalampangan' }], words: ['madu'] });
  });
});
