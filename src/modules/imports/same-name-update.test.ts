import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRow, queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import {
  type BusinessWrite,
  insertBusinessesSet,
  insertPeopleSet,
  updateBusinessesSet,
} from '../businesses/registry.queries.ts';
import { runImport, startPathImport } from './imports.service.ts';

// A changed business whose name is the file's already is updated without its name in SET, so
// that its search document is not recomputed; a business renamed meanwhile, or renamed by the
// file (even only in letter case), still gets the file's name and a search document to match.

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulih-same-name-test-'));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

let serial = 7100;
const nikOf = () =>
  generateNik({ kecamatanCode: '62.71.03', birthDate: '1979-08-17', sex: 'P', serial: serial++ });

async function owner() {
  const [row] = await insertPeopleSet(t.ctx.db, [
    { nik: nikOf(), pn: 'Galuh Sari', sx: 'P', bd: '1979-08-17', ph: null, ad: null },
  ]);
  if (!row) throw new Error('no owner');
  return row.id;
}

const write = (oid: string, ref: string, bn: string, tov: number): BusinessWrite => ({
  oid,
  ref,
  bn,
  kb: null,
  kv: null,
  rc: '62.71.03.1002',
  kc: '62.71.03',
  nib: null,
  cap: null,
  tov,
  wk: null,
  cv: null,
  st: null,
});

// The stored row, and whether its search document is the one its name makes.
async function stored(ref: string) {
  const row = await queryRow<{ id: string; name: string; tov: string; documentRight: boolean }>(
    t.ctx.db,
    sql`select id, name, annual_turnover::text as tov, search = registry_name_terms(name) as "documentRight"
        from businesses where ref = ${ref}`,
  );
  if (!row) throw new Error(`no business ${ref}`);
  return row;
}

describe('a changed business that keeps its name', () => {
  it('is written without its name, and with it when it was renamed since it was read', async () => {
    const oid = await owner();
    await insertBusinessesSet(t.ctx.db, [
      write(oid, 'SAME-1', 'Warung Kopi Galuh', 1_000_000),
      write(oid, 'SAME-2', 'Kue Basah Galuh', 1_000_000),
    ]);
    const first = await stored('SAME-1');
    const second = await stored('SAME-2');

    // read with the same name: the other values are written, the name and document stay
    await updateBusinessesSet(t.ctx.db, [
      { ...write(oid, 'SAME-1', 'Warung Kopi Galuh', 2_000_000), id: first.id, sameName: true },
    ]);
    expect(await stored('SAME-1')).toEqual({ ...first, tov: '2000000' });

    // renamed by someone else after the writer read the name: the writer's name wins, with its
    // document, in the same call as a row that does keep its name
    await updateBusinessesSet(t.ctx.db, [
      { ...write(oid, 'SAME-1', 'Warung Kopi Baru', 2_000_000), id: first.id },
    ]);
    await updateBusinessesSet(t.ctx.db, [
      { ...write(oid, 'SAME-1', 'Warung Kopi Galuh', 3_000_000), id: first.id, sameName: true },
      { ...write(oid, 'SAME-2', 'Kue Basah Galuh', 3_000_000), id: second.id, sameName: true },
    ]);
    expect(await stored('SAME-1')).toEqual({ ...first, tov: '3000000' });
    expect(await stored('SAME-2')).toEqual({ ...second, tov: '3000000' });
  });
});

describe('an import of changed businesses', () => {
  it('keeps the names it does not change and writes those it does, letter case included', async () => {
    const niks = [nikOf(), nikOf()];
    const lines = (names: [string, string], tov: number) =>
      [
        'nik,nama,jenis_kelamin,kode_wilayah,nama_usaha,omzet_tahunan,ref',
        `${niks[0]},Rina Lestari,P,62.71.03.1002,${names[0]},${tov},NAMA-1`,
        `${niks[1]},Dewi Utami,P,62.71.03.1002,${names[1]},${tov},NAMA-2`,
      ].join('\n');
    const run = async (name: string, content: string) => {
      const file = join(dir, name);
      writeFileSync(file, `${content}\n`);
      const started = await startPathImport(t.ctx, file, { dryRun: false });
      return runImport(t.ctx, {
        job: started.job,
        worker: started.worker,
        signal: new AbortController().signal,
      });
    };
    await run('first.csv', lines(['Anyaman Rotan', 'Kerupuk Ikan'], 50_000_000));
    const result = await run('second.csv', lines(['Anyaman Rotan', 'kerupuk ikan'], 60_000_000));
    expect(result).toMatchObject({ rows: 2, updated: 2, inserted: 0, rejected: 0 });
    const rows = await queryRows<{ ref: string; name: string; tov: string; documentRight: boolean }>(
      t.ctx.db,
      sql`select ref, name, annual_turnover::text as tov, search = registry_name_terms(name) as "documentRight"
          from businesses where ref in ('NAMA-1', 'NAMA-2') order by ref`,
    );
    expect(rows).toEqual([
      { ref: 'NAMA-1', name: 'Anyaman Rotan', tov: '60000000', documentRight: true },
      { ref: 'NAMA-2', name: 'kerupuk ikan', tov: '60000000', documentRight: true },
    ]);
  });
});
