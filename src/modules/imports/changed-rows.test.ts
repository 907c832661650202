import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { runImport, startPathImport } from './imports.service.ts';

// An import over stored businesses writes what the file changes, a change of letter case in a
// business's name included, and the search document follows the name.

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulih-changed-rows-test-'));

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
