// Registry list and search at scale: p50/p95/p99 latency and requests/s per query kind over
// N synthetic businesses, 20 concurrent clients, against the real server on 127.0.0.1.
// Anchor: an authenticated `SELECT 1` through the same HTTP stack (and GET /health), measured
// in the same run under the same load, so the figures read as a ratio to the machine.
//
//   npm run bench -- registry-list --businesses 1000000 [--engine postgres|pglite]
//     [--clients 20] [--seconds 60] [--requests 30000] [--export] [--keep] [--reuse DBNAME]
//     [--explain]
// --reuse DBNAME fills that database once (created when missing) and keeps it for the next run.
// --explain prints EXPLAIN ANALYZE of the SQL the server really ran for one request of each kind.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createAppContext } from '../src/app/app-context.ts';
import { restoreRegistryIndexes } from '../src/db/registry-indexes.ts';
import { rowsOf } from '../src/db/sql-rows.ts';
import type { AppContext } from '../src/lib/context.ts';
import {
  brandWords,
  familyNames,
  lcgRandom,
  menNames,
  picker,
  streetNames,
  trades,
  womenNames,
} from '../src/lib/synthetic.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { buildServer } from '../src/server.ts';
import {
  closeBenchDatabase,
  databaseUrl,
  describeMachine,
  engineOf,
  ensureBenchOfficer,
  log,
  openBenchDatabase,
} from './lib/database.ts';
import { httpRequest } from './lib/http.ts';
import {
  businessCapital,
  businessColumns,
  businessCovidAndStatus,
  businessRegion,
  businessTurnover,
  fillInChunks,
  ownerGivenName,
  ownerNik,
  ownerPhone,
  ownerSeries,
  randomOf,
  regionCodes,
  textArray,
  tradeIndex,
} from './lib/registry.ts';
import { loadAverage, percentile, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    businesses: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'postgres' },
    clients: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    requests: { type: 'string', default: '30000' },
    export: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
});

const businessCount = Number(args.businesses);
const clients = Number(args.clients);
const maxSeconds = Number(args.seconds);
const maxRequests = Number(args.requests);
const engine = engineOf(args.engine);
if (!Number.isInteger(businessCount) || businessCount < 1000) throw new Error('--businesses must be ≥ 1000');
if (!(clients >= 1 && clients <= 200 && maxSeconds > 0 && maxSeconds <= 600 && maxRequests > 0)) {
  throw new Error('--clients 1..200, --seconds 1..600, --requests > 0');
}

// With --explain, the SQL that the pool runs is captured, to be explained afterwards.
let captured: { text: string; values: unknown[] }[] | null = null;
if (args.explain) {
  const query = pg.Pool.prototype.query as (...a: unknown[]) => unknown;
  pg.Pool.prototype.query = function (this: pg.Pool, ...a: unknown[]) {
    if (captured) {
      const [config, values] = a;
      const text = typeof config === 'string' ? config : (config as { text: string }).text;
      const params = Array.isArray(values) ? values : ((config as { values?: unknown[] }).values ?? []);
      captured.push({ text, values: params });
    }
    return query.apply(this, a);
  } as never;
}

// ---------------------------------------------------------------- database

// md5 of a tag and i, with the version (4) and variant (8) nibbles set, so the ids are valid
// RFC 4122 UUIDs (the API validates them) and an owner's id can be computed from i.
const uuidOf = (tag: string) =>
  `overlay(overlay(md5(${tag} || i) placing '4' from 13) placing '8' from 17)::uuid`;

