// The scale-out path on PostgreSQL's own tools, run for real on one machine (issue 14, point 5):
// a primary and a streaming replica (pg_basebackup -R), pgbouncer in transaction mode in front
// of the primary, three `pulih serve` processes behind nginx, all from Debian packages, in a
// temporary folder, on 127.0.0.1 only (free ports; never the machine's own cluster or nginx
// configuration). Then:
//   1. background jobs run once across the processes (SKIP LOCKED): N jobs, each claimed once;
//   2. the 1,000-application burst through nginx with 1, 2 and 3 processes behind it: seats
//      exact, throughput and p99 (ratio to GET /health in the same run);
//   3. the burst again with one process killed mid-way: every application is sent with an
//      Idempotency-Key and retried by the client; none lost, none doubled, nginx routes
//      around the dead process;
//   4. reports read from the replica (DATABASE_REPLICA_URL), with the replication lag;
//   5. the replica stopped: reports fall back to the primary, within a bounded wait, logged.
// Everything is torn down at the end, on failure and on Ctrl-C; one JSON summary on stdout.
//
//   npm run scale-test [-- --applications 1000] [--clients 100] [--jobs 30] [--keep-folder]
//
// Needs root or the postgres user (PostgreSQL and pgbouncer refuse to run as root: as root the
// script runs them, and nginx, as `postgres` through runuser). Installs pgbouncer and nginx
// with apt-get when they are missing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createAppContext } from '../src/app/app-context.ts';
import { openDatabase } from '../src/db/client.ts';
import { rowsOf } from '../src/db/sql-rows.ts';
import type { AppContext } from '../src/lib/context.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { type BulkBusiness, bulkBusinesses } from '../src/testing/bulk.ts';
import { burstCapacity, createBurstProgram } from './lib/burst.ts';
import { ensureBenchOfficer, log } from './lib/database.ts';
import { httpRequest, type Reply } from './lib/http.ts';
import { loadAverage, percentile } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '100' },
    jobs: { type: 'string', default: '30' },
    'keep-folder': { type: 'boolean', default: false },
  },
});
const count = Number(args.applications);
const clients = Number(args.clients);
const jobCount = Number(args.jobs);
if (!Number.isInteger(count) || count < 31) throw new Error('--applications 31 or more');
if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients 1 or more');

const pgBin = '/usr/lib/postgresql/15/bin';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const asRoot = process.getuid?.() === 0;
const capacity = burstCapacity;

// ---------------------------------------------------------------- processes and teardown

const children: { name: string; child: ChildProcess }[] = [];
const teardowns: { name: string; run: () => void }[] = [];
let folder = '';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

// As root, PostgreSQL's programs, pgbouncer and nginx run as the postgres user (initdb, postgres
// and pgbouncer refuse root): spawned with its uid and gid, so that their pids are our children's.
const postgresUser = asRoot
  ? {
      uid: Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
      gid: Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
    }
  : {};

