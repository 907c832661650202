import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  checkNikAgainstRecord,
  generateNik,
  maskBirthDate,
  maskNik,
  normalizeNik,
  type ParsedNik,
  parseNik,
  provinceCodes,
} from './nik.ts';
import { createRegionIndex, type RegionRow } from './region.ts';
import type { Result } from './result.ts';

function readCsv(file: string): RegionRow[] {
  return parse(readFileSync(new URL(`../../data-ref/${file}`, import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });
}

const regions = createRegionIndex([...readCsv('wilayah_kabkota.csv'), ...readCsv('wilayah_kecamatan.csv')]);
const today = new Date('2025-06-01T00:00:00Z');

function parsedOf(result: Result<ParsedNik>): ParsedNik {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}`);
  return result.value;
}

function errorCodeOf(result: Result<ParsedNik>): string | null {
  return result.ok ? null : result.error.code;
}

describe('normalizeNik', () => {
  it('strips spaces, dots and dashes', () => {
    expect(normalizeNik(' 6271.0242-0385 0001 ')).toBe('6271024203850001');
  });
});

describe('parseNik', () => {
  it('reads a woman’s NIK (day + 40)', () => {
    expect(parseNik('6271024203850001', undefined, today)).toEqual({
      ok: true,
      value: {
        nik: '6271024203850001',
        provinceCode: '62',
        kabkotaCode: '62.71',
        kecamatanCode: '62.71.02',
        birthDate: '1985-03-02',
        sex: 'P',
        serial: '0001',
      },
      warnings: [],
    });
  });

  it('reads a man’s NIK', () => {
    const nik = parsedOf(parseNik('6271051208900002', undefined, today));
    expect(nik).toMatchObject({
      kecamatanCode: '62.71.05',
      birthDate: '1990-08-12',
      sex: 'L',
      serial: '0002',
    });
  });

  it('accepts the edges of the female day range and separators', () => {
    expect(parsedOf(parseNik('6271027103850001', undefined, today))).toMatchObject({
      birthDate: '1985-03-31',
      sex: 'P',
    });
    expect(parsedOf(parseNik('6271.02.410185.0001', undefined, today))).toMatchObject({
      birthDate: '1985-01-01',
      sex: 'P',
    });
  });

  it('takes 20YY unless that date is impossible or in the future', () => {
    expect(parsedOf(parseNik('6271020101050001', undefined, today)).birthDate).toBe('2005-01-01');
    expect(parsedOf(parseNik('6271020105250001', undefined, today)).birthDate).toBe('2025-05-01');
    expect(parsedOf(parseNik('6271020112250001', undefined, today)).birthDate).toBe('1925-12-01');
    expect(parsedOf(parseNik('6271022902000001', undefined, today)).birthDate).toBe('2000-02-29');
    // 2000-02-29 is in the future here and 1900 was not a leap year.
    expect(errorCodeOf(parseNik('6271022902000001', undefined, new Date('1999-01-01')))).toBe(
      'nik_birthdate_invalid',
    );
  });

  it('rejects anything that is not 16 digits', () => {
    for (const bad of ['', '627102420385000', '62710242038500011', '627102420385000A', 'abcdefghijklmnop']) {
      expect(errorCodeOf(parseNik(bad, undefined, today))).toBe('nik_format');
    }
    expect(parseNik('123', undefined, today)).toMatchObject({ ok: false, error: { field: 'nik' } });
  });

  it('rejects an unknown province, with and without a region index', () => {
    expect(errorCodeOf(parseNik('2071024203850001', undefined, today))).toBe('nik_province_unknown');
    expect(errorCodeOf(parseNik('9771024203850001', undefined, today))).toBe('nik_province_unknown');
    expect(errorCodeOf(parseNik('2071024203850001', regions, today))).toBe('nik_province_unknown');
    expect(errorCodeOf(parseNik('9671024203850001', undefined, today))).toBeNull();
  });

  it('rejects impossible birth dates', () => {
    const impossible = [
      '6271020001850001', // day 0
      '6271023201850001', // day 32
      '6271024001850001', // 40: neither a man's nor a woman's day
      '6271027201850001', // woman, day 32
      '6271023104850001', // 31 April
      '6271020113850001', // month 13
      '6271020100850001', // month 0
      '6271022902010001', // 29 February in a common year
      '6271027104850001', // woman, 31 April
    ];
    for (const nik of impossible) {
      expect(errorCodeOf(parseNik(nik, undefined, today)), nik).toBe('nik_birthdate_invalid');
    }
  });

  it('rejects serial 0000', () => {
    expect(errorCodeOf(parseNik('6271024203850000', undefined, today))).toBe('nik_serial_zero');
  });

  it('warns, without rejecting, about an unknown kab/kota or kecamatan when regions are given', () => {
    expect(parseNik('6271024203850001', regions, today)).toMatchObject({ ok: true, warnings: [] });
    const unknownKabkota = parseNik('6279024203850001', regions, today);
    expect(unknownKabkota).toMatchObject({
      ok: true,
      warnings: [{ code: 'nik_region_unknown', field: 'nik' }],
    });
    const unknownKecamatan = parseNik('6271094203850001', regions, today);
    expect(unknownKecamatan.ok && unknownKecamatan.warnings.map((w) => w.code)).toEqual([
      'nik_region_unknown',
    ]);
    expect(parseNik('6279024203850001', undefined, today)).toMatchObject({ ok: true, warnings: [] });
  });

  it('has the 38 provinces of the reference file built in', () => {
    const fromFile = readCsv('wilayah_kabkota.csv')
      .filter((r) => r.level === 'provinsi')
      .map((r) => r.code);
    expect(fromFile).toHaveLength(38);
    expect([...provinceCodes].sort()).toEqual(fromFile.sort());
  });
});

describe('checkNikAgainstRecord', () => {
  const woman = parsedOf(parseNik('6271024203850001', undefined, today));

  it('finds nothing when the record agrees or says nothing', () => {
    expect(checkNikAgainstRecord(woman, { birthDate: '1985-03-02', sex: 'P' })).toEqual([]);
    expect(checkNikAgainstRecord(woman, {})).toEqual([]);
    expect(checkNikAgainstRecord(woman, { birthDate: null, sex: null })).toEqual([]);
  });

  it('ignores the century, which the NIK cannot tell', () => {
    const young = parsedOf(parseNik('6271020112250001', undefined, today));
    expect(young.birthDate).toBe('1925-12-01');
    expect(checkNikAgainstRecord(young, { birthDate: '2025-12-01' })).toEqual([]);
  });

  it('warns about a different birth date or sex', () => {
    expect(checkNikAgainstRecord(woman, { birthDate: '1985-03-03', sex: 'P' }).map((i) => i.code)).toEqual([
      'nik_birthdate_mismatch',
    ]);
    expect(checkNikAgainstRecord(woman, { birthDate: '1986-03-02' }).map((i) => i.code)).toEqual([
      'nik_birthdate_mismatch',
    ]);
    expect(checkNikAgainstRecord(woman, { birthDate: '1985-03-02', sex: 'L' }).map((i) => i.code)).toEqual([
      'nik_sex_mismatch',
    ]);
    expect(checkNikAgainstRecord(woman, { birthDate: '1985-02-03', sex: 'L' }).map((i) => i.code)).toEqual([
      'nik_birthdate_mismatch',
      'nik_sex_mismatch',
    ]);
  });
});

describe('masking', () => {
  it('keeps province, kab/kota and the last four digits of a NIK', () => {
    expect(maskNik('6271024203850001')).toBe('6271********0001');
    expect(maskNik('6271 0242 0385 0001')).toBe('6271********0001');
    expect(maskNik('12345')).toBe('*****');
  });

  it('keeps only the year of a birth date', () => {
    expect(maskBirthDate('1985-03-12')).toBe('1985-**-**');
    expect(maskBirthDate('garbage')).toBe('****-**-**');
  });
});

describe('generateNik', () => {
  it('builds NIKs that parse back to the same facts', () => {
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1985-03-12', sex: 'P', serial: 1 });
    expect(nik).toBe('6271025203850001');
    expect(parsedOf(parseNik(nik, regions, today))).toMatchObject({
      kecamatanCode: '62.71.02',
      birthDate: '1985-03-12',
      sex: 'P',
      serial: '0001',
    });
    expect(generateNik({ kecamatanCode: '627105', birthDate: '2001-11-30', sex: 'L', serial: 9999 })).toBe(
      '6271053011019999',
    );
  });

  it('refuses input that cannot make a valid NIK', () => {
    const base = { kecamatanCode: '62.71.02', birthDate: '1985-03-12', sex: 'L' as const, serial: 1 };
    expect(() => generateNik({ ...base, kecamatanCode: '62.71' })).toThrow();
    expect(() => generateNik({ ...base, birthDate: '1985-02-30' })).toThrow();
    expect(() => generateNik({ ...base, serial: 0 })).toThrow();
    expect(() => generateNik({ ...base, serial: 10000 })).toThrow();
  });
});
