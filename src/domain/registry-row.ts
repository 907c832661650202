import type { BusinessStatus } from './enums.ts';
import type { KbliIndex } from './kbli.ts';
import { checkNikAgainstRecord, parseNik, type Sex } from './nik.ts';
import { normalizePhone } from './phone.ts';
import { normalizeRegionCode, type Region, type RegionIndex } from './region.ts';

// One row of a registry file (the import template's columns, or their aliases): header
// matching, validation and normalisation into a person and a business, or the row's issues
// named by the file's own column headers. Pure: the import service streams the file and writes the result.

export const registryFields = [
  'nik',
  'nama',
  'jenis_kelamin',
  'tanggal_lahir',
  'telepon',
  'alamat',
  'kode_wilayah',
  'kelurahan',
  'kecamatan',
  'nama_usaha',
  'kbli',
  'nib',
  'modal_usaha',
  'omzet_tahunan',
  'tenaga_kerja',
  'terdampak_covid',
  'status_usaha',
  'ref',
] as const;

export type RegistryField = (typeof registryFields)[number];

// Header spellings seen in files from kecamatan offices, SIDT-KUMKM and old aid programs,
// compared after headerKey() (lower case, letters and digits only).
const headerAliases: Record<RegistryField, readonly string[]> = {
  nik: ['nik', 'idnumber', 'noktp', 'nomorktp', 'ktp', 'nonik', 'nomornik', 'nomorindukkependudukan'],
  nama: ['nama', 'name', 'ownername', 'namapemilik', 'pemilik', 'namalengkap', 'owner'],
  jenis_kelamin: ['jeniskelamin', 'sex', 'gender', 'jk', 'lp'],
  tanggal_lahir: ['tanggallahir', 'birthdate', 'dateofbirth', 'tgllahir', 'dob', 'tgllhr'],
  telepon: [
    'telepon',
    'phone',
    'hp',
    'nohp',
    'nomorhp',
    'telp',
    'notelp',
    'notelepon',
    'whatsapp',
    'nowa',
    'mobile',
  ],
  alamat: ['alamat', 'address', 'alamatpemilik'],
  kode_wilayah: ['kodewilayah', 'regioncode', 'kodekelurahan', 'kodedesa', 'kodewil'],
  kelurahan: ['kelurahan', 'village', 'desa', 'keldesa', 'kelurahandesa', 'desakelurahan', 'kel'],
  kecamatan: ['kecamatan', 'district', 'kec', 'subdistrict'],
  nama_usaha: ['namausaha', 'businessname', 'usaha', 'namaumkm', 'namaukm'],
  kbli: ['kbli', 'kodekbli'],
  nib: ['nib', 'nomorindukberusaha'],
  modal_usaha: ['modalusaha', 'capital', 'modal'],
  omzet_tahunan: [
    'omzettahunan',
    'annualturnover',
    'omzet',
    'omset',
    'omsettahunan',
    'turnover',
    'annualsales',
  ],
  tenaga_kerja: ['tenagakerja', 'workers', 'employees', 'jumlahtenagakerja', 'karyawan', 'jumlahkaryawan'],
  terdampak_covid: ['terdampakcovid', 'covidimpacted', 'covid', 'terdampakcovid19', 'dampakcovid'],
  status_usaha: ['statususaha', 'status', 'businessstatus'],
  ref: ['ref', 'id', 'externalid', 'idsumber', 'sourceid', 'reference'],
};

export const requiredFields: readonly RegistryField[] = ['nik', 'nama', 'nama_usaha'];
// A row names its region by code, or by kelurahan and/or kecamatan name.
export const regionFields: readonly RegistryField[] = ['kode_wilayah', 'kelurahan', 'kecamatan'];

export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const fieldByKey = new Map<string, RegistryField>(
  registryFields.flatMap((field) => headerAliases[field].map((alias) => [alias, field] as const)),
);

export type RowIssue = { column: string | null; code: string; message: string };

