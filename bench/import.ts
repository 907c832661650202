// Registry import at scale: N synthetic rows (valid NIKs from region, birth date and sex;
// Indonesian names; a share of bad rows) written to a temporary CSV, then on one engine
//   (a) the anchor: a raw COPY of the same file into a bare table of text columns, and
//   (b) the import: `pulih import businesses FILE` as the CLI runs it (validation, in-file
//       identity, merge into people and businesses with their indexes, issues, checkpoints),
// each in its own child process so that its peak RSS is its own. Prints rows/s, seconds,
// peak RSS and the ratio import/COPY.
//
//   npm run bench -- import --engine postgres --rows 1000000
//   npm run bench -- import --engine pglite --rows 100000
//   options: --bad-rate 0.01  --batch-size 5000  --keep (keep the CSV and database)
//            --csv FILE (only write the synthetic CSV)
//
// An incremental import (the registry not empty, so no bulk mode and every batch classified
// against the stored rows): `--base N` first imports rows 1…N (not measured), then measures
// --rows M more rows into copies of that database, of which --changed (default 0.5) are rows
// already stored with a changed address and turnover and the rest new rows:
//   npm run bench -- import --engine postgres --base 200000 --rows 100000
// The floor of an incremental import is then the same M rows applied set-wise to the same
// stored registry: one upsert of people (changed ones updated), one update of businesses by
// ref, one by owner NIK + name, one insert of the new businesses — every index, trigger and
// constraint in place, no validation, no classification, no issues, no batches.
// PostgreSQL: a fresh database on DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createAppContext } from '../src/app/app-context.ts';
import { openDatabase } from '../src/db/client.ts';
import { generateNik } from '../src/domain/nik.ts';
import { runImport, startPathImport } from '../src/modules/imports/imports.service.ts';
import { superviseJob } from '../src/modules/jobs/jobs.service.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    rows: { type: 'string', default: '100000' },
    'bad-rate': { type: 'string', default: '0.01' },
    'batch-size': { type: 'string' },
    base: { type: 'string', default: '0' },
    changed: { type: 'string', default: '0.5' },
    keep: { type: 'boolean', default: false },
    // internal: one measured phase in a child process
    phase: { type: 'string' },
    file: { type: 'string' },
    target: { type: 'string' },
    // only write the synthetic CSV to this path
    csv: { type: 'string' },
  },
});

const engine = args.engine === 'pglite' ? 'pglite' : 'postgres';
const rowCount = Number(args.rows);
const badRate = Number(args['bad-rate']);
const baseCount = Number(args.base);
const changedShare = Number(args.changed);
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------
// Synthetic rows

