// A sign-up burst: N applications sent at once over HTTP to a 30-seat program with two
// kecamatan quotas (62.71.02: 15, 62.71.05: 15), against the real server on 127.0.0.1.
// Prints throughput and p50/p95/p99 latency, checks the invariants (exactly 30 enrolled, each
// quota exactly full, N − 30 waitlisted), and compares with an anchor measured in the same
// run: the same number of GET /health requests at the same concurrency (ratio of p99s).
//
//   npm run bench -- applications --applications 1000 [--engine postgres|pglite]
//     [--clients 100] [--public] [--client process|inline] [--keep] [--profile FILE] [--warm-pool]
//
// --client: where the requests are sent from. `process` (the default) is a client process of
// its own (bench/lib/burst-client.ts), so the server's thread does only the server's work;
// `inline`, the bench's own process, as before 2026-12-07 (the figures in docs/benchmarks.md
// before "apply-lean"). The anchor and the applications are always sent the same way.
// --clients bounds the requests in flight (sockets); --public sends them through the public
// form (NIK + phone, no account) instead of an officer's API token, with the rate limit lifted.
// --profile: a CPU profile of the server's process during the burst only (not the setup), in
// Chrome's .cpuprofile format, sampled every 100 µs.
// --warm-pool: the warm-up sends 200 applications at the burst's concurrency instead of 20 one
// after another, so the burst starts with every connection of the pool open and its backend's
// caches and plans made (by default the pool opens its connections during the burst, and their
// start counts in the backends' CPU).
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { rowsOf } from '../src/db/sql-rows.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { buildServer } from '../src/server.ts';
import { bulkBusinesses } from '../src/testing/bulk.ts';
import { burstCapacity, createBurstProgram } from './lib/burst.ts';
import { type BurstRequest, fireBurst, startBurstClient } from './lib/burst-client.ts';
import {
  describeMachine,
  dropDatabase,
  engineOf,
  ensureBenchOfficer,
  log,
  openBenchDatabase,
} from './lib/database.ts';
import { httpRequest } from './lib/http.ts';
import { loadAverage, percentile } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '1000' },
    engine: { type: 'string', default: 'postgres' },
    clients: { type: 'string', default: '100' },
    public: { type: 'boolean', default: false },
    client: { type: 'string', default: 'process' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'warm-pool': { type: 'boolean', default: false },
  },
});
if (args.client !== 'process' && args.client !== 'inline') throw new Error('--client process|inline');

const count = Number(args.applications);
const clients = Number(args.clients);
const engine = engineOf(args.engine);
const viaPublic = args.public;
if (!Number.isInteger(count) || count < 31 || count > 100_000) throw new Error('--applications 31..100000');
if (!Number.isInteger(clients) || clients < 1 || clients > 1000) throw new Error('--clients 1..1000');

const capacity = burstCapacity;

// ---------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

const request = (
  port: number,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) => httpRequest(agent, port, { method, path, headers, body, timeoutMs: 120_000 });

const client = args.client === 'process' ? startBurstClient(clients, 120_000) : null;

// Every request of `requests` at once, at most `clients` in flight, from the client process or
// from this one.
// `cpuMs`: this process's CPU time per request over the burst (user + system, all its threads):
// the server's own work, and the client's too when it runs inline. Less moved by the machine's
// load than the latencies are.
async function fire(port: number, requests: BurstRequest[]) {
  const cpu = process.cpuUsage();
  const burst = await (client
    ? client.fire(port, requests)
    : fireBurst(requests, (r) => request(port, r.method, r.path, r.headers, r.body)));
  const used = process.cpuUsage(cpu);
  return { ...burst, cpuMs: (used.user + used.system) / 1000 / requests.length };
}

// CPU time (ms) of each PostgreSQL backend serving this database, read from /proc: the server
// runs on this machine (127.0.0.1). Empty on PGlite, whose work is this process's own.
async function backendCpu(): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (engine !== 'postgres') return cpu;
  const backends = rowsOf<{ pid: number }>(
    await ctx.db.execute(
      // the reading's own backend too: it is one of the pool's, and serves the burst as well
      sql`select pid from pg_stat_activity where datname = current_database()`,
    ),
  );
  for (const { pid } of backends) {
    try {
      // schedstat's first field: time on the CPU in nanoseconds (stat's utime and stime count
      // 10 ms ticks, which over a dozen backends blurred the figure by ±0.2 ms an application)
      cpu.set(Number(pid), Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // a backend that ended in between, or a server elsewhere
    }
  }
  return cpu;
}

