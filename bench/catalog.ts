// Catalogue search at scale: N approved products (a quarter as many businesses), 20 concurrent
// clients mixing the query kinds of issue 11 (word, word form, typo, place, several words,
// facets, browse, category), p95 per kind against an authenticated `SELECT 1` through the same
// HTTP stack in the same run; then the same mix with one client. Relevance: precision at 5 on
// the fixed query set (bench/catalog-queries.json), measured on the fixture catalogue alone
// before the synthetic products go in.
//
//   npm run bench -- catalog --products 100000 [--engine postgres|pglite] [--clients 20]
//     [--seconds 60] [--requests 20000] [--single 600] [--cpu 40] [--keep] [--reuse NAME]
//
// --reuse NAME runs on that PostgreSQL database, filled by an earlier --keep run (whose name it
// printed) when it exists: no fill, no precision (its catalogue is not the fixture's alone).
//
// Last, the CPU time a request of each kind costs (--cpu requests of each, one at a time, in
// process): this process's CPU plus, on a PostgreSQL server on this machine, that of the
// database's backends (/proc/<pid>/schedstat). Unlike latencies, it hardly moves with the
// load other work puts on the machine.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { queryRow, queryRows } from '../src/db/sql-rows.ts';
import { precisionAt } from '../src/domain/catalog-search.ts';
import { productCategories } from '../src/domain/enums.ts';
import type { AppContext } from '../src/lib/context.ts';
import { brandWords, familyNames, lcgRandom, picker, womenNames } from '../src/lib/synthetic.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { createBusiness } from '../src/modules/businesses/businesses.service.ts';
import { createProduct } from '../src/modules/catalog/catalog.service.ts';
import { buildServer } from '../src/server.ts';
import { businessBody } from '../src/testing/harness.ts';
import {
  closeBenchDatabase,
  describeMachine,
  engineOf,
  ensureBenchOfficer,
  log,
  openBenchDatabase,
} from './lib/database.ts';
import {
  businessCapital,
  businessColumns,
  businessCovidAndStatus,
  businessTurnover,
  fillInChunks,
  ownerGivenName,
  ownerNik,
  ownerPhone,
  ownerSeries,
  randomOf,
  regionCodes,
  textArray,
} from './lib/registry.ts';
import { loadAverage, percentile, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'postgres' },
    clients: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    requests: { type: 'string', default: '20000' },
    single: { type: 'string', default: '600' },
    cpu: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const productCount = Number(args.products);
const clients = Number(args.clients);
const engine = engineOf(args.engine);
if (!Number.isInteger(productCount) || productCount < 1000) throw new Error('--products must be ≥ 1000');

type Fixture = {
  products: {
    name: string;
    description: string;
    category: string;
    business: string;
    region: string;
    price: number;
  }[];
  queries: { kind: string; q: string; first?: string; relevant: string[] }[];
};
const fixture = JSON.parse(
  readFileSync(new URL('./catalog-queries.json', import.meta.url), 'utf8'),
) as Fixture;

// ---------------------------------------------------------------- database

const uuidOf = (tag: string) =>
  `overlay(overlay(md5(${tag} || i) placing '4' from 13) placing '8' from 17)::uuid`;

// Product names as UMKM list them: a thing, often a material, sometimes a motif or a place.
const things = [
  'Tas',
  'Tikar',
  'Keranjang',
  'Topi',
  'Dompet',
  'Kerupuk',
  'Amplang',
  'Kue',
  'Keripik',
  'Sambal',
  'Kopi',
  'Teh',
  'Sirup',
  'Madu',
  'Kain',
  'Kemeja',
  'Gelang',
  'Kalung',
  'Kursi',
  'Meja',
  'Lampu',
  'Vas',
  'Sabun',
  'Minyak',
];
const materials = [
  'Rotan',
  'Purun',
  'Bambu',
  'Pandan',
  'Ikan Haruan',
  'Ikan Pipih',
  'Singkong',
  'Pisang',
  'Kelulut',
  'Batik',
  'Manik',
  'Kayu Ulin',
  'Gambut',
  'Jahe',
  'Kayu Manis',
  'Sasirangan',
  'Lidi',
  'Kelapa',
];
const motifs = [
  'Motif Dayak',
  'Anyaman Halus',
  'Khas Kalteng',
  'Warna Alami',
  'Premium',
  'Mini',
  'Jumbo',
  'Asli',
  'Oleh-oleh',
];
const phrases = [
  'dianyam tangan oleh pengrajin',
  'bahan pilihan',
  'cocok untuk oleh-oleh',
  'tanpa pengawet',
  'dibuat di rumah',
  'tahan lama',
  'pesanan bisa custom',
  'produk binaan dinas',
  'hasil kebun sendiri',
];