// biome-ignore format: a compact list
const firstNames = [
  'Ahmad', 'Budi', 'Siti', 'Nur', 'Muhammad', 'Dewi', 'Agus', 'Sri', 'Rina', 'Yusuf', 'Fitri', 'Hendra',
  'Rahmat', 'Wati', 'Dayang', 'Riko', 'Yohanes', 'Maria', 'Lukas', 'Theresia', 'Fransiskus', 'Yanti',
  'Rusdi', 'Aisyah', 'Bambang', 'Eka', 'Indah', 'Joko', 'Kartini', 'Lestari', 'Mahmud', 'Novi',
];
// biome-ignore format: a compact list
const lastNames = [
  'Santoso', 'Aminah', 'Hidayat', 'Rahman', 'Saputra', 'Wulandari', 'Pratama', 'Kurniawan', 'Setiawan',
  'Lestari', 'Ngaju', 'Dohong', 'Tingang', 'Antang', 'Bungai', 'Kahayan', 'Nyahu', 'Ramli', 'Hasan',
  'Syahputra', 'Anggraini', 'Sihombing', 'Siregar', 'Halim', 'Putri', 'Utami', 'Yulianti', 'Gunawan',
];
const trades = [
  ['Anyaman Rotan', '16291'],
  ['Anyaman Purun', '16292'],
  ['Warung Makan', '56102'],
  ['Kue Basah', '10710'],
  ['Jahit', '14111'],
  ['Kerupuk Ikan', '10299'],
  ['Bengkel Motor', '45405'],
  ['Kopi', '10761'],
] as const;
const villages = [
  ['62.71.01.1001', 'Pahandut', 'Pahandut'],
  ['62.71.01.1002', 'Panarung', 'Pahandut'],
  ['62.71.02.1001', 'Marang', 'Bukit Batu'],
  ['62.71.02.1004', 'Tangkiling', 'Bukit Batu'],
  ['62.71.03.1002', 'Menteng', 'Jekan Raya'],
  ['62.71.04.1002', 'Kalampangan', 'Sebangau'],
  ['62.71.05.1003', 'Petuk Berunai', 'Rakumpit'],
] as const;
// biome-ignore format: a compact list
const header = [
  'nik', 'nama', 'jenis_kelamin', 'tanggal_lahir', 'telepon', 'alamat', 'kode_wilayah', 'kelurahan', 'kecamatan',
  'nama_usaha', 'kbli', 'nib', 'modal_usaha', 'omzet_tahunan', 'tenaga_kerja', 'terdampak_covid', 'status_usaha', 'ref',
];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function csvField(value: string) {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// Row i: deterministic. Every 20th owner has a second business on the next row (same NIK);
// ~badRate of the rows carry one mistake each (NIK, phone, kelurahan, date or amount).
// A changed row (incremental bench) is row i with another address and turnover.
function syntheticRow(i: number, changed = false): string[] {
  const owner = i - (i % 20 === 1 ? 1 : 0);
  const v = pick(villages, owner * 7 + 3);
  const day = owner % 18_000;
  const birth = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const sex = owner % 2 ? 'L' : 'P';
  const serial = (Math.floor(owner / 18_000) % 9999) + 1;
  const nik = generateNik({ kecamatanCode: v[0].slice(0, 8), birthDate: birth, sex, serial });
  const [trade, kbli] = pick(trades, owner + (i % 20 === 1 ? 1 : 0));
  const name = `${pick(firstNames, owner * 13)} ${pick(lastNames, owner * 17 + 5)}`;
  const byName = i % 5 === 0;
  const row = [
    nik,
    name,
    sex,
    i % 3 === 0 ? `${birth.slice(8, 10)}/${birth.slice(5, 7)}/${birth.slice(0, 4)}` : birth,
    `0812${String(10_000_000 + (owner % 90_000_000)).slice(-8)}`,
    `Jl. ${pick(lastNames, owner)} No. ${owner % 200}${changed ? ' A' : ''}`,
    byName ? '' : v[0],
    byName ? v[1] : '',
    byName ? v[2] : '',
    `${trade} ${name}`,
    kbli,
    i % 4 === 0 ? String(9_100_000_000_000 + i) : '',
    String((owner % 50) * 1_000_000),
    i % 2
      ? `${(owner % 90) + 10 + (changed ? 1 : 0)}.000.000`
      : String(((owner % 90) + 10 + (changed ? 1 : 0)) * 1_000_000),
    String(owner % 6),
    i % 3 ? 'ya' : 'tidak',
    'aktif',
    i % 10 < 7 ? `SIDT-${i}` : '',
  ];
  const bad = Math.floor(i * badRate) !== Math.floor((i - 1) * badRate);
  if (bad) {
    switch (Math.floor(i * badRate) % 5) {
      case 0:
        row[0] = nik.slice(0, 15);
        break;
      case 1:
        row[4] = '12345';
        break;
      case 2:
        row[6] = '';
        row[7] = 'Kelurahan Hilang';
        row[8] = 'Bukit Batu';
        break;
      case 3:
        row[3] = '31/02/1980';
        break;
      default:
        row[12] = 'banyak';
    }
  }
  return row;
}

// Rows first…last; those up to changedUpTo with their changed values.
async function writeCsv(path: string, first: number, last: number, changedUpTo = 0) {
  const out = createWriteStream(path);
  async function* lines() {
    // Windows line endings and a byte-order mark, as Excel writes them.
    yield `\ufeff${header.join(',')}\r\n`;
    let buffer = '';
    for (let i = first; i <= last; i++) {
      buffer += `${syntheticRow(i, i <= changedUpTo)
        .map(csvField)
        .join(',')}\r\n`;
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(lines, out);
}

// ---------------------------------------------------------------------------------------
// Phases (each in its own process)

function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

const bareColumns = header.map((h) => `${h} text`).join(', ');

// WAL written by the server during a phase: index maintenance shows here (full-page images
// after each checkpoint), which a COPY into a bare table hardly pays.
async function walPosition(target: string): Promise<string | null> {
  if (engine !== 'postgres') return null;
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const lsn = (await client.query('select pg_current_wal_lsn()::text as lsn')).rows[0].lsn as string;
  await client.end();
  return lsn;
}

async function walMegabytes(target: string, from: string | null): Promise<number | null> {
  if (engine !== 'postgres' || from === null) return null;
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const bytes = (await client.query('select pg_current_wal_lsn() - $1::pg_lsn as bytes', [from])).rows[0]
    .bytes;
  await client.end();
  return Number(bytes) / 1048576;
}

// The server's CPU during a phase's measured part: the CPU time of the phase database's backends
// (/proc/<pid>/schedstat; a server on this machine only, else null), sampled every 200 ms from a
// connection of its own so that a backend that ends before the phase does is still counted.
// Unlike wall time it hardly moves with the load of the other processes on the machine.
async function serverCpu(target: string) {
  if (engine !== 'postgres') return async () => null;
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let readable = false;
  const sample = async (into: Map<number, number>) => {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    for (const { pid } of rows) {
      const text = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => null);
      if (text === null) continue;
      readable = true;
      into.set(pid, Number(text.split(' ')[0]));
    }
  };
  await sample(first);
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((done) => setTimeout(done, 200));
      await sample(last);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await sample(last);
    await client.end();
    if (!readable) return null;
    let ns = 0;
    for (const [pid, value] of last) ns += value - (first.get(pid) ?? 0);
    return ns / 1e9;
  };
}

async function copyPhase(file: string, target: string) {
  const peak = rssSampler();
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(`create table bare (${bareColumns})`);
    const wal = await walPosition(target);
    const cpu = await serverCpu(target);
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      client.query(copyFrom(`copy bare from stdin with (format csv, header true, encoding 'UTF8')`)),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverSeconds = await cpu();
    await client.end();
    return { seconds, serverSeconds, rssMb: peak() / 1048576, walMb: await walMegabytes(target, wal) };
  }
  const db = new PGlite({ dataDir: target });
  await db.exec(`create table bare (${bareColumns})`);
  // PGlite copies from a Blob: the file is read into memory first (not timed).
  const blob = new Blob([await readFile(file)]);
  const started = performance.now();
  await db.query(`copy bare from '/dev/blob' with (format csv, header true)`, [], { blob });
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return { seconds, rssMb: peak() / 1048576, walMb: null };
}

