import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadDemo } from '../../cli/demo.ts';
import { type Database, type DbOrTx, openDatabase } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { AppError } from '../../lib/errors.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { databaseUrlOf, preparePgliteBlank } from '../../testing/template.ts';
import { runImport, startPathImport } from '../imports/imports.service.ts';
import { restoreBackup, writeBackup } from './backup.service.ts';

// Backup and restore on PGlite, on PostgreSQL, and from one to the other, compared table by
// table, row by row (photos included); and the refusals that keep a database from harm.

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulih-backup-test-'));
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const opened: { database: Database; drop: () => Promise<void> }[] = [];
let demoBackup: string;

beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.ctx, { password: 'demo-pass-123' });
  demoBackup = join(dir, 'demo.pulih.gz');
  await writeBackup(t.ctx.database, demoBackup);
}, 600_000);

afterAll(async () => {
  for (const { database, drop } of opened) {
    await database.close().catch(() => undefined);
    await drop();
  }
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A new, empty database (not even migrated) on either engine.
async function emptyDatabase(engine: 'pglite' | 'postgres'): Promise<Database> {
  if (engine === 'pglite') {
    // A copy of what initdb leaves, made once per run.
    const database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteBlank()) });
    opened.push({ database, drop: async () => {} });
    return database;
  }
  const name = `pulih_t_restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = openDatabase({ databaseUrl: databaseUrlOf(adminUrl, name) });
  opened.push({
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  });
  return database;
}

const other = (engine: 'pglite' | 'postgres') => (engine === 'pglite' ? 'postgres' : 'pglite');

// Every table's rows as PostgreSQL prints them, sorted: equal snapshots mean equal databases.
async function snapshot(db: DbOrTx) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local timezone = 'UTC'`);
    const names = (
      await queryRows<{ name: string }>(
        tx,
        sql`select table_name as name from information_schema.tables
            where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
    ).map((r) => r.name);
    const tables: Record<string, string[]> = {};
    for (const name of names) {
      const result = await queryRows<{ line: string }>(
        tx,
        sql`select row_to_json(r)::text as line from ${sql.identifier(name)} r`,
      );
      tables[name] = result.map((r) => r.line).sort();
    }
    return tables;
  });
}

async function count(db: DbOrTx, query: string) {
  const result = await queryRows<{ n: number }>(db, sql.raw(query));
  return Number(result[0]?.n);
}

// Each test restores into one or two empty databases (every migration, then every row).
const slow = 300_000;

describe('backup and restore', () => {
  it(
    'carries every row of every table, photos included, into an empty database of the same engine',
    async () => {
      expect(
        // The photos' files live in the media folder; the rows name them.
        await count(t.ctx.db, 'select count(*)::int as n from products where jsonb_array_length(photos) > 0'),
      ).toBeGreaterThan(0);
      const target = await emptyDatabase(t.engine);
      const result = await restoreBackup(target, demoBackup);
      expect(result.rows.businesses).toBe(80);
      const before = await snapshot(t.ctx.db);
      expect(Object.keys(before).length).toBeGreaterThan(20);
      expect(await snapshot(target.db)).toEqual(before);
      // Identity columns go on after the restored values.
      await target.db.execute(
        sql`insert into audit_log (action, entity, entity_id) values ('test', 'test', 'x')`,
      );
    },
    slow,
  );

  it(
    'moves to the other engine and back with the same rows',
    async () => {
      const before = await snapshot(t.ctx.db);
      const across = await emptyDatabase(other(t.engine));
      await restoreBackup(across, demoBackup);
      expect(await snapshot(across.db)).toEqual(before);

      const back = join(dir, 'back.pulih.gz');
      const header = await writeBackup(across, back);
      expect(header.engine).toBe(other(t.engine));
      const home = await emptyDatabase(t.engine);
      await restoreBackup(home, back);
      expect(await snapshot(home.db)).toEqual(before);
    },
    slow,
  );

  it(
    'refuses a database that is not empty, unless forced',
    async () => {
      const target = await emptyDatabase(t.engine);
      await target.migrate();
      await target.db.execute(
        sql`insert into organisations (code, name, kind) values ('other-office', 'Another office', 'dinas')`,
      );
      const refused = await restoreBackup(target, demoBackup).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({
        code: 'restore_target_not_empty',
        details: { tables: ['organisations'] },
      });
      expect(
        await count(target.db, "select count(*)::int as n from organisations where code = 'other-office'"),
      ).toBe(1);

      await restoreBackup(target, demoBackup, { force: true });
      expect(
        await count(target.db, "select count(*)::int as n from organisations where code = 'other-office'"),
      ).toBe(0);
      expect(await snapshot(target.db)).toEqual(await snapshot(t.ctx.db));
    },
    slow,
  );

  it(
    'refuses a backup from a newer version, and one cut short, leaving the target as it was',
    async () => {
      const lines = gunzipSync(readFileSync(demoBackup)).toString('utf8').split('\n');
      const header = JSON.parse(lines[0] ?? '{}');
      const newer = join(dir, 'newer.pulih.gz');
      writeFileSync(
        newer,
        gzipSync(
          [
            JSON.stringify({ ...header, migrations: { count: 999, tag: '0999_future', when: 9e12 } }),
            ...lines.slice(1),
          ].join('\n'),
        ),
      );
      const target = await emptyDatabase(t.engine);
      await expect(restoreBackup(target, newer)).rejects.toMatchObject({ code: 'backup_newer' });

      const cut = join(dir, 'cut.pulih.gz');
      writeFileSync(cut, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n')));
      await target.migrate();
      await target.db.execute(
        sql`insert into organisations (code, name, kind) values ('kept-office', 'Kept office', 'dinas')`,
      );
      await expect(restoreBackup(target, cut, { force: true })).rejects.toMatchObject({
        code: 'backup_unreadable',
      });
      const bytes = readFileSync(demoBackup);
      const truncated = join(dir, 'truncated.pulih.gz');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expect(restoreBackup(target, truncated, { force: true })).rejects.toMatchObject({
        code: 'backup_unreadable',
      });
      expect(
        await count(target.db, "select count(*)::int as n from organisations where code = 'kept-office'"),
      ).toBe(1);
    },
    slow,
  );

  it(
    'takes a consistent snapshot while an import is writing',
    async () => {
      // A database of its own: the other tests compare theirs with the demo's, row by row.
      const own = await createTestApp();
      onTestFinished(() => own.close());
      const rows = 300;
      const csv = [
        'nik,nama,jenis_kelamin,tanggal_lahir,kode_wilayah,nama_usaha,kbli,ref',
        ...Array.from({ length: rows }, (_, i) => {
          const birthDate = `1980-0${1 + (i % 9)}-2${i % 8}`;
          const sex = i % 2 ? 'L' : 'P';
          const nik = generateNik({ kecamatanCode: '62.71.04', birthDate, sex, serial: 7000 + i });
          return `${nik},Pemilik ${i},${sex},${birthDate},62.71.04.1001,Usaha Rotan ${i},16291,SNAP-${i}`;
        }),
      ].join('\n');
      const file = join(dir, 'during.csv');
      writeFileSync(file, csv);
      const started = await startPathImport(own.ctx, file, { dryRun: false, batchSize: 100 });
      const backupFile = join(dir, 'during.pulih.gz');
      let backup: Promise<unknown> | null = null;
      await runImport(
        own.ctx,
        { job: started.job, worker: started.worker, signal: new AbortController().signal },
        {
          afterCommit: async (batch) => {
            if (batch !== 2) return;
            // Begin the backup here, and let the import go on once its snapshot is taken.
            await new Promise<void>((snapshotTaken) => {
              backup = writeBackup(own.ctx.database, backupFile, () => snapshotTaken());
            });
          },
        },
      );
      await backup;
      expect(
        await count(own.ctx.db, "select count(*)::int as n from businesses where ref like 'SNAP-%'"),
      ).toBe(rows);

      const target = await emptyDatabase(t.engine);
      await restoreBackup(target, backupFile);
      const restored = await count(
        target.db,
        "select count(*)::int as n from businesses where ref like 'SNAP-%'",
      );
      const done = await count(target.db, `select done::int as n from jobs where id = '${started.job.id}'`);
      // The rows and the job's checkpoint from one moment: whole batches, as many as it counted.
      expect(restored).toBeGreaterThanOrEqual(200);
      expect(restored % 100).toBe(0);
      expect(restored).toBe(done);
    },
    slow,
  );
});