export type HeaderMap = {
  // field → 0-based position in the row
  index: Partial<Record<RegistryField, number>>;
  // the header cells as written in the file, for naming columns in issues
  names: string[];
  // required fields (and "a region") with no column; non-empty means the file is rejected
  missing: string[];
  warnings: RowIssue[];
};

export function matchHeader(cells: readonly Cell[]): HeaderMap {
  const names = cells.map((c) => cellText(c) ?? '');
  const index: Partial<Record<RegistryField, number>> = {};
  const warnings: RowIssue[] = [];
  names.forEach((name, position) => {
    if (!name) return;
    const field = fieldByKey.get(headerKey(name));
    if (!field) {
      warnings.push({
        column: name,
        code: 'unknown_column',
        message: `Kolom "${name}" tidak dikenal dan diabaikan`,
      });
    } else if (index[field] !== undefined) {
      warnings.push({
        column: name,
        code: 'duplicate_column',
        message: `Kolom "${name}" sudah ada; hanya kolom pertama yang dipakai`,
      });
    } else {
      index[field] = position;
    }
  });
  const missing: string[] = requiredFields.filter((f) => index[f] === undefined);
  if (regionFields.every((f) => index[f] === undefined)) missing.push('kode_wilayah');
  return { index, names, missing, warnings };
}

// A cell as the readers deliver it: CSV gives strings, XLSX also numbers, booleans and dates.
export type Cell = string | number | boolean | Date | null | undefined;

// Control characters (a stray NUL from an old export) cannot be stored as text; runs of
// white space are one space.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const untidy = /[\u0000-\u001F\u007F]| {2}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function cellText(cell: Cell): string | null {
  if (cell === null || cell === undefined) return null;
  let text: string;
  if (typeof cell === 'string') text = cell;
  else if (typeof cell === 'number') text = Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  else if (typeof cell === 'boolean') text = cell ? 'ya' : 'tidak';
  else text = Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (untidy.test(text)) text = text.replace(controls, '').replace(/\s+/g, ' ');
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

export function isEmptyRow(cells: readonly Cell[]): boolean {
  return cells.every((c) => cellText(c) === null);
}

export type RegistryPerson = {
  nik: string;
  name: string;
  // as written in the row (null: keep what is stored); the NIK's values fill a new person
  sex: Sex | null;
  birthDate: string | null;
  nikSex: Sex;
  nikBirthDate: string;
  phone: string | null;
  address: string | null;
};

export type RegistryBusiness = {
  ref: string | null;
  name: string;
  kbli: string | null;
  kbliVersion: number | null;
  regionCode: string;
  kecamatanCode: string;
  nib: string | null;
  capital: number | null;
  annualTurnover: number | null;
  workers: number | null;
  covidImpacted: boolean | null;
  status: BusinessStatus | null;
};

export type RegistryRecord = { person: RegistryPerson; business: RegistryBusiness };

