// Registry list and search at scale: p50/p95/p99 latency and requests/s per query kind over
// N synthetic businesses, 20 concurrent clients, against the real server on 127.0.0.1.
// Anchor: an authenticated `SELECT 1` through the same HTTP stack (and GET /health), measured
// in the same run under the same load, so the figures read as a ratio to the machine.
//
//   npm run bench -- registry-list --businesses 1000000 [--engine postgres|pglite]
//     [--clients 20] [--seconds 60] [--requests 30000] [--export] [--keep] [--reuse DBNAME]
//     [--proposed-indexes] [--explain]
// --explain prints EXPLAIN ANALYZE of the SQL the server really ran for one request of each kind.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { openDatabase } from '../src/db/client.ts';
import { createAppContext } from '../src/lib/app-context.ts';
import type { AppContext } from '../src/lib/context.ts';
import { createApiToken } from '../src/modules/auth/auth.service.ts';
import { sizeClassIndexExpression } from '../src/modules/businesses/businesses.queries.ts';
import { ensureOrganisation, ensureUser } from '../src/modules/users/users.service.ts';
import { buildServer } from '../src/server.ts';

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
    'proposed-indexes': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});

const businessCount = Number(args.businesses);
const clients = Number(args.clients);
const maxSeconds = Number(args.seconds);
const maxRequests = Number(args.requests);
const engine = args.engine === 'pglite' ? 'pglite' : 'postgres';
if (!Number.isInteger(businessCount) || businessCount < 1000) throw new Error('--businesses must be ≥ 1000');
if (!(clients >= 1 && clients <= 200 && maxSeconds > 0 && maxSeconds <= 600 && maxRequests > 0)) {
  throw new Error('--clients 1..200, --seconds 1..600, --requests > 0');
}

// The indexes this benchmark asks the lead to add (report of issue 3); applied only with
// --proposed-indexes so that a plain run measures the migrations as they are. The size index
// is rendered from the very expression the list query filters on, so that they match.
const sizeExpression = new PgDialect().sqlToQuery(sizeClassIndexExpression()).sql;
export const proposedIndexes = [
  'CREATE INDEX IF NOT EXISTS people_phone_idx ON people (phone)',
  'CREATE INDEX IF NOT EXISTS businesses_kecamatan_name_idx ON businesses (kecamatan_code, lower(name), id)',
  'CREATE INDEX IF NOT EXISTS businesses_region_name_idx ON businesses (region_code, lower(name), id)',
  'CREATE INDEX IF NOT EXISTS businesses_kbli_name_idx ON businesses (kbli, lower(name), id)',
  `CREATE INDEX IF NOT EXISTS businesses_size_name_idx ON businesses (${sizeExpression}, lower(name), id)`,
  // the name order with the name itself, so that a name search can walk it index-only
  'DROP INDEX IF EXISTS businesses_name_order_idx',
  'CREATE INDEX IF NOT EXISTS businesses_name_order_idx ON businesses (lower(name), id) INCLUDE (name)',
];

const log = (line: string) => process.stderr.write(`${line}\n`);

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

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

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function openBenchDatabase() {
  if (engine === 'pglite') return { database: openDatabase({ memory: true }), name: null, fresh: true };
  const name = args.reuse ?? `pulih_bench_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('--reuse takes a plain database name');
  let fresh = !args.reuse;
  if (args.reuse) {
    try {
      await adminQuery(`create database ${name}`);
      fresh = true;
    } catch {
      // it exists: reuse its rows when it holds the requested number
    }
  } else {
    await adminQuery(`create database ${name}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // One pool connection per client, as a production pool would be sized for this load.
  process.env.PULIH_DB_POOL ??= String(Math.max(10, clients));
  return { database: openDatabase({ databaseUrl: url.toString() }), name, fresh };
}

