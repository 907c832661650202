// A combination of list filters at scale by the CPU time it costs the database, a figure that
// other work on the machine does not inflate the way it inflates latencies (issue 14 point 3).
// On a registry filled by the registry-list benchmark, every request that benchmark's "filter
// combination" kind draws (5 kecamatan × 8 KBLI × 4 sizes, active and hit by Covid) runs
// through the list query of the registry `--runs` times from one client; the CPU time of the
// database's backends comes from /proc (so PostgreSQL must run on this machine), the anchor is
// the list's first page measured the same way. Parallel workers are switched off, so that all
// the work is in the backends measured. The slowest combinations are named with their times.
//
//   npm run bench -- registry-list --businesses 1000000 --reuse registry_1m --seconds 10
//   npm run bench -- filter-combination-cpu --reuse registry_1m [--runs 3]
import { parseArgs } from 'node:util';
import { createAppContext } from '../src/app/app-context.ts';
import { openDatabase } from '../src/db/client.ts';
import type { BusinessSize } from '../src/domain/business-size.ts';
import { trades } from '../src/lib/synthetic.ts';
import { listBusinesses } from '../src/modules/businesses/businesses.queries.ts';
import { backendCpuMs, databaseUrl, log } from './lib/database.ts';
import { loadAverage, percentile, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: { reuse: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(args.runs);
if (!args.reuse || !/^[a-z0-9_]+$/.test(args.reuse))
  throw new Error('--reuse DBNAME (filled by registry-list)');
if (!(runs >= 1 && runs <= 100)) throw new Error('--runs 1..100');

process.env.PGOPTIONS = `${process.env.PGOPTIONS ?? ''} -c max_parallel_workers_per_gather=0`.trim();
const database = openDatabase({ databaseUrl: databaseUrl(args.reuse) });
const ctx = await createAppContext(database);

// The registry-list benchmark's combinations.
const kecamatan = ['62.71.01', '62.71.02', '62.71.03', '62.71.04', '62.71.05'];
const kbli = trades.slice(0, 8).map((t) => t[0]);
const sizes: BusinessSize[] = ['mikro', 'kecil', 'menengah', 'besar'];
const combinations = sizes.flatMap((size) =>
  kecamatan.flatMap((k) =>
    kbli.map((code) => ({
      label: `${size} ${k} ${code}`,
      criteria: { kecamatan: k, kbli: code, size, status: 'aktif' as const, covidImpacted: true },
    })),
  ),
);

const page = { limit: 50, after: null };
try {
  log('warming up…');
  for (const c of combinations) await listBusinesses(ctx.db, {}, c.criteria, page);
  const loadBefore = loadAverage();
  const firstPageBefore = await backendCpuMs(ctx.db);
  for (let i = 0; i < runs * 20; i++) await listBusinesses(ctx.db, {}, {}, page);
  const firstPage = ((await backendCpuMs(ctx.db)) - firstPageBefore) / (runs * 20);
  const before = await backendCpuMs(ctx.db);
  const walls: { label: string; ms: number }[] = [];
  for (let i = 0; i < runs; i++) {
    for (const c of combinations) {
      const started = performance.now();
      await listBusinesses(ctx.db, {}, c.criteria, page);
      walls.push({ label: c.label, ms: performance.now() - started });
    }
  }
  const cpu = ((await backendCpuMs(ctx.db)) - before) / (runs * combinations.length);
  const sorted = walls.map((w) => w.ms).sort((a, b) => a - b);
  console.log(
    `\nFilter combinations: ${combinations.length} combinations × ${runs} runs, one client, parallel workers off`,
  );
  console.log(`load average before / after: ${loadBefore} / ${loadAverage()}\n`);
  printTable(
    ['measure', 'ms'],
    [
      ['database CPU per combination', cpu.toFixed(2)],
      ['database CPU per first page (anchor)', firstPage.toFixed(2)],
      ['wall p50', percentile(sorted, 50).toFixed(1)],
      ['wall p95', percentile(sorted, 95).toFixed(1)],
      ['wall max', (sorted.at(-1) ?? 0).toFixed(1)],
    ],
  );
  console.log('\nslowest (wall ms):');
  for (const w of [...walls].sort((a, b) => b.ms - a.ms).slice(0, 5))
    console.log(`  ${w.label}: ${w.ms.toFixed(1)}`);
} finally {
  await database.close();
}
