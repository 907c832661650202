import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// An XLSX list for a bulk enrolment, read on the server: the first sheet, the first non-empty
// column, a header row optional, lines numbered by the sheet's rows.

type Line = { line: number; input: string; kind: string; status: string; businessId?: string };

let t: TestApp;
let officer: TestUser;
let programId: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Daftar XLSX',
      type: 'training',
      capacity: 10,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
    })
  ).id;
}, 120_000);
afterAll(async () => t?.close());

async function workbook(rows: unknown[][], firstColumn = 1): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Daftar');
  wb.addWorksheet('Lain').addRow(['9999999999999999']);
  for (const [i, row] of rows.entries()) {
    for (const [j, value] of row.entries())
      sheet.getCell(i + 1, firstColumn + j).value = value as ExcelJS.CellValue;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(file: Buffer, fileName: string) {
  const boundary = `----pulih${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications/resolve-file`,
    headers: { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

describe('resolving an uploaded XLSX list', () => {
  it('reads the first non-empty column of the first sheet, skipping a header row', async () => {
    const [a, b] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004'] });
    const ref = `XL-${b!.id.slice(0, 6)}`;
    await t.ctx.db.update(businesses).set({ ref }).where(sql`id = ${b!.id}`);
    // Column B; a NIK as text, a blank row, a ref, and a note in column C that is not read.
    const file = await workbook(
      [['NIK / Nomor usaha', 'Catatan'], [a!.nik, 'hadir'], [], [ref, `${b!.nik}`]],
      2,
    );
    const res = await upload(file, 'daftar.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Line[] }).items;
    expect(items).toMatchObject([
      { line: 2, kind: 'nik', status: 'found', businessId: a!.id },
      { line: 4, kind: 'ref', status: 'found', businessId: b!.id },
    ]);
    expect(res.body).not.toContain(a!.nik);
  });

  it('reads a list without a header, NIKs typed as numbers included', async () => {
    const [a] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
    const file = await workbook([[a!.nik], [3171000000000000]]);
    const res = await upload(file, 'tanpa-judul.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: Line[] }).items).toMatchObject([
      { line: 1, status: 'found', businessId: a!.id },
      { line: 2, kind: 'nik', status: 'not_found' },
    ]);
  });

  it('refuses an old .xls and a file that is no list', async () => {
    const xls = Buffer.alloc(512);
    xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const old = await upload(xls, 'lama.xls');
    expect(old.statusCode).toBe(422);
    expect(old.json().error.code).toBe('import_file_unreadable');
    const empty = await upload(await workbook([]), 'kosong.xlsx');
    expect(empty.statusCode).toBe(422);
  });
});
