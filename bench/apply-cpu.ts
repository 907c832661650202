// What one application costs the application server: Node CPU time (process.cpuUsage) and
// round trips to the database, over N applications sent one after another through
// `app.inject` (no sockets, no concurrency: the request's own work only), against GET /health
// measured the same way in the same run. The burst's throughput on one process is bounded by
// this figure (1 s / CPU per application), whatever the database does.
//
//   npm run bench -- apply-cpu [--applications 300] [--engine postgres|pglite]
//
// Round trips are counted on node-postgres' Client.query (PostgreSQL) or PGlite's
// query/exec (PGlite); both officer API and public form are measured, each on its own
// 30-seat program (so most applications are waitlisted, as in a burst).
//
// --statements (PostgreSQL): also each statement an application sends, with the CPU time its
// backend spent on it (parse, plan, execution and the protocol), read from the backend's
// /proc/<pid>/schedstat (nanoseconds) before the statement is sent and after its answer came
// back; one statement runs at a time here, so the backend did nothing else in between.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createAppContext } from '../src/app/app-context.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { buildServer } from '../src/server.ts';
import { bulkBusinesses } from '../src/testing/bulk.ts';
import { createBurstProgram } from './lib/burst.ts';
import {
  describeMachine,
  dropDatabase,
  engineOf,
  ensureBenchOfficer,
  log,
  openBenchDatabase,
} from './lib/database.ts';
import { loadAverage } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '300' },
    engine: { type: 'string', default: 'postgres' },
    keep: { type: 'boolean', default: false },
    // measures (and profiles) the officer API only
    'officer-only': { type: 'boolean', default: false },
    // writes a CPU profile (.cpuprofile) of the officer and public runs to this file's name
    profile: { type: 'string' },
    statements: { type: 'boolean', default: false },
  },
});
const count = Number(args.applications);
const engine = engineOf(args.engine);
if (!Number.isInteger(count) || count < 31 || count > 20_000) throw new Error('--applications 31..20000');

// Counting round trips: every query the driver sends.
let roundTrips = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...rest: Parameters<typeof pgQuery>) {
  roundTrips++;
  if (args.statements) return sendMeasured(this, rest);
  return pgQuery.apply(this, rest);
} as typeof pgQuery;

// Per statement shape (its text, whitespace collapsed, cut): how often it was sent and its
// backend's CPU time in total, while `statementsOn`.
const statements = new Map<string, { count: number; cpuNs: number }>();
let statementsOn = false;

function backendCpuNs(client: pg.Client): number {
  const pid = (client as unknown as { processID: number | null }).processID;
  if (!pid) return Number.NaN;
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

function shapeOf(rest: unknown[]): string {
  const first = rest[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '?');
  return text.replace(/\s+/g, ' ').trim().slice(0, 110);
}

function sendMeasured(client: pg.Client, rest: unknown[]) {
  const shape = shapeOf(rest);
  const before = backendCpuNs(client);
  const record = () => {
    if (!statementsOn) return;
    const seen = statements.get(shape) ?? { count: 0, cpuNs: 0 };
    seen.count++;
    seen.cpuNs += backendCpuNs(client) - before;
    statements.set(shape, seen);
  };
  const last = rest.at(-1);
  if (typeof last === 'function') {
    const callback = last as (...a: unknown[]) => void;
    const recorded = [
      ...rest.slice(0, -1),
      (...a: unknown[]) => {
        record();
        callback(...a);
      },
    ];
    return (pgQuery as (...a: unknown[]) => unknown).apply(client, recorded);
  }
  const result = (pgQuery as (...a: unknown[]) => unknown).apply(client, rest);
  if (result instanceof Promise) return result.finally(record);
  return result;
}
const liteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...rest: Parameters<typeof liteQuery>) {
  roundTrips++;
  return liteQuery.apply(this, rest);
} as typeof liteQuery;
const liteExec = PGlite.prototype.exec;
PGlite.prototype.exec = function (this: PGlite, ...rest: Parameters<typeof liteExec>) {
  roundTrips++;
  return liteExec.apply(this, rest);
} as typeof liteExec;

// The public form's limit (5 a minute per IP and NIK) would stop the run from one address.
process.env.PULIH_PUBLIC_APPLY_PER_MINUTE = String(count * 10);

function takeStatements() {
  const taken = [...statements].sort((a, b) => b[1].cpuNs - a[1].cpuNs);
  statements.clear();
  return taken;
}

