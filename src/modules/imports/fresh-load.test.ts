import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { findJob } from '../jobs/jobs.service.ts';
import { runImport, startPathImport } from './imports.service.ts';

// A load into an empty registry ("fresh") writes its batches without classifying them against
// the stored rows: only its own earlier rows can be there, and in-file identity knows those. A
// concurrent writer's row that clashes makes the batch fail on a unique key, and the batch is
// done again classified.

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulih-fresh-test-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});
// Each case starts from an empty registry (this file's own database).
beforeEach(async () => {
  await t.ctx.db.execute(sql`delete from import_issues`);
  await t.ctx.db.execute(sql`delete from businesses`);
  await t.ctx.db.execute(sql`delete from people`);
});

const nikOf = (i: number) =>
  generateNik({ kecamatanCode: '62.71.03', birthDate: '1980-02-1' + (i % 10), sex: 'L', serial: 4000 + i });

// Row i's owner is owner i, except that every fifth row is a second business of the previous
// row's owner (across a batch boundary when the batch size is a multiple of five); the last
// row repeats the first business.
function csv(rows: number, prefix: string) {
  const lines = ['nik,nama,jenis_kelamin,kode_wilayah,nama_usaha,ref'];
  for (let i = 0; i < rows; i++) {
    const owner = i % 5 === 0 && i > 0 ? i - 1 : i;
    lines.push(`${nikOf(owner)},Pemilik ${owner},L,62.71.03.1002,Usaha ${prefix} ${i},${prefix}-${i}`);
  }
  lines.push(`${nikOf(0)},Pemilik 0,L,62.71.03.1002,Usaha ${prefix} 0,${prefix}-0`);
  return `${lines.join('\n')}\n`;
}

async function stored(prefix: string) {
  const [row] = await queryRows<{ businesses: number; owners: number; people: number }>(
    t.ctx.db,
    sql`select (select count(*)::int from businesses where ref like ${`${prefix}-%`}) as businesses,
          (select count(distinct owner_id)::int from businesses where ref like ${`${prefix}-%`}) as owners,
          (select count(*)::int from people) as people`,
  );
  return row;
}

// Loads `rows` generated rows in batches of 10; `afterCommit` plays another writer between batches.
async function loadFile(
  name: string,
  rows: number,
  prefix: string,
  afterCommit?: (batch: number) => Promise<void>,
) {
  const file = join(dir, name);
  writeFileSync(file, csv(rows, prefix));
  const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 10 });
  const result = await runImport(
    t.ctx,
    { job: started.job, worker: started.worker, signal: new AbortController().signal },
    afterCommit ? { afterCommit } : {},
  );
  return { job: started.job, result };
}

// Someone else registers a business under `ref`, with another owner and another name.
async function registerElsewhere(ref: string, otherNik: number) {
  const [other] = await queryRows<{ id: string }>(
    t.ctx.db,
    sql`insert into people (nik, name) values (${nikOf(otherNik)}, 'Orang Lain') returning id`,
  );
  await t.ctx.db.execute(
    sql`insert into businesses (ref, owner_id, name, region_code, kecamatan_code)
        values (${ref}, ${other?.id}, 'Usaha Lain', '62.71.03.1002', '62.71.03')`,
  );
}

describe('a first load into an empty registry', () => {
  it('writes each business and owner once, owners spanning batches included', async () => {
    const { job, result } = await loadFile('fresh.csv', 60, 'ROTAN');
    // 60 businesses, the repeated first one skipped; owners: 60 less the 11 second businesses
    expect(result).toMatchObject({ rows: 61, inserted: 60, unchanged: 1, rejected: 0 });
    expect(await stored('ROTAN')).toEqual({ businesses: 60, owners: 49, people: 49 });
    expect((await findJob(t.ctx, job.id))?.status).toBe('succeeded');
  });

  it("writes the names' search documents as the database computes them, ASCII or not", async () => {
    const names = [
      'Anyaman Rotan Jaya',
      "Ma'ruf  Jaya/2",
      'José Ngaju',
      'Jum’at Berkah',
      'Kopi “Gayo”',
      '--',
    ];
    const lines = ['nik,nama,jenis_kelamin,kode_wilayah,nama_usaha,ref'];
    for (const [i, name] of names.entries())
      lines.push(`${nikOf(i)},"${name} ${i}",L,62.71.03.1002,"Usaha ${name}",DOC-${i}`);
    const file = join(dir, 'documents.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 4 });
    const result = await runImport(t.ctx, {
      job: started.job,
      worker: started.worker,
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ inserted: names.length, rejected: 0 });
    const stale = await queryRows<{ name: string }>(
      t.ctx.db,
      sql`select b.name from businesses b join people p on p.id = b.owner_id
          where b.search <> registry_name_terms(b.name) or b.owner_search <> registry_name_terms(p.name)`,
    );
    expect(stale).toEqual([]);
    const [found] = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from businesses where search @@ 'ngaju'::tsquery and owner_search @@ 'josé'::tsquery`,
    );
    expect(found?.n).toBe(1);
  });

  it('does a batch again, classified, when another writer added one of its rows meanwhile', async () => {
    // After the first batch, someone else registers row 25's business under its ref: the
    // import's batch meets it on businesses_ref_key.
    const { job, result } = await loadFile('clash.csv', 30, 'PURUN', async (batch) => {
      if (batch === 1) await registerElsewhere('PURUN-25', 900);
    });
    expect(result).toMatchObject({ rows: 31, inserted: 29, unchanged: 1, rejected: 1 });
    const [issue] = await queryRows<{ row: number; code: string }>(
      t.ctx.db,
      sql`select "row", code from import_issues where job_id = ${job.id} and severity = 'error'`,
    );
    // row 25 of the data is line 27 of the file (the header is line 1)
    expect(issue).toEqual({ row: 27, code: 'ref_taken' });
    expect(await stored('PURUN')).toMatchObject({ businesses: 30 });
  });

  it('does a batch again when another writer added one of its new owners meanwhile', async () => {
    // Row 23's owner, new to the registry when the load began, is registered by someone else
    // after the first batch: the third batch's insert of new owners meets it on people_nik_key.
    const { result } = await loadFile('owner-clash.csv', 30, 'LAMPIT', async (batch) => {
      if (batch === 1)
        await t.ctx.db.execute(sql`insert into people (nik, name) values (${nikOf(23)}, 'Pemilik 23')`);
    });
    expect(result).toMatchObject({ rows: 31, inserted: 30, unchanged: 1, rejected: 0 });
    // owners: 30 less the 5 second businesses, one of them the other writer's person
    expect(await stored('LAMPIT')).toEqual({ businesses: 30, owners: 25, people: 25 });
  });

  it("writes an owner whose first row a retried batch refused, at the owner's next row", async () => {
    // Row 19 is owner 19's first row, row 20 (the next batch) their second business. Someone
    // else takes row 19's ref: the second batch is retried classified and refuses row 19, so
    // owner 19 is not stored when the third batch, fresh again, looks for them.
    const { result } = await loadFile('refused-owner.csv', 30, 'TIKAR', async (batch) => {
      if (batch === 1) await registerElsewhere('TIKAR-19', 901);
    });
    expect(result).toMatchObject({ rows: 31, inserted: 29, unchanged: 1, rejected: 1 });
    const [row20] = await queryRows<{ owner: string }>(
      t.ctx.db,
      sql`select p.name as owner from businesses b join people p on p.id = b.owner_id where b.ref = 'TIKAR-20'`,
    );
    expect(row20).toEqual({ owner: 'Pemilik 19' });
  });
});
