// Name search at scale by the CPU time it costs the database, a figure that other work on the
// machine does not inflate the way it inflates latencies (issue 14 point 3). On a registry
// filled by the registry-list benchmark, each search term of that benchmark's mix runs through
// the list query of the registry (both sides, as GET /businesses?q= runs it) `--runs` times
// from one client; the CPU time of the database's backends comes from /proc (so PostgreSQL
// must run on this machine), the anchor is the list's first page measured the same way.
// Parallel workers are switched off for these connections, so that all the work is in the
// backends measured.
//
//   npm run bench -- registry-list --businesses 1000000 --reuse registry_1m --seconds 10
//   npm run bench -- name-search-cpu --reuse registry_1m [--runs 20]
import { parseArgs } from 'node:util';
import { createAppContext } from '../src/app/app-context.ts';
import { openDatabase } from '../src/db/client.ts';
import { nameSearchQuery } from '../src/domain/name-search.ts';
import { listBusinesses } from '../src/modules/businesses/businesses.queries.ts';
import { backendCpuMs, clockTicksMs, databaseUrl, log } from './lib/database.ts';
import { loadAverage, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: { reuse: { type: 'string' }, runs: { type: 'string', default: '20' } },
});
const runs = Number(args.runs);
if (!args.reuse || !/^[a-z0-9_]+$/.test(args.reuse))
  throw new Error('--reuse DBNAME (filled by registry-list)');
if (!(runs >= 1 && runs <= 1000)) throw new Error('--runs 1..1000');

process.env.PGOPTIONS = `${process.env.PGOPTIONS ?? ''} -c max_parallel_workers_per_gather=0`.trim();
const database = openDatabase({ databaseUrl: databaseUrl(args.reuse) });
const ctx = await createAppContext(database);

// The same terms as the registry-list benchmark's name searches.
const terms = [
  'siti saputra',
  'berkah jaya',
  'anyaman rotan',
  'yohanes tingang',
  'dodol',
  'kenanga mulia',
  'rahmawati ngabe',
  'zzqx',
];

const page = { limit: 50, after: null };
const kinds: [string, () => Promise<unknown>][] = [
  ['anchor: list, first page', () => listBusinesses(ctx.db, {}, {}, page)],
  ...terms.map((term): [string, () => Promise<unknown>] => [
    `search "${term}"`,
    () => listBusinesses(ctx.db, {}, { nameQuery: nameSearchQuery(term) ?? '' }, page),
  ]),
];
try {
  log('warming up…');
  for (const [, run] of kinds) for (let i = 0; i < 3; i++) await run();
  const loadBefore = loadAverage();
  const rows: string[][] = [];
  let anchor = 0;
  let searches = 0;
  for (const [kind, run] of kinds) {
    const before = await backendCpuMs(ctx.db);
    const started = performance.now();
    for (let i = 0; i < runs; i++) await run();
    const cpu = ((await backendCpuMs(ctx.db)) - before) / runs;
    const wall = (performance.now() - started) / runs;
    if (kind.startsWith('anchor')) anchor = cpu;
    else searches += cpu;
    rows.push([kind, cpu.toFixed(1), wall.toFixed(1)]);
  }
  const mean = searches / terms.length;
  console.log(`\nName search: database CPU per request, ${runs} runs each, one client, parallel workers off`);
  console.log(`load average before / after: ${loadBefore} / ${loadAverage()}\n`);
  printTable(['kind', 'database CPU ms', 'wall ms'], rows);
  console.log(
    `\nmean over the searches: ${mean.toFixed(1)} ms of database CPU, ${(mean / Math.max(anchor, clockTicksMs / runs)).toFixed(1)}× the first page of the list (${anchor.toFixed(1)} ms)`,
  );
} finally {
  await database.close();
}