async function fill(ctx: AppContext, n: number) {
  const { city, province } = regionCodes(ctx);
  const db = ctx.db;
  const started = performance.now();
  await fillInChunks(ctx, n, async (from, to) => {
    await db.execute(
      sql.raw(`
      insert into people (id, nik, name, sex, birth_date, phone, address)
      select ${uuidOf("'p'")},
        ${ownerNik},
        ${ownerGivenName}
          || case when random() < 0.4 then ' ' || ${randomOf([...womenNames.slice(0, 6), ...menNames.slice(0, 6)])} else '' end
          || ' ' || ${randomOf(familyNames)},
        sex::sex, bd,
        ${ownerPhone},
        'Jl. ' || ${randomOf(streetNames)} || ' No. ' || (1 + floor(random() * 200)::int)
      from ${ownerSeries(from, to, '1960-01-01', 3)}`),
    );
    // Names mix the patterns seen in registries ("Warung Makan Berkah Jaya", "UD Sumber Rezeki",
    // "Warung Makan Bu Siti", "Berkah Jaya Dodol"), so the trade is often, not always, the
    // name's first word.
    await db.execute(
      sql.raw(`
      insert into businesses (${businessColumns})
      select ${uuidOf("'b'")}, 'bench-' || i, ${uuidOf("'p'")},
        case when r_name < 0.45 then trade || ' ' || brand1 || ' ' || brand2
             when r_name < 0.65 then (ARRAY['UD','CV','Toko','Usaha'])[1 + floor(random() * 4)::int] || ' ' || brand1 || ' ' || brand2
             when r_name < 0.85 then trade || ' ' || ${randomOf(['Bu', 'Pak', 'Mama', 'Acil', 'Bang'])}
                                     || ' ' || ${randomOf([...womenNames, ...menNames])}
             else brand1 || ' ' || brand2 || ' ' || trade end,
        (${textArray(trades.map((t) => t[0]))})[k], 2020, region, left(region, 8),
        ${businessCapital},
        ${businessTurnover},
        floor(random() * 6)::int,
        ${businessCovidAndStatus}
      from (select i, r_size, r_covid, r_status, r_name, k, region,
                   (${textArray(trades.map((t) => t[1]))})[k] as trade,
                   ${randomOf(brandWords)} as brand1,
                   ${randomOf(brandWords)} as brand2
      from (select i, random() as r_size, random() as r_covid, random() as r_status, random() as r_name,
                   ${tradeIndex} as k,
                   ${businessRegion(city, province)} as region
            from generate_series(${from}, ${to}) as g(i)) r) s`),
    );
  });
  // A registry that has been running a while has been vacuumed (the visibility map matters for
  // index-only scans) and analysed.
  await db.execute(sql.raw('vacuum analyze people'));
  await db.execute(sql.raw('vacuum analyze businesses'));
  return (performance.now() - started) / 1000;
}

