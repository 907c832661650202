import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik, type Sex } from '../../domain/nik.ts';
import { cliCommand } from '../../testing/cli.ts';
import {
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
  testDatabaseUrl,
} from '../../testing/harness.ts';
import { copyPgliteTemplateTo, copyPostgresTemplate } from '../../testing/template.ts';
import { claimJobForResume, findJob, runNextJob } from '../jobs/jobs.service.ts';
import { type ImportResult, resumePathImport, runImport, startPathImport } from './imports.service.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let otherOfficer: TestUser;
const dir = mkdtempSync(join(tmpdir(), 'pulih-import-test-'));

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  otherOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// helpers

let serial = 0;
type Person = { nik: string; sex: Sex; birthDate: string };
function person(kecamatanCode = '62.71.02', sex: Sex = serial % 2 ? 'L' : 'P'): Person {
  serial++;
  const birthDate = `19${60 + (serial % 40)}-0${1 + (serial % 9)}-1${serial % 10}`;
  return { nik: generateNik({ kecamatanCode, birthDate, sex, serial: (serial % 9000) + 1 }), sex, birthDate };
}

const columns = [
  'nik',
  'nama',
  'jenis_kelamin',
  'tanggal_lahir',
  'telepon',
  'kode_wilayah',
  'nama_usaha',
  'kbli',
  'omzet_tahunan',
  'ref',
];

function line(p: Person, values: Partial<Record<string, string>> = {}) {
  const defaults: Record<string, string> = {
    nik: p.nik,
    nama: `Pemilik ${p.nik.slice(-4)}`,
    jenis_kelamin: p.sex,
    tanggal_lahir: p.birthDate,
    telepon: `0812${p.nik.slice(-8)}`,
    kode_wilayah: '62.71.02.1004',
    nama_usaha: `Usaha ${p.nik.slice(-6)}`,
    kbli: '16291',
    omzet_tahunan: '60.000.000',
    ref: '',
  };
  return columns.map((c) => values[c] ?? defaults[c] ?? '');
}

function csv(
  rows: string[][],
  options: { delimiter?: string; bom?: boolean; crlf?: boolean; header?: string[] } = {},
) {
  const d = options.delimiter ?? ',';
  const eol = options.crlf ? '\r\n' : '\n';
  const quote = (v: string) =>
    v.includes(d) || v.includes('"') || v.includes('\n') ? `"${v.replaceAll('"', '""')}"` : v;
  const text = [options.header ?? columns, ...rows].map((r) => r.map(quote).join(d)).join(eol) + eol;
  return Buffer.from((options.bom ? '\ufeff' : '') + text);
}

function multipart(file: Buffer, fileName: string, fields: Record<string, string> = {}) {
  const boundary = `----pulih${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(
  cookie: string,
  file: Buffer,
  fileName = 'usaha.csv',
  fields: Record<string, string> = {},
) {
  const body = multipart(file, fileName, fields);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
}

async function runJobs() {
  while (await runNextJob(t.ctx)) {}
}

type Summary = {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { row: number; column: string | null; code: string; message: string }[];
  warnings: { row: number; column: string | null; code: string; message: string }[];
  errorCount: number;
  warningCount: number;
};

async function importFile(
  cookie: string,
  file: Buffer,
  fileName = 'usaha.csv',
  fields: Record<string, string> = {},
) {
  const res = await upload(cookie, file, fileName, fields);
  expect(res.statusCode, res.body).toBe(202);
  await runJobs();
  const done = await t.app.inject({ url: `/api/v1/imports/${res.json().id}`, headers: { cookie } });
  expect(done.statusCode, done.body).toBe(200);
  const item = done.json();
  expect(item.status, JSON.stringify(item.error)).toBe('succeeded');
  return item as { id: string; summary: Summary; progress: { done: number; total: number } };
}

const counts = (s: Summary) => ({
  rows: s.rows,
  inserted: s.inserted,
  updated: s.updated,
  unchanged: s.unchanged,
  rejected: s.rejected,
});

async function count(table: 'businesses' | 'people', where = sql`true`) {
  const result = await queryRows<{ n: number }>(
    t.ctx.db,
    sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`,
  );
  return result[0]?.n ?? 0;
}

async function businessByRef(ref: string) {
  const result = await queryRows<Record<string, unknown>>(
    t.ctx.db,
    sql`
    select b.name, b.kbli, b.annual_turnover::float8 as "annualTurnover", b.region_code as "regionCode", p.nik, p.name as owner,
      p.phone, b.updated_at as "updatedAt"
    from businesses b join people p on p.id = b.owner_id where b.ref = ${ref}`,
  );
  return result[0];
}

