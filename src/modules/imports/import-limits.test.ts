import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { findJob, runNextJob, superviseJob } from '../jobs/jobs.service.ts';
import { importLimits } from './imports.limits.ts';
import { cancelImport, runImport, startPathImport } from './imports.service.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let otherKecamatan: TestUser;
const dir = mkdtempSync(join(tmpdir(), 'pulih-import-limits-'));
const defaults = { ...importLimits };

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  otherKecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
});
afterEach(() => {
  Object.assign(importLimits, defaults);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const header = 'nik,nama,kode_wilayah,nama_usaha,ref';
let serial = 0;
function rows(n: number, prefix: string, bad = false) {
  const lines = [header];
  for (let i = 0; i < n; i++) {
    serial++;
    const nik = generateNik({
      kecamatanCode: '62.71.02',
      birthDate: `19${60 + (serial % 40)}-0${1 + (serial % 9)}-1${serial % 10}`,
      sex: serial % 2 ? 'L' : 'P',
      serial: (serial % 9000) + 1,
    });
    lines.push(`${bad ? 'bukan-nik' : nik},Pemilik ${i},62.71.02.1004,Usaha ${prefix} ${i},${prefix}-${i}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function multipart(file: Buffer, fileName: string) {
  const boundary = `----pulih${randomBytes(8).toString('hex')}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(user: TestUser, file: Buffer, fileName = 'usaha.csv') {
  const body = multipart(file, fileName);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { cookie: user.cookie, ...body.headers },
    payload: body.payload,
  });
}

async function runJobs() {
  while (await runNextJob(t.ctx)) {}
}

async function importOf(user: TestUser, id: string) {
  return t.app.inject({ url: `/api/v1/imports/${id}`, headers: { cookie: user.cookie } });
}

async function count(where: ReturnType<typeof sql>) {
  const result = await queryRows<{ n: number }>(
    t.ctx.db,
    sql`select count(*)::int as n from businesses where ${where}`,
  );
  return result[0]?.n ?? 0;
}

describe('import limits', () => {
  it('fails an import whose row is megabytes long with import_row_too_large, quickly', async () => {
    const file = Buffer.from(`${header}\n"${'x'.repeat(2 * 1024 * 1024)}",a,b,c,d\n`);
    const res = await upload(officer, file);
    expect(res.statusCode, res.body).toBe(202);
    await runJobs();
    const item = (await importOf(officer, res.json().id)).json();
    expect(item.status).toBe('failed');
    expect(item.error).toMatchObject({ code: 'import_row_too_large', details: { row: 2 } });
  });

  it('limits the upload by role: a kecamatan officer less than a program officer', async () => {
    // the limits are read per request; 1 MB stands for the 20 MB default of a kecamatan office
    process.env.PULIH_IMPORT_MAX_MB_KECAMATAN = '1';
    try {
      const big = Buffer.concat([rows(1, 'BIG'), Buffer.alloc(1536 * 1024, '\n')]);
      const limits = await t.app.inject({
        url: '/api/v1/imports/limits',
        headers: { cookie: kecamatan.cookie },
      });
      expect(limits.json()).toEqual({ maxUploadBytes: 1024 * 1024, maxRows: importLimits.maxRows });
      const refused = await upload(kecamatan, big);
      expect(refused.statusCode, refused.body).toBe(413);
      expect(refused.json().error).toMatchObject({
        code: 'import_file_too_large',
        details: { maxBytes: 1024 * 1024 },
      });
      const accepted = await upload(officer, big);
      expect(accepted.statusCode, accepted.body).toBe(202);
      expect((await cancelImport(t.ctx, null, accepted.json().id)).status).toBe('cancelled');
    } finally {
      delete process.env.PULIH_IMPORT_MAX_MB_KECAMATAN;
    }
  });

  it('stops at the row limit with import_too_many_rows, before the rows past it', async () => {
    importLimits.maxRows = 25;
    const res = await upload(officer, rows(40, 'ROWCAP'));
    await runJobs();
    const item = (await importOf(officer, res.json().id)).json();
    expect(item.status).toBe('failed');
    expect(item.error).toMatchObject({ code: 'import_too_many_rows', details: { maxRows: 25, row: 27 } });
    expect(await count(sql`ref like 'ROWCAP-%'`)).toBe(0);
  });

  it('stops at the error limit with import_too_many_errors, keeping only the errors below it', async () => {
    importLimits.maxErrors = 30;
    const file = join(dir, 'bad.csv');
    writeFileSync(file, rows(100, 'BAD', true));
    const started = await startPathImport(t.ctx, file, { dryRun: true, batchSize: 20 });
    const run = { job: started.job, worker: started.worker, signal: new AbortController().signal };
    await superviseJob(t.ctx, run, () => runImport(t.ctx, run));
    const job = await findJob(t.ctx, started.job.id);
    expect(job?.status).toBe('failed');
    expect(JSON.parse(job?.error ?? '{}')).toMatchObject({ code: 'import_too_many_errors' });
    const stored = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from import_issues where job_id = ${started.job.id}`,
    );
    // whole batches of 20 bad rows: the batch that passed 30 rolled back
    expect(stored[0]?.n).toBe(20);
  });

  it('stores warnings up to their limit and counts the rest', async () => {
    importLimits.maxStoredWarnings = 3;
    // a region given by code and by name: a warning per row is not needed; an unknown
    // extra column is a header warning, and a duplicate row a row warning
    const body = rows(1, 'WARN').toString().split('\n');
    const file = Buffer.from([body[0], ...Array.from({ length: 8 }, () => body[1]), ''].join('\n'));
    const res = await upload(officer, file);
    await runJobs();
    const item = (await importOf(officer, res.json().id)).json();
    expect(item.status).toBe('succeeded');
    expect(item.summary.warningCount).toBe(7);
    expect(item.summary.warnings).toHaveLength(3);
  });

  it('refuses an XLSX row with a cell far to the right instead of holding 16,384 cells a row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('usaha');
    sheet.addRow(header.split(','));
    const row = sheet.getRow(2);
    row.getCell(1).value = 'x';
    row.getCell(16_000).value = 'far';
    const res = await upload(officer, Buffer.from(await workbook.xlsx.writeBuffer()), 'usaha.xlsx');
    expect(res.statusCode, res.body).toBe(202);
    await runJobs();
    const item = (await importOf(officer, res.json().id)).json();
    expect(item.error).toMatchObject({ code: 'import_row_too_large', details: { row: 2 } });
  });
});

describe('XLSX that unpacks into far more text than its size', () => {
  it('refuses it with import_file_too_large once its shared strings pass the cap', async () => {
    importLimits.minSharedChars = 1000;
    importLimits.maxExpansion = 2;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('usaha');
    sheet.addRow(header.split(','));
    // repeated text packs tightly: 200 cells of 2,000 characters in a file of a few KB
    for (let i = 0; i < 200; i++)
      sheet.addRow(['x', `${'a'.repeat(2000)}${i}`, '62.71.02.1004', 'Usaha', `R${i}`]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(file.length * 2).toBeLessThan(200 * 2000);
    const res = await upload(officer, file, 'bom.xlsx');
    // refused at upload when the header is read after the table, else when the rows are
    let error = res.json().error;
    if (res.statusCode === 202) {
      await runJobs();
      error = (await importOf(officer, res.json().id)).json().error;
    }
    expect(error, JSON.stringify(error)).toMatchObject({
      code: 'import_file_too_large',
      details: { reason: 'expanded' },
    });
    // the same workbook under the default limits reads
    Object.assign(importLimits, defaults);
    const fine = await upload(officer, file, 'fine.xlsx');
    expect(fine.statusCode, fine.body).toBe(202);
  });
});

describe('cancelling an import', () => {
  it('cancels a queued import: nothing is read, nothing written', async () => {
    const res = await upload(kecamatan, rows(10, 'QUEUED'));
    const id = res.json().id;
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${id}/cancel`,
      headers: { cookie: otherKecamatan.cookie },
    });
    expect(other.statusCode).toBe(404);
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${id}/cancel`,
      headers: { cookie: kecamatan.cookie },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled', summary: { rows: 0 } });
    await runJobs();
    expect(await count(sql`ref like 'QUEUED-%'`)).toBe(0);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${id}/cancel`,
      headers: { cookie: kecamatan.cookie },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('import_finished');
  });

  it('cancels a running import: committed batches stay whole, the batch in progress rolls back', async () => {
    const file = join(dir, 'running.csv');
    writeFileSync(file, rows(100, 'RUNNING'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 20 });
    const run = { job: started.job, worker: started.worker, signal: new AbortController().signal };
    await superviseJob(t.ctx, run, () =>
      runImport(t.ctx, run, {
        afterCommit: async (batch) => {
          if (batch === 2) await cancelImport(t.ctx, null, started.job.id);
        },
      }),
    );
    const job = await findJob(t.ctx, started.job.id);
    expect(job).toMatchObject({ status: 'cancelled', done: 40, lockedBy: null });
    expect(await count(sql`ref like 'RUNNING-%'`)).toBe(40);
    const summary = (await importOf(officer, started.job.id)).json();
    expect(summary).toMatchObject({ status: 'cancelled', summary: { rows: 40, inserted: 40 } });
  });

  it('cancels a finished import never', async () => {
    const res = await upload(officer, rows(3, 'DONE'));
    await runJobs();
    await expect(cancelImport(t.ctx, null, res.json().id)).rejects.toMatchObject({ code: 'import_finished' });
    expect(await count(sql`ref like 'DONE-%'`)).toBe(3);
  });
});
