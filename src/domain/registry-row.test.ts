import { describe, expect, it } from 'vitest';
import { loadReference } from '../reference/index.ts';
import { generateNik } from './nik.ts';
import {
  type Cell,
  cachedRegions,
  cellText,
  FileIndex,
  hash64,
  identityWarnings,
  KeyTable,
  matchHeader,
  parseAmount,
  parseRegistryDate,
  parseYesNo,
  type RowContext,
  validateRegistryRow,
} from './registry-row.ts';

const { regions, kbli } = loadReference();
const ctx: RowContext = {
  regions,
  kbli,
  kabkotaCode: '62.71',
  kecamatanScope: null,
  today: new Date('2026-01-15T00:00:00Z'),
};
const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1980-05-15', sex: 'L', serial: 1 });
const header = [
  'nik',
  'nama',
  'jenis_kelamin',
  'tanggal_lahir',
  'telepon',
  'kode_wilayah',
  'nama_usaha',
  'kbli',
  'ref',
];

function row(values: Partial<Record<string, Cell>>, columns = header): Cell[] {
  const defaults: Record<string, Cell> = {
    nik,
    nama: 'Budi Santoso',
    jenis_kelamin: 'L',
    tanggal_lahir: '1980-05-15',
    telepon: '0812-3456-7890',
    kode_wilayah: '62.71.02.1004',
    nama_usaha: 'Anyaman Rotan Budi',
    kbli: '16291',
    ref: 'A-1',
  };
  return columns.map((c) => (c in values ? values[c] : defaults[c]) ?? null);
}

const check = (values: Partial<Record<string, Cell>>, columns = header) =>
  validateRegistryRow(row(values, columns), matchHeader(columns), ctx);

describe('matchHeader', () => {
  it('matches Indonesian and English names in any case or spacing', () => {
    const h = matchHeader([
      'NIK',
      ' Owner Name ',
      'date_of_birth',
      'No. HP',
      'Region Code',
      'Business_Name',
      'ID',
      'Gender',
    ]);
    expect(h.index).toMatchObject({
      nik: 0,
      nama: 1,
      tanggal_lahir: 2,
      telepon: 3,
      kode_wilayah: 4,
      nama_usaha: 5,
      ref: 6,
    });
    expect(h.index.jenis_kelamin).toBe(7);
    expect(h.missing).toEqual([]);
  });

  it('warns about unknown and repeated columns but does not fail', () => {
    const h = matchHeader(['nik', 'nama', 'nama_usaha', 'kelurahan', 'catatan', 'NIK']);
    expect(h.missing).toEqual([]);
    expect(h.warnings.map((w) => [w.column, w.code])).toEqual([
      ['catatan', 'unknown_column'],
      ['NIK', 'duplicate_column'],
    ]);
  });

  it('names every required column that is missing, and a region', () => {
    expect(matchHeader(['nama', 'alamat']).missing).toEqual(['nik', 'nama_usaha', 'kode_wilayah']);
  });
});