export type RowOutcome =
  | { ok: true; record: RegistryRecord; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

export type RowContext = {
  regions: RegionIndex;
  kbli: KbliIndex;
  // kelurahan and kecamatan names are looked up inside this kabupaten/kota ('62.71')
  kabkotaCode: string;
  // a kecamatan officer may import only rows of this kecamatan
  kecamatanScope: string | null;
  today?: Date;
};

const maxRupiah = 1e15;
const maxWorkers = 1_000_000;

// One row being read: its cells by field, and the issues found so far.
class Reader {
  readonly errors: RowIssue[] = [];
  readonly warnings: RowIssue[] = [];

  constructor(
    private readonly cells: readonly Cell[],
    private readonly header: HeaderMap,
  ) {}

  issue(field: RegistryField, code: string, message: string, severity: 'error' | 'warning' = 'error') {
    const position = this.header.index[field];
    const column = position === undefined ? null : (this.header.names[position] ?? field);
    (severity === 'error' ? this.errors : this.warnings).push({ column, code, message });
  }

  cell(field: RegistryField): Cell {
    const position = this.header.index[field];
    return position === undefined ? undefined : this.cells[position];
  }

  text(field: RegistryField): string | null {
    return cellText(this.cell(field));
  }

  has(field: RegistryField): boolean {
    return this.header.index[field] !== undefined;
  }
}

export function validateRegistryRow(cells: readonly Cell[], header: HeaderMap, ctx: RowContext): RowOutcome {
  const r = new Reader(cells, header);
  const person = readPerson(r, ctx);
  const business = readBusiness(r, ctx);
  if (r.errors.length > 0 || !person || !business) {
    return { ok: false, errors: r.errors, warnings: r.warnings };
  }
  return { ok: true, record: { person, business }, warnings: r.warnings };
}

function required(r: Reader, field: RegistryField, label: string): string | null {
  const value = r.text(field);
  if (value === null) r.issue(field, 'required', `${label} wajib diisi`);
  return value;
}

function boundedText(
  r: Reader,
  field: RegistryField,
  label: string,
  min: number,
  max: number,
  value: string | null,
) {
  if (value === null) return null;
  if (value.length < min) {
    r.issue(field, 'too_short', `${label} terlalu pendek (minimal ${min} karakter)`);
    return null;
  }
  if (value.length > max) {
    r.issue(field, 'too_long', `${label} terlalu panjang (maksimal ${max} karakter)`);
    return null;
  }
  return value;
}

// Excel shows a NIK typed as a number as 6.27101E+15 and keeps only 15 significant digits;
// people put an apostrophe in front of the number to stop it, and some exports keep it.
function digitsText(cell: Cell): string | null {
  const text = cellText(cell);
  return text === null ? null : text.replace(/^'+/, '');
}

function readPerson(r: Reader, ctx: RowContext): RegistryPerson | null {
  const nikText = digitsText(r.cell('nik'));
  if (nikText === null) r.issue('nik', 'required', 'NIK wajib diisi');
  if (typeof r.cell('nik') === 'number') {
    r.issue(
      'nik',
      'nik_numeric_cell',
      'NIK tersimpan sebagai angka; Excel hanya menyimpan 15 digit, periksa digit terakhir dan format kolom sebagai Teks',
      'warning',
    );
  }
  const parsed = nikText === null ? null : parseNik(nikText, ctx.regions, ctx.today);
  if (parsed && !parsed.ok) r.issue('nik', parsed.error.code, parsed.error.message);
  if (parsed?.ok) for (const w of parsed.warnings) r.issue('nik', w.code, w.message, 'warning');

  const name = boundedText(r, 'nama', 'Nama pemilik', 2, 200, required(r, 'nama', 'Nama pemilik'));
  const sex = readSex(r);
  const birthDate = readDate(r, 'tanggal_lahir', ctx.today ?? new Date());
  const phone = readPhone(r);
  const address = boundedText(r, 'alamat', 'Alamat', 1, 500, r.text('alamat'));

  if (parsed?.ok) {
    for (const w of checkNikAgainstRecord(parsed.value, { birthDate, sex })) {
      r.issue(w.field === 'sex' ? 'jenis_kelamin' : 'tanggal_lahir', w.code, w.message, 'warning');
    }
  }
  if (!parsed?.ok || name === null) return null;
  return {
    nik: parsed.value.nik,
    name,
    sex,
    birthDate,
    nikSex: parsed.value.sex,
    nikBirthDate: parsed.value.birthDate,
    phone,
    address,
  };
}

function readSex(r: Reader): Sex | null {
  const text = r.text('jenis_kelamin');
  if (text === null) return null;
  const key = text.toLowerCase().replace(/[^a-z]/g, '');
  if (['l', 'lk', 'lakilaki', 'laki', 'pria', 'm', 'male'].includes(key)) return 'L';
  if (['p', 'pr', 'perempuan', 'wanita', 'f', 'female', 'w'].includes(key)) return 'P';
  r.issue('jenis_kelamin', 'sex_invalid', 'Jenis kelamin harus L atau P');
  return null;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoOf(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1000) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (monthDays[month - 1] ?? 0))) return null;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

// Excel serial day numbers count from 1899-12-30 (the 1900 leap-year bug included).
const excelEpochMs = Date.UTC(1899, 11, 30);

export function parseRegistryDate(cell: Cell): string | null | 'invalid' {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? 'invalid' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 1 || cell > 80_000) return 'invalid';
    return new Date(excelEpochMs + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const text = cellText(cell);
  if (text === null) return null;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(text);
  if (match) return isoOf(Number(match[1]), Number(match[2]), Number(match[3])) ?? 'invalid';
  match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (match) return isoOf(Number(match[3]), Number(match[2]), Number(match[1])) ?? 'invalid';
  return 'invalid';
}

function readDate(r: Reader, field: RegistryField, today: Date): string | null {
  const value = parseRegistryDate(r.cell(field));
  if (value === null) return null;
  if (value === 'invalid' || value < '1900-01-01' || value > today.toISOString().slice(0, 10)) {
    r.issue(field, 'date_invalid', 'Tanggal lahir tidak valid (gunakan YYYY-MM-DD atau DD/MM/YYYY)');
    return null;
  }
  return value;
}

function readPhone(r: Reader): string | null {
  const text = digitsText(r.cell('telepon'));
  if (text === null) return null;
  const phone = normalizePhone(text);
  if (!phone.ok) {
    r.issue('telepon', phone.error.code, phone.error.message);
    return null;
  }
  return phone.value;
}

// Rupiah amounts: "1500000", "1.500.000", "Rp 1.500.000", "1,500,000", "1.500.000,00".
export function parseAmount(cell: Cell): number | null | 'invalid' {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 0 ? cell : 'invalid';
  const text = cellText(cell);
  if (text === null) return null;
  const compact = text.replace(/^rp\.?/i, '').replace(/\s/g, '');
  let digits: string | null = null;
  if (/^\d+$/.test(compact)) digits = compact;
  else if (/^\d{1,3}(\.\d{3})+(,0+)?$/.test(compact)) digits = compact.replace(/,0+$/, '').replace(/\./g, '');
  else if (/^\d{1,3}(,\d{3})+(\.0+)?$/.test(compact)) digits = compact.replace(/\.0+$/, '').replace(/,/g, '');
  else if (/^\d+[.,]0+$/.test(compact)) digits = compact.replace(/[.,]0+$/, '');
  if (digits === null) return 'invalid';
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : 'invalid';
}

function readAmount(r: Reader, field: RegistryField, label: string, max: number): number | null {
  const value = parseAmount(r.cell(field));
  if (value === 'invalid' || (value !== null && value > max)) {
    r.issue(
      field,
      'number_invalid',
      `${label} harus bilangan bulat tidak negatif (contoh: 1500000 atau 1.500.000)`,
    );
    return null;
  }
  return value;
}

export function parseYesNo(cell: Cell): boolean | null | 'invalid' {
  if (typeof cell === 'boolean') return cell;
  const text = cellText(cell);
  if (text === null) return null;
  const key = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (['ya', 'y', 'yes', 'true', '1', 'iya', 'terdampak'].includes(key)) return true;
  if (['tidak', 't', 'no', 'n', 'false', '0', 'tdk', 'tidakterdampak'].includes(key)) return false;
  return 'invalid';
}

const statusByKey: Record<string, RegistryBusiness['status']> = {
  aktif: 'aktif',
  active: 'aktif',
  tidakaktif: 'tidak_aktif',
  nonaktif: 'tidak_aktif',
  inactive: 'tidak_aktif',
  vakum: 'tidak_aktif',
  tutup: 'tutup',
  closed: 'tutup',
};

function readBusiness(r: Reader, ctx: RowContext): RegistryBusiness | null {
  const name = boundedText(r, 'nama_usaha', 'Nama usaha', 2, 200, required(r, 'nama_usaha', 'Nama usaha'));
  const ref = boundedText(r, 'ref', 'Ref', 1, 100, digitsText(r.cell('ref')));
  const region = readRegion(r, ctx);

  let kbli: string | null = null;
  let kbliVersion: number | null = null;
  const kbliText = digitsText(r.cell('kbli'));
  if (kbliText !== null) {
    kbli = ctx.kbli.normalize(kbliText);
    if (kbli === null) r.issue('kbli', 'kbli_invalid', 'Kode KBLI harus 5 digit');
    else kbliVersion = ctx.kbli.get(kbli)?.version ?? 2020;
  }

  let nib: string | null = null;
  const nibText = digitsText(r.cell('nib'));
  if (nibText !== null) {
    nib = nibText.replace(/[\s.-]/g, '');
    if (!/^\d{13}$/.test(nib)) {
      r.issue('nib', 'nib_invalid', 'NIB harus 13 digit angka');
      nib = null;
    }
  }

  const capital = readAmount(r, 'modal_usaha', 'Modal usaha', maxRupiah);
  const annualTurnover = readAmount(r, 'omzet_tahunan', 'Omzet tahunan', maxRupiah);
  const workers = readAmount(r, 'tenaga_kerja', 'Tenaga kerja', maxWorkers);

  const covid = parseYesNo(r.cell('terdampak_covid'));
  if (covid === 'invalid') r.issue('terdampak_covid', 'yes_no_invalid', 'Isi dengan ya atau tidak');

  let status: RegistryBusiness['status'] = null;
  const statusText = r.text('status_usaha');
  if (statusText !== null) {
    status = statusByKey[statusText.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
    if (status === null)
      r.issue('status_usaha', 'status_invalid', 'Status usaha harus aktif, tidak_aktif atau tutup');
  }

  if (name === null || region === null) return null;
  return {
    ref,
    name,
    kbli,
    kbliVersion,
    ...region,
    nib,
    capital,
    annualTurnover,
    workers,
    covidImpacted: covid === 'invalid' ? null : covid,
    status,
  };
}

function regionColumn(r: Reader): RegistryField {
  return regionFields.find((f) => r.has(f)) ?? 'kode_wilayah';
}

// Names may also be written with a code ("62.71.02") or with a prefix ("Kec. Bukit Batu").
function findRegion(
  ctx: RowContext,
  name: string,
  levels: readonly ('kecamatan' | 'kelurahan' | 'desa')[],
  parent: string,
): Region | Region[] | null {
  const code = normalizeRegionCode(name);
  if (code) {
    const region = ctx.regions.get(code);
    return region && (levels as readonly string[]).includes(region.level) ? region : null;
  }
  const found = ctx.regions.findAllByName(name, levels, parent);
  if (found.length === 1) return found[0] ?? null;
  return found.length > 1 ? found : null;
}

function readRegion(r: Reader, ctx: RowContext): { regionCode: string; kecamatanCode: string } | null {
  const codeText = r.text('kode_wilayah');
  const kecamatanName = r.text('kecamatan');
  const kelurahanName = r.text('kelurahan');
  let result: { regionCode: string; kecamatanCode: string } | null = null;

  if (codeText !== null) {
    const code = normalizeRegionCode(codeText);
    const region = code ? ctx.regions.get(code) : undefined;
    if (!code || !region || code.length < 8) {
      r.issue(
        'kode_wilayah',
        'region_unknown',
        'Kode wilayah tidak dikenal (kode kelurahan/desa Kemendagri, contoh 62.71.02.1004)',
      );
      return null;
    }
    result = { regionCode: code, kecamatanCode: code.slice(0, 8) };
    const named = kelurahanName ?? kecamatanName;
    if (named !== null) {
      const level = kelurahanName !== null ? (['kelurahan', 'desa'] as const) : (['kecamatan'] as const);
      const expected = kelurahanName !== null ? code : code.slice(0, 8);
      const found = findRegion(ctx, named, level, code.slice(0, 5));
      const matches =
        found !== null &&
        (Array.isArray(found) ? found.some((f) => f.code === expected) : found.code === expected);
      if (!matches) {
        r.issue(
          kelurahanName !== null ? 'kelurahan' : 'kecamatan',
          'region_name_mismatch',
          'Nama wilayah tidak sesuai dengan kode wilayah; kode wilayah yang dipakai',
          'warning',
        );
      }
    }
  } else if (kecamatanName === null && kelurahanName === null) {
    r.issue(regionColumn(r), 'required', 'Wilayah wajib diisi (kode_wilayah, atau kelurahan dan kecamatan)');
    return null;
  } else {
    let kecamatanCode: string | null = null;
    if (kecamatanName !== null) {
      const found = findRegion(ctx, kecamatanName, ['kecamatan'], ctx.kabkotaCode);
      if (found === null || Array.isArray(found)) {
        r.issue(
          'kecamatan',
          found ? 'region_ambiguous' : 'kecamatan_unknown',
          found
            ? `Nama kecamatan "${kecamatanName}" cocok dengan lebih dari satu kecamatan`
            : `Kecamatan "${kecamatanName}" tidak ditemukan di ${ctx.regions.displayName(ctx.kabkotaCode) ?? ctx.kabkotaCode}`,
        );
        return null;
      }
      kecamatanCode = found.code;
    }
    if (kelurahanName !== null) {
      const found = findRegion(ctx, kelurahanName, ['kelurahan', 'desa'], kecamatanCode ?? ctx.kabkotaCode);
      if (found === null || Array.isArray(found)) {
        const where = kecamatanCode ? `Kecamatan ${ctx.regions.displayName(kecamatanCode)}` : ctx.kabkotaCode;
        r.issue(
          'kelurahan',
          found ? 'region_ambiguous' : 'kelurahan_unknown',
          found
            ? `Nama kelurahan "${kelurahanName}" cocok dengan lebih dari satu kelurahan; isi juga kecamatan`
            : `Kelurahan "${kelurahanName}" tidak ditemukan di ${where}`,
        );
        return null;
      }
      result = { regionCode: found.code, kecamatanCode: found.code.slice(0, 8) };
    } else if (kecamatanCode) {
      result = { regionCode: kecamatanCode, kecamatanCode };
    }
  }

  if (result && ctx.kecamatanScope && result.kecamatanCode !== ctx.kecamatanScope) {
    r.issue(
      regionColumn(r),
      'outside_scope',
      `Wilayah di luar kecamatan Anda (${ctx.regions.displayName(ctx.kecamatanScope) ?? ctx.kecamatanScope})`,
    );
    return null;
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Identity inside one file. The same business twice (same ref, or same NIK and business
// name without a ref) is imported once: the later row is skipped with a warning. One owner
// (NIK) on several rows takes the owner's data from the first of them; a later row with
// different owner data is warned about. Both rules depend only on the file, so importing
// the same file again gives the same answer, and a resumed import rebuilds the same state
// by reading the rows before its checkpoint.
//
// The index keeps 16 bytes per key (a 64-bit hash, the first row and a fingerprint of the
// owner's data), not the rows: about 50 MB for a million rows, where the rows themselves
// would take well over a gigabyte.

export type FileIdentity = {
  // the business already appeared in this earlier row; this row is skipped
  duplicateOf: number | null;
  // the owner's first row in the file; null when this row is the first
  ownerFirstRow: number | null;
  // this row's owner data differs from the owner's first row
  ownerConflict: boolean;
};

export function businessKey(record: RegistryRecord): string {
  const b = record.business;
  return b.ref !== null ? `r\u0000${b.ref}` : `n\u0000${record.person.nik}\u0000${b.name.toLowerCase()}`;
}

function ownerFingerprint(p: RegistryPerson): string {
  return [p.name.toLowerCase(), p.sex ?? '', p.birthDate ?? '', p.phone ?? '', p.address ?? ''].join(
    '\u0000',
  );
}

// cyrb53-style mixing, kept as two 32-bit halves
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

// Open addressing over one Uint32Array: [key1, key2, row, value] per slot; row 0 = empty
// (data rows start at 2).
export class KeyTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    this.slots = new Uint32Array(initialCapacity * 4);
    this.mask = initialCapacity - 1;
  }

  get size() {
    return this.count;
  }

  get bytes() {
    return this.slots.byteLength;
  }

  private find(k1: number, k2: number): number {
    let i = (k1 ^ Math.imul(k2, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = i * 4;
      const row = this.slots[at + 2] ?? 0;
      if (row === 0 || (this.slots[at] === k1 && this.slots[at + 1] === k2)) return at;
      i = (i + 1) & this.mask;
    }
  }

  get(k1: number, k2: number): { row: number; value: number } | null {
    const at = this.find(k1, k2);
    const row = this.slots[at + 2] ?? 0;
    return row === 0 ? null : { row, value: this.slots[at + 3] ?? 0 };
  }

  // Adds the key unless present; answers the existing entry, or null when added.
  add(k1: number, k2: number, row: number, value: number): { row: number; value: number } | null {
    const at = this.find(k1, k2);
    const existing = this.slots[at + 2] ?? 0;
    if (existing !== 0) return { row: existing, value: this.slots[at + 3] ?? 0 };
    this.slots[at] = k1;
    this.slots[at + 1] = k2;
    this.slots[at + 2] = row;
    this.slots[at + 3] = value;
    this.count++;
    if (this.count * 10 > (this.mask + 1) * 7) this.grow();
    return null;
  }

  private grow() {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    for (let at = 0; at < old.length; at += 4) {
      if ((old[at + 2] ?? 0) === 0) continue;
      const to = this.find(old[at] ?? 0, old[at + 1] ?? 0);
      this.slots.set(old.subarray(at, at + 4), to);
    }
  }
}

export class FileIndex {
  private readonly businesses = new KeyTable();
  private readonly owners = new KeyTable();

  get bytes() {
    return this.businesses.bytes + this.owners.bytes;
  }

  track(record: RegistryRecord, row: number): FileIdentity {
    const [b1, b2] = hash64(businessKey(record));
    const seen = this.businesses.add(b1, b2, row, 0);
    if (seen) return { duplicateOf: seen.row, ownerFirstRow: null, ownerConflict: false };
    const nik = record.person.nik;
    const fingerprint = hash64(ownerFingerprint(record.person))[0];
    // A NIK is 16 digits: two 8-digit halves are an exact key.
    const owner = this.owners.add(Number(nik.slice(0, 8)), Number(nik.slice(8)), row, fingerprint);
    if (!owner) return { duplicateOf: null, ownerFirstRow: null, ownerConflict: false };
    return { duplicateOf: null, ownerFirstRow: owner.row, ownerConflict: owner.value !== fingerprint };
  }
}

export function identityWarnings(identity: FileIdentity, nikColumn: string | null): RowIssue[] {
  if (identity.duplicateOf !== null) {
    return [
      {
        column: null,
        code: 'duplicate_row',
        message: `Usaha yang sama sudah ada di baris ${identity.duplicateOf}; baris ini dilewati`,
      },
    ];
  }
  if (identity.ownerConflict && identity.ownerFirstRow !== null) {
    return [
      {
        column: nikColumn,
        code: 'owner_conflict',
        message: `Data pemilik berbeda dengan baris ${identity.ownerFirstRow} untuk NIK yang sama; data pemilik dari baris ${identity.ownerFirstRow} yang dipakai`,
      },
    ];
  }
  return [];
}

// Every row looks up the same few regions (its NIK's province, kab/kota and kecamatan, its
// kelurahan); answers are kept per code and name, bounded so that a file full of garbage
// codes cannot grow it without limit.
export function cachedRegions(regions: RegionIndex, limit = 100_000): RegionIndex {
  const codes = new Map<string, Region | undefined>();
  const names = new Map<string, Region[]>();
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= limit) map.clear();
    map.set(key, value);
    return value;
  };
  const findAllByName: RegionIndex['findAllByName'] = (name, level, parentCode) => {
    const key = `${name}\u0000${typeof level === 'string' ? level : level.join(',')}\u0000${parentCode ?? ''}`;
    return names.get(key) ?? remember(names, key, regions.findAllByName(name, level, parentCode));
  };
  return {
    ...regions,
    get: (code) => (codes.has(code) ? codes.get(code) : remember(codes, code, regions.get(code))),
    findAllByName,
    findByName: (name, level, parentCode) => {
      const found = findAllByName(name, level, parentCode);
      return found.length === 1 ? (found[0] ?? null) : null;
    },
    get size() {
      return regions.size;
    },
  };
}