// The floor: the same rows into the same tables, indexes and constraints as the import
// writes, but set-based in one statement per table, straight from a COPY, with no
// validation, no identity rules, no batches. What the schema costs, before any import logic.
async function floorPhase(file: string, target: string) {
  const database = openDatabase(engine === 'postgres' ? { databaseUrl: target } : { dataDir: target });
  await createAppContext(database);
  const db = database.db;
  await db.execute(sql.raw(`create table bare (${bareColumns})`));
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      client.query(copyFrom(`copy bare from stdin with (format csv, header true, encoding 'UTF8')`)),
    );
    await client.end();
  } else {
    const blob = new Blob([await readFile(file)]);
    if (!database.pglite) throw new Error('the PGlite floor needs the database opened in this process');
    await database.pglite.query(`copy bare from '/dev/blob' with (format csv, header true)`, [], { blob });
  }
  const peak = rssSampler();
  const wal = await walPosition(target);
  const cpu = await serverCpu(target);
  const started = performance.now();
  if (baseCount > 0) {
    for (const statement of incrementalFloor) await db.execute(sql.raw(statement));
    const seconds = (performance.now() - started) / 1000;
    const serverSeconds = await cpu();
    const rssMb = peak() / 1048576;
    await database.close();
    return { seconds, serverSeconds, rssMb, walMb: await walMegabytes(target, wal) };
  }
  await db.execute(sql`
    insert into people (nik, name, sex, phone, address)
    select distinct on (nik) nik, nama, jenis_kelamin::sex, nullif(telepon, ''), nullif(alamat, '')
    from bare where nik ~ '^[0-9]{16}$' and jenis_kelamin in ('L', 'P')
    on conflict do nothing`);
  await db.execute(sql`
    insert into businesses (ref, owner_id, name, kbli, region_code, kecamatan_code, nib, capital, annual_turnover,
      workers, covid_impacted, status)
    select nullif(b.ref, ''), p.id, b.nama_usaha, nullif(b.kbli, ''), coalesce(nullif(b.kode_wilayah, ''), '62.71.01'),
      left(coalesce(nullif(b.kode_wilayah, ''), '62.71.01'), 8), nullif(b.nib, ''),
      nullif(regexp_replace(b.modal_usaha, '[^0-9]', '', 'g'), '')::bigint,
      nullif(regexp_replace(b.omzet_tahunan, '[^0-9]', '', 'g'), '')::bigint, nullif(b.tenaga_kerja, '')::int,
      b.terdampak_covid = 'ya', 'aktif'
    from bare b join people p on p.nik = b.nik
    on conflict do nothing`);
  const seconds = (performance.now() - started) / 1000;
  const serverSeconds = await cpu();
  const rssMb = peak() / 1048576;
  await database.close();
  return { seconds, serverSeconds, rssMb, walMb: await walMegabytes(target, wal) };
}

