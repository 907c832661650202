// Bulk enrolment (issue 10): N businesses enrolled in one POST /programs/{id}/applications/bulk,
// against the real server on 127.0.0.1, on each engine. The anchor, measured in the same run on
// the same engine: the same N businesses as single POST /programs/{id}/applications, one after
// another, to a twin program. Prints the time and the time per business of each, their ratio,
// and checks that the two programs end the same (each business the same status, capacity and
// quotas exactly full).
//
//   npm run bench -- bulk-enrolment --count 1000 [--engine both|postgres|pglite] [--keep]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { rowsOf } from '../src/db/sql-rows.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { buildServer } from '../src/server.ts';
import { bulkBusinesses } from '../src/testing/bulk.ts';
import {
  closeBenchDatabase,
  describeMachine,
  type Engine,
  ensureBenchOfficer,
  log,
  openBenchDatabase,
} from './lib/database.ts';
import { httpRequest } from './lib/http.ts';
import { loadAverage, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    engine: { type: 'string', default: 'both' },
    keep: { type: 'boolean', default: false },
  },
});

const count = Number(args.count);
if (!Number.isInteger(count) || count < 10 || count > 2000) throw new Error('--count 10..2000 (one request)');
const engines: Engine[] =
  args.engine === 'both' ? ['pglite', 'postgres'] : [args.engine === 'pglite' ? 'pglite' : 'postgres'];

// Room for three in five, split between two kecamatan: the batch fills both quotas mid-way.
const capacity = Math.floor((count * 3) / 5);
const quotas = [
  { kecamatan: '62.71.02', quota: Math.floor(capacity / 2) },
  { kecamatan: '62.71.05', quota: capacity - Math.floor(capacity / 2) },
];

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

type Row = { engine: Engine; bulkS: number; singleS: number; checks: { what: string; ok: boolean }[] };

async function runOn(engine: Engine): Promise<Row> {
  const bench = await openBenchDatabase(engine, { prefix: 'pulih_bench_bulk_' });
  const ctx = await createAppContext(bench.database);
  try {
    log(`${engine}: ${await describeMachine(ctx, engine)}`);
    log(`${engine}: registering ${count} businesses…`);
    const crowd = await bulkBusinesses(ctx.db, count + 10, {
      regionCodes: ['62.71.02.1004', '62.71.05.1001'],
    });
    const warm = crowd.slice(count);
    const businesses = crowd.slice(0, count);
    const { user } = await ensureBenchOfficer(ctx);
    const auth = { authorization: `Bearer ${await createApiToken(ctx.db, user.id, 'bench')}` };
    const app = await buildServer(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const request = (method: 'POST', path: string, body: unknown) =>
      httpRequest(agent, port, { method, path, headers: auth, body, timeoutMs: 600_000 });
    try {
      const createProgram = async (name: string) => {
        const res = await request('POST', '/api/v1/programs', {
          name,
          type: 'training',
          capacity,
          startDate: '2020-08-24',
          endDate: '2020-08-28',
          eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
          quotas,
        });
        if (res.status !== 201) throw new Error(`program: ${res.status} ${res.body}`);
        return (JSON.parse(res.body) as { id: string }).id;
      };
      log(`${engine}: warming up…`);
      const warmProgram = await createProgram('Warm-up');
      for (const b of warm.slice(0, 5))
        await request('POST', `/api/v1/programs/${warmProgram}/applications`, { businessId: b.id });
      await request('POST', `/api/v1/programs/${warmProgram}/applications/bulk`, {
        businessIds: warm.slice(5).map((b) => b.id),
      });

      const bulkProgram = await createProgram('Pelatihan Rotan (bulk)');
      const singleProgram = await createProgram('Pelatihan Rotan (single)');
      log(`${engine}: one bulk request of ${count}…`);
      let t0 = performance.now();
      const res = await request('POST', `/api/v1/programs/${bulkProgram}/applications/bulk`, {
        businessIds: businesses.map((b) => b.id),
      });
      const bulkS = (performance.now() - t0) / 1000;
      if (res.status !== 200) throw new Error(`bulk: ${res.status} ${res.body.slice(0, 300)}`);
      log(`${engine}: anchor, ${count} single applications one after another…`);
      t0 = performance.now();
      let singleErrors = 0;
      for (const b of businesses) {
        const one = await request('POST', `/api/v1/programs/${singleProgram}/applications`, {
          businessId: b.id,
        });
        if (one.status !== 201) singleErrors++;
      }
      const singleS = (performance.now() - t0) / 1000;

      const statuses = async (programId: string) =>
        rowsOf<{ business_id: string; status: string }>(
          await ctx.db.execute(
            sql`select business_id, status from applications where program_id = ${programId} order by business_id`,
          ),
        );
      const [viaBulk, viaSingle] = [await statuses(bulkProgram), await statuses(singleProgram)];
      const seats = rowsOf<{ id: string; enrolled_count: number; taken: number }>(
        await ctx.db.execute(sql`select p.id, p.enrolled_count,
          (select sum(taken) from program_quotas q where q.program_id = p.id)::int as taken
          from programs p where p.id in (${bulkProgram}, ${singleProgram})`),
      );
      const results = (JSON.parse(res.body) as { results: { status: string }[] }).results;
      const checks = [
        { what: `one result per business (${count})`, ok: results.length === count },
        { what: 'every single application answered 201', ok: singleErrors === 0 },
        {
          what: 'each business the same status either way',
          ok:
            viaBulk.length === count &&
            viaBulk.every(
              (r, i) => r.status === viaSingle[i]?.status && r.business_id === viaSingle[i]?.business_id,
            ),
        },
        {
          what: `capacity (${capacity}) and both quotas exactly full in both programs`,
          ok:
            seats.length === 2 &&
            seats.every((s) => Number(s.enrolled_count) === capacity && Number(s.taken) === capacity),
        },
      ];
      return { engine, bulkS, singleS, checks };
    } finally {
      await app.close();
    }
  } finally {
    await closeBenchDatabase(bench, args.keep);
  }
}

const loadBefore = loadAverage();
const rows: Row[] = [];
for (const engine of engines) rows.push(await runOn(engine));
agent.destroy();

console.log(
  `\nBulk enrolment — ${count.toLocaleString('en')} businesses, ${capacity} seats (quotas ${quotas.map((q) => q.quota).join(' + ')})`,
);
console.log(`load average before / after: ${loadBefore} / ${loadAverage()}\n`);
printTable(
  ['engine', 'bulk s', 'ms/business', 'single s (anchor)', 'ms/business', 'ratio single/bulk'],
  rows.map((r) => [
    r.engine,
    r.bulkS.toFixed(2),
    ((r.bulkS * 1000) / count).toFixed(2),
    r.singleS.toFixed(2),
    ((r.singleS * 1000) / count).toFixed(2),
    `${(r.singleS / r.bulkS).toFixed(2)}×`,
  ]),
);
console.log('\ninvariants:');
for (const r of rows)
  for (const c of r.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${r.engine}: ${c.what}`);
process.exitCode = rows.some((r) => r.checks.some((c) => !c.ok)) ? 1 : 0;