const { database, name: dbName } = await openBenchDatabase(engine, { prefix: 'pulih_bench_applycpu_' });
const ctx = await createAppContext(database);
try {
  const machine = await describeMachine(ctx, engine);
  log(`machine: ${machine}`);
  log(`registering ${2 * count + 40} businesses…`);
  const businesses = await bulkBusinesses(ctx.db, 2 * count + 40, {
    regionCodes: ['62.71.02.1004', '62.71.05.1001'],
  });
  const { user } = await ensureBenchOfficer(ctx);
  const token = await createApiToken(ctx.db, user.id, 'bench');
  const auth = { authorization: `Bearer ${token}` };
  const app = await buildServer(ctx);
  await app.ready();
  try {
    const post = async (url: string, body: unknown, headers: Record<string, string> = auth) => {
      const res = await app.inject({ method: 'POST', url, headers, payload: body as object });
      return { status: res.statusCode, body: res.body };
    };
    const officer = (programId: string, b: (typeof businesses)[number]) =>
      post(`/api/v1/programs/${programId}/applications`, { businessId: b.id });
    const publicForm = (programId: string, b: (typeof businesses)[number]) =>
      post(`/api/v1/public/programs/${programId}/applications`, { nik: b.nik, phone: b.phone }, {});
    const health = () =>
      app.inject({ method: 'GET', url: '/health' }).then((r) => ({ status: r.statusCode, body: r.body }));

    // Runs `n` requests one after another; CPU and round trips per request.
    async function measure(n: number, send: (i: number) => Promise<{ status: number; body: string }>) {
      const trips = roundTrips;
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await send(i);
        if (res.status !== 201 && res.status !== 200)
          throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
      }
      const used = process.cpuUsage(cpu);
      return {
        cpuMs: (used.user + used.system) / 1000 / n,
        wallMs: (performance.now() - t0) / n,
        trips: (roundTrips - trips) / n,
      };
    }

    const warm = businesses.slice(2 * count, 2 * count + 40);
    const warmProgram = await createBurstProgram((p, b) => post(p, b), 'Warm-up');
    await measure(20, (i) => officer(warmProgram, warm[i]!));
    await measure(20, (i) => publicForm(warmProgram, warm[20 + i]!));
    await measure(200, health);

    const loadBefore = loadAverage();
    const officerProgram = await createBurstProgram((p, b) => post(p, b), 'CPU (officer)');
    const publicProgram = await createBurstProgram((p, b) => post(p, b), 'CPU (public)');
    const anchor = await measure(count, health);
    const profiler = args.profile ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    statementsOn = true;
    const o = await measure(count, (i) => officer(officerProgram, businesses[i]!));
    const officerStatements = takeStatements();
    const p = args['officer-only']
      ? { cpuMs: Number.NaN, wallMs: Number.NaN, trips: Number.NaN }
      : await measure(count, (i) => publicForm(publicProgram, businesses[count + i]!));
    const publicStatements = takeStatements();
    statementsOn = false;
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(`${args.profile}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
    }
    const loadAfter = loadAverage();

    const row = (name: string, m: typeof o) =>
      `${name.padEnd(26)} ${m.cpuMs.toFixed(2).padStart(8)} ${m.wallMs.toFixed(2).padStart(8)} ${m.trips.toFixed(1).padStart(6)} ${(m.cpuMs / anchor.cpuMs).toFixed(1).padStart(7)}×`;
    console.log(`\nCPU per application — ${count} sequential requests each, ${engine}`);
    console.log(`machine: ${machine}`);
    console.log(`load average before / after: ${loadBefore} / ${loadAfter}\n`);
    console.log('                           CPU ms  wall ms  trips  vs anchor');
    console.log(row('anchor: GET /health', anchor));
    console.log(row('officer API', o));
    console.log(row('public form', p));
    if (args.statements)
      for (const [name, taken] of [
        ['officer API', officerStatements],
        ['public form', publicStatements],
      ] as const) {
        const total = taken.reduce((sum, [, t]) => sum + t.cpuNs, 0);
        console.log(`\n${name}: statements per application, backend CPU per application (ms)`);
        console.log(`  all ${(total / 1e6 / count).toFixed(3).padStart(7)} ms`);
        for (const [shape, t] of taken)
          console.log(
            `  ${(t.count / count).toFixed(2).padStart(5)} × ${(t.cpuNs / 1e6 / count).toFixed(3).padStart(7)} ms  ${shape}`,
          );
      }
    console.log(
      `\nbound on one process: officer ${(1000 / o.cpuMs).toFixed(0)}/s, public ${(1000 / p.cpuMs).toFixed(0)}/s (1 s / CPU per application)`,
    );
  } finally {
    await app.close();
  }
} finally {
  await database.close();
  if (dbName && !args.keep) await dropDatabase(dbName);
}