// The floor of an incremental import (see the head of this file): the rows of bare upserted
// into a registry that already holds people and businesses. The typed rows are made once (an
// unlogged table, timed with the rest). Only the rows matched by neither key are offered to the
// insert: a row that meets its conflict there has already paid for its triggers and generated
// column.
const typedRows = `create unlogged table v as
    select p.id as oid, nullif(b.ref, '') as ref, b.nama_usaha as bn, nullif(b.kbli, '') as kb,
      coalesce(nullif(b.kode_wilayah, ''), '62.71.01') as rc, left(coalesce(nullif(b.kode_wilayah, ''), '62.71.01'), 8) as kc,
      nullif(b.nib, '') as nib, nullif(regexp_replace(b.modal_usaha, '[^0-9]', '', 'g'), '')::bigint as cap,
      nullif(regexp_replace(b.omzet_tahunan, '[^0-9]', '', 'g'), '')::bigint as tov,
      nullif(b.tenaga_kerja, '')::int as wk, b.terdampak_covid = 'ya' as cv
    from bare b join people p on p.nik = b.nik`;
const businessSet = `owner_id = v.oid, name = v.bn, kbli = coalesce(v.kb, b.kbli), region_code = v.rc,
    kecamatan_code = v.kc, nib = coalesce(v.nib, b.nib), capital = coalesce(v.cap, b.capital),
    annual_turnover = coalesce(v.tov, b.annual_turnover), workers = coalesce(v.wk, b.workers),
    covid_impacted = v.cv, updated_at = now()`;
const businessChanged = `(b.owner_id, b.name, b.kbli, b.region_code, b.kecamatan_code, b.nib, b.capital, b.annual_turnover,
      b.workers, b.covid_impacted) is distinct from (v.oid, v.bn, coalesce(v.kb, b.kbli), v.rc, v.kc, coalesce(v.nib, b.nib),
      coalesce(v.cap, b.capital), coalesce(v.tov, b.annual_turnover), coalesce(v.wk, b.workers), v.cv)`;
const byRef = 'v.ref is not null and b.ref = v.ref';
const byOwnerAndName =
  'v.ref is null and b.ref is null and b.owner_id = v.oid and lower(b.name) = lower(v.bn)';
const incrementalFloor = [
  `insert into people as p (nik, name, sex, phone, address)
    select distinct on (nik) nik, nama, jenis_kelamin::sex, nullif(telepon, ''), nullif(alamat, '')
    from bare where nik ~ '^[0-9]{16}$' and jenis_kelamin in ('L', 'P')
    on conflict (nik) do update set name = excluded.name, sex = excluded.sex,
      phone = coalesce(excluded.phone, p.phone), address = coalesce(excluded.address, p.address), updated_at = now()
    where (p.name, p.sex, p.phone, p.address) is distinct from
      (excluded.name, excluded.sex, coalesce(excluded.phone, p.phone), coalesce(excluded.address, p.address))`,
  typedRows,
  'analyze v',
  `update businesses b set ${businessSet} from v where ${byRef} and ${businessChanged}`,
  `update businesses b set ${businessSet} from v where ${byOwnerAndName} and ${businessChanged}`,
  `insert into businesses (ref, owner_id, name, kbli, region_code, kecamatan_code, nib, capital,
      annual_turnover, workers, covid_impacted, status)
    select ref, oid, bn, kb, rc, kc, nib, cap, tov, wk, cv, 'aktif' from v
    where not exists (select from businesses b where ${byRef})
      and not exists (select from businesses b where ${byOwnerAndName})
    on conflict do nothing`,
];

