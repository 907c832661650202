import { describe, expect, it } from 'vitest';
import type { KbliEntry } from './kbli.ts';
import { kbliWordStem, searchKbli } from './kbli-search.ts';

const entry = (code: string, title: string, sector: string): KbliEntry => ({
  code,
  version: 2020,
  title,
  sector,
  counterpart: null,
});

const entries = [
  entry('16291', 'Industri Barang Anyaman dari Rotan dan Bambu', 'kerajinan rotan/bambu'),
  entry('16293', 'Industri Kerajinan Ukiran dari Kayu Bukan Mebeller', 'kerajinan ukir kayu'),
  entry('10792', 'Industri Kue Basah', 'olahan pangan'),
  entry('16104', 'Industri Pengolahan Rotan', 'bahan baku rotan'),
];

describe('KBLI by words', () => {
  it('finds rattan weaving by "anyaman rotan" and by "menganyam", ahead of other rattan codes', () => {
    expect(searchKbli(entries, 'anyaman rotan')[0]?.code).toBe('16291');
    expect(searchKbli(entries, 'menganyam')[0]?.code).toBe('16291');
    expect(searchKbli(entries, 'rotan').map((e) => e.code)).toEqual(['16104', '16291']);
  });

  it('takes a five-digit query as a code, and finds nothing for words it does not know', () => {
    expect(searchKbli(entries, '10792').map((e) => e.code)).toEqual(['10792']);
    expect(searchKbli(entries, 'bengkel motor')).toEqual([]);
    expect(kbliWordStem('anyaman')).toBe('anyam');
  });
});