// Indonesian-looking names; Dayak family names are common in Kalimantan Tengah.
const women = [
  'Siti',
  'Nurhayati',
  'Rahmawati',
  'Yuliana',
  'Erna',
  'Misnah',
  'Indah',
  'Sri',
  'Lidia',
  'Ratna',
  'Herlina',
  'Juliana',
  'Dewi',
  'Fitri',
  'Wulan',
  'Maria',
  'Kartini',
  'Ani',
  'Rina',
  'Yanti',
];
const men = [
  'Ahmad',
  'Muhammad',
  'Yanto',
  'Agus',
  'Rudi',
  'Dedi',
  'Eko',
  'Hendra',
  'Simon',
  'Yohanes',
  'Rahmat',
  'Budi',
  'Bambang',
  'Joko',
  'Slamet',
  'Hadi',
  'Fransiskus',
  'Andi',
  'Wahyu',
  'Arif',
];
const families = [
  'Saputra',
  'Lambung',
  'Ngabe',
  'Antang',
  'Sahay',
  'Rangkap',
  'Tingang',
  'Hidayat',
  'Nyahu',
  'Usup',
  'Nahan',
  'Kuhu',
  'Santoso',
  'Wijaya',
  'Lestari',
  'Pratama',
  'Gunawan',
  'Kusuma',
  'Setiawan',
  'Nugroho',
];
const brands = [
  'Berkah',
  'Jaya',
  'Makmur',
  'Sejahtera',
  'Mandiri',
  'Barokah',
  'Sumber',
  'Rezeki',
  'Abadi',
  'Lestari',
  'Harapan',
  'Bersama',
  'Karya',
  'Indah',
  'Baru',
  'Putri',
  'Bintang',
  'Mulia',
  'Sentosa',
  'Kenanga',
];
const streets = [
  'Tjilik Riwut',
  'G. Obos',
  'Rajawali',
  'Mahir Mahar',
  'Temanggung Tilung',
  'RTA Milono',
  'Yos Sudarso',
  'Diponegoro',
  'A. Yani',
  'Kinibalu',
];
// KBLI codes (data-ref/kbli_umkm_reference.csv) with the words a business of that kind puts in
// its name; listed from common to rare, and drawn with a skew. Names mix the patterns seen in
// registries ("Warung Makan Berkah Jaya", "UD Sumber Rezeki", "Warung Makan Bu Siti",
// "Berkah Jaya Dodol"), so the trade is often, not always, the name's first word.
const trades: [string, string][] = [
  ['56102', 'Warung Makan'],
  ['47111', 'Toko Kelontong'],
  ['10792', 'Kue Basah'],
  ['14120', 'Penjahit'],
  ['16291', 'Anyaman Rotan'],
  ['10794', 'Keripik'],
  ['56303', 'Kafe'],
  ['10710', 'Roti'],
  ['56104', 'Pedagang Keliling'],
  ['10750', 'Masakan Olahan'],
  ['47242', 'Toko Kue'],
  ['56304', 'Kedai Minuman'],
  ['14111', 'Konveksi'],
  ['10212', 'Ikan Salai'],
  ['10211', 'Ikan Asin'],
  ['16292', 'Anyaman Purun'],
  ['47781', 'Kerajinan'],
  ['13134', 'Batik Benang Bintik'],
  ['10796', 'Dodol'],
  ['31002', 'Mebel Rotan'],
  ['16294', 'Alat Dapur Kayu'],
  ['32903', 'Kriya'],
  ['10799', 'Makanan Ringan'],
  ['47911', 'Toko Online'],
  ['16293', 'Ukiran Kayu'],
  ['13122', 'Tenun Ikat'],
  ['16104', 'Pengolahan Rotan'],
  ['10762', 'Jamu Herbal'],
];

// md5 of a tag and i, with the version (4) and variant (8) nibbles set, so the ids are valid
// RFC 4122 UUIDs (the API validates them) and an owner's id can be computed from i.
const uuidOf = (tag: string) =>
  `overlay(overlay(md5(${tag} || i) placing '4' from 13) placing '8' from 17)::uuid`;

