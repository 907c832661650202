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

  it('writes the same rows as an import that is not in bulk mode', async () => {
    // The same people and businesses twice, under other NIKs and refs: once in bulk mode (ids
    // made by the import, the owners' search documents given set-wise) and once not (ids and
    // documents from the database's defaults and triggers). Names with accents and curly quotes
    // take the trigger's name key; owners repeated across batches were stored by an earlier one.
    const names = ['Siti Aminah', 'Dayang Sumbi’s', 'José Ngaju', "Ma'ruf Amin", 'H. Ahmad, S.E.'];
    const csv = (prefix: string, serial: number) => {
      const lines = ['nik,nama,jenis_kelamin,tanggal_lahir,kode_wilayah,nama_usaha,omzet_tahunan,ref'];
      for (let i = 0; i < 120; i++) {
        const owner = i % 40;
        const birthDate = `1980-0${1 + (owner % 9)}-1${owner % 10}`;
        const sex = owner % 2 ? 'L' : 'P';
        const nik = generateNik({ kecamatanCode: '62.71.03', birthDate, sex, serial: serial + owner });
        const name = `${names[owner % names.length]} ${owner}`;
        const ref = i % 3 === 0 ? '' : `${prefix}-${i}`;
        lines.push(
          `${nik},"${name}",${sex},${birthDate},62.71.03.1002,"Usaha ${name} ${i}",${i}000000,${ref}`,
        );
      }
      return `${lines.join('\n')}\n`;
    };
    const load = async (prefix: string, serial: number, bulk: boolean) => {
      const file = join(dir, `${prefix}.csv`);
      writeFileSync(file, csv(prefix, serial));
      const started = await startPathImport(t.ctx, file, { dryRun: false, batchSize: 50, bulk });
      return runImport(t.ctx, {
        job: started.job,
        worker: started.worker,
        signal: new AbortController().signal,
      });
    };
    expect(await load('SAMA', 7000, true)).toMatchObject({ rows: 120, inserted: 120, rejected: 0 });
    expect(await load('SERUPA', 8000, false)).toMatchObject({ rows: 120, inserted: 120, rejected: 0 });

    // Each business with its owner, as the database keeps them, without ids, NIKs and refs.
    const rowsOf = (serial: number) =>
      queryRows<{ id: string; name: string; row: string }>(
        t.ctx.db,
        sql`select b.id, b.name, jsonb_build_object('name', b.name, 'search', b.search::text,
              'ownerSearch', b.owner_search::text, 'owner', p.name, 'nameKey', p.name_key,
              'sex', p.sex, 'birthDate', p.birth_date, 'turnover', b.annual_turnover,
              'region', b.region_code, 'hasRef', b.ref is not null)::text as row
            from businesses b join people p on p.id = b.owner_id
            where p.nik in (${sql.join(
              Array.from({ length: 40 }, (_, owner) => {
                const birthDate = `1980-0${1 + (owner % 9)}-1${owner % 10}`;
                const sex = owner % 2 ? 'L' : 'P';
                return sql`${generateNik({ kecamatanCode: '62.71.03', birthDate, sex, serial: serial + owner })}`;
              }),
              sql`, `,
            )})
            order by b.created_at, b.name`,
      );
    const bulk = await rowsOf(7000);
    const plain = await rowsOf(8000);
    expect(bulk).toHaveLength(120);
    expect(bulk.map((r) => r.row).sort()).toEqual(plain.map((r) => r.row).sort());
    // the documents are the owners' names' as the database computes them
    const stale = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from businesses b join people p on p.id = b.owner_id
          where b.owner_search <> registry_name_terms(p.name)`,
    );
    expect(stale[0]?.n).toBe(0);
    // the bulk load's ids are version 8 and follow the order it wrote the businesses in
    const ids = bulk.map((r) => r.id);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(120);
    const rowsById = [...bulk]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => Number(r.name.split(' ').at(-1)));
    expect(rowsById).toEqual(Array.from({ length: 120 }, (_, i) => i));
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