async function countBusinesses(ctx: AppContext) {
  const result = await ctx.db.execute(sql.raw('select count(*)::int as n from businesses'));
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

// ---------------------------------------------------------------- load

type Sample = { kind: string; ms: number; status: number };

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

const get = (port: number, path: string, token: string, body?: unknown) =>
  httpRequest(agent, port, {
    path,
    headers: { authorization: `Bearer ${token}` },
    timeoutMs: 30_000,
    ...(body === undefined ? {} : { method: 'POST' as const, body }),
  });

type QueryKind = {
  kind: string;
  weight: number;
  path: (pick: <T>(list: readonly T[]) => T) => string;
  // A look-up by NIK or phone goes in a POST body (never in a URL): the body for `path`.
  body?: (pick: <T>(list: readonly T[]) => T) => unknown;
  // how many different requests of this kind --explain shows
  samples?: number;
};

async function queryMix(ctx: AppContext, port: number, token: string): Promise<QueryKind[]> {
  const sample = await ctx.db.execute(
    sql.raw(`select p.nik, p.phone from people p tablesample system (1) repeatable (7) limit 200`),
  );
  const people = rowsOf<{ nik: string; phone: string | null }>(sample);
  const niks = people.map((p) => p.nik);
  const phones = people.flatMap((p) => (p.phone ? [p.phone] : []));
  // The formats people type a phone number in (src/domain/phone.ts normalises them all).
  const phoneFormats = (e164: string) => {
    const national = e164.slice(3);
    return [
      `0${national}`,
      `62${national}`,
      `+62 ${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`,
      `0${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`,
      national,
    ];
  };
  // Deep pages: walk a few pages of the whole list to collect real cursors.
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const res = await get(port, `/api/v1/businesses?limit=50${cursor ? `&cursor=${cursor}` : ''}`, token);
    cursor = (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  const { city, province } = regionCodes(ctx);
  const kecamatan = [
    '62.71.01',
    '62.71.02',
    '62.71.03',
    '62.71.04',
    '62.71.05',
    ...new Set(province.map((c) => c.slice(0, 8))),
  ];
  const kbli = trades.map((t) => t[0]);
  const sizes = ['mikro', 'kecil', 'menengah', 'besar'];
  const names = [
    'siti saputra', // an owner's name: ~0.2% of people
    'berkah jaya', // a business name fragment: ~0.25%
    'anyaman rotan', // a trade: ~4%
    'yohanes tingang',
    'dodol',
    'kenanga mulia',
    'rahmawati ngabe',
    'zzqx', // nothing matches
  ];
  const enc = encodeURIComponent;
  return [
    { kind: 'list first page', weight: 3, path: () => '/api/v1/businesses?limit=50' },
    { kind: 'list deep page', weight: 2, path: (p) => `/api/v1/businesses?limit=50&cursor=${p(cursors)}` },
    {
      kind: 'filter kecamatan',
      weight: 2,
      path: (p) => `/api/v1/businesses?limit=50&kecamatan=${p(kecamatan)}`,
    },
    { kind: 'filter kelurahan', weight: 2, path: (p) => `/api/v1/businesses?limit=50&kelurahan=${p(city)}` },
    { kind: 'filter kbli', weight: 2, path: (p) => `/api/v1/businesses?limit=50&kbli=${p(kbli)}` },
    {
      kind: 'filter size',
      weight: 2,
      samples: 4,
      path: (p) => `/api/v1/businesses?limit=50&size=${p(sizes)}`,
    },
    {
      kind: 'filter status+covid',
      weight: 1,
      path: (p) =>
        `/api/v1/businesses?limit=50&status=${p(['aktif', 'tidak_aktif', 'tutup'])}&covidImpacted=${p(['true', 'false'])}`,
    },
    {
      kind: 'filter combination',
      weight: 2,
      path: (p) =>
        `/api/v1/businesses?limit=50&kecamatan=${p(kecamatan.slice(0, 5))}&kbli=${p(kbli.slice(0, 8))}&size=${p(sizes)}&status=aktif&covidImpacted=true`,
    },
    {
      kind: 'search name',
      weight: 3,
      samples: names.length,
      path: (p) => `/api/v1/businesses?limit=50&q=${enc(p(names))}`,
    },
    {
      kind: 'search NIK',
      weight: 2,
      path: () => '/api/v1/businesses/lookup',
      body: (p) => ({ q: p(niks), limit: 50 }),
    },
    {
      kind: 'search phone',
      weight: 2,
      samples: 5,
      path: () => '/api/v1/businesses/lookup',
      body: (p) => ({ q: p(phoneFormats(p(phones))), limit: 50 }),
    },
    { kind: 'anchor: SELECT 1', weight: 2, path: () => '/bench/select-1' },
    { kind: 'anchor: GET /health', weight: 1, path: () => '/health' },
  ];
}

// The clients run in a worker thread with its own event loop, so that timing them does not
// wait on the server's loop (they still share the machine's cores with it and PostgreSQL).
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, token, plan, clients, deadlineMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const started = performance.now();
const samples = [];
let next = 0;
function get(path, body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { authorization: 'Bearer ' + token };
    if (payload) headers['content-type'] = 'application/json';
    const request = http.request({ host: '127.0.0.1', port, path, agent, method: payload ? 'POST' : 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (c) => { if (body.length < 300) body += c; });
      response.on('end', () => resolve({ ms: performance.now() - t0, status: response.statusCode, body }));
      response.on('error', () => resolve({ ms: performance.now() - t0, status: 0, body: 'response error' }));
    });
    request.setTimeout(30000, () => request.destroy(new Error('timeout')));
    request.on('error', (e) => resolve({ ms: performance.now() - t0, status: 0, body: String(e) }));
    request.end(payload);
  });
}
async function client() {
  while (next < plan.length && performance.now() - started < deadlineMs) {
    const { kind, path, body } = plan[next++];
    const r = await get(path, body);
    samples.push({ kind, ms: r.ms, status: r.status });
    if (r.status !== 200) parentPort.postMessage({ log: r.status + ' ' + path + ': ' + r.body.slice(0, 200) });
  }
}
Promise.all(Array.from({ length: clients }, client)).then(() => {
  agent.destroy();
  parentPort.postMessage({ samples, seconds: (performance.now() - started) / 1000 });
});
`;

async function runLoad(port: number, token: string, mix: QueryKind[]) {
  const deck = mix.flatMap((k) => Array.from({ length: k.weight }, () => k));
  const pick = picker(lcgRandom(12345));
  const plan = Array.from({ length: maxRequests }, () => {
    const kind = pick(deck);
    return { kind: kind.kind, path: kind.path(pick), body: kind.body?.(pick) };
  });
  const worker = new Worker(clientCode, {
    eval: true,
    workerData: { port, token, plan, clients, deadlineMs: maxSeconds * 1000 },
  });
  return new Promise<{ samples: Sample[]; seconds: number }>((resolve, reject) => {
    worker.on('message', (message: { log?: string; samples?: Sample[]; seconds?: number }) => {
      if (message.log) log(`  ${message.log}`);
      else if (message.samples) resolve({ samples: message.samples, seconds: message.seconds ?? 0 });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
  });
}

// EXPLAIN ANALYZE of every statement one request of each kind ran (the token lookup aside).
async function explainKinds(port: number, token: string, mix: QueryKind[], url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const kind of mix) {
      if (kind.kind.startsWith('anchor')) continue;
      for (let i = 0; i < (kind.samples ?? 1); i++) {
        const nth = <T>(list: readonly T[]) => list[i % list.length]!;
        const path = kind.path(nth);
        const body = kind.body?.(nth);
        captured = [];
        const res = await get(port, path, token, body);
        const statements = captured.filter((s) => !s.text.includes('auth_tokens'));
        captured = null;
        const items = (JSON.parse(res.body) as { items?: unknown[] }).items?.length ?? 0;
        const asked =
          body === undefined ? `GET ${decodeURIComponent(path)}` : `POST ${path} ${JSON.stringify(body)}`;
        console.log(`\n### ${kind.kind}: ${asked} → ${res.status}, ${items} items`);
        for (const statement of statements) {
          const plan = await client.query(
            `explain (analyze, buffers, costs off) ${statement.text}`,
            statement.values,
          );
          console.log(plan.rows.map((r: Record<string, string>) => `    ${Object.values(r)[0]}`).join('\n'));
        }
      }
    }
  } finally {
    await client.end();
  }
}