const textArray = (list: readonly string[]) =>
  `ARRAY[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

function regionCodes(ctx: AppContext) {
  const city = ctx.regions
    .children('62.71')
    .flatMap((k) => ctx.regions.children(k.code))
    .map((r) => r.code);
  const province = ctx.regions
    .children('62')
    .filter((k) => k.code !== '62.71')
    .flatMap((k) => ctx.regions.children(k.code))
    .map((r) => r.code);
  return { city, province };
}

async function fill(ctx: AppContext, n: number) {
  const { city, province } = regionCodes(ctx);
  const db = ctx.db;
  const chunk = 100_000;
  const started = performance.now();
  await db.execute(sql.raw('select setseed(0.2020)'));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1;
    // NIK = kecamatan 6271[01-05] + DDMMYY (+40 for women) + serial; (kec, sex, date, serial)
    // is a bijection of i, so every NIK is unique and valid.
    await db.execute(
      sql.raw(`
      insert into people (id, nik, name, sex, birth_date, phone, address)
      select ${uuidOf("'p'")},
        '6271' || lpad((1 + i % 5)::text, 2, '0')
          || lpad((extract(day from bd)::int + case when sex = 'P' then 40 else 0 end)::text, 2, '0')
          || to_char(bd, 'MMYY') || lpad((1 + i / 50000)::text, 4, '0'),
        case when sex = 'P' then (${textArray(women)})[1 + floor(random() * ${women.length})::int]
             else (${textArray(men)})[1 + floor(random() * ${men.length})::int] end
          || case when random() < 0.4 then ' ' || (${textArray([...women.slice(0, 6), ...men.slice(0, 6)])})[1 + floor(random() * 12)::int] else '' end
          || ' ' || (${textArray(families)})[1 + floor(random() * ${families.length})::int],
        sex::sex, bd,
        case when i % 10 = 9 then null
             else '+628' || (ARRAY['11','12','13','21','22','52','53','57','77','78'])[1 + i % 10]
               || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0') end,
        'Jl. ' || (${textArray(streets)})[1 + floor(random() * ${streets.length})::int] || ' No. ' || (1 + floor(random() * 200)::int)
      from (select i, case when (i / 5) % 2 = 0 then 'P' else 'L' end as sex,
                   date '1960-01-01' + ((i % 50000) / 10) * 3 as bd
            from generate_series(${from}, ${to}) as g(i)) s`),
    );
    // 40% in the city's 30 kelurahan, 60% across Kalimantan Tengah's other kecamatan.
    await db.execute(
      sql.raw(`
      insert into businesses (id, ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code,
                              capital, annual_turnover, workers, covid_impacted, status)
      select ${uuidOf("'b'")}, 'bench-' || i, ${uuidOf("'p'")},
        case when r_name < 0.45 then trade || ' ' || brand1 || ' ' || brand2
             when r_name < 0.65 then (ARRAY['UD','CV','Toko','Usaha'])[1 + floor(random() * 4)::int] || ' ' || brand1 || ' ' || brand2
             when r_name < 0.85 then trade || ' ' || (${textArray(['Bu', 'Pak', 'Mama', 'Acil', 'Bang'])})[1 + floor(random() * 5)::int]
                                     || ' ' || (${textArray([...women, ...men])})[1 + floor(random() * ${women.length + men.length})::int]
             else brand1 || ' ' || brand2 || ' ' || trade end,
        (${textArray(trades.map((t) => t[0]))})[k], 2020, region, left(region, 8),
        case when random() < 0.3 then null else (1 + floor(random() * 900)::bigint) * 1000000 end,
        case when r_size < 0.05 then null
             when r_size < 0.05 + 0.95 * 0.987 then (12 + floor(random() * 1980)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.999 then (2001 + floor(random() * 13000)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.9999 then (15001 + floor(random() * 35000)::bigint) * 1000000
             else (50001 + floor(random() * 150000)::bigint) * 1000000 end,
        floor(random() * 6)::int,
        case when r_covid < 0.6 then true when r_covid < 0.9 then false else null end,
        (case when r_status < 0.85 then 'aktif' when r_status < 0.95 then 'tidak_aktif' else 'tutup' end)::business_status
      from (select i, r_size, r_covid, r_status, r_name, k, region,
                   (${textArray(trades.map((t) => t[1]))})[k] as trade,
                   (${textArray(brands)})[1 + floor(random() * ${brands.length})::int] as brand1,
                   (${textArray(brands)})[1 + floor(random() * ${brands.length})::int] as brand2
      from (select i, random() as r_size, random() as r_covid, random() as r_status, random() as r_name,
                   1 + floor(${trades.length} * power(random(), 2.2))::int as k,
                   case when random() < 0.4 then (${textArray(city)})[1 + floor(random() * ${city.length})::int]
                        else (${textArray(province)})[1 + floor(random() * ${province.length})::int] end as region
            from generate_series(${from}, ${to}) as g(i)) r) s`),
    );
    log(`  filled ${to + 1} / ${n} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
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

function get(port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
  });
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type QueryKind = {
  kind: string;
  weight: number;
  path: (pick: <T>(list: readonly T[]) => T) => string;
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
  // The formats people type a phone number in (DOMAIN.md).
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
    { kind: 'search NIK', weight: 2, path: (p) => `/api/v1/businesses?limit=50&q=${p(niks)}` },
    {
      kind: 'search phone',
      weight: 2,
      samples: 5,
      path: (p) => `/api/v1/businesses?limit=50&q=${enc(p(phoneFormats(p(phones))))}`,
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
function get(path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const request = http.get({ host: '127.0.0.1', port, path, agent, headers: { authorization: 'Bearer ' + token } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (c) => { if (body.length < 300) body += c; });
      response.on('end', () => resolve({ ms: performance.now() - t0, status: response.statusCode, body }));
      response.on('error', () => resolve({ ms: performance.now() - t0, status: 0, body: 'response error' }));
    });
    request.setTimeout(30000, () => request.destroy(new Error('timeout')));
    request.on('error', (e) => resolve({ ms: performance.now() - t0, status: 0, body: String(e) }));
  });
}
async function client() {
  while (next < plan.length && performance.now() - started < deadlineMs) {
    const { kind, path } = plan[next++];
    const r = await get(path);
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
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const plan = Array.from({ length: maxRequests }, () => {
    const kind = pick(deck);
    return { kind: kind.kind, path: kind.path(pick) };
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
        const path = kind.path((list) => list[i % list.length]!);
        captured = [];
        const res = await get(port, path, token);
        const statements = captured.filter((s) => !s.text.includes('auth_tokens'));
        captured = null;
        const items = (JSON.parse(res.body) as { items?: unknown[] }).items?.length ?? 0;
        console.log(`\n### ${kind.kind}: GET ${decodeURIComponent(path)} → ${res.status}, ${items} items`);
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

const { database, name: dbName, fresh } = await openBenchDatabase();
const ctx = await createAppContext(database);
try {
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${engine}${
    engine === 'postgres'
      ? ` (${rowsOf<{ server_version: string }>(await ctx.db.execute(sql.raw('show server_version')))[0]?.server_version})`
      : ''
  }`;
  log(`machine: ${machine}`);
  let fillSeconds: number | null = null;
  const existing = fresh ? 0 : await countBusinesses(ctx);
  if (existing !== businessCount) {
    if (existing !== 0)
      throw new Error(`database ${dbName} holds ${existing} businesses, not ${businessCount}`);
    log(`filling ${businessCount} businesses and their owners…`);
    fillSeconds = await fill(ctx, businessCount);
  }
  if (!fresh && !args['proposed-indexes']) {
    // A reused database may hold the proposed indexes from an earlier run: back to the migrations.
    log('restoring the indexes of the migrations…');
    for (const ddl of proposedIndexes.filter((d) => d.startsWith('CREATE INDEX'))) {
      const name = /IF NOT EXISTS (\w+)/.exec(ddl)?.[1];
      if (name) await ctx.db.execute(sql.raw(`DROP INDEX IF EXISTS ${name}`));
    }
    await ctx.db.execute(
      sql.raw('CREATE INDEX IF NOT EXISTS businesses_name_order_idx ON businesses (lower(name), id)'),
    );
    await ctx.db.execute(sql.raw('analyze businesses'));
  }
  if (args['proposed-indexes']) {
    log('creating the proposed indexes…');
    for (const ddl of proposedIndexes) await ctx.db.execute(sql.raw(ddl));
    await ctx.db.execute(sql.raw('vacuum analyze businesses'));
    await ctx.db.execute(sql.raw('vacuum analyze people'));
  }

  const dinas = await ensureOrganisation(ctx.db, {
    code: 'bench-dinas',
    name: 'Dinas (bench)',
    kind: 'dinas',
    regionCode: '62.71',
  });
  const { user } = await ensureUser(ctx.db, {
    username: 'bench-officer',
    displayName: 'Bench officer',
    role: 'program_officer',
    organisationId: dinas.id,
  });
  const token = await createApiToken(ctx.db, user.id, 'bench');

  const app = await buildServer(ctx);
  // The anchor: the same auth hook, routing and serialisation, with the cheapest query.
  app.get('/bench/select-1', async (request) => {
    if (!request.actor) throw new Error('not authenticated');
    await ctx.db.execute(sql.raw('select 1'));
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  try {
    const mix = await queryMix(ctx, port, token);
    if (args.explain && dbName) {
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      await explainKinds(port, token, mix, url.toString());
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
    const loadBefore = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
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
      `database: ${engine}${args['proposed-indexes'] ? ' + proposed indexes' : ' (migrations as they are)'}${fillSeconds ? `, filled in ${fillSeconds.toFixed(0)} s` : ''}`,
    );
    console.log(
      `${samples.length} requests in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)} req/s overall)`,
    );
    // Other work on the machine shows here; the ratio to the anchor is what carries over.
    console.log(
      `load average before / after the run: ${loadBefore} / ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
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
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(line(header));
    for (const r of rows) console.log(line(r));
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
  await database.close();
  if (dbName && !args.keep && !args.reuse) await adminQuery(`drop database if exists ${dbName} with (force)`);
  else if (dbName) log(`kept database ${dbName}`);
}