async function importPhase(file: string, target: string) {
  const database = openDatabase(engine === 'postgres' ? { databaseUrl: target } : { dataDir: target });
  const ctx = await createAppContext(database);
  const peak = rssSampler();
  const wal = await walPosition(target);
  const cpu = await serverCpu(target);
  const nodeAtStart = process.cpuUsage();
  const started = performance.now();
  const run = await startPathImport(ctx, file, {
    dryRun: false,
    ...(args['batch-size'] ? { batchSize: Number(args['batch-size']) } : {}),
  });
  const job = { job: run.job, worker: run.worker, signal: new AbortController().signal };
  let result: Awaited<ReturnType<typeof runImport>> | null = null;
  await superviseJob(ctx, job, async () => {
    result = await runImport(ctx, job);
  });
  const seconds = (performance.now() - started) / 1000;
  const node = process.cpuUsage(nodeAtStart);
  const serverSeconds = await cpu();
  const rssMb = peak() / 1048576;
  await database.close();
  if (!result) throw new Error('the import failed');
  return {
    seconds,
    serverSeconds,
    nodeSeconds: (node.user + node.system) / 1e6,
    rssMb,
    result,
    walMb: await walMegabytes(target, wal),
  };
}

if (args.phase) {
  const file = args.file ?? '';
  const target = args.target ?? '';
  const figures =
    args.phase === 'copy'
      ? await copyPhase(file, target)
      : args.phase === 'floor'
        ? await floorPhase(file, target)
        : await importPhase(file, target);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------
// The run

function child(phase: string, file: string, target: string): Promise<Record<string, unknown>> {
  const self = fileURLToPath(import.meta.url);
  const childArgs = [
    '--import',
    'tsx',
    self,
    '--phase',
    phase,
    '--file',
    file,
    '--target',
    target,
    '--engine',
    engine,
  ];
  if (args['batch-size']) childArgs.push('--batch-size', args['batch-size']);
  // The floor of an incremental import is chosen by --base: without it the child measured the
  // first load's floor (inserts that skip every stored row, no update at all).
  if (baseCount > 0 && phase !== 'copy') childArgs.push('--base', String(baseCount));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, childArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${phase} phase exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>);
    });
  });
}

async function freshPostgres(name: string, template?: string) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  const version = (await admin.query('show server_version')).rows[0].server_version as string;
  // The settings that decide what index maintenance costs in WAL (see docs/benchmarks.md).
  const settings = await admin.query(
    `select name, current_setting(name) as value from unnest(array['shared_buffers', 'max_wal_size',
       'wal_compression', 'checkpoint_timeout']) as name`,
  );
  const config = settings.rows.map((r: { name: string; value: string }) => `${r.name}=${r.value}`).join(', ');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version,
    config,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

if (!Number.isInteger(rowCount) || rowCount < 1000) throw new Error('--rows must be an integer ≥ 1000');
if (!Number.isInteger(baseCount) || baseCount < 0) throw new Error('--base must be an integer ≥ 0');
if (baseCount > 0 && engine !== 'postgres') throw new Error('--base is measured on PostgreSQL only');
// The measured file: rows 1…M, or, over a base of N rows, the last `changed` share of the
// stored rows (changed) followed by new ones.
const changedRows = baseCount > 0 ? Math.min(baseCount, Math.round(rowCount * changedShare)) : 0;
const firstRow = baseCount > 0 ? baseCount - changedRows + 1 : 1;
if (args.csv) {
  await writeCsv(args.csv, firstRow, firstRow + rowCount - 1, baseCount);
  process.exit(0);
}
const dir = mkdtempSync(join(os.tmpdir(), 'pulih-bench-import-'));
const file = join(dir, 'registry.csv');
log(`generating ${rowCount} rows …`);
await writeCsv(file, firstRow, firstRow + rowCount - 1, baseCount);
const bytes = statSync(file).size;
log(`${file}: ${(bytes / 1048576).toFixed(1)} MB`);