function run(command: string, commandArgs: string[], options: { asPg?: boolean } = {}) {
  const result = spawnSync(command, commandArgs, {
    encoding: 'utf8',
    cwd: folder || undefined,
    ...(options.asPg ? postgresUser : {}),
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${commandArgs.join(' ')} failed: ${result.stderr || result.stdout || result.error}`,
    );
  return result.stdout;
}

function start(
  name: string,
  command: string,
  commandArgs: string[],
  options: { asPg?: boolean; env?: NodeJS.ProcessEnv } = {},
) {
  const logFile = join(folder, `${name}.log`);
  const child = spawn(command, commandArgs, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: folder,
    ...(options.asPg ? postgresUser : {}),
  });
  child.stdout?.on('data', (d: Buffer) => appendFileSync(logFile, d));
  child.stderr?.on('data', (d: Buffer) => appendFileSync(logFile, d));
  children.push({ name, child });
  return child;
}

let tornDown = false;
function tearDown() {
  if (tornDown) return;
  tornDown = true;
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const { name, run: stop } of teardowns.reverse()) {
    try {
      stop();
    } catch (error) {
      log(`teardown of ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const deadline = Date.now() + 5_000;
  while (
    children.some(({ child }) => child.exitCode === null && child.signalCode === null) &&
    Date.now() < deadline
  )
    spawnSync('sleep', ['0.1']);
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (folder && !args['keep-folder']) rmSync(folder, { recursive: true, force: true });
  else if (folder) log(`kept ${folder}`);
}
process.on('exit', tearDown);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: tearing down`);
    tearDown();
    process.exit(130);
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---------------------------------------------------------------- HTTP through nginx

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const request = (
  port: number,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) => httpRequest(agent, port, { method, path, headers, body, timeoutMs: 120_000 });

type Sample = { ms: number; status: number; body: string; attempts: number };

async function fire(n: number, send: (i: number) => Promise<Omit<Sample, 'ms'>>) {
  const started = performance.now();
  const samples = await Promise.all(
    Array.from({ length: n }, async (_, i): Promise<Sample> => {
      const t0 = performance.now();
      const res = await send(i);
      return { ms: performance.now() - t0, ...res };
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

const p99 = (samples: Sample[]) =>
  percentile(
    samples.map((s) => s.ms).sort((a, b) => a - b),
    99,
  );
const errorCode = (body: string) => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------- main

const summary: Record<string, unknown> = { ok: false };

async function main() {
  folder = mkdtempSync(join(os.tmpdir(), 'pulih-scale-'));
  if (asRoot) run('chown', ['postgres:postgres', folder]);
  log(`folder: ${folder}`);

  // ---- packages
  const missing = ['pgbouncer', 'nginx'].filter(
    (p) => spawnSync('sh', ['-c', `command -v ${p} || test -x /usr/sbin/${p}`]).status !== 0,
  );
  if (missing.length > 0) {
    log(`installing ${missing.join(', ')}…`);
    run('apt-get', ['install', '-y', ...missing]);
  }
  const nginxBin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const pgbouncerBin = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';
  const versions = {
    postgres: run(join(pgBin, 'postgres'), ['--version']).trim(),
    pgbouncer: run(pgbouncerBin, ['--version']).split('\n')[0]!.trim(),
    nginx: spawnSync(nginxBin, ['-v'], { encoding: 'utf8' }).stderr.trim(),
  };

  const ports = {
    primary: await freePort(),
    replica: await freePort(),
    pgbouncer: await freePort(),
    apps: [await freePort(), await freePort(), await freePort()],
    nginx: [await freePort(), await freePort(), await freePort()],
  };

  // ---- primary
  const primaryDir = join(folder, 'primary');
  run(
    join(pgBin, 'initdb'),
    ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'],
    { asPg: true },
  );
  appendFileSync(
    join(primaryDir, 'postgresql.conf'),
    [
      `listen_addresses = '127.0.0.1'`,
      `port = ${ports.primary}`,
      `unix_socket_directories = '${folder}'`,
      'wal_level = replica',
      'max_wal_senders = 4',
      'hot_standby = on',
      'max_connections = 100',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(primaryDir, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
  );
  const pgCtl = (dir: string, ...rest: string[]) =>
    run(
      join(pgBin, 'pg_ctl'),
      ['-D', dir, '-l', join(folder, `${dir.endsWith('replica') ? 'replica' : 'primary'}.log`), ...rest],
      {
        asPg: true,
      },
    );
  pgCtl(primaryDir, '-w', 'start');
  teardowns.push({ name: 'primary', run: () => pgCtl(primaryDir, '-m', 'immediate', 'stop') });
  const primaryUrl = (db = 'postgres') => `postgres://postgres@127.0.0.1:${ports.primary}/${db}`;
  const adminPrimary = new pg.Client({ connectionString: primaryUrl() });
  await adminPrimary.connect();
  await adminPrimary.query('create database pulih');
  await adminPrimary.end();

  // ---- replica
  const replicaDir = join(folder, 'replica');
  run(
    join(pgBin, 'pg_basebackup'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(ports.primary),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ],
    {
      asPg: true,
    },
  );
  appendFileSync(join(replicaDir, 'postgresql.conf'), `port = ${ports.replica}\n`);
  pgCtl(replicaDir, '-w', 'start');
  let replicaRunning = true;
  teardowns.push({
    name: 'replica',
    run: () => replicaRunning && pgCtl(replicaDir, '-m', 'immediate', 'stop'),
  });
  const replicaUrl = `postgres://postgres@127.0.0.1:${ports.replica}/pulih`;

  // ---- pgbouncer, transaction pooling
  writeFileSync(join(folder, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    join(folder, 'pgbouncer.ini'),
    [
      '[databases]',
      `pulih = host=127.0.0.1 port=${ports.primary} dbname=pulih`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${ports.pgbouncer}`,
      `unix_socket_dir = ${folder}`,
      'auth_type = trust',
      `auth_file = ${join(folder, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      `pidfile = ${join(folder, 'pgbouncer.pid')}`,
      'admin_users = postgres',
      '',
    ].join('\n'),
  );
  if (asRoot) run('chown', ['-R', 'postgres:postgres', folder]);
  start('pgbouncer', pgbouncerBin, [join(folder, 'pgbouncer.ini')], { asPg: true });
  const bouncerUrl = `postgres://postgres@127.0.0.1:${ports.pgbouncer}/pulih`;
  await waitFor('pgbouncer', async () => {
    const c = new pg.Client({ connectionString: bouncerUrl });
    await c.connect();
    await c.end();
    return true;
  });

  // ---- three app processes, started at once: they migrate through pgbouncer concurrently
  const appEnv = {
    ...process.env,
    DATABASE_URL: bouncerUrl,
    DATABASE_REPLICA_URL: replicaUrl,
    PULIH_DB_POOL: '10',
    PULIH_DB_REPLICA_CONNECT_MS: '1000',
    PULIH_ADMIN_PASSWORD: randomUUID(),
    PULIH_IDEMPOTENCY_LEASE_SECONDS: '5',
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const apps = ports.apps.map((port, i) => ({
    port,
    name: `app${i + 1}`,
    child: start(
      `app${i + 1}`,
      process.execPath,
      [join(root, 'bin/pulih.js'), 'serve', '--host', '127.0.0.1', '--port', String(port)],
      {
        env: appEnv,
      },
    ),
  }));
  const healthy = async (port: number) => (await request(port, 'GET', '/health', {})).status === 200;
  for (const app of apps) await waitFor(`${app.name} on :${app.port}`, () => healthy(app.port), 180_000);

  // ---- nginx: three front doors, with 1, 2 and 3 processes behind each
  const nginxDir = join(folder, 'nginx');
  run('mkdir', ['-p', join(nginxDir, 'logs'), join(nginxDir, 'temp')]);
  const upstream = (k: number) =>
    `  upstream pulih${k} {\n${ports.apps
      .slice(0, k)
      .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;\n`)
      .join('')}    keepalive 64;\n  }\n`;
  const server = (k: number) => `  server {
    listen 127.0.0.1:${ports.nginx[k - 1]};
    location / {
      proxy_pass http://pulih${k};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      # GET/HEAD go to the next process on a dead connection or a 502-504; a POST only when it
      # never reached a process (nginx's own rule): a POST the dead process had started is the
      # client's to retry, with its Idempotency-Key.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
    }
  }\n`;
  writeFileSync(
    join(nginxDir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${join(nginxDir, 'nginx.pid')};
error_log ${join(nginxDir, 'logs/error.log')} warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${join(nginxDir, 'temp/body')};
  proxy_temp_path ${join(nginxDir, 'temp/proxy')};
  fastcgi_temp_path ${join(nginxDir, 'temp/fastcgi')};
  uwsgi_temp_path ${join(nginxDir, 'temp/uwsgi')};
  scgi_temp_path ${join(nginxDir, 'temp/scgi')};
  client_max_body_size 8m;
${[1, 2, 3].map(upstream).join('')}${[1, 2, 3].map(server).join('')}}
`,
  );
  if (asRoot) run('chown', ['-R', 'postgres:postgres', nginxDir]);
  start(
    'nginx',
    nginxBin,
    ['-e', join(nginxDir, 'logs/error.log'), '-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')],
    { asPg: true },
  );
  for (const port of ports.nginx) await waitFor(`nginx on :${port}`, () => healthy(port));

  // ---- the script's own connection: straight to the primary, for set-up and checks
  const database = openDatabase({ databaseUrl: primaryUrl('pulih') });
  const ctx = await createAppContext(database);
  teardowns.push({ name: 'script database', run: () => void database.close().catch(() => undefined) });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
  Object.assign(summary, { machine, versions, loadBefore: loadAverage() });

  const migrations = rowsOf<{ n: number }>(
    await ctx.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
  )[0]!.n;
  summary.migrations = {
    applied: migrations,
    by: 'three processes at once, through pgbouncer (transaction mode)',
  };

  summary.jobs = await proveJobsRunOnce(ctx, apps);

  // ---- the officer and the crowd
  const { user } = await ensureBenchOfficer(ctx);
  const token = await createApiToken(ctx.db, user.id, 'scale-test');
  const auth = { authorization: `Bearer ${token}` };
  log(`registering ${4 * count + 20} businesses…`);
  const crowd = await bulkBusinesses(ctx.db, 4 * count + 20, {
    regionCodes: ['62.71.02.1004', '62.71.05.1001'],
  });

  const createProgram = (port: number, name: string) =>
    createBurstProgram((path, body) => request(port, 'POST', path, auth, body), name);

  const invariants = async (programId: string, expected: number) => {
    const [row] = rowsOf<{
      enrolled: number;
      waitlisted: number;
      total: number;
      distinct_businesses: number;
      enrolled_count: number;
    }>(
      await ctx.db.execute(sql`
        select count(*) filter (where a.status = 'enrolled')::int as enrolled,
               count(*) filter (where a.status = 'waitlisted')::int as waitlisted,
               count(*)::int as total, count(distinct a.business_id)::int as distinct_businesses,
               (select enrolled_count from programs where id = ${programId}) as enrolled_count
        from applications a where a.program_id = ${programId}`),
    );
    const taken = rowsOf<{ taken: number; quota: number }>(
      await ctx.db.execute(sql`select taken, quota from program_quotas where program_id = ${programId}`),
    );
    if (!row) throw new Error(`program ${programId}: no counts`);
    const seatsExact =
      row.enrolled === capacity &&
      Number(row.enrolled_count) === capacity &&
      taken.length === 2 &&
      taken.every((q) => Number(q.taken) === Number(q.quota));
    return {
      applications: row.total,
      distinctBusinesses: row.distinct_businesses,
      enrolled: row.enrolled,
      waitlisted: row.waitlisted,
      quotas: taken.map((q) => `${q.taken}/${q.quota}`).join(' '),
      seatsExact,
      noneLostOrDoubled: row.total === expected && row.distinct_businesses === expected,
    };
  };

  // ---- the burst with 1, 2 and 3 processes
  const bursts: Record<string, unknown>[] = [];
  for (const k of [1, 2, 3]) {
    const port = ports.nginx[k - 1]!;
    const people = crowd.slice((k - 1) * count, k * count);
    const programId = await createProgram(port, `Pelatihan Rotan (scale-test, ${k} proses)`);
    // warm each process's pool and JIT a little
    await fire(60, () => request(port, 'GET', '/health', {}).then((r) => ({ ...r, attempts: 1 })));
    log(`burst through nginx, ${k} process(es): ${count} applications, ${clients} in flight…`);
    const load = loadAverage();
    const burst = await fire(count, (i) =>
      request(port, 'POST', `/api/v1/programs/${programId}/applications`, auth, {
        businessId: people[i]!.id,
      }).then((r) => ({ ...r, attempts: 1 })),
    );
    const anchor = await fire(count, () =>
      request(port, 'GET', '/health', {}).then((r) => ({ ...r, attempts: 1 })),
    );
    const failed = burst.samples.filter((s) => s.status !== 201);
    bursts.push({
      processes: k,
      applicationsPerSecond: Math.round(count / burst.seconds),
      seconds: Number(burst.seconds.toFixed(2)),
      p99Ms: Math.round(p99(burst.samples)),
      healthP99Ms: Math.round(p99(anchor.samples)),
      p99RatioToHealth: Number((p99(burst.samples) / p99(anchor.samples)).toFixed(1)),
      errors: failed.length,
      loadAverage: `${load} → ${loadAverage()}`,
      ...(await invariants(programId, count)),
    });
  }
  const one = bursts[0]!.applicationsPerSecond as number;
  for (const b of bursts)
    b.throughputRatioTo1 = Number(((b.applicationsPerSecond as number) / one).toFixed(2));
  summary.bursts = bursts;

  // ---- one process killed mid-burst
  summary.killMidBurst = await burstWithKill(
    ports.nginx[2]!,
    apps[2]!,
    crowd.slice(3 * count, 4 * count),
    auth,
    createProgram,
    invariants,
  );

  // ---- reports from the replica, and the lag
  const reportPort = ports.nginx[2]!;
  const reportPath = '/api/v1/open-data/programs.json';
  const replicaClient = new pg.Client({ connectionString: replicaUrl });
  await replicaClient.connect();
  const replicaBackends = async () =>
    Number(
      (
        await replicaClient.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where datname = 'pulih' and backend_type = 'client backend' and pid <> pg_backend_pid()`,
        )
      ).rows[0]!.n,
    );
  const backendsBefore = await replicaBackends();
  const report = await request(reportPort, 'GET', reportPath, {});
  const reportPrograms = (JSON.parse(report.body) as { items?: unknown[] }).items?.length ?? null;
  const backendsAfter = await replicaBackends();
  const lag = rowsOf<{
    state: string;
    write_lag: string | null;
    replay_lag: string | null;
    bytes_behind: string;
  }>(
    await ctx.db.execute(sql`
      select state, write_lag::text, replay_lag::text,
             pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text as bytes_behind
      from pg_stat_replication`),
  )[0];
  const replayAge = (
    await replicaClient.query<{ age: string | null }>(
      `select (now() - pg_last_xact_replay_timestamp())::text as age`,
    )
  ).rows[0]!.age;
  await replicaClient.end();
  summary.replica = {
    reportStatus: report.status,
    programsInReport: reportPrograms,
    appConnectionsOnReplica: { before: backendsBefore, after: backendsAfter },
    replication: lag ?? null,
    lastReplayedTransactionAge: replayAge,
  };

  // ---- the replica stopped: reports fall back to the primary
  pgCtl(replicaDir, '-m', 'fast', 'stop');
  replicaRunning = false;
  const fallback: { status: number; ms: number }[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const res = await request(reportPort, 'GET', reportPath, {});
    fallback.push({ status: res.status, ms: Math.round(performance.now() - t0) });
  }
  const logged = apps
    .map((a) => {
      try {
        return readFileSync(join(folder, `${a.name}.log`), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n')
    .split('\n')
    .filter((l) => l.includes('read replica unavailable'));
  summary.replicaStopped = {
    reports: fallback,
    allAnswered: fallback.every((f) => f.status === 200),
    maxMs: Math.max(...fallback.map((f) => f.ms)),
    logLines: logged.length,
    firstLogLine: logged[0]?.slice(0, 200) ?? null,
  };

  summary.loadAfter = loadAverage();
  const burstsOk = bursts.every((b) => b.seatsExact && b.noneLostOrDoubled && b.errors === 0);
  const kill = summary.killMidBurst as {
    seatsExact: boolean;
    noneLostOrDoubled: boolean;
    unanswered: number;
  };
  const jobs = summary.jobs as { eachRanOnce: boolean };
  summary.ok =
    burstsOk &&
    kill.seatsExact &&
    kill.noneLostOrDoubled &&
    kill.unanswered === 0 &&
    jobs.eachRanOnce &&
    (summary.replicaStopped as { allAnswered: boolean }).allAnswered &&
    backendsAfter > 0;
}

// N dedup jobs queued at once; the three workers poll with SKIP LOCKED. A trigger of this
// test's own (not part of Pulih) records every claim, so "each ran once" is read, not assumed.
async function proveJobsRunOnce(ctx: AppContext, apps: { name: string; child: ChildProcess }[]) {
  await ctx.db.execute(
    sql.raw(`
    create table scale_test_claims (job_id uuid, worker text, at timestamptz default clock_timestamp());
    create function scale_test_claim() returns trigger language plpgsql as $$
    begin
      insert into scale_test_claims (job_id, worker) values (new.id, new.locked_by);
      return new;
    end $$;
    create trigger scale_test_claim after update of locked_by on jobs
      for each row when (new.locked_by is not null and new.locked_by is distinct from old.locked_by)
      execute function scale_test_claim();`),
  );
  log(`jobs: ${jobCount} queued at once, three workers…`);
  const started = performance.now();
  // started_at set: a run that was queued again, so the one-waiting-dedup-run index lets N in
  await ctx.db.execute(sql`
    insert into jobs (kind, status, payload, started_at)
    select 'dedup', 'queued', '{}'::jsonb, now() from generate_series(1, ${jobCount})`);
  const unfinished = async () =>
    rowsOf<{ n: number }>(
      await ctx.db.execute(
        sql`select count(*)::int as n from jobs where kind = 'dedup' and status in ('queued', 'running')`,
      ),
    )[0]!.n;
  await waitFor('the jobs to finish', async () => (await unfinished()) === 0, 300_000);
  const seconds = (performance.now() - started) / 1000;
  const [jobs] = rowsOf<{ total: number; succeeded: number; once: number }>(
    await ctx.db.execute(sql`
      select count(*)::int as total, count(*) filter (where status = 'succeeded')::int as succeeded,
             count(*) filter (where attempts = 1)::int as once
      from jobs where kind = 'dedup'`),
  );
  const claims = rowsOf<{ worker_pid: string; claims: number }>(
    await ctx.db.execute(sql`
      select split_part(worker, ':', 3) as worker_pid, count(*)::int as claims
      from scale_test_claims group by 1 order by 1`),
  );
  const [perJob] = rowsOf<{ jobs: number; max: number }>(
    await ctx.db.execute(sql`
      select count(distinct job_id)::int as jobs, coalesce(max(n), 0)::int as max
      from (select job_id, count(*) as n from scale_test_claims group by job_id) c`),
  );
  await ctx.db.execute(
    sql.raw(
      'drop trigger scale_test_claim on jobs; drop function scale_test_claim(); drop table scale_test_claims;',
    ),
  );
  const pids = new Map(apps.map((a) => [String(a.child.pid), a.name]));
  return {
    queued: jobCount,
    succeeded: jobs!.succeeded,
    claimedOnce: jobs!.once,
    claimsPerProcess: Object.fromEntries(
      claims.map((c) => [pids.get(c.worker_pid) ?? c.worker_pid, c.claims]),
    ),
    mostClaimsOfOneJob: perJob!.max,
    seconds: Number(seconds.toFixed(1)),
    eachRanOnce:
      jobs!.succeeded === jobCount &&
      jobs!.once === jobCount &&
      perJob!.jobs === jobCount &&
      perJob!.max === 1,
  };
}

// The burst through the three-process door with an Idempotency-Key on every application,
// retried by the client on a lost answer (socket error, 502-504) or idempotency_in_progress;
// one process is killed (SIGKILL) once a third of the answers are in.
async function burstWithKill(
  port: number,
  victim: { name: string; child: ChildProcess },
  people: BulkBusiness[],
  auth: Record<string, string>,
  createProgram: (port: number, name: string) => Promise<string>,
  invariants: (
    programId: string,
    expected: number,
  ) => Promise<Record<string, unknown> & { seatsExact: boolean; noneLostOrDoubled: boolean }>,
) {
  const programId = await createProgram(port, 'Pelatihan Rotan (scale-test, satu proses mati)');
  let answered = 0;
  let killedAt: number | null = null;
  const retryReasons: Record<string, number> = {};
  const send = async (i: number) => {
    const key = randomUUID();
    let last: Reply = { status: 0, body: '' };
    for (let attempt = 1; attempt <= 40; attempt++) {
      try {
        last = await request(
          port,
          'POST',
          `/api/v1/programs/${programId}/applications`,
          { ...auth, 'idempotency-key': key },
          {
            businessId: people[i]!.id,
          },
        );
      } catch (error) {
        last = { status: 0, body: error instanceof Error ? error.message : String(error) };
      }
      const code = errorCode(last.body);
      const retry = last.status === 0 || last.status >= 502 || code === 'idempotency_in_progress';
      if (!retry) {
        answered++;
        if (killedAt === null && answered >= people.length / 3) {
          killedAt = answered;
          victim.child.kill('SIGKILL');
          log(`killed ${victim.name} (pid ${victim.child.pid}) after ${answered} answers`);
        }
        return { ...last, attempts: attempt };
      }
      const reason = last.status === 0 ? 'socket' : code ? code : String(last.status);
      retryReasons[reason] = (retryReasons[reason] ?? 0) + 1;
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
    return { ...last, attempts: 40 };
  };
  log(`burst with a kill: ${people.length} applications with Idempotency-Key…`);
  const burst = await fire(people.length, send);
  const statuses: Record<string, number> = {};
  for (const s of burst.samples) {
    const label = s.status === 201 ? '201' : `${s.status} ${errorCode(s.body) ?? ''}`.trim();
    statuses[label] = (statuses[label] ?? 0) + 1;
  }
  // 409 already_applied: the first attempt applied, its answer was lost with the process and
  // its key's lease ran out; the retry found the application there. Counted as applied.
  const unanswered = burst.samples.filter(
    (s) => s.status !== 201 && !(s.status === 409 && errorCode(s.body) === 'already_applied'),
  ).length;
  return {
    killed: victim.name,
    killedAfterAnswers: killedAt,
    answers: statuses,
    retries: retryReasons,
    requestsRetried: burst.samples.filter((s) => s.attempts > 1).length,
    unanswered,
    seconds: Number(burst.seconds.toFixed(2)),
    ...(await invariants(programId, people.length)),
  };
}

try {
  await main();
} catch (error) {
  summary.error = error instanceof Error ? error.message : String(error);
  log(`scale-test failed: ${summary.error}`);
} finally {
  agent.destroy();
  console.log(JSON.stringify(summary, null, 2));
  tearDown();
  process.exit(summary.ok ? 0 : 1);
}