describe('validateRegistryRow', () => {
  it('normalises a good row', () => {
    const outcome = check({ tanggal_lahir: '15/05/1980', telepon: '+62 812 3456 7890' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.warnings).toEqual([]);
    expect(outcome.record.person).toMatchObject({
      nik,
      sex: 'L',
      birthDate: '1980-05-15',
      phone: '+6281234567890',
    });
    expect(outcome.record.business).toMatchObject({
      ref: 'A-1',
      regionCode: '62.71.02.1004',
      kecamatanCode: '62.71.02',
      kbli: '16291',
      kbliVersion: 2020,
    });
  });

  it('rejects with the code and the column as written in the file', () => {
    const columns = ['No KTP', 'Nama', 'Kode Wilayah', 'Nama Usaha', 'Telp'];
    const outcome = validateRegistryRow(
      ['1234', 'Budi', '62.71.02.1004', 'Rotan', '12345'],
      matchHeader(columns),
      ctx,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((e) => [e.column, e.code])).toEqual([
      ['No KTP', 'nik_format'],
      ['Telp', 'phone_invalid'],
    ]);
    expect(outcome.errors[0]?.message).toBe('NIK harus 16 digit angka');
  });

  it.each([
    [{ nik: null }, 'nik', 'required'],
    [{ nik: '9971021505800001' }, 'nik', 'nik_province_unknown'],
    [{ nik: '6271023113800001' }, 'nik', 'nik_birthdate_invalid'],
    [{ nik: nik.replace(/0001$/, '0000') }, 'nik', 'nik_serial_zero'],
    [{ nama: 'B' }, 'nama', 'too_short'],
    [{ nama: '  ' }, 'nama', 'required'],
    [{ jenis_kelamin: 'X' }, 'jenis_kelamin', 'sex_invalid'],
    [{ tanggal_lahir: '31/02/1980' }, 'tanggal_lahir', 'date_invalid'],
    [{ tanggal_lahir: '2030-01-01' }, 'tanggal_lahir', 'date_invalid'],
    [{ telepon: '021 555' }, 'telepon', 'phone_invalid'],
    [{ kode_wilayah: '99.99.99.9999' }, 'kode_wilayah', 'region_unknown'],
    [{ kode_wilayah: '62.71' }, 'kode_wilayah', 'region_unknown'],
    [{ nama_usaha: null }, 'nama_usaha', 'required'],
    [{ kbli: '1629' }, 'kbli', 'kbli_invalid'],
  ])('rejects %o as %s/%s', (values, column, code) => {
    const outcome = check(values);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors).toContainEqual(expect.objectContaining({ column, code }));
  });

  it('rejects bad amounts, NIB, yes/no and status', () => {
    const columns = [
      'nik',
      'nama',
      'kode_wilayah',
      'nama_usaha',
      'nib',
      'modal_usaha',
      'tenaga_kerja',
      'covid',
      'status',
    ];
    const outcome = validateRegistryRow(
      [nik, 'Budi', '6271021004', 'Rotan', '123', '1,5 juta', '-2', 'mungkin', 'buka'],
      matchHeader(columns),
      ctx,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.map((e) => `${e.column}:${e.code}`)).toEqual([
      'nib:nib_invalid',
      'modal_usaha:number_invalid',
      'tenaga_kerja:number_invalid',
      'covid:yes_no_invalid',
      'status:status_invalid',
    ]);
  });

  it('warns, never rejects, when the NIK disagrees with the row or names an unknown kecamatan', () => {
    const outcome = check({ jenis_kelamin: 'P', tanggal_lahir: '1981-05-15' });
    expect(outcome.ok).toBe(true);
    expect(outcome.warnings.map((w) => `${w.column}:${w.code}`)).toEqual([
      'tanggal_lahir:nik_birthdate_mismatch',
      'jenis_kelamin:nik_sex_mismatch',
    ]);
    const oldCode = generateNik({ kecamatanCode: '62.71.99', birthDate: '1980-05-15', sex: 'L', serial: 3 });
    const old = check({ nik: oldCode });
    expect(old.ok).toBe(true);
    expect(old.warnings.map((w) => w.code)).toEqual(['nik_region_unknown']);
  });

  it('finds kelurahan and kecamatan by name, official or everyday spelling', () => {
    const columns = ['nik', 'nama', 'kelurahan', 'kecamatan', 'nama_usaha'];
    const h = matchHeader(columns);
    const at = (kel: string | null, kec: string | null) =>
      validateRegistryRow([nik, 'Budi', kel, kec, 'Rotan'], h, ctx);
    const sebangau = at('Kalampangan', 'Sebangau');
    expect(sebangau.ok && sebangau.record.business.regionCode).toBe('62.71.04.1002');
    const alias = at('Petuk Berunai', 'Kec. Rakumpit');
    expect(alias.ok && alias.record.business.regionCode).toBe('62.71.05.1003');
    const kecamatanOnly = at(null, 'Bukit Batu');
    expect(kecamatanOnly.ok && kecamatanOnly.record.business).toMatchObject({
      regionCode: '62.71.02',
      kecamatanCode: '62.71.02',
    });
    // "Pahandut" is a kecamatan and a kelurahan: the column decides.
    const pahandut = at('Pahandut', null);
    expect(pahandut.ok && pahandut.record.business.regionCode).toBe('62.71.01.1001');
    const wrongKecamatan = at('Kalampangan', 'Bukit Batu');
    expect(!wrongKecamatan.ok && wrongKecamatan.errors.map((e) => `${e.column}:${e.code}`)).toEqual([
      'kelurahan:kelurahan_unknown',
    ]);
    const nowhere = at(null, 'Atlantis');
    expect(!nowhere.ok && nowhere.errors.map((e) => e.code)).toEqual(['kecamatan_unknown']);
    const none = at(null, null);
    expect(!none.ok && none.errors.map((e) => `${e.column}:${e.code}`)).toEqual(['kelurahan:required']);
  });

  it('keeps a kecamatan officer to rows of that kecamatan', () => {
    const scoped = { ...ctx, kecamatanScope: '62.71.05' };
    const outcome = validateRegistryRow(row({}), matchHeader(header), scoped);
    expect(!outcome.ok && outcome.errors.map((e) => `${e.column}:${e.code}`)).toEqual([
      'kode_wilayah:outside_scope',
    ]);
    const own = validateRegistryRow(row({ kode_wilayah: '62.71.05.1001' }), matchHeader(header), scoped);
    expect(own.ok).toBe(true);
  });

  it('reads XLSX cells: numbers, dates and a NIK typed as a number', () => {
    const outcome = check({ nik: Number(nik), tanggal_lahir: new Date(Date.UTC(1980, 4, 15)), kbli: 16291 });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.record.person.nik).toBe(nik);
    expect(outcome.record.person.birthDate).toBe('1980-05-15');
    expect(outcome.warnings.map((w) => w.code)).toEqual(['nik_numeric_cell']);
  });
});

