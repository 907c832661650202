import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createKbliIndex, type KbliRow, normalizeKbli } from './kbli.ts';

const rows: KbliRow[] = parse(
  readFileSync(new URL('../../data-ref/kbli_umkm_reference.csv', import.meta.url)),
  {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  },
);
const kbli = createKbliIndex(rows);

describe('normalizeKbli', () => {
  it('accepts five digits with separators or a KBLI prefix', () => {
    expect(normalizeKbli('16291')).toBe('16291');
    expect(normalizeKbli(' 1629.1 ')).toBe('16291');
    expect(normalizeKbli('KBLI 16291')).toBe('16291');
    expect(normalizeKbli('KBLI 2020: 16291')).toBe('16291');
  });

  it('rejects other lengths and letters', () => {
    for (const bad of ['', '1629', '162910', '1629A', 'rotan']) expect(normalizeKbli(bad), bad).toBeNull();
  });
});

describe('createKbliIndex', () => {
  it('reads the rattan weaving code in both versions', () => {
    expect(kbli.get('16291')).toEqual({
      code: '16291',
      version: 2020,
      title: 'Industri Barang Anyaman dari Rotan dan Bambu',
      sector: 'kerajinan rotan/bambu',
      counterpart: '16291',
    });
    expect(kbli.get('16291', 2025)?.version).toBe(2025);
    expect(kbli.get('16293')?.title).toContain('Ukiran');
  });

  it('keeps codes that moved in 2025 apart', () => {
    expect(kbli.get('13134')).toMatchObject({ version: 2020, title: 'Industri Batik', counterpart: '13133' });
    expect(kbli.get('13134', 2025)).toBeUndefined();
    expect(kbli.get('13133')).toMatchObject({
      version: 2025,
      title: 'Industri Kain Batik',
      counterpart: '13134',
    });
    expect(kbli.get('31012', 2025)?.counterpart).toBe('31002');
  });

  it('gives each version its own meaning for a reused code', () => {
    expect(kbli.get('10793', 2020)?.title).toContain('Kedele');
    expect(kbli.get('10793', 2025)?.title).toContain('Kelapa');
  });

  it('knows codes without a 2025 mapping only in 2020', () => {
    expect(kbli.get('56102')).toMatchObject({ version: 2020, counterpart: null });
    expect(kbli.isKnown('56102', 2025)).toBe(false);
  });

  it('answers isKnown and normalize', () => {
    expect(kbli.isKnown('16291')).toBe(true);
    expect(kbli.isKnown('1629.1')).toBe(true);
    expect(kbli.isKnown('99999')).toBe(false);
    expect(kbli.isKnown('abc')).toBe(false);
    expect(kbli.normalize('16 291')).toBe('16291');
  });

  it('lists every entry of the reference file', () => {
    expect(kbli.list(2020)).toHaveLength(33);
    const with2025 = rows.filter((r) => r.code_kbli2025).length;
    expect(kbli.list(2025)).toHaveLength(with2025);
    expect(kbli.list()).toHaveLength(33 + with2025);
  });
});
