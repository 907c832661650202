// The database a benchmark runs on, and the set-up every benchmark shares: an in-memory PGlite,
// or a database of its own on the PostgreSQL server of BENCH_DATABASE_URL (created for the run
// and dropped after it, unless kept), the machine line of the report, and the officer whose
// token or actor the requests use.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { queryRow, queryRows } from '../../src/db/sql-rows.ts';
import type { AppContext } from '../../src/lib/context.ts';
import { ensureOrganisation, ensureUser } from '../../src/modules/users/users.service.ts';

export type Engine = 'postgres' | 'pglite';

export const engineOf = (value: string | undefined): Engine => (value === 'pglite' ? 'pglite' : 'postgres');

export const log = (line: string) => process.stderr.write(`${line}\n`);

export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// The URL of database `name` on the benchmark's server.
export function databaseUrl(name: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const dropDatabase = (name: string) => adminQuery(`drop database if exists ${name} with (force)`);

export type BenchDatabase = {
  database: Database;
  // the PostgreSQL database's name; null on PGlite
  name: string | null;
  // false when a reused database already existed (it may hold the rows of an earlier run)
  fresh: boolean;
};

export type BenchDatabaseOptions = {
  // the new database's name is this and 8 random hex digits
  prefix?: string;
  // --reuse: this database, created when it does not exist yet
  reuse?: string | undefined;
  // connections of the pool (PULIH_DB_POOL, unless set), e.g. one per concurrent client
  pool?: number;
};

export async function openBenchDatabase(
  engine: Engine,
  options: BenchDatabaseOptions = {},
): Promise<BenchDatabase> {
  if (engine === 'pglite') return { database: openDatabase({ memory: true }), name: null, fresh: true };
  const name = options.reuse ?? `${options.prefix ?? 'pulih_bench_'}${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('--reuse takes a plain database name');
  let fresh = true;
  try {
    await adminQuery(`create database ${name}`);
  } catch (error) {
    // A reused database that exists already is opened as it is.
    if (!options.reuse) throw error;
    fresh = false;
  }
  if (options.pool) process.env.PULIH_DB_POOL ??= String(options.pool);
  return { database: openDatabase({ databaseUrl: databaseUrl(name) }), name, fresh };
}

// Closes the database and drops it, unless `keep`: a kept one is named on stderr.
export async function closeBenchDatabase({ database, name }: BenchDatabase, keep: boolean) {
  await database.close();
  if (name && !keep) await dropDatabase(name);
  else if (name) log(`kept database ${name}`);
}

// "2 × AMD EPYC, 23.5 GiB, node v20.20.2, postgres 15.20 (…)"; with `parenthesised`, the
// server's version is printed in parentheses after the engine.
export async function describeMachine(ctx: AppContext, engine: Engine, options = { parenthesised: false }) {
  const cpus = os.cpus();
  let version = '';
  if (engine === 'postgres') {
    const row = await queryRow<{ server_version: string }>(ctx.db, sql.raw('show server_version'));
    version = options.parenthesised ? ` (${row?.server_version})` : ` ${row?.server_version}`;
  }
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${engine}${version}`;
}

// The Dinas and the program officer benchmarks act as (made once, found again on a reused
// database).
export async function ensureBenchOfficer(ctx: AppContext, organisationName = 'Dinas (bench)') {
  const dinas = await ensureOrganisation(ctx.db, {
    code: 'bench-dinas',
    name: organisationName,
    kind: 'dinas',
    regionCode: '62.71',
  });
  const { user } = await ensureUser(ctx.db, {
    username: 'bench-officer',
    displayName: 'Bench officer',
    role: 'program_officer',
    organisationId: dinas.id,
  });
  return { dinas, user };
}

export const clockTicksMs = 10; // USER_HZ is 100 on Linux

// CPU (ms) the client backends of the handle's database have used so far, from /proc: the
// database's share of a run, read before and after it.
export async function backendCpuMs(db: AppContext['db']) {
  const pids = await queryRows<{ pid: number }>(
    db,
    sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  let ticks = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // a backend that ended in between
    }
  }
  return ticks * clockTicksMs;
}