const loadAtStart = os.loadavg()[0] ?? 0;
const suffix = randomBytes(4).toString('hex');
let copy: Record<string, unknown>;
let floor: Record<string, unknown>;
let imported: Record<string, unknown>;
let engineVersion = 'PGlite';
const cleanups: (() => Promise<void>)[] = [];
if (engine === 'postgres') {
  const copyDb = await freshPostgres(`pulih_bench_copy_${suffix}`);
  cleanups.push(copyDb.drop);
  let template: string | undefined;
  if (baseCount > 0) {
    // The stored registry: rows 1…N imported once (not measured), then copied for the floor and
    // the import, so that both start from the same rows.
    template = `pulih_bench_base_${suffix}`;
    const baseDb = await freshPostgres(template);
    cleanups.push(baseDb.drop);
    const baseFile = join(dir, 'base.csv');
    await writeCsv(baseFile, 1, baseCount);
    log(`base: importing rows 1…${baseCount} (not measured) …`);
    await child('import', baseFile, baseDb.url);
    log(
      `measured file: rows ${firstRow}…${firstRow + rowCount - 1}, the first ${changedRows} stored and changed`,
    );
  }
  const floorDb = await freshPostgres(`pulih_bench_floor_${suffix}`, template);
  const importDb = await freshPostgres(`pulih_bench_import_${suffix}`, template);
  engineVersion = `PostgreSQL ${copyDb.version} (${copyDb.config})`;
  cleanups.push(floorDb.drop, importDb.drop);
  log('(a) raw COPY …');
  copy = await child('copy', file, copyDb.url);
  log('(c) set-based floor …');
  floor = await child('floor', file, floorDb.url);
  log('(b) import …');
  imported = await child('import', file, importDb.url);
} else {
  const pgliteVersion = JSON.parse(
    await readFile(
      fileURLToPath(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url)),
      'utf8',
    ),
  ).version as string;
  engineVersion = `PGlite ${pgliteVersion}`;
  log('(a) raw COPY …');
  copy = await child('copy', file, join(dir, 'copy-pgdata'));
  log('(c) set-based floor …');
  floor = await child('floor', file, join(dir, 'floor-pgdata'));
  log('(b) import …');
  imported = await child('import', file, join(dir, 'import-pgdata'));
}

const cpu = os.cpus()[0]?.model ?? 'unknown';
const copySeconds = Number(copy.seconds);
const importSeconds = Number(imported.seconds);
const floorSeconds = Number(floor.seconds);
const result = imported.result as Record<string, number>;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const wal = (phase: Record<string, unknown>) => (typeof phase.walMb === 'number' ? fmt(phase.walMb) : '–');
const cpuOf = (phase: Record<string, unknown>) =>
  typeof phase.serverSeconds === 'number' ? phase.serverSeconds.toFixed(2) : '–';
const serverRatio =
  typeof imported.serverSeconds === 'number' && typeof floor.serverSeconds === 'number'
    ? `; server CPU import / floor: ${(imported.serverSeconds / floor.serverSeconds).toFixed(2)}×`
    : '';
const lines = [
  `registry import benchmark — ${fmt(rowCount)} rows, ${(bytes / 1048576).toFixed(1)} MB CSV, ${engineVersion}`,
  baseCount > 0
    ? `incremental: into a registry of ${fmt(baseCount)} imported rows; ${fmt(changedRows)} of the rows stored and changed, the rest new`
    : 'first load into an empty registry',
  `load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
  `machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, node ${process.version}, ${os.platform()} ${os.release()}`,
  '',
  "| step | seconds | rows/s | server CPU (s, the database's backends) | peak RSS (MB, this process) | WAL written (MB, whole server, other sessions included) |",
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  `| (a) raw COPY into a bare text table | ${copySeconds.toFixed(2)} | ${fmt(rowCount / copySeconds)} | ${cpuOf(copy)} | ${Number(copy.rssMb).toFixed(0)} | ${wal(copy)} |`,
  `| (c) floor: ${baseCount > 0 ? 'upserts (one statement per table and key)' : 'one INSERT … SELECT per table'} from (a), same indexes | ${floorSeconds.toFixed(2)} | ${fmt(rowCount / floorSeconds)} | ${cpuOf(floor)} | ${Number(floor.rssMb).toFixed(0)} | ${wal(floor)} |`,
  `| (b) pulih import businesses | ${importSeconds.toFixed(2)} | ${fmt(rowCount / importSeconds)} | ${cpuOf(imported)} | ${Number(imported.rssMb).toFixed(0)} | ${wal(imported)} |`,
  '',
  `ratio import / COPY: ${(importSeconds / copySeconds).toFixed(2)}× (target ≤ 20× for a first load, bulk mode; incremental ≤ 1.3× the floor); floor / COPY: ${(floorSeconds / copySeconds).toFixed(2)}×; import / floor: ${(importSeconds / floorSeconds).toFixed(2)}×${serverRatio}`,
  typeof imported.nodeSeconds === 'number'
    ? `the import's own CPU (Node, from its first statement to its result, start-up not included): ${imported.nodeSeconds.toFixed(2)} s`
    : '',
  `import result: inserted ${fmt(result.inserted ?? 0)}, updated ${fmt(result.updated ?? 0)}, unchanged ${fmt(result.unchanged ?? 0)}, rejected ${fmt(result.rejected ?? 0)}, errors ${fmt(result.errorCount ?? 0)}, warnings ${fmt(result.warningCount ?? 0)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);

if (args.keep) log(`kept ${dir}`);
else {
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
}
