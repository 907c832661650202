import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { type BombKind, bombParts, registryParts, writeXlsx } from '../../testing/xlsx-bombs.ts';
import { runNextJob } from '../jobs/jobs.service.ts';
import { importLimits } from './imports.limits.ts';

// XLSX files shaped to make exceljs' reader take memory out of all proportion to their size
// (bench/xlsx-memory.ts reads the 1.5 MB versions). Here they are small and the limits are
// lowered to match: each must be refused with its code, and leave the registry as it was.

let t: TestApp;
let officer: TestUser;
const dir = mkdtempSync(join(tmpdir(), 'pulih-xlsx-bombs-'));
const defaults = { ...importLimits };

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterEach(() => {
  Object.assign(importLimits, defaults);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function lowLimits() {
  Object.assign(importLimits, {
    minInflatedBytes: 2 * 1024 * 1024,
    maxXmlRecordBytes: 4096,
    minSharedStrings: 1000,
    maxStylesBytes: 64 * 1024,
    maxColumnDefinitions: 100,
    maxRows: 1000,
  });
}

async function build(name: string, parts: ReturnType<typeof bombParts>) {
  const path = join(dir, `${name}.xlsx`);
  await writeXlsx(path, parts);
  return readFileSync(path);
}

async function upload(file: Buffer, fileName: string) {
  const boundary = `----pulih${randomBytes(8).toString('hex')}`;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
}

// The error the import ends with: at upload when the reader fails on the header, else when
// the job reads the rows.
async function importError(file: Buffer, fileName: string) {
  const res = await upload(file, fileName);
  if (res.statusCode !== 202) return res.json().error;
  while (await runNextJob(t.ctx)) {}
  const item = (
    await t.app.inject({ url: `/api/v1/imports/${res.json().id}`, headers: { cookie: officer.cookie } })
  ).json();
  return item.status === 'failed' ? item.error : { status: item.status };
}

async function registry() {
  const result = (await t.ctx.db.execute(
    sql`select (select count(*)::int from businesses) as businesses, (select count(*)::int from people) as people`,
  )) as unknown as { rows: { businesses: number; people: number }[] };
  return result.rows[0];
}

const cases: { kind: BombKind; scale: number; code: string; details: Record<string, unknown> }[] = [
  {
    kind: 'shared-strings-count',
    scale: 5000,
    code: 'import_file_too_large',
    details: { reason: 'shared_strings' },
  },
  { kind: 'shared-string-long', scale: 100_000, code: 'import_row_too_large', details: { maxBytes: 4096 } },
  { kind: 'inline-string-long', scale: 100_000, code: 'import_row_too_large', details: { maxBytes: 4096 } },
  { kind: 'styles', scale: 5000, code: 'import_file_too_large', details: { reason: 'styles' } },
  { kind: 'cols', scale: 500, code: 'import_row_too_large', details: { maxColumns: 100 } },
  { kind: 'wide-row', scale: 5000, code: 'import_row_too_large', details: { maxBytes: 4096 } },
  { kind: 'empty-rows', scale: 3000, code: 'import_too_many_rows', details: { maxRows: 1000 } },
];

describe('hostile XLSX shapes', () => {
  for (const c of cases)
    it(`refuses ${c.kind} with ${c.code} and writes nothing`, async () => {
      const file = await build(c.kind, bombParts(c.kind, c.scale));
      const before = await registry();
      lowLimits();
      const error = await importError(file, `${c.kind}.xlsx`);
      expect(error, JSON.stringify(error)).toMatchObject({ code: c.code, details: c.details });
      expect(await registry()).toEqual(before);
    });

  it('refuses a file that unpacks past its ratio with import_file_too_large (expanded)', async () => {
    const file = await build('ratio', registryParts(2000));
    lowLimits();
    Object.assign(importLimits, { minInflatedBytes: 64 * 1024, maxInflateRatio: 2 });
    const before = await registry();
    const error = await importError(file, 'ratio.xlsx');
    expect(error, JSON.stringify(error)).toMatchObject({
      code: 'import_file_too_large',
      details: { reason: 'expanded' },
    });
    expect(await registry()).toEqual(before);
  });

  it('reads the same kind of file, ordinary, under the same low limits', async () => {
    // the check that the limits above refuse the shapes, not every workbook
    const file = await build('ordinary', registryParts(50));
    lowLimits();
    const before = await registry();
    const res = await upload(file, 'ordinary.xlsx');
    expect(res.statusCode, res.body).toBe(202);
    while (await runNextJob(t.ctx)) {}
    const item = (
      await t.app.inject({ url: `/api/v1/imports/${res.json().id}`, headers: { cookie: officer.cookie } })
    ).json();
    expect(item.status, JSON.stringify(item.error)).toBe('succeeded');
    expect(item.summary.rows).toBe(50);
    expect((await registry())?.businesses).toBeGreaterThan(before?.businesses ?? 0);
  });
});
