import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropRegistryIndexes,
  missingRegistryIndexes,
  registryIndexes,
  restoreRegistryIndexes,
} from '../../db/registry-indexes.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { findJob } from '../jobs/jobs.service.ts';
import { runImport, startPathImport } from './imports.service.ts';

// Bulk mode of the import (a first load): the registry's secondary indexes are dropped for the
// load and built at its end, and a run stopped half-way gets them back before it goes on.

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulih-bulk-test-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

// What the database holds on people and businesses: each index's and foreign key's definition.
async function registryDefinitions() {
  return queryRows<{ name: string; definition: string }>(
    t.ctx.db,
    sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename in ('people', 'businesses')
        union all
        select conname, pg_get_constraintdef(oid) from pg_constraint
        where conrelid in ('people'::regclass, 'businesses'::regclass) and contype = 'f'
        order by 1`,
  );
}

const missingNames = async () => (await missingRegistryIndexes(t.ctx.db)).map((e) => e.name);

function registryCsv(rows: number, prefix: string) {
  const lines = ['nik,nama,jenis_kelamin,tanggal_lahir,kode_wilayah,nama_usaha,kbli,omzet_tahunan,ref'];
  for (let i = 0; i < rows; i++) {
    const birthDate = `19${70 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`;
    const sex = i % 2 ? 'L' : 'P';
    const nik = generateNik({ kecamatanCode: '62.71.03', birthDate, sex, serial: 3000 + i });
    lines.push(
      `${nik},Pemilik ${prefix} ${i},${sex},${birthDate},62.71.03.1002,Rotan ${prefix} ${i},16291,60000000,${prefix}-${i}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('registry indexes for bulk loads', () => {
  it('rebuilds exactly the indexes and foreign key of the migrations', async () => {
    const migrated = await registryDefinitions();
    // Every index but the keys the import matches on is listed, and nothing else.
    const kept = [
      'people_pkey',
      'people_nik_key',
      'businesses_pkey',
      'businesses_ref_key',
      'businesses_owner_name_key',
    ];
    expect(registryIndexes.map((e) => e.name).sort()).toEqual(
      migrated.map((d) => d.name).filter((n) => !kept.includes(n) && n !== 'people_merged_into_fk'),
    );
    await dropRegistryIndexes(t.ctx.db);
    expect((await registryDefinitions()).map((d) => d.name)).toEqual(
      [...kept, 'people_merged_into_fk'].sort(),
    );
    expect((await missingNames()).sort()).toEqual(registryIndexes.map((e) => e.name).sort());
    expect((await restoreRegistryIndexes(t.ctx.db)).length).toBe(registryIndexes.length);
    expect(await registryDefinitions()).toEqual(migrated);
    expect(await restoreRegistryIndexes(t.ctx.db)).toEqual([]);
  });

  it('loads without the indexes, and a run stopped half-way gets them back before it goes on', async () => {
    const file = join(dir, 'first-load.csv');
    writeFileSync(file, registryCsv(500, 'SIRAP'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 100, bulk: true });
    const missingDuringLoad: string[][] = [];
    await expect(
      runImport(
        t.ctx,
        { job: started.job, worker: started.worker, signal: new AbortController().signal },
        {
          afterCommit: async (batch) => {
            missingDuringLoad.push(await missingNames());
            if (batch === 2) throw new Error('simulated crash');
          },
        },
      ),
    ).rejects.toThrow('simulated crash');
    expect(missingDuringLoad).toHaveLength(2);
    for (const missing of missingDuringLoad) expect(missing.length).toBe(registryIndexes.length);
    // A run that fails in this process builds them on its way out…
    expect(await missingNames()).toEqual([]);

    // …a killed one cannot: as it leaves the registry, its resume finds them missing.
    await dropRegistryIndexes(t.ctx.db);
    await t.ctx.db.execute(
      sql`update jobs set heartbeat_at = now() - interval '2 minutes' where id = ${started.job.id}`,
    );
    const resumed = await startPathImport(t.ctx, file, { dryRun: false, bulk: true });
    expect(resumed).toMatchObject({ resumed: true, job: { id: started.job.id } });
    const missingOnResume: string[][] = [];
    const result = await runImport(
      t.ctx,
      { job: resumed.job, worker: resumed.worker, signal: new AbortController().signal },
      {
        afterCommit: async () => {
          missingOnResume.push(await missingNames());
        },
      },
    );
    expect(result).toMatchObject({ rows: 500, inserted: 500, rejected: 0 });
    expect(missingOnResume.length).toBeGreaterThan(0);
    for (const missing of missingOnResume) expect(missing).toEqual([]);
    expect((await findJob(t.ctx, started.job.id))?.status).toBe('succeeded');

    const stored = await queryRows<{ n: number; owners: number }>(
      t.ctx.db,
      sql`select count(*)::int as n, count(distinct owner_id)::int as owners from businesses where ref like 'SIRAP-%'`,
    );
    expect(stored[0]).toEqual({ n: 500, owners: 500 });
  });

  it('builds the indexes at the end of a bulk load that runs through', async () => {
    const file = join(dir, 'through.csv');
    writeFileSync(file, registryCsv(300, 'PURUN'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 100, bulk: true });
    const missingDuringLoad: number[] = [];
    const result = await runImport(
      t.ctx,
      { job: started.job, worker: started.worker, signal: new AbortController().signal },
      { afterCommit: async () => void missingDuringLoad.push((await missingNames()).length) },
    );
    expect(result).toMatchObject({ rows: 300, inserted: 300 });
    // the last batch commits together with the rebuilt indexes
    expect(missingDuringLoad).toEqual([
      registryIndexes.length,
      registryIndexes.length,
      registryIndexes.length,
      0,
    ]);
  });

  it('keeps the indexes for an import into a registry that is not empty', async () => {
    const file = join(dir, 'incremental.csv');
    writeFileSync(file, registryCsv(200, 'TANGGUI'));
    const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 100 });
    const missingDuringLoad: number[] = [];
    await runImport(
      t.ctx,
      { job: started.job, worker: started.worker, signal: new AbortController().signal },
      { afterCommit: async () => void missingDuringLoad.push((await missingNames()).length) },
    );
    // two batches of 100 and the final commit
    expect(missingDuringLoad).toEqual([0, 0, 0]);
  });
});
