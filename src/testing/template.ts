import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../db/client.ts';

// Tests migrate once per run and copy the result for each test file, the way Immich's
// medium tests do: initdb plus migrations cost PGlite about ten seconds a file, a copy under
// two. The template's name carries a hash of the migrations, so worktrees or branches with
// other migrations never share one.

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../db/migrations');

export function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(migrationsFolder).sort()) {
    if (name.endsWith('.sql')) hash.update(name).update(readFileSync(join(migrationsFolder, name)));
  }
  hash.update(readFileSync(join(migrationsFolder, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 12);
}

export function pgliteTemplatePath(): string {
  return join(tmpdir(), `pulih-template-${migrationsHash()}.tar`);
}

// The same database before its migrations: what initdb leaves, for tests of what happens to an
// empty database (a restore brings its own schema). Made with the template.
export function pgliteBlankPath(): string {
  return join(tmpdir(), `pulih-blank-${migrationsHash()}.tar`);
}

// The process that builds the template marks it (the marker holds its pid), and the others
// (test workers, a concurrent run) wait for that build instead of repeating it: the test run
// builds it in the background (src/testing/global-setup.ts) while the first files start.
export async function preparePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  const ready = () => existsSync(path) && existsSync(pgliteBlankPath());
  const marker = `${path}.building`;
  const bound = Date.now() + 600_000;
  while (!ready() && buildingElsewhere(marker) && Date.now() < bound) await delay(100);
  if (ready()) return path;
  // Written before the first await: whoever looks after this call has begun sees the marker.
  writeFileSync(marker, String(process.pid));
  try {
    const database = openDatabase({ memory: true });
    // A dump asked for before initdb has finished never settles.
    await database.pglite?.waitReady;
    writeWhole(pgliteBlankPath(), await database.dumpDataDir());
    await database.migrate();
    writeWhole(path, await database.dumpDataDir());
    await database.close();
  } finally {
    rmSync(marker, { force: true });
  }
  return path;
}

// A marker left by a process that has since died (killed mid-build) is not waited for.
function buildingElsewhere(marker: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(marker, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function preparePgliteBlank(): Promise<string> {
  await preparePgliteTemplate();
  return pgliteBlankPath();
}

// Written beside and renamed, so a concurrent run never reads half a file.
function writeWhole(path: string, file: Uint8Array) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, file);
  renameSync(partial, path);
}

export function postgresTemplateName(): string {
  return `pulih_template_${migrationsHash()}`;
}

// The test databases are thrown away after the run, so their connections commit without
// waiting for the WAL to reach the disk (synchronous_commit = off): a commit still makes its
// rows visible and atomic at once, only a crash of the PostgreSQL server could lose the last
// few. Nothing under test crashes that server, and the time saved is each commit's fsync.
export function databaseUrlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (process.env.PULIH_TEST_SYNC_COMMIT !== 'on')
    url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

export async function preparePostgresTemplate(adminUrl: string): Promise<string> {
  const name = postgresTemplateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // One migration at a time across concurrent runs; a template that exists is complete,
    // because it is created under another name and renamed when migrated.
    await admin.query('select pg_advisory_lock(727102)');
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const database = openDatabase({ databaseUrl: databaseUrlOf(adminUrl, building) });
      await database.migrate();
      await database.close();
      await admin.query(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727102)').catch(() => undefined);
    await admin.end();
  }
  return name;
}

// A new database on the PostgreSQL server at adminUrl, copied from the template; `drop`
// removes it, also while a client is still connected.
export async function copyPostgresTemplate(adminUrl: string, prefix = 'pulih_t') {
  return copyPostgresDatabase(adminUrl, await preparePostgresTemplate(adminUrl), prefix);
}

// The same from another database than the migrated template (one nobody is connected to).
export async function copyPostgresDatabase(adminUrl: string, template: string, prefix = 'pulih_t') {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name} template ${template}`));
  return {
    url: databaseUrlOf(adminUrl, name),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`)),
  };
}

// A PGlite data folder on disk (as `--data` takes it) that already holds the migrated
// template, for tests that run the CLI in a child process.
export async function copyPgliteTemplateTo(dataDir: string) {
  extractDump(readFileSync(await preparePgliteTemplate()), dataDir);
}

// The same, holding what initdb leaves (no migrations): a new folder for `pulih restore`.
export async function copyPgliteBlankTo(dataDir: string) {
  extractDump(readFileSync(await preparePgliteBlank()), dataDir);
}

// A PGlite dump is a tar of the database's directory, directories and files only; PGlite's
// `loadDataDir` writes exactly these into the folder's `pgdata` (where `openDatabase` keeps
// it) before it starts. Written here without starting PGlite: a start and its shutdown cost the
// test process 3–4 s of CPU per folder, and whichever process opens the folder next replays
// the dump's WAL as PGlite would have.
export function extractDump(tar: Buffer, folder: string) {
  const dataDir = join(folder, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  const text = (start: number, length: number) =>
    tar.toString('latin1', start, start + length).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = text(at, 100);
    if (name === '') break;
    const prefix = tar.toString('latin1', at + 257, at + 262) === 'ustar' ? text(at + 345, 155) : '';
    const path = join(dataDir, prefix === '' ? name : `${prefix}/${name}`);
    if (!path.startsWith(`${dataDir}/`)) throw new Error(`tar entry outside the folder: ${name}`);
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = tar.toString('latin1', at + 156, at + 157);
    at += 512;
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tar.subarray(at, at + size));
      at += Math.ceil(size / 512) * 512;
    } else throw new Error(`tar entry of type ${JSON.stringify(type)} in a PGlite dump: ${name}`);
  }
}

async function withAdmin<T>(adminUrl: string, run: (admin: pg.Client) => Promise<T>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}