// The database backends' CPU per request between two readings (a backend started in between
// counts from zero); null when none could be read.
function backendCpuPerRequest(before: Map<number, number>, after: Map<number, number>, requests: number) {
  if (after.size === 0) return null;
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms / requests;
}

function summary(samples: { ms: number }[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms.at(-1) ?? 0 };
}

// ---------------------------------------------------------------- main

// The public form's limit (5 a minute per IP and NIK) would stop a burst from one address.
if (viaPublic) process.env.PULIH_PUBLIC_APPLY_PER_MINUTE = String(count * 10);

const { database, name: dbName } = await openBenchDatabase(engine, { prefix: 'pulih_bench_apps_' });
const ctx = await createAppContext(database);
let failed = false;
try {
  const machine = await describeMachine(ctx, engine);
  log(`machine: ${machine}`);

  const warmCount = args['warm-pool'] ? 200 : 20;
  log(`registering ${count + warmCount} businesses…`);
  const businesses = await bulkBusinesses(ctx.db, count + warmCount, {
    regionCodes: ['62.71.02.1004', '62.71.05.1001'],
  });
  const warmUp = businesses.slice(count);
  const crowd = businesses.slice(0, count);

  const { user } = await ensureBenchOfficer(ctx);
  const token = await createApiToken(ctx.db, user.id, 'bench');
  const auth = { authorization: `Bearer ${token}` };

  const app = await buildServer(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  try {
    const createProgram = (name: string) =>
      createBurstProgram((path, body) => request(port, 'POST', path, auth, body), name);
    const application = (programId: string, b: (typeof businesses)[number]): BurstRequest =>
      viaPublic
        ? {
            method: 'POST',
            path: `/api/v1/public/programs/${programId}/applications`,
            headers: {},
            body: { nik: b.nik, phone: b.phone },
          }
        : {
            method: 'POST',
            path: `/api/v1/programs/${programId}/applications`,
            headers: auth,
            body: { businessId: b.id },
          };
    const apply = (programId: string, b: (typeof businesses)[number]) => {
      const r = application(programId, b);
      return request(port, r.method, r.path, r.headers, r.body);
    };
    const health: BurstRequest = { method: 'GET', path: '/health', headers: {} };

    log('warming up…');
    const warmProgram = await createProgram('Warm-up');
    if (args['warm-pool'])
      await fire(
        port,
        warmUp.map((b) => application(warmProgram, b)),
      );
    else for (const b of warmUp) await apply(warmProgram, b);
    for (let i = 0; i < 50; i++) await request(port, 'GET', '/health', {});
    // the client process's own warm-up (its sockets, its compiled code), the same for both
    await fire(
      port,
      Array.from({ length: 200 }, () => health),
    );

    const programId = await createProgram('Pelatihan Proses Produksi Berbahan Dasar Rotan (bench)');
    log(`burst: ${count} applications, at most ${clients} in flight…`);
    const loadBefore = loadAverage();
    const backendsBefore = await backendCpu();
    const profiler = args.profile ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
    }
    const burst = await fire(
      port,
      crowd.map((b) => application(programId, b)),
    );
    if (profiler && args.profile) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(args.profile, JSON.stringify(profile));
      profiler.disconnect();
    }
    const backendsAfter = await backendCpu();
    const backendMs = backendCpuPerRequest(backendsBefore, backendsAfter, count);
    const started = new Map([...backendsAfter].filter(([pid]) => !backendsBefore.has(pid)));
    log(`anchor: ${count} × GET /health, at most ${clients} in flight…`);
    const anchor = await fire(
      port,
      Array.from({ length: count }, () => health),
    );
    const loadAfter = loadAverage();

    // ---- invariants, read from the database
    const [program] = rowsOf<{ enrolled_count: number }>(
      await ctx.db.execute(sql`select enrolled_count from programs where id = ${programId}`),
    );
    const taken = rowsOf<{ kecamatan_code: string; taken: number; quota: number }>(
      await ctx.db.execute(
        sql`select kecamatan_code, taken, quota from program_quotas where program_id = ${programId} order by 1`,
      ),
    );
    const byStatus = rowsOf<{ status: string; n: number }>(
      await ctx.db.execute(
        sql`select status, count(*)::int as n from applications where program_id = ${programId} group by 1`,
      ),
    );
    const statusCount = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
    const errors = burst.samples.filter((s) => s.status !== 201 && s.status !== 200);
    const checks = [
      { what: 'every application answered 201', ok: errors.length === 0, seen: `${errors.length} errors` },
      {
        what: `enrolled = ${capacity}`,
        ok: statusCount('enrolled') === capacity,
        seen: statusCount('enrolled'),
      },
      {
        what: `program.enrolled_count = ${capacity}`,
        ok: Number(program?.enrolled_count) === capacity,
        seen: program?.enrolled_count,
      },
      {
        what: 'each quota exactly full (15/15)',
        ok: taken.length === 2 && taken.every((q) => Number(q.taken) === Number(q.quota)),
        seen: taken.map((q) => `${q.kecamatan_code}: ${q.taken}/${q.quota}`).join(', '),
      },
      {
        what: `waitlisted = ${count - capacity}`,
        ok: statusCount('waitlisted') === count - capacity,
        seen: statusCount('waitlisted'),
      },
    ];
    failed = checks.some((c) => !c.ok);

    const a = summary(burst.samples);
    const h = summary(anchor.samples);
    const f = (n: number) => n.toFixed(1).padStart(8);
    console.log(
      `\nApplication burst — ${count.toLocaleString('en')} applications, ${clients} in flight, 30 seats (quotas 15 + 15)`,
    );
    console.log(`path: ${viaPublic ? 'public form (NIK + phone)' : 'officer API (Bearer token)'}`);
    console.log(`client: ${client ? 'a process of its own' : "in the server's process"}`);
    console.log(`machine: ${machine}`);
    console.log(`load average before / after: ${loadBefore} / ${loadAfter}\n`);
    console.log('                         req/s   p50 ms   p95 ms   p99 ms   max ms');
    console.log(
      `applications          ${(count / burst.seconds).toFixed(0).padStart(7)} ${f(a.p50)} ${f(a.p95)} ${f(a.p99)} ${f(a.max)}`,
    );
    console.log(
      `anchor: GET /health   ${(count / anchor.seconds).toFixed(0).padStart(7)} ${f(h.p50)} ${f(h.p95)} ${f(h.p99)} ${f(h.max)}`,
    );
    console.log(
      `\nthroughput: ${(count / burst.seconds).toFixed(0)} applications/s (${burst.seconds.toFixed(2)} s for the burst); ` +
        `p99 ratio to the anchor: ${(a.p99 / h.p99).toFixed(1)}×`,
    );
    console.log(
      `${client ? 'server' : 'server + client'} process CPU per request: applications ${burst.cpuMs.toFixed(2)} ms, ` +
        `anchor ${anchor.cpuMs.toFixed(2)} ms (${(burst.cpuMs / anchor.cpuMs).toFixed(1)}×)`,
    );
    if (backendMs !== null) console.log(`database backends' CPU per application: ${backendMs.toFixed(2)} ms`);
    // A backend the pool opened during the burst counts from its start (connection, its caches, its
    // first plans): a cost of a cold pool, not of an application.
    if (backendMs !== null)
      console.log(
        `  of which backends started during the burst: ${started.size} of ${backendsAfter.size}, ` +
          `${(backendCpuPerRequest(new Map(), started, count) ?? 0).toFixed(2)} ms per application`,
      );
    console.log('\ninvariants:');
    for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what} (seen: ${c.seen})`);
    if (errors.length > 0)
      console.log(`  first error: ${errors[0]!.status} ${errors[0]!.body.slice(0, 300)}`);
  } finally {
    await app.close();
  }
} finally {
  client?.close();
  agent.destroy();
  await database.close();
  if (dbName && !args.keep) await dropDatabase(dbName);
}
process.exitCode = failed ? 1 : 0;
