import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  createRegionIndex,
  kecamatanCodeOf,
  nameKey,
  normalizeRegionCode,
  type RegionRow,
  regionLevelOfCode,
  villageKindOfCode,
} from './region.ts';

function readCsv(file: string): RegionRow[] {
  return parse(readFileSync(new URL(`../../data-ref/${file}`, import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });
}

const allRows = [
  ...readCsv('wilayah_kabkota.csv'),
  ...readCsv('wilayah_kecamatan.csv'),
  ...readCsv('wilayah_palangka_raya.csv'),
];
const regions = createRegionIndex(allRows);

describe('normalizeRegionCode', () => {
  it('writes codes of every level with dots', () => {
    expect(normalizeRegionCode('6271021004')).toBe('62.71.02.1004');
    expect(normalizeRegionCode('62.71.02.1004')).toBe('62.71.02.1004');
    expect(normalizeRegionCode(' 627102 ')).toBe('62.71.02');
    expect(normalizeRegionCode('6271')).toBe('62.71');
    expect(normalizeRegionCode('62')).toBe('62');
  });

  it('rejects other lengths and non-digits', () => {
    for (const bad of ['', '6', '627', '62710', '62710210', '627102100', '62710210045', '62.7a.02', 'abc']) {
      expect(normalizeRegionCode(bad)).toBeNull();
    }
  });
});

describe('code shape helpers', () => {
  it('tells the level from the code', () => {
    expect(regionLevelOfCode('62')).toBe('provinsi');
    expect(regionLevelOfCode('62.71')).toBe('kabkota');
    expect(regionLevelOfCode('627102')).toBe('kecamatan');
    expect(regionLevelOfCode('6271021004')).toBe('village');
    expect(regionLevelOfCode('x')).toBeNull();
  });

  it('reads the village kind from the 7th digit', () => {
    expect(villageKindOfCode('62.71.02.1004')).toBe('kelurahan');
    expect(villageKindOfCode('6271022004')).toBe('desa');
    expect(villageKindOfCode('62.71.02.3001')).toBe('desa_adat');
    expect(villageKindOfCode('62.71.02.4001')).toBeNull();
    expect(villageKindOfCode('62.71.02')).toBeNull();
  });

  it('finds the kecamatan of a kecamatan or village code', () => {
    expect(kecamatanCodeOf('62.71.02.1004')).toBe('62.71.02');
    expect(kecamatanCodeOf('627105')).toBe('62.71.05');
    expect(kecamatanCodeOf('62.71')).toBeNull();
    expect(kecamatanCodeOf('nope')).toBeNull();
  });

  it('ignores case, spaces and punctuation in name keys', () => {
    expect(nameKey('Palangka Raya')).toBe(nameKey('PALANGKARAYA'));
    expect(nameKey('Sei-Gohong.')).toBe('seigohong');
    expect(nameKey('Sébangau')).toBe('sebangau');
  });

  it('indexes a region whose name is also an object property name', () => {
    const index = createRegionIndex([
      { code: '62.71.02.1099', name: 'Constructor', level: 'kelurahan', parent_code: '62.71.02' },
    ]);
    expect(index.findByName('constructor', 'kelurahan')?.code).toBe('62.71.02.1099');
  });
});

describe('createRegionIndex on the real reference files', () => {
  it('loads every row', () => {
    expect(regions.size).toBe(38 + 514 + 7285 + 30);
    expect(regions.get('62.71.02.1004')).toEqual({
      code: '62.71.02.1004',
      name: 'Tangkiling',
      level: 'kelurahan',
      parentCode: '62.71.02',
    });
    expect(regions.get('6271')?.level).toBe('kota');
    expect(regions.get('11.01')?.level).toBe('kabupaten');
    expect(regions.get('62')).toMatchObject({ level: 'provinsi', parentCode: null });
    expect(regions.get('99.99')).toBeUndefined();
  });

  it('lists children in code order', () => {
    expect(regions.children('62.71').map((r) => r.name)).toEqual([
      'Pahandut',
      'Bukit Batu',
      'Jekan Raya',
      'Sabangau',
      'Rakumpit',
    ]);
    expect(regions.children('627105')).toHaveLength(7);
    expect(regions.children('62.71.05.1001')).toEqual([]);
  });

  it('answers kecamatanOf and villageKind', () => {
    expect(regions.kecamatanOf('62.71.02.1004')).toBe('62.71.02');
    expect(regions.villageKind('62.71.02.1004')).toBe('kelurahan');
  });

  it('finds regions by name regardless of case, spacing and prefix words', () => {
    expect(regions.findByName('bukit batu', 'kecamatan', '62.71')?.code).toBe('62.71.02');
    expect(regions.findByName('Kec. Bukit Batu', 'kecamatan', '6271')?.code).toBe('62.71.02');
    expect(regions.findByName('KECAMATAN  RAKUMPIT', 'kecamatan')?.code).toBe('62.71.05');
    expect(regions.findByName('Kel. Tangkiling', 'kelurahan')?.code).toBe('62.71.02.1004');
    expect(regions.findByName('Kelurahan Sei-Gohong', 'kelurahan', '62.71.02')?.code).toBe('62.71.02.1005');
    expect(regions.findByName('Kota Palangkaraya', 'kota')?.code).toBe('62.71');
    expect(regions.findByName('Palangka Raya', 'kota')?.code).toBe('62.71');
    expect(regions.findByName('palangkaraya', ['kabupaten', 'kota'])?.code).toBe('62.71');
    expect(regions.findByName('Kab. Aceh Selatan', 'kabupaten')?.code).toBe('11.01');
  });

  it('knows the everyday spellings as aliases and keeps the official name', () => {
    const sebangau = regions.findByName('Kecamatan Sebangau', 'kecamatan');
    expect(sebangau?.code).toBe('62.71.04');
    expect(regions.displayName('62.71.04')).toBe('Sabangau');
    expect(regions.findByName('Petuk Berunai', 'kelurahan')?.name).toBe('Petuk Barunai');
    expect(regions.findByName('Petuk Barunai', 'kelurahan')?.code).toBe('62.71.05.1003');
    expect(regions.findByName('Kel. Penjehang', 'kelurahan', '62.71.05')?.name).toBe('Panjehang');
  });

  it('filters by level and by ancestor', () => {
    expect(regions.findByName('Tangkiling', 'kecamatan')).toBeNull();
    expect(regions.findByName('Tangkiling', 'kelurahan', '62.71.05')).toBeNull();
    expect(regions.findByName('Tangkiling', 'kelurahan', '62.71')?.code).toBe('62.71.02.1004');
    expect(regions.findByName('Nowhere', 'kecamatan')).toBeNull();
  });

  it('returns null for an ambiguous name and lists the candidates', () => {
    // Bengkalis (Riau) has a Kecamatan Bukit Batu too.
    expect(regions.findByName('Bukit Batu', 'kecamatan')).toBeNull();
    expect(regions.findAllByName('Bukit Batu', 'kecamatan').map((r) => r.code)).toEqual([
      '14.03.03',
      '62.71.02',
    ]);
    const all = regions.findAllByName('Pahandut', ['kecamatan', 'kelurahan']);
    expect(all.map((r) => r.code)).toEqual(['62.71.01', '62.71.01.1001']);
    expect(regions.findByName('Pahandut', ['kecamatan', 'kelurahan'])).toBeNull();
    const kotaBaru = regions.findAllByName('Kota Baru', 'kecamatan');
    expect(kotaBaru.length).toBeGreaterThan(0);
    expect(kotaBaru.every((r) => nameKey(r.name) === 'kotabaru')).toBe(true);
  });

  it('gives display names and labels', () => {
    expect(regions.displayName('6271021004')).toBe('Tangkiling');
    expect(regions.label('62.71.02.1004')).toBe('Tangkiling, Bukit Batu');
    expect(regions.label('62.71.02')).toBe('Bukit Batu, Kota Palangkaraya');
    expect(regions.label('62')).toBe('Kalimantan Tengah');
    expect(regions.label('99')).toBeNull();
    expect(regions.displayName('99')).toBeNull();
  });

  it('derives a level the file does not name from the code', () => {
    const index = createRegionIndex([
      { code: '62.71', name: 'Kota X', level: '', parent_code: '62' },
      { code: '62.01.01.2001', name: 'Desa Y', level: 'Desa', parent_code: '62.01.01' },
      { code: '62.01.01.2002', name: 'Desa Z', level: '?', parent_code: '62.01.01' },
    ]);
    expect(index.get('62.71')?.level).toBe('kota');
    expect(index.get('62.01.01.2001')?.level).toBe('desa');
    expect(index.get('62.01.01.2002')?.level).toBe('desa');
    expect(index.findByName('desa y', 'kelurahan')?.code).toBe('62.01.01.2001');
  });

  // Its speed (building it and 1,000 lookups) is checked by `npm run bench -- units`.
  it('indexes the full kecamatan file and finds a kecamatan by name within its kota', () => {
    const index = createRegionIndex(allRows);
    expect(index.findByName('Bukit Batu', 'kecamatan', '62.71')?.code).toBe('62.71.02');
    expect(index.findByName('Kec. Bukit Batu', 'kecamatan', '6271')?.code).toBe('62.71.02');
    expect(index.findByName('Bukit Batu', 'kecamatan', '62.72')).toBeNull();
  });
});