describe('cell parsers', () => {
  it('reads rupiah amounts in the ways people write them', () => {
    expect(parseAmount('Rp 1.500.000')).toBe(1_500_000);
    expect(parseAmount('1500000')).toBe(1_500_000);
    expect(parseAmount('1,500,000')).toBe(1_500_000);
    expect(parseAmount('1.500.000,00')).toBe(1_500_000);
    expect(parseAmount(2500)).toBe(2500);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('1,5 juta')).toBe('invalid');
    expect(parseAmount('1.50')).toBe('invalid');
    expect(parseAmount(-1)).toBe('invalid');
  });

  it('reads dates as ISO, day-first, Excel dates and serial numbers', () => {
    expect(parseRegistryDate('1980-05-15')).toBe('1980-05-15');
    expect(parseRegistryDate('15/05/1980')).toBe('1980-05-15');
    expect(parseRegistryDate('5-6-1980')).toBe('1980-06-05');
    expect(parseRegistryDate(29_356)).toBe('1980-05-15');
    expect(parseRegistryDate('29/02/2001')).toBe('invalid');
    expect(parseRegistryDate('29/02/2000')).toBe('2000-02-29');
    expect(parseRegistryDate('May 15')).toBe('invalid');
  });

  it('reads yes and no, and tidies text', () => {
    expect([parseYesNo('Ya'), parseYesNo('TIDAK'), parseYesNo(true), parseYesNo(null)]).toEqual([
      true,
      false,
      true,
      null,
    ]);
    expect(cellText('  Budi \t  Santoso\u0000 ')).toBe('Budi Santoso');
    expect(cellText(6271021505800001)).toBe('6271021505800001');
    expect(cellText('   ')).toBeNull();
  });
});

describe('identity inside one file', () => {
  const record = (
    overrides: { ref?: string | null; name?: string; nik?: string; phone?: string | null } = {},
  ) => {
    const outcome = check({
      ref: overrides.ref === undefined ? 'A-1' : overrides.ref,
      nama_usaha: overrides.name ?? 'Anyaman Rotan Budi',
      nik: overrides.nik ?? nik,
      telepon: overrides.phone === undefined ? '0812-3456-7890' : overrides.phone,
    });
    if (!outcome.ok) throw new Error('bad fixture');
    return outcome.record;
  };

  it('skips the same business twice: same ref, or same NIK and name without a ref', () => {
    const index = new FileIndex();
    expect(index.track(record(), 2).duplicateOf).toBeNull();
    expect(index.track(record({ name: 'Nama Lain' }), 3).duplicateOf).toBe(2);
    expect(index.track(record({ ref: null }), 4).duplicateOf).toBeNull();
    const again = index.track(record({ ref: null, name: 'ANYAMAN rotan budi' }), 5);
    expect(again.duplicateOf).toBe(4);
    expect(identityWarnings(again, 'nik')).toEqual([
      expect.objectContaining({ code: 'duplicate_row', column: null }),
    ]);
  });

  it('takes the owner from the first row and warns when a later row differs', () => {
    const index = new FileIndex();
    expect(index.track(record({ ref: 'B-1' }), 2)).toEqual({
      duplicateOf: null,
      ownerFirstRow: null,
      ownerConflict: false,
    });
    expect(index.track(record({ ref: 'B-2' }), 3)).toEqual({
      duplicateOf: null,
      ownerFirstRow: 2,
      ownerConflict: false,
    });
    const conflict = index.track(record({ ref: 'B-3', phone: '0813 1111 2222' }), 4);
    expect(conflict).toEqual({ duplicateOf: null, ownerFirstRow: 2, ownerConflict: true });
    expect(identityWarnings(conflict, 'NIK')[0]).toMatchObject({ code: 'owner_conflict', column: 'NIK' });
  });

  it('keeps many keys apart in a compact table', () => {
    const table = new KeyTable(4);
    let clashes = 0;
    for (let i = 1; i <= 50_000; i++) {
      const [a, b] = hash64(`key-${i}`);
      if (table.add(a, b, i + 1, i) !== null) clashes++;
    }
    expect(clashes).toBe(0);
    expect(table.size).toBe(50_000);
    for (let i = 1; i <= 50_000; i += 997) {
      const [a, b] = hash64(`key-${i}`);
      expect(table.get(a, b)).toEqual({ row: i + 1, value: i });
    }
    expect(table.get(...hash64('absent'))).toBeNull();
  });
});

describe('cachedRegions', () => {
  it('answers like the index it wraps', () => {
    const cached = cachedRegions(regions, 3);
    for (const code of ['62.71.02', '62.71.02.1004', '99.99', '62.71.04', '62.71.02']) {
      expect(cached.get(code)).toEqual(regions.get(code));
    }
    expect(cached.findByName('Sebangau', 'kecamatan', '62.71')?.code).toBe('62.71.04');
    expect(cached.size).toBe(regions.size);
  });
});