async function fill(ctx: AppContext, n: number) {
  const { city } = regionCodes(ctx);
  const businessCount = Math.max(1, Math.floor(n / 4));
  const started = performance.now();
  await fillInChunks(ctx, businessCount, async (from, to) => {
    await ctx.db.execute(
      sql.raw(`insert into people (id, nik, name, sex, birth_date, phone, address)
      select ${uuidOf("'cp'")}, ${ownerNik}, ${ownerGivenName} || ' ' || ${randomOf(familyNames)}, sex::sex, bd,
        ${ownerPhone}, 'Jl. Bench'
      from ${ownerSeries(from, to, '1965-01-01', 3)}`),
    );
    await ctx.db.execute(
      sql.raw(`insert into businesses (${businessColumns})
      select ${uuidOf("'cb'")}, 'bench-catalog-' || i, ${uuidOf("'cp'")},
        ${randomOf(brandWords)} || ' ' || ${randomOf([...brandWords, ...womenNames])}, '13921', 2020, region, left(region, 8),
        ${businessCapital}, ${businessTurnover}, 1, ${businessCovidAndStatus}
      from (select i, random() as r_size, random() as r_covid, random() as r_status, ${randomOf(city)} as region
            from generate_series(${from}, ${to}) as g(i)) s`),
    );
  });
  await fillInChunks(ctx, n, async (from, to) => {
    await ctx.db.execute(
      sql.raw(`insert into products (business_id, name, description, price, unit, category, status, published)
      select ${uuidOf("'cb'").replace(/\bi\b/g, `(i % ${businessCount})`)},
        ${randomOf(things)} || ' ' || ${randomOf(materials)} || case when random() < 0.5 then ' ' || ${randomOf(motifs)} else '' end,
        ${randomOf(phrases)} || ', ' || ${randomOf(phrases)},
        (1 + floor(random() * 200)::int) * 5000, 'buah',
        (${textArray(productCategories)})[1 + floor(random() * ${productCategories.length})::int],
        'approved', true
      from generate_series(${from}, ${to}) as g(i)`),
    );
  });
  for (const table of ['people', 'businesses', 'products', 'catalog_words', 'catalog_lexemes']) {
    await ctx.db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  return (performance.now() - started) / 1000;
}

// The fixture's products, through the service (as an officer adds them: approved).
async function addFixture(ctx: AppContext, actor: Awaited<ReturnType<typeof benchActor>>) {
  const businesses = new Map<string, string>();
  for (const p of fixture.products) {
    let businessId = businesses.get(p.business);
    if (!businessId) {
      const created = await createBusiness(
        ctx,
        actor,
        businessBody({ name: p.business, regionCode: p.region }) as never,
      );
      businessId = (created as { id: string }).id;
      businesses.set(p.business, businessId);
    }
    await createProduct(
      ctx,
      actor,
      { businessId, name: p.name, description: p.description, category: p.category as never, price: p.price },
      '',
    );
  }
}

async function benchActor(ctx: AppContext) {
  const { user, dinas } = await ensureBenchOfficer(ctx);
  return {
    userId: user.id,
    username: 'bench-officer',
    role: 'program_officer' as const,
    organisationId: dinas.id,
    regionCode: null,
    personId: null,
  };
}

// ---------------------------------------------------------------- load

type Sample = { kind: string; ms: number; status: number };
type Kind = { kind: string; weight: number; search: boolean; paths: string[] };

const enc = encodeURIComponent;
const searchPath = (q: string, extra = '') => `/api/v1/catalog/products?q=${enc(q)}${extra}`;
const mix: Kind[] = [
  {
    kind: 'search word',
    weight: 3,
    search: true,
    paths: ['rotan', 'kopi', 'batik', 'madu', 'keranjang', 'sambal'].map((q) => searchPath(q)),
  },
  {
    kind: 'search word form',
    weight: 2,
    search: true,
    paths: ['menganyam', 'anyaman', 'dianyam', 'keripiknya'].map((q) => searchPath(q)),
  },
  {
    kind: 'search typo',
    weight: 2,
    search: true,
    paths: ['rottan', 'tiker', 'anyman', 'kerupk', 'kelulutt'].map((q) => searchPath(q)),
  },
  {
    kind: 'search place',
    weight: 2,
    search: true,
    paths: ['bukit batu', 'tas kalampangan', 'rotan rakumpit', 'kue menteng'].map((q) => searchPath(q)),
  },
  {
    kind: 'search words',
    weight: 2,
    search: true,
    paths: ['tas rotan', 'kerupuk ikan haruan', 'kopi gambut', 'gelang manik dayak'].map((q) =>
      searchPath(q),
    ),
  },
  {
    kind: 'search + facets',
    weight: 2,
    search: true,
    paths: ['rotan', 'tas', 'kopi jahe'].map((q) => searchPath(q, '&facets=true')),
  },
  {
    kind: 'search + filters',
    weight: 1,
    search: true,
    paths: ['tas', 'kopi'].map((q) => searchPath(q, '&category=kerajinan&price=50k-100k')),
  },
  { kind: 'browse first page', weight: 1, search: false, paths: ['/api/v1/catalog/products'] },
  {
    kind: 'browse category',
    weight: 1,
    search: false,
    paths: productCategories.map((c) => `/api/v1/catalog/products?category=${c}`),
  },
  { kind: 'anchor: SELECT 1', weight: 2, search: false, paths: ['/bench/select-1'] },
];

const clientCode = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, token, plan, clients, deadlineMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const started = performance.now();
const samples = [];
let next = 0;
function get(path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const request = http.request({ host: '127.0.0.1', port, path, agent, headers: { authorization: 'Bearer ' + token } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ ms: performance.now() - t0, status: response.statusCode }));
    });
    request.setTimeout(30000, () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
    request.end();
  });
}
async function client() {
  while (next < plan.length && performance.now() - started < deadlineMs) {
    const { kind, path } = plan[next++];
    const r = await get(path);
    samples.push({ kind, ms: r.ms, status: r.status });
  }
}
Promise.all(Array.from({ length: clients }, client)).then(() => {
  agent.destroy();
  parentPort.postMessage({ samples, seconds: (performance.now() - started) / 1000 });
});
`;

function runLoad(port: number, token: string, clientCount: number, requests: number) {
  const deck = mix.flatMap((k) => Array.from({ length: k.weight }, () => k));
  const pick = picker(lcgRandom(4242));
  const plan = Array.from({ length: requests }, () => {
    const kind = pick(deck);
    return { kind: kind.kind, path: pick(kind.paths) };
  });
  const worker = new Worker(clientCode, {
    eval: true,
    workerData: { port, token, plan, clients: clientCount, deadlineMs: Number(args.seconds) * 1000 },
  });
  return new Promise<{ samples: Sample[]; seconds: number }>((resolve, reject) => {
    worker.on('message', (m: { samples: Sample[]; seconds: number }) => resolve(m));
    worker.on('error', reject);
  });
}

function report(title: string, samples: Sample[], seconds: number) {
  const p95Of = (list: Sample[]) =>
    percentile(
      list.map((s) => s.ms).sort((a, b) => a - b),
      95,
    );
  const anchorP95 = p95Of(samples.filter((s) => s.kind === 'anchor: SELECT 1'));
  const searches = samples.filter((s) => mix.find((k) => k.kind === s.kind)?.search);
  const searchP95 = p95Of(searches);
  console.log(
    `\n${title}: ${samples.length} requests in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)} req/s), load average ${loadAverage()}`,
  );
  printTable(
    ['kind', 'n', 'errors', 'p50 ms', 'p95 ms', 'p95 / anchor'],
    mix.map((k) => {
      const mine = samples.filter((s) => s.kind === k.kind);
      const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
      return [
        k.kind,
        String(mine.length),
        String(mine.filter((s) => s.status !== 200).length),
        percentile(ms, 50).toFixed(1),
        percentile(ms, 95).toFixed(1),
        `${(percentile(ms, 95) / anchorP95).toFixed(2)}×`,
      ];
    }),
  );
  console.log(
    `all searches: p95 ${searchP95.toFixed(1)} ms; anchor p95 ${anchorP95.toFixed(1)} ms; ratio ${(searchP95 / anchorP95).toFixed(2)}×`,
  );
}

// ---------------------------------------------------------------- CPU per request

// Nanoseconds on the CPU of each of the database's backends, or null where they cannot be read
// (PGlite runs in this process; a server elsewhere, or no /proc).
async function backendsCpu(ctx: AppContext): Promise<Map<number, number> | null> {
  const times = new Map<number, number>();
  if (engine !== 'postgres') return times;
  const rows = await queryRows<{ pid: number }>(
    ctx.db,
    sql.raw('select pid from pg_stat_activity where datname = current_database()'),
  );
  for (const { pid } of rows) {
    try {
      times.set(pid, Number((await readFile(`/proc/${pid}/schedstat`, 'utf8')).split(' ')[0]));
    } catch {
      return null;
    }
  }
  return times;
}

// The backends' CPU between two readings: a connection the pool opened meanwhile counts from
// its start; one it closed (idle) did no work in between.
function backendsDelta(before: Map<number, number> | null, after: Map<number, number> | null) {
  if (!before || !after) return null;
  let ns = 0;
  for (const [pid, t] of after) ns += t - (before.get(pid) ?? 0);
  return ns;
}

async function cpuPerRequest(ctx: AppContext, app: Awaited<ReturnType<typeof buildServer>>, token: string) {
  const n = Number(args.cpu);
  const perKind = new Map<string, number | null>();
  for (const kind of mix) {
    const url = (i: number) => kind.paths[i % kind.paths.length] ?? '/';
    const headers = { authorization: `Bearer ${token}` };
    await app.inject({ url: url(0), headers });
    const db0 = await backendsCpu(ctx);
    const own0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await app.inject({ url: url(i), headers });
    const own = process.cpuUsage(own0);
    const db1 = await backendsCpu(ctx);
    const dbNs = backendsDelta(db0, db1);
    perKind.set(kind.kind, dbNs === null ? null : ((own.user + own.system) / 1000 + dbNs / 1e6) / n);
  }
  const anchor = perKind.get('anchor: SELECT 1') ?? null;
  const searches = mix.filter((k) => k.search).map((k) => perKind.get(k.kind) ?? null);
  const weights = mix.filter((k) => k.search).map((k) => k.weight);
  const mean =
    searches.some((c) => c === null) || anchor === null
      ? null
      : searches.reduce((sum: number, c, i) => sum + (c ?? 0) * (weights[i] ?? 0), 0) /
        weights.reduce((a, b) => a + b, 0);
  console.log(
    `\nCPU per request (${n} of each kind, one at a time; this process${engine === 'postgres' ? ' + the database backends' : ', the database included'}), load average ${loadAverage()}`,
  );
  printTable(
    ['kind', 'CPU ms', '/ anchor'],
    mix.map((k) => {
      const c = perKind.get(k.kind) ?? null;
      return [
        k.kind,
        c === null ? 'n/a' : c.toFixed(2),
        c === null || anchor === null ? 'n/a' : `${(c / anchor).toFixed(2)}×`,
      ];
    }),
  );
  if (mean !== null && anchor !== null)
    console.log(
      `searches (mix-weighted mean): ${mean.toFixed(2)} ms CPU; anchor ${anchor.toFixed(2)} ms; ratio ${(mean / anchor).toFixed(2)}×`,
    );
}

// ---------------------------------------------------------------- main

const bench = await openBenchDatabase(engine, {
  prefix: 'pulih_bench_catalog_',
  pool: Math.max(10, clients),
  reuse: args.reuse,
});
const ctx = await createAppContext(bench.database);
try {
  const machine = await describeMachine(ctx, engine, { parenthesised: true });
  log(`machine: ${machine}`);
  const actor = await benchActor(ctx);
  const token = await createApiToken(ctx.db, actor.userId, 'bench');
  const app = await buildServer(ctx);
  app.get('/bench/select-1', { config: { access: 'signedIn' }, schema: { hide: true } }, async (request) => {
    if (!request.actor) throw new Error('not authenticated');
    await ctx.db.execute(sql.raw('select 1'));
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const inject = async (path: string) =>
    JSON.parse((await app.inject({ url: path })).body) as { items: { name: string }[] };
  try {
    const precision: string[][] = [];
    let sum = 0;
    if (bench.fresh) await addFixture(ctx, actor);
    for (const query of bench.fresh ? fixture.queries : []) {
      const ranked = (await inject(searchPath(query.q, '&limit=5'))).items.map((i) => i.name);
      const p = precisionAt(5, ranked, query.relevant);
      sum += p;
      precision.push([query.kind, query.q, p.toFixed(2), ranked.slice(0, 3).join(' | ')]);
    }
    const meanPrecision = sum / fixture.queries.length;

    log(bench.fresh ? `filling ${productCount} products…` : `reusing ${bench.name}`);
    const fillSeconds = bench.fresh ? await fill(ctx, productCount) : 0;
    const words = await queryRow<{ n: number }>(
      ctx.db,
      sql.raw('select count(*)::int as n from catalog_words'),
    );
    log('warming up…');
    for (const kind of mix)
      for (const path of kind.paths)
        await app.inject({ url: path, headers: { authorization: `Bearer ${token}` } });

    console.log(
      `\nCatalogue search — ${productCount.toLocaleString('en')} products, ${Math.floor(productCount / 4).toLocaleString('en')} businesses, ${words?.n ?? 0} vocabulary words`,
    );
    console.log(`machine: ${machine}; filled in ${fillSeconds.toFixed(0)} s`);
    const many = await runLoad(port, token, clients, Number(args.requests));
    report(`${clients} concurrent clients`, many.samples, many.seconds);
    const one = await runLoad(port, token, 1, Number(args.single));
    report('one client', one.samples, one.seconds);
    if (Number(args.cpu) > 0) await cpuPerRequest(ctx, app, token);

    if (bench.fresh)
      console.log(
        `\nprecision at 5 on ${fixture.queries.length} queries (fixture catalogue of ${fixture.products.length} products): mean ${meanPrecision.toFixed(3)}`,
      );
    if (bench.fresh) printTable(['kind', 'query', 'P@5', 'first results'], precision);
  } finally {
    await app.close();
  }
} finally {
  await closeBenchDatabase(bench, args.keep);
}
