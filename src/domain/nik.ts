import type { sexes } from './enums.ts';
import type { RegionIndex } from './region.ts';
import { err, type Issue, issue, ok, type Result } from './result.ts';

export type Sex = (typeof sexes)[number];

export type ParsedNik = {
  nik: string;
  provinceCode: string;
  kabkotaCode: string;
  kecamatanCode: string;
  birthDate: string;
  sex: Sex;
  serial: string;
};

// The 38 provinces of Kepmendagri 300.2.2-2138/2025 (data-ref/wilayah_kabkota.csv, level provinsi).
// biome-ignore format: a compact table reads better than 38 lines
export const provinceCodes: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36', '51', '52', '53',
  '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76',
  '81', '82', '91', '92', '93', '94', '95', '96',
]);

const femaleDayOffset = 40;

export function normalizeNik(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// The NIK only has YY. Like the usual NIK parsers in Indonesia we take 20YY unless that date
// is impossible or still in the future, then 19YY. A person's record keeps the full birth
// date, and checkNikAgainstRecord compares only DD-MM-YY, so a wrong century never warns.
function resolveBirthDate(dd: number, mm: number, yy: number, today: Date): string | null {
  const todayIso = today.toISOString().slice(0, 10);
  if (isValidDate(2000 + yy, mm, dd)) {
    const candidate = isoDate(2000 + yy, mm, dd);
    if (candidate <= todayIso) return candidate;
  }
  return isValidDate(1900 + yy, mm, dd) ? isoDate(1900 + yy, mm, dd) : null;
}

function checkRegion(nik: string, regions: RegionIndex): Issue[] {
  const kabkota = `${nik.slice(0, 2)}.${nik.slice(2, 4)}`;
  const kecamatan = `${kabkota}.${nik.slice(4, 6)}`;
  // Codes from before a region split stay on old NIKs, so an unknown one is only a warning.
  if (!regions.get(kabkota)) {
    return [issue('nik_region_unknown', `Kode kabupaten/kota ${kabkota} pada NIK tidak dikenal`, 'nik')];
  }
  if (!regions.get(kecamatan)) {
    return [issue('nik_region_unknown', `Kode kecamatan ${kecamatan} pada NIK tidak dikenal`, 'nik')];
  }
  return [];
}

function isKnownProvince(code: string, regions?: RegionIndex): boolean {
  return regions ? regions.get(code)?.level === 'provinsi' : provinceCodes.has(code);
}

export function parseNik(input: string, regions?: RegionIndex, today: Date = new Date()): Result<ParsedNik> {
  const nik = normalizeNik(input);
  if (!/^\d{16}$/.test(nik)) return err('nik_format', 'NIK harus 16 digit angka', 'nik');
  const provinceCode = nik.slice(0, 2);
  if (!isKnownProvince(provinceCode, regions)) {
    return err('nik_province_unknown', `Kode provinsi ${provinceCode} pada NIK tidak dikenal`, 'nik');
  }
  const rawDay = Number(nik.slice(6, 8));
  const sex: Sex = rawDay > femaleDayOffset ? 'P' : 'L';
  const day = sex === 'P' ? rawDay - femaleDayOffset : rawDay;
  const birthDate = resolveBirthDate(day, Number(nik.slice(8, 10)), Number(nik.slice(10, 12)), today);
  if (!birthDate) return err('nik_birthdate_invalid', 'Tanggal lahir pada NIK tidak valid', 'nik');
  const serial = nik.slice(12);
  if (serial === '0000') return err('nik_serial_zero', 'Nomor urut NIK tidak boleh 0000', 'nik');
  const parsed: ParsedNik = {
    nik,
    provinceCode,
    kabkotaCode: `${provinceCode}.${nik.slice(2, 4)}`,
    kecamatanCode: `${provinceCode}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`,
    birthDate,
    sex,
    serial,
  };
  return ok(parsed, regions ? checkRegion(nik, regions) : []);
}

function dayMonthShortYear(isoDateText: string): string | null {
  const match = /^(\d{2})(\d{2})-(\d{2})-(\d{2})/.exec(isoDateText.trim());
  return match ? `${match[4]}-${match[3]}-${match[2]}` : null;
}

export function checkNikAgainstRecord(
  parsed: ParsedNik,
  record: { birthDate?: string | null; sex?: Sex | null },
): Issue[] {
  const issues: Issue[] = [];
  const recorded = record.birthDate ? dayMonthShortYear(record.birthDate) : null;
  if (recorded && recorded !== dayMonthShortYear(parsed.birthDate)) {
    issues.push(issue('nik_birthdate_mismatch', 'Tanggal lahir tidak sesuai dengan NIK', 'birthDate'));
  }
  if (record.sex && record.sex !== parsed.sex) {
    issues.push(issue('nik_sex_mismatch', 'Jenis kelamin tidak sesuai dengan NIK', 'sex'));
  }
  return issues;
}

export function maskNik(nik: string): string {
  const digits = normalizeNik(nik);
  // Anything that is not a well-formed NIK is masked whole rather than guessed at.
  if (digits.length !== 16) return '*'.repeat(digits.length);
  return `${digits.slice(0, 4)}********${digits.slice(12)}`;
}

export function maskBirthDate(birthDate: string): string {
  const match = /^(\d{4})-\d{2}-\d{2}/.exec(birthDate.trim());
  return match ? `${match[1]}-**-**` : '****-**-**';
}

export function generateNik(input: {
  kecamatanCode: string;
  birthDate: string;
  sex: Sex;
  serial: number;
}): string {
  const area = input.kecamatanCode.replace(/\./g, '');
  const date = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(input.birthDate);
  if (!/^\d{6}$/.test(area)) throw new Error(`generateNik: bad kecamatan code ${input.kecamatanCode}`);
  if (!date || !isValidDate(Number(`${date[1]}${date[2]}`), Number(date[3]), Number(date[4]))) {
    throw new Error(`generateNik: bad birth date ${input.birthDate}`);
  }
  if (!Number.isInteger(input.serial) || input.serial < 1 || input.serial > 9999) {
    throw new Error(`generateNik: serial must be 1..9999, got ${input.serial}`);
  }
  const day = Number(date[4]) + (input.sex === 'P' ? femaleDayOffset : 0);
  return `${area}${String(day).padStart(2, '0')}${date[3]}${date[2]}${String(input.serial).padStart(4, '0')}`;
}