// ---------------------------------------------------------------------------------------

describe('registry import', () => {
  it('imports a semicolon CSV with BOM, CRLF, English headers and regions by name', async () => {
    const header = [
      'ID Number',
      'Owner Name',
      'Sex',
      'Date of Birth',
      'Phone',
      'Village',
      'District',
      'Business Name',
      'Ref',
    ];
    const a = person('62.71.04');
    const b = person('62.71.05');
    const c = person('62.71.02');
    const rows = [
      [
        a.nik,
        'Siti Aminah',
        a.sex,
        a.birthDate,
        '0812-1111-2222',
        'Kalampangan',
        'Sebangau',
        'Purun Siti',
        'SEMI-1',
      ],
      [
        b.nik,
        'Yohanes Dohong',
        b.sex,
        b.birthDate,
        '+62 813 2222 3333',
        'Petuk Berunai',
        'Rakumpit',
        'Rotan Yohanes',
        'SEMI-2',
      ],
      [
        c.nik,
        'Rahmat; Hidayat',
        c.sex,
        c.birthDate,
        '',
        'Tangkiling',
        'Bukit Batu',
        'Anyaman "Rahmat"',
        'SEMI-3',
      ],
    ];
    const item = await importFile(
      officer.cookie,
      csv(rows, { delimiter: ';', bom: true, crlf: true, header }),
      'semi.csv',
    );
    expect(counts(item.summary)).toEqual({ rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(item.summary.errors).toEqual([]);
    expect(item.progress).toMatchObject({ done: 3, total: 3 });
    expect(await businessByRef('SEMI-1')).toMatchObject({
      regionCode: '62.71.04.1002',
      owner: 'Siti Aminah',
    });
    expect(await businessByRef('SEMI-2')).toMatchObject({
      regionCode: '62.71.05.1003',
      phone: '+6281322223333',
    });
    expect(await businessByRef('SEMI-3')).toMatchObject({
      name: 'Anyaman "Rahmat"',
      owner: 'Rahmat; Hidayat',
    });

    // one audit entry per batch, not per row
    const audit = await queryRows<{ action: string; after: { inserted: number } }>(
      t.ctx.db,
      sql`select action, after from audit_log where entity = 'import' and entity_id = ${item.id}`,
    );
    expect(audit).toEqual([{ action: 'import', after: expect.objectContaining({ inserted: 3, toRow: 4 }) }]);
  });

  it('reads an XLSX file (first sheet, date and number cells) like the same CSV', async () => {
    const p = person();
    const q = person();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Data');
    ws.addRow(['NIK', 'Nama', 'Tanggal Lahir', 'Kode Wilayah', 'Nama Usaha', 'Tenaga Kerja', 'Ref']);
    const birth = new Date(`${p.birthDate}T00:00:00Z`);
    ws.addRow([p.nik, 'Dewi Lestari', birth, '6271021001', 'Kue Dewi', 3, 'XLSX-1']);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy';
    ws.addRow([
      q.nik,
      { richText: [{ text: 'Agus ' }, { text: 'Pratama' }] },
      q.birthDate,
      '62.71.02.1001',
      'Bengkel Agus',
      '',
      'XLSX-2',
    ]);
    ws.addRow([]);
    ws.addRow(['123', 'Salah', '', '62.71.02.1001', 'X Usaha', 'dua', 'XLSX-3']);
    wb.addWorksheet('Catatan').addRow(['this sheet is ignored']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const item = await importFile(officer.cookie, file, 'usaha.xlsx');
    expect(counts(item.summary)).toEqual({ rows: 3, inserted: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(item.summary.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [5, 'NIK', 'nik_format'],
      [5, 'Tenaga Kerja', 'number_invalid'],
    ]);
    expect(await businessByRef('XLSX-2')).toMatchObject({ owner: 'Agus Pratama' });
    const dewi = await queryRows<{ b: string }>(
      t.ctx.db,
      sql`select birth_date::text as b from people where nik = ${p.nik}`,
    );
    expect(dewi[0]?.b).toBe(p.birthDate);
  });

  it('rejects bad rows with row, column, code and an Indonesian message, and keeps the good ones', async () => {
    const good = [person(), person(), person()];
    const warn = person('62.71.02', 'L');
    const rows = [
      line(good[0]!, { ref: 'BAD-0' }),
      line(person(), { nik: '62710215058', ref: 'BAD-1' }),
      line(person(), { telepon: '12345', ref: 'BAD-2' }),
      line(good[1]!, { ref: 'BAD-3' }),
      line(person(), { kode_wilayah: '62.71.09.9999', ref: 'BAD-4' }),
      line(person(), { nama_usaha: '', ref: 'BAD-5' }),
      line(person(), { tanggal_lahir: '31/02/1980', ref: 'BAD-6' }),
      line(person(), { kbli: '12', omzet_tahunan: 'banyak', ref: 'BAD-7' }),
      line(warn, { jenis_kelamin: 'P', ref: 'BAD-8' }),
      line(good[2]!, { ref: 'BAD-9' }),
    ];
    const item = await importFile(officer.cookie, csv(rows), 'bad.csv');
    expect(counts(item.summary)).toEqual({ rows: 10, inserted: 4, updated: 0, unchanged: 0, rejected: 6 });
    expect(item.summary.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '3:nik:nik_format',
      '4:telepon:phone_invalid',
      '6:kode_wilayah:region_unknown',
      '7:nama_usaha:required',
      '8:tanggal_lahir:date_invalid',
      '9:kbli:kbli_invalid',
      '9:omzet_tahunan:number_invalid',
    ]);
    expect(item.summary.errors[0]?.message).toBe('NIK harus 16 digit angka');
    expect(item.summary.warnings.map((w) => `${w.row}:${w.column}:${w.code}`)).toEqual([
      '10:jenis_kelamin:nik_sex_mismatch',
    ]);
    expect(item.summary.errorCount).toBe(7);
    for (const ref of ['BAD-0', 'BAD-3', 'BAD-8', 'BAD-9']) expect(await businessByRef(ref)).toBeDefined();
    expect(await businessByRef('BAD-2')).toBeUndefined();

    // every issue, paged
    const page1 = await t.app.inject({
      url: `/api/v1/imports/${item.id}/issues?limit=5`,
      headers: { cookie: officer.cookie },
    });
    expect(page1.json().items).toHaveLength(5);
    const page2 = await t.app.inject({
      url: `/api/v1/imports/${item.id}/issues?limit=5&cursor=${page1.json().nextCursor}`,
      headers: { cookie: officer.cookie },
    });
    expect(page2.json()).toMatchObject({ nextCursor: null });
    expect(page2.json().items.map((i: { severity: string }) => i.severity)).toEqual([
      'error',
      'error',
      'warning',
    ]);

    // the error report: the bad rows as they were, with the errors beside them
    const report = await t.app.inject({
      url: `/api/v1/imports/${item.id}/errors.xlsx`,
      headers: { cookie: officer.cookie },
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns, 'kesalahan', 'baris_asal']);
    expect(sheet.rowCount).toBe(7);
    const last = sheet.getRow(7).values as unknown[];
    expect(last.slice(1, 3)).toEqual([rows[7]![0], rows[7]![1]]);
    expect(String(last[columns.length + 1])).toContain('kbli: Kode KBLI harus 5 digit [kbli_invalid]');
    expect(String(last[columns.length + 1])).toContain('[number_invalid]');
    expect(last[columns.length + 2]).toBe(9);
    expect(wb.worksheets[1]?.getRow(2).values).toEqual([
      undefined,
      10,
      'jenis_kelamin',
      'nik_sex_mismatch',
      expect.any(String),
    ]);
    const logged = await queryRows<{ kind: string }>(
      t.ctx.db,
      sql`select kind from personal_data_access where subject = ${`import:${item.id}`}`,
    );
    expect(logged).toEqual([{ kind: 'export' }]);

    // fixed in the report and imported again: the extra columns only warn
    const fixed = new ExcelJS.Workbook();
    const fixedSheet = fixed.addWorksheet('fix');
    sheet.eachRow((r) => {
      fixedSheet.addRow((r.values as unknown[]).slice(1));
    });
    fixedSheet.getCell('A2').value = person().nik;
    const again = await importFile(officer.cookie, Buffer.from(await fixed.xlsx.writeBuffer()), 'fixed.xlsx');
    expect(again.summary.inserted).toBe(1);
    expect(again.summary.warnings.filter((w) => w.row === 1).map((w) => w.column)).toEqual([
      'kesalahan',
      'baris_asal',
    ]);
  });

  it('is idempotent: the same file again is unchanged, a corrected file updates only what changed', async () => {
    const people = Array.from({ length: 6 }, () => person());
    const rows = [
      line(people[0]!, { ref: 'IDEM-1' }),
      line(people[1]!, { ref: 'IDEM-2' }),
      line(people[2]!, {}),
      line(people[3]!, {}),
      line(people[4]!, { ref: 'IDEM-5' }),
      // a second business of the same owner, without a ref
      line(people[3]!, { nama_usaha: 'Usaha Kedua' }),
    ];
    const first = await importFile(officer.cookie, csv(rows), 'idem.csv');
    expect(counts(first.summary)).toEqual({ rows: 6, inserted: 6, updated: 0, unchanged: 0, rejected: 0 });
    const businessesBefore = await count('businesses');
    const peopleBefore = await count('people');
    const stamp = (await businessByRef('IDEM-2'))?.updatedAt;

    const again = await importFile(officer.cookie, csv(rows, { delimiter: ';' }), 'idem-again.csv');
    expect(counts(again.summary)).toEqual({ rows: 6, inserted: 0, updated: 0, unchanged: 6, rejected: 0 });
    expect(await count('businesses')).toBe(businessesBefore);
    expect(await count('people')).toBe(peopleBefore);
    expect((await businessByRef('IDEM-2'))?.updatedAt).toEqual(stamp);

    const corrected = rows.map((r) => [...r]);
    corrected[0]![columns.indexOf('omzet_tahunan')] = '75.000.000'; // business changed
    corrected[2]![columns.indexOf('nama')] = 'Nama Diperbaiki'; // owner changed
    corrected[4]![columns.indexOf('kbli')] = ''; // an empty cell keeps what is stored
    corrected[1]![columns.indexOf('nama_usaha')] = 'Usaha Nama Baru'; // same ref, new name
    const third = await importFile(officer.cookie, csv(corrected), 'idem-fixed.csv');
    expect(counts(third.summary)).toEqual({ rows: 6, inserted: 0, updated: 3, unchanged: 3, rejected: 0 });
    expect(await count('businesses')).toBe(businessesBefore);
    expect(await businessByRef('IDEM-1')).toMatchObject({ annualTurnover: 75_000_000 });
    expect(await businessByRef('IDEM-2')).toMatchObject({ name: 'Usaha Nama Baru' });
    expect(await businessByRef('IDEM-5')).toMatchObject({ kbli: '16291' });
    expect(await count('people', sql`name = 'Nama Diperbaiki'`)).toBe(1);

    // a case change of a name without ref is the same business, updated
    const renamed = corrected.map((r) => [...r]);
    renamed[3]![columns.indexOf('nama_usaha')] = renamed[3]![columns.indexOf('nama_usaha')]!.toUpperCase();
    const fourth = await importFile(officer.cookie, csv(renamed), 'idem-case.csv');
    expect(counts(fourth.summary)).toEqual({ rows: 6, inserted: 0, updated: 1, unchanged: 5, rejected: 0 });
    expect(await count('businesses')).toBe(businessesBefore);
  });

  it('queues duplicate detection after an import that changed people, not after a dry run or no change', async () => {
    const dedupRuns = async () => {
      const result = await queryRows<{ n: number }>(
        t.ctx.db,
        sql`select count(*)::int as n from jobs where kind = 'dedup'`,
      );
      return result[0]?.n ?? 0;
    };
    // One owner written twice: the second NIK has a mistyped last digit, the name a title.
    const owner = person('62.71.05');
    const mistyped = `${owner.nik.slice(0, 15)}${(Number(owner.nik[15]) + 1) % 10}`;
    const rows = [
      line(owner, { nama: 'Muhammad Rizki Saputra', ref: 'DD-1', kode_wilayah: '62.71.05.1003' }),
      line(
        { ...owner, nik: mistyped },
        { nama: 'H. M. Rizki Saputra', ref: 'DD-2', kode_wilayah: '62.71.05.1003', telepon: '' },
      ),
    ];
    const before = await dedupRuns();
    await importFile(officer.cookie, csv(rows), 'dedup-dry.csv', { dryRun: 'true' });
    expect(await dedupRuns()).toBe(before);
    await importFile(officer.cookie, csv(rows), 'dedup.csv');
    expect(await dedupRuns()).toBe(before + 1);
    await importFile(officer.cookie, csv(rows), 'dedup-again.csv');
    expect(await dedupRuns()).toBe(before + 1);

    // importFile ran the queued jobs: the review queue already holds the pair.
    const pairs = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({
        url: `/api/v1/dedup/candidates?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie: officer.cookie },
      });
      expect(page.statusCode, page.body).toBe(200);
      for (const pair of page.json().items as { a: { name: string }; b: { name: string } }[]) {
        pairs.add(`${pair.a.name}|${pair.b.name}`);
      }
      cursor = page.json().nextCursor as string | null;
    } while (cursor);
    expect(
      [...pairs].some((n) => n.includes('Muhammad Rizki Saputra') && n.includes('H. M. Rizki Saputra')),
    ).toBe(true);
  });

  it('imports a business twice in one file once, and takes the owner from the first row', async () => {
    const p = person();
    const rows = [
      line(p, { ref: 'DUP-1', telepon: '0812 5555 0001' }),
      line(p, { ref: 'DUP-2', telepon: '0812 5555 0002', nama_usaha: 'Usaha Dua' }),
      line(p, { ref: 'DUP-1', nama_usaha: 'Nama lain untuk DUP-1' }),
    ];
    const item = await importFile(officer.cookie, csv(rows), 'dup.csv');
    expect(counts(item.summary)).toEqual({ rows: 3, inserted: 2, updated: 0, unchanged: 1, rejected: 0 });
    expect(item.summary.warnings.map((w) => `${w.row}:${w.code}`)).toEqual([
      '3:owner_conflict',
      '4:duplicate_row',
    ]);
    expect(item.summary.warnings[1]?.message).toContain('baris 2');
    expect(await businessByRef('DUP-1')).toMatchObject({
      name: `Usaha ${p.nik.slice(-6)}`,
      phone: '+6281255550001',
    });
    const again = await importFile(officer.cookie, csv(rows), 'dup.csv');
    expect(counts(again.summary)).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
  });

  it('refuses a ref that names another business, and follows an owner correction', async () => {
    const a = person();
    const b = person();
    await importFile(officer.cookie, csv([line(a, { ref: 'REF-1', nama_usaha: 'Rotan A' })]), 'ref-1.csv');
    const clash = await importFile(
      officer.cookie,
      csv([line(b, { ref: 'REF-1', nama_usaha: 'Warung B' })]),
      'ref-2.csv',
    );
    expect(counts(clash.summary)).toEqual({ rows: 1, inserted: 0, updated: 0, unchanged: 0, rejected: 1 });
    expect(clash.summary.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(['2:ref:ref_taken']);
    expect(await businessByRef('REF-1')).toMatchObject({ nik: a.nik, name: 'Rotan A' });
    const fix = await importFile(
      officer.cookie,
      csv([line(b, { ref: 'REF-1', nama_usaha: 'Rotan A' })]),
      'ref-3.csv',
    );
    expect(counts(fix.summary)).toEqual({ rows: 1, inserted: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect(fix.summary.warnings.map((w) => w.code)).toEqual(['owner_changed']);
    expect(await businessByRef('REF-1')).toMatchObject({ nik: b.nik });
  });

  it('checks first with a dry run that writes nothing, then imports the same file', async () => {
    const existing = person();
    await importFile(officer.cookie, csv([line(existing, { ref: 'DRY-0' })]), 'dry-seed.csv');
    const rows = [
      line(existing, { ref: 'DRY-0', omzet_tahunan: '1.000.000' }),
      line(person(), { ref: 'DRY-1' }),
      line(person(), { nik: 'x', ref: 'DRY-2' }),
    ];
    const before = await count('businesses');
    const dry = await importFile(officer.cookie, csv(rows), 'dry.csv', { dryRun: 'true' });
    expect(dry).toMatchObject({ dryRun: true });
    expect(counts(dry.summary)).toEqual({ rows: 3, inserted: 1, updated: 1, unchanged: 0, rejected: 1 });
    expect(await count('businesses')).toBe(before);
    expect(await businessByRef('DRY-0')).toMatchObject({ annualTurnover: 60_000_000 });

    const run = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${dry.id}/run`,
      headers: { cookie: officer.cookie },
    });
    expect(run.statusCode, run.body).toBe(202);
    await runJobs();
    const real = await t.app.inject({
      url: `/api/v1/imports/${run.json().id}`,
      headers: { cookie: officer.cookie },
    });
    expect(real.json()).toMatchObject({ dryRun: false, status: 'succeeded' });
    expect(counts(real.json().summary)).toEqual(counts(dry.summary));
    expect(await count('businesses')).toBe(before + 1);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${dry.id}/run`,
      headers: { cookie: officer.cookie },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('refuses a file without the required columns before writing anything', async () => {
    const jobsBefore = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from jobs`);
    const res = await upload(officer.cookie, Buffer.from('nama,alamat\nBudi,Jl. A\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'import_columns_missing',
      details: { missing: ['nik', 'nama_usaha', 'kode_wilayah'] },
    });
    const empty = await upload(officer.cookie, Buffer.from(''));
    expect(empty.json().error.code).toBe('import_file_unreadable');
    const xls = await upload(officer.cookie, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'old.xls');
    expect(xls.json().error).toMatchObject({ code: 'import_file_unreadable', details: { reason: 'xls' } });
    const other = multipart(Buffer.from('x'), 'x');
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { cookie: officer.cookie, ...other.headers },
      payload: other.payload.toString().replace('name="file"', 'name="other"'),
    });
    expect(noFile.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { cookie: officer.cookie },
      payload: {},
    });
    expect(json.statusCode).toBe(415);
    const jobsAfter = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from jobs`);
    expect(jobsAfter[0]?.n).toBe(jobsBefore[0]?.n);
  });

  it('lets only registry roles import, and a kecamatan officer only rows of its kecamatan', async () => {
    const sopd = await createUser(t, 'sopd_officer');
    // A kecamatan officer of its own: the list of its imports holds this `it`'s import only.
    const bukitBatu = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const file = csv([line(person())]);
    expect((await upload(sopd.cookie, file)).statusCode).toBe(403);
    expect((await upload('pulih_session=nope', file)).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/v1/imports/template.xlsx', headers: { cookie: sopd.cookie } }))
        .statusCode,
    ).toBe(403);

    // a business of Rakumpit already registered under this ref
    const rakumpit = person('62.71.05');
    await importFile(
      officer.cookie,
      csv([line(rakumpit, { kode_wilayah: '62.71.05.1001', ref: 'SCOPE-R' })]),
      'r.csv',
    );
    const rows = [
      line(person(), { ref: 'SCOPE-1' }),
      line(person('62.71.05'), { kode_wilayah: '62.71.05.1002', ref: 'SCOPE-2' }),
      line(rakumpit, { ref: 'SCOPE-R' }), // would move a Rakumpit business into Bukit Batu
    ];
    const item = await importFile(bukitBatu.cookie, csv(rows), 'scope.csv');
    expect(counts(item.summary)).toEqual({ rows: 3, inserted: 1, updated: 0, unchanged: 0, rejected: 2 });
    expect(item.summary.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '3:kode_wilayah:outside_scope',
      '4:kode_wilayah:outside_scope',
    ]);
    expect(await businessByRef('SCOPE-R')).toMatchObject({ regionCode: '62.71.05.1001' });

    // another officer's import is not visible; the program officer sees all
    expect(
      (await t.app.inject({ url: `/api/v1/imports/${item.id}`, headers: { cookie: otherOfficer.cookie } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/v1/imports/${item.id}`, headers: { cookie: officer.cookie } }))
        .statusCode,
    ).toBe(200);
    const mine = await t.app.inject({
      url: '/api/v1/imports?limit=50',
      headers: { cookie: bukitBatu.cookie },
    });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    const job = await t.app.inject({ url: `/api/v1/jobs/${item.id}`, headers: { cookie: bukitBatu.cookie } });
    expect(job.json()).toMatchObject({
      kind: 'import',
      status: 'succeeded',
      progress: { done: 3, total: 3 },
    });
  });

  it('serves a template with notes and drop-down lists of the officer’s kabupaten/kota', async () => {
    const res = await t.app.inject({
      url: '/api/v1/imports/template.xlsx?lang=en',
      headers: { cookie: kecamatan.cookie },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const data = wb.getWorksheet('Data')!;
    expect((data.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['nik', 'nama', 'jenis_kelamin']);
    expect(JSON.stringify(data.getCell('A1').note)).toContain('16 digits');
    const kelurahanColumn = String.fromCharCode(65 + 7);
    expect(data.getCell(`${kelurahanColumn}2`).dataValidation).toMatchObject({ type: 'list' });
    expect(data.getCell(`${kelurahanColumn}2`).dataValidation.formulae?.[0]).toContain('$B$2:$B$31');
    const regionsSheet = wb.getWorksheet('Regions')!;
    expect(regionsSheet.getCell('B2').value).toBe('Pahandut');
    // the template's header is a valid import header
    const item = await importFile(
      kecamatan.cookie,
      Buffer.from(await wb.xlsx.writeBuffer()),
      'template.xlsx',
    );
    expect(item.summary.rows).toBe(0);
  });
});

describe('crash safety', () => {
  function bigCsv(rows: number, prefix: string) {
    const lines: string[][] = [];
    for (let i = 0; i < rows; i++) {
      const p = person(['62.71.01', '62.71.02', '62.71.03', '62.71.04', '62.71.05'][i % 5]);
      const region = `${p.nik.slice(0, 2)}.${p.nik.slice(2, 4)}.${p.nik.slice(4, 6)}.1001`;
      lines.push(line(p, { ref: `${prefix}-${i}`, kode_wilayah: region, nik: i % 97 === 0 ? 'bad' : p.nik }));
    }
    return csv(lines, { crlf: true });
  }

  it('leaves whole batches when stopped half-way, and a resumed run finishes without duplicates', async () => {
    const file = join(dir, 'crash.csv');
    writeFileSync(file, bigCsv(1000, 'CRASH'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 100 });
    const run = { job: started.job, worker: started.worker, signal: new AbortController().signal };
    await expect(
      runImport(t.ctx, run, {
        afterCommit: (batch) => {
          if (batch === 4) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const crashed = (await findJob(t.ctx, started.job.id))!;
    expect(crashed).toMatchObject({ status: 'running', done: 400 });
    expect(crashed.checkpoint).toMatchObject({ position: { row: 401 } });
    expect(await count('businesses', sql`ref like 'CRASH-%'`)).toBe(400 - 5);

    // the same file again takes over the job once its holder is gone
    await t.ctx.db.execute(
      sql`update jobs set heartbeat_at = now() - interval '2 minutes' where id = ${started.job.id}`,
    );
    const resumed = await startPathImport(t.ctx, file, { dryRun: false });
    expect(resumed).toMatchObject({ resumed: true, job: { id: started.job.id } });
    const result = await runImport(t.ctx, {
      job: resumed.job,
      worker: resumed.worker,
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ rows: 1000, inserted: 989, rejected: 11, unchanged: 0 });
    expect(await count('businesses', sql`ref like 'CRASH-%'`)).toBe(989);
    const issues = await queryRows<{ n: number; r: number }>(
      t.ctx.db,
      sql`select count(*)::int as n, count(distinct "row")::int as r from import_issues where job_id = ${started.job.id}`,
    );
    expect(issues[0]).toEqual({ n: 11, r: 11 });
    expect((await findJob(t.ctx, started.job.id))?.status).toBe('succeeded');
  });

  it('rolls back the batch of a worker whose job was taken over', async () => {
    const file = join(dir, 'stolen.csv');
    writeFileSync(file, bigCsv(300, 'STOLEN'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 100 });
    const thief = 'worker:elsewhere:1:abc';
    const result = runImport(
      t.ctx,
      { job: started.job, worker: started.worker, signal: new AbortController().signal },
      {
        afterCommit: async (batch) => {
          if (batch !== 1) return;
          await t.ctx.db.execute(
            sql`update jobs set heartbeat_at = now() - interval '2 minutes' where id = ${started.job.id}`,
          );
          expect(await claimJobForResume(t.ctx, started.job.id, thief)).not.toBeNull();
        },
      },
    );
    await expect(result).rejects.toThrow(/no longer held/);
    expect(await count('businesses', sql`ref like 'STOLEN-%'`)).toBe(100 - 2);
    expect((await findJob(t.ctx, started.job.id))?.lockedBy).toBe(thief);
  });

  it('finishes after a SIGKILL of the CLI, with nothing lost and no duplicates', async () => {
    const file = join(dir, 'killed.csv');
    writeFileSync(file, bigCsv(3000, 'KILL'));
    let target: {
      env: Record<string, string>;
      args: string[];
      query: (q: string) => Promise<number>;
      drop: () => Promise<void>;
    };
    // The CLI's database starts as a copy of the migrated template, so the child processes
    // spend their time importing, not migrating.
    if (t.engine === 'postgres') {
      const copy = await copyPostgresTemplate(testDatabaseUrl(), 'pulih_t_kill');
      target = {
        env: { DATABASE_URL: copy.url },
        args: [],
        query: async (q) => {
          const c = new pg.Client({ connectionString: copy.url });
          await c.connect();
          const n = Number((await c.query(q)).rows[0]?.n);
          await c.end();
          return n;
        },
        drop: copy.drop,
      };
    } else {
      const data = join(dir, 'killed-data');
      await copyPgliteTemplateTo(data);
      target = {
        env: {},
        args: ['--data', data],
        query: async (q) => {
          const database = openDatabase({ dataDir: data });
          const result = await queryRows<{ n: number }>(database.db, sql.raw(q));
          await database.close();
          return Number(result[0]?.n);
        },
        drop: async () => {},
      };
    }
    const start = (): ChildProcess =>
      spawn(
        process.execPath,
        [
          ...cliCommand('import'),
          ...target.args,
          'import',
          'businesses',
          file,
          '--batch-size',
          '100',
          '--json',
        ],
        {
          env: {
            ...process.env,
            ...target.env,
            PULIH_PROGRESS_INTERVAL_MS: '0',
            PULIH_ADMIN_PASSWORD: 'x'.repeat(16),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    try {
      const first = start();
      const killed = await new Promise<boolean>((done) => {
        first.stderr?.on('data', (chunk: Buffer) => {
          // killed at the first committed batch, wherever the next one is
          if (/progress: [1-9]/.test(chunk.toString())) first.kill('SIGKILL');
        });
        first.on('exit', (_code, signal) => done(signal === 'SIGKILL'));
      });
      expect(killed).toBe(true);
      const committed = await target.query(
        "select count(*)::int as n from businesses where ref like 'KILL-%'",
      );
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(3000 - 31);

      const second = start();
      let out = '';
      second.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      let err = '';
      second.stderr?.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      const code = await new Promise<number | null>((done) => second.on('exit', done));
      expect(code, err).toBe(0);
      expect(err).toContain('Resuming import job');
      const summary = JSON.parse(out) as ImportResult & { errors: unknown[]; warnings: unknown[] };
      expect(summary).toMatchObject({
        rows: 3000,
        inserted: 3000 - 31,
        rejected: 31,
        unchanged: 0,
        updated: 0,
      });
      expect(summary.errors).toHaveLength(31);
      expect(Object.keys(summary)).toEqual([
        'rows',
        'inserted',
        'updated',
        'unchanged',
        'rejected',
        'errors',
        'warnings',
      ]);
      // every row once: as many businesses as distinct refs, and as the good rows
      const stored = await target.query(
        "select (count(*) * 100000 + count(distinct ref))::int as n from businesses where ref like 'KILL-%'",
      );
      expect(stored).toBe((3000 - 31) * 100000 + (3000 - 31));
    } finally {
      await target.drop();
    }
    // Two CLI processes start here; on a busy two-core machine they wait for a core.
  }, 180_000);

  it('imports 20,000 rows with memory that does not grow with the rows', async () => {
    const file = join(dir, 'large.csv');
    writeFileSync(file, bigCsv(20_000, 'LARGE'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 4000 });
    const heap: number[] = [];
    const result = await runImport(
      t.ctx,
      { job: started.job, worker: started.worker, signal: new AbortController().signal },
      { onProgress: () => heap.push(process.memoryUsage().heapUsed) },
    );
    expect(result).toMatchObject({ rows: 20_000, inserted: 20_000 - 207, rejected: 207 });
    // the heap after the last batch is not a multiple of the heap after the first ones
    expect(Math.max(...heap.slice(-3))).toBeLessThan(Math.max(...heap.slice(0, 3)) + 150 * 1024 * 1024);
    const resume = await resumePathImport(t.ctx, started.job.id);
    expect(resume.worker).toBe('');
  }, 120_000);
});

describe('file readers', () => {
  async function rowsOf(bytes: Buffer) {
    const { Readable } = await import('node:stream');
    const { openRowReader } = await import('./imports.parse.ts');
    const reader = await openRowReader({ name: 'x', size: bytes.length, open: () => Readable.from([bytes]) });
    const rows: { row: number; cells: unknown[] }[] = [];
    for await (const r of reader.rows) rows.push(r);
    return { header: reader.header, rows, format: reader.format };
  }

  it('reads Excel CSV variants: sep= line, Windows-1252, UTF-16 with tabs, quoted line breaks', async () => {
    const sep = await rowsOf(Buffer.from('sep=;\r\nnik;nama\r\n1;Budi\r\n'));
    expect(sep.header).toEqual({ row: 1, cells: ['nik', 'nama'] });
    expect(sep.rows).toEqual([{ row: 2, cells: ['1', 'Budi'] }]);

    const latin = await rowsOf(Buffer.from('nama;alamat\nJos\xe9;Jl. Ca\xf1a\n', 'latin1'));
    expect(latin.rows[0]?.cells).toEqual(['José', 'Jl. Caña']);

    const utf16 = await rowsOf(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nik\tnama\r\n2\tSiti\r\n', 'utf16le')]),
    );
    expect(utf16.header.cells).toEqual(['nik', 'nama']);
    expect(utf16.rows[0]?.cells).toEqual(['2', 'Siti']);

    const quoted = await rowsOf(Buffer.from('a,b\n"x, ""y""\nz",2\n\n3,"unterminated'));
    expect(quoted.rows).toEqual([
      { row: 2, cells: ['x, "y"\nz', '2'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['3', 'unterminated'] },
    ]);
  });

  it('reads records split across chunks the same as whole', async () => {
    const { csvRecords } = await import('./imports.parse.ts');
    const text = 'a,b\r\n"1\r\n2",x\r\n3,"q""q"\r\n';
    async function* pieces(size: number) {
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    }
    const whole: string[][] = [];
    for await (const r of csvRecords(pieces(text.length), ',')) whole.push(r);
    expect(whole).toEqual([
      ['a', 'b'],
      ['1\r\n2', 'x'],
      ['3', 'q"q'],
    ]);
    for (const size of [1, 2, 3, 5]) {
      const split: string[][] = [];
      for await (const r of csvRecords(pieces(size), ',')) split.push(r);
      expect(split).toEqual(whole);
    }
  });
});
