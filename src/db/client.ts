import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  engine: 'pglite' | 'postgres';
  // To the latest migration, or to those of `folder` (a journal cut short: restore).
  migrate: (folder?: string) => Promise<void>;
  close: () => Promise<void>;
  // PGlite only: the whole data folder as a tar, for test templates.
  dumpDataDir: () => Promise<Uint8Array>;
  // PGlite opened in this process: the instance, which `pulih serve` shares with commands.
  pglite?: PGlite;
};

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type OpenOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  memory?: boolean;
  // PGlite only: start from this data folder (a tar from dumpDataDir) instead of initdb.
  loadDataDir?: Uint8Array | undefined;
  // A PGlite data folder shared by a running `pulih serve` (src/db/shared-pglite.ts).
  socket?: { dir: string; port: number } | undefined;
};

export function openDatabase(options: OpenOptions): Database {
  if (options.databaseUrl) return openPostgres({ connectionString: options.databaseUrl }, 'postgres');
  if (options.socket)
    return openPostgres(
      { host: options.socket.dir, port: options.socket.port, user: 'postgres', database: 'postgres' },
      'pglite',
    );
  return openPglite(
    options.memory ? undefined : resolve(options.dataDir ?? './data', 'pgdata'),
    options.loadDataDir,
  );
}

function openPostgres(config: pg.PoolConfig, engine: Database['engine']): Database {
  const pool = new pg.Pool({ ...config, max: Number(process.env.PULIH_DB_POOL ?? 10) });
  // An idle connection dropped by the server (restart, failover) must not end the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => console.error(`database connection lost: ${error.message}`));
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine,
    migrate: (folder = migrationsFolder) => migrateInOneTransaction(pool, folder),
    close: () => pool.end(),
    dumpDataDir: () => Promise.reject(new Error('dumpDataDir is for PGlite')),
  };
}

// Drizzle's own migrator, in one transaction that first takes a transaction-level advisory
// lock: several app processes may start at once and only one may migrate, and behind pgbouncer
// in transaction mode a session-level lock (pg_advisory_lock) would be taken on one server
// connection and released on another. The bookkeeping is drizzle's ("drizzle"."__drizzle_migrations":
// hash and folder time of each applied migration), so a database migrated either way stays
// readable by both.
async function migrateInOneTransaction(pool: pg.Pool, folder: string) {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(727101)');
    await client.query('create schema if not exists drizzle');
    await client.query(
      'create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)',
    );
    const last = await client.query<{ created_at: string | null }>(
      'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    const lastMillis = last.rows[0] ? Number(last.rows[0].created_at) : null;
    for (const migration of migrations) {
      if (lastMillis !== null && lastMillis >= migration.folderMillis) continue;
      for (const statement of migration.sql) await client.query(statement);
      await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function openPglite(dir: string | undefined, loadDataDir?: Uint8Array): Database {
  if (dir) mkdirSync(dirname(dir), { recursive: true });
  const client = new PGlite({
    ...(dir ? { dataDir: dir } : {}),
    ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
    extensions: { pg_trgm, fuzzystrmatch },
  });
  return databaseOverPglite(client);
}

// A PGlite instance opened elsewhere: the tests lend one from file to file
// (src/testing/pglite-pool.ts) instead of starting one per file.
export function databaseOverPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    migrate: async (folder = migrationsFolder) => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: folder });
    },
    close: () => client.close(),
    dumpDataDir: async () => new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer()),
    pglite: client,
  };
}