async function exportOnce(port: number, token: string, format: 'csv' | 'xlsx') {
  const started = performance.now();
  let bytes = 0;
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const status = await new Promise<number>((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: `/api/v1/businesses/export?format=${format}`,
          agent,
          headers: { authorization: `Bearer ${token}` },
        },
        (response) => {
          response.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      )
      .on('error', reject);
  });
  clearInterval(timer);
  return { format, status, seconds: (performance.now() - started) / 1000, bytes, peakRss };
}

// ---------------------------------------------------------------- main

// One pool connection per client, as a production pool would be sized for this load.
const bench = await openBenchDatabase(engine, { reuse: args.reuse, pool: Math.max(10, clients) });
const { name: dbName, fresh } = bench;
const ctx = await createAppContext(bench.database);
try {
  const machine = await describeMachine(ctx, engine, { parenthesised: true });
  log(`machine: ${machine}`);
  let fillSeconds: number | null = null;
  const existing = fresh ? 0 : await countBusinesses(ctx);
  if (existing !== businessCount) {
    if (existing !== 0)
      throw new Error(`database ${dbName} holds ${existing} businesses, not ${businessCount}`);
    log(`filling ${businessCount} businesses and their owners…`);
    fillSeconds = await fill(ctx, businessCount);
  }
  if (!fresh) {
    // A reused database holds what an earlier run left: the registry's indexes as the
    // migrations define them (an interrupted bulk load, or an older version of this script,
    // may have dropped some).
    const rebuilt = await restoreRegistryIndexes(ctx.db);
    if (rebuilt.length > 0) log(`rebuilt ${rebuilt.join(', ')}`);
    // A migration since the fill may have rewritten the tables, which clears their visibility
    // maps (index-only scans then visit the heap): vacuumed as a running registry would be.
    await ctx.db.execute(sql.raw('vacuum analyze people'));
    await ctx.db.execute(sql.raw('vacuum analyze businesses'));
  }

  const { user } = await ensureBenchOfficer(ctx);
  const token = await createApiToken(ctx.db, user.id, 'bench');

  const app = await buildServer(ctx);
  // The anchor: the same auth hook, routing and serialisation, with the cheapest query.
  app.get('/bench/select-1', { config: { access: 'signedIn' }, schema: { hide: true } }, async (request) => {
    if (!request.actor) throw new Error('not authenticated');
    await ctx.db.execute(sql.raw('select 1'));
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  try {
    const mix = await queryMix(ctx, port, token);
    if (args.explain && dbName) {
      await explainKinds(port, token, mix, databaseUrl(dbName));
    }
    // Warm up the caches the way a server that has been running for a while would have them.
    log('warming up…');
    for (const kind of mix)
      for (let i = 0; i < 3; i++)
        await get(
          port,
          kind.path((l) => l[i % l.length]!),
          token,
        );
    log(`load: ${clients} clients, at most ${maxRequests} requests or ${maxSeconds} s…`);
    const loadBefore = loadAverage();
    const { samples, seconds } = await runLoad(port, token, mix);

    const anchor = samples
      .filter((s) => s.kind === 'anchor: SELECT 1')
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    const anchorP95 = percentile(anchor, 95);
    console.log(
      `\nRegistry list and search — ${businessCount.toLocaleString('en')} businesses, ${clients} concurrent clients`,
    );
    console.log(`machine: ${machine}`);
    console.log(
      `database: ${engine} (migrations as they are)${fillSeconds ? `, filled in ${fillSeconds.toFixed(0)} s` : ''}`,
    );
    console.log(
      `${samples.length} requests in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)} req/s overall)`,
    );
    // Other work on the machine shows here; the ratio to the anchor is what carries over.
    console.log(`load average before / after the run: ${loadBefore} / ${loadAverage()}\n`);
    const header = ['kind', 'n', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'p95 / anchor'];
    const rows = mix.map((k) => {
      const mine = samples.filter((s) => s.kind === k.kind);
      const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
      const p95 = percentile(ms, 95);
      return [
        k.kind,
        String(mine.length),
        String(mine.filter((s) => s.status !== 200).length),
        percentile(ms, 50).toFixed(1),
        p95.toFixed(1),
        percentile(ms, 99).toFixed(1),
        (mine.length / seconds).toFixed(1),
        `${(p95 / anchorP95).toFixed(1)}×`,
      ];
    });
    printTable(header, rows);
    console.log(
      `\nanchor: authenticated SELECT 1 over the same HTTP stack, p95 ${anchorP95.toFixed(1)} ms under the same load`,
    );

    if (args.export) {
      console.log('\nexport of the whole registry (one client, nothing else running):');
      console.log(`  RSS of the process before: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
      for (const format of ['csv', 'xlsx'] as const) {
        const r = await exportOnce(port, token, format);
        console.log(
          `  ${format}: HTTP ${r.status}, ${(r.bytes / 2 ** 20).toFixed(1)} MiB in ${r.seconds.toFixed(1)} s (${(businessCount / r.seconds).toFixed(0)} rows/s), peak RSS of the process ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    agent.destroy();
    await app.close();
  }
} finally {
  await closeBenchDatabase(bench, args.keep || Boolean(args.reuse));
}
