// Screening at scale: a program's eligibility rule compiled to SQL and run over the whole
// registry (counts per kecamatan + the first page of eligible businesses, as
// POST /programs/{id}/screening does), for the founding rattan rule and a few others, over N
// synthetic businesses and an exclusion list of 50,000 NIKs. Target: ≤ 5 s for 1,000,000.
// Anchor: a plain `select count(*) from businesses` (a full scan) in the same run.
//
//   npm run bench -- screening --businesses 1000000 [--engine postgres|pglite] [--runs 5]
//     [--keep] [--reuse DBNAME] [--explain]
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/db/client.ts';
import { rattanTrainingRule } from '../src/domain/eligibility.ts';
import { ruleToSql } from '../src/domain/rule-sql.ts';
import { createAppContext } from '../src/lib/app-context.ts';
import type { AppContext } from '../src/lib/context.ts';
import {
  countEligibleByKecamatan,
  listEligibleRows,
  ruleCondition,
} from '../src/modules/screening/screening.queries.ts';
import { runScreening } from '../src/modules/screening/screening.service.ts';
import { ensureOrganisation, ensureUser } from '../src/modules/users/users.service.ts';
import type { Actor } from '../src/policies.ts';

const { values: args } = parseArgs({
  options: {
    businesses: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'postgres' },
    runs: { type: 'string', default: '5' },
    exclusions: { type: 'string', default: '50000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
});

const businessCount = Number(args.businesses);
const runs = Number(args.runs);
const excludedCount = Number(args.exclusions);
const engine = args.engine === 'pglite' ? 'pglite' : 'postgres';
if (!Number.isInteger(businessCount) || businessCount < 1000) throw new Error('--businesses must be ≥ 1000');
if (!(runs >= 1 && runs <= 50)) throw new Error('--runs 1..50');
if (!(excludedCount >= 0 && excludedCount <= businessCount)) throw new Error('--exclusions 0..businesses');

const log = (line: string) => process.stderr.write(`${line}\n`);

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
  let fresh = true;
  try {
    await adminQuery(`create database ${name}`);
  } catch (error) {
    if (!args.reuse) throw error;
    fresh = false;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { database: openDatabase({ databaseUrl: url.toString() }), name, fresh };
}

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
// KBLI codes with the word a business of that kind puts in its name, common to rare; drawn
// with a skew so that rattan weaving (16291) is a few percent of the registry.
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

// 40% of businesses in the city's 30 kelurahan, 60% across Kalimantan Tengah's other kecamatan;
// owners aged 15–65, a tenth without a birth date or sex; 60% hit by Covid.
async function fill(ctx: AppContext, n: number) {
  const { city, province } = regionCodes(ctx);
  const db = ctx.db;
  const chunk = 100_000;
  const started = performance.now();
  await db.execute(sql.raw('select setseed(0.2020)'));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1;
    await db.execute(
      sql.raw(`
      insert into people (id, nik, name, sex, birth_date, phone, address)
      select md5('p' || i)::uuid,
        '6271' || lpad((1 + i % 5)::text, 2, '0')
          || lpad((extract(day from bd)::int + case when sx = 'P' then 40 else 0 end)::text, 2, '0')
          || to_char(bd, 'MMYY') || lpad((1 + i / 50000)::text, 4, '0'),
        case when sx = 'P' then (${textArray(women)})[1 + floor(random() * ${women.length})::int]
             else (${textArray(men)})[1 + floor(random() * ${men.length})::int] end
          || ' ' || (${textArray(families)})[1 + floor(random() * ${families.length})::int],
        case when i % 10 = 7 then null else sx::sex end,
        case when i % 10 = 3 then null else bd end,
        case when i % 10 = 9 then null
             else '+628' || (ARRAY['11','12','13','21','22','52','53','57','77','78'])[1 + i % 10]
               || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0') end,
        'Jl. Tjilik Riwut No. ' || (1 + i % 200)
      from (select i, case when (i / 5) % 2 = 0 then 'P' else 'L' end as sx,
                   date '1955-01-01' + ((i % 50000) / 10) * 4 as bd
            from generate_series(${from}, ${to}) as g(i)) s`),
    );
    await db.execute(
      sql.raw(`
      insert into businesses (id, ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code,
                              capital, annual_turnover, workers, covid_impacted, status)
      select md5('b' || i)::uuid, 'bench-' || i, md5('p' || i)::uuid,
        (${textArray(trades.map((t) => t[1]))})[k] || ' ' || (${textArray(brands)})[1 + floor(random() * ${brands.length})::int]
          || ' ' || (${textArray(brands)})[1 + floor(random() * ${brands.length})::int],
        case when random() < 0.05 then null else (${textArray(trades.map((t) => t[0]))})[k] end, 2020, region, left(region, 8),
        case when random() < 0.3 then null else (1 + floor(random() * 900)::bigint) * 1000000 end,
        case when r_size < 0.05 then null
             when r_size < 0.05 + 0.95 * 0.987 then (12 + floor(random() * 1980)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.999 then (2001 + floor(random() * 13000)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.9999 then (15001 + floor(random() * 35000)::bigint) * 1000000
             else (50001 + floor(random() * 150000)::bigint) * 1000000 end,
        case when random() < 0.1 then null else floor(random() * 6)::int end,
        case when r_covid < 0.6 then true when r_covid < 0.9 then false else null end,
        (case when r_status < 0.85 then 'aktif' when r_status < 0.95 then 'tidak_aktif' else 'tutup' end)::business_status
      from (select i, random() as r_size, random() as r_covid, random() as r_status,
                   1 + floor(${trades.length} * power(random(), 2.2))::int as k,
                   case when random() < 0.4 then (${textArray(city)})[1 + floor(random() * ${city.length})::int]
                        else (${textArray(province)})[1 + floor(random() * ${province.length})::int] end as region
            from generate_series(${from}, ${to}) as g(i)) s`),
    );
    log(`  filled ${to + 1} / ${n} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  // The civil servants: a list of `excludedCount` NIKs, spread over the registry.
  if (excludedCount > 0) {
    await db.execute(
      sql.raw(`insert into exclusion_lists (id, name, kind, source, entries)
               values ('00000000-0000-4000-8000-00000000a5a5', 'ASN (bench)', 'asn', 'bench', ${excludedCount})`),
    );
    const step = Math.max(1, Math.floor(n / excludedCount));
    await db.execute(
      sql.raw(`insert into exclusion_entries (list_id, nik)
               select '00000000-0000-4000-8000-00000000a5a5', nik from people
               where ('x' || substr(md5(id::text), 1, 8))::bit(32)::int % ${step} = 0
               limit ${excludedCount}`),
    );
  }
  for (const table of ['people', 'businesses', 'exclusion_entries', 'exclusion_lists']) {
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  return (performance.now() - started) / 1000;
}

async function scalar(ctx: AppContext, text: string): Promise<number> {
  const result = (await ctx.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] };
  return Number(Object.values(result.rows[0] ?? {})[0]);
}

// ---------------------------------------------------------------- rules

const notListed = (kind: string) => ({ '!': { in: [kind, { var: 'exclusions' }] } });

const rules: { name: string; rule: unknown }[] = [
  { name: 'rattan (founding rule)', rule: rattanTrainingRule },
  { name: 'rattan, not a civil servant', rule: { and: [...rattanTrainingRule.and, notListed('asn')] } },
  {
    name: 'micro, Covid-hit, active, owner 18–60, not ASN/deceased (broad)',
    rule: {
      and: [
        { '==': [{ var: 'size' }, 'mikro'] },
        { '==': [{ var: 'covidImpacted' }, true] },
        { '==': [{ var: 'status' }, 'aktif'] },
        { '<=': [18, { var: 'ownerAge' }, 60] },
        notListed('asn'),
        notListed('deceased'),
      ],
    },
  },
  {
    name: 'women-run food businesses in the city, turnover ≤ Rp300 jt',
    rule: {
      and: [
        { in: [{ var: 'kecamatan' }, ['62.71.01', '62.71.02', '62.71.03', '62.71.04', '62.71.05']] },
        { in: [{ var: 'kbli' }, ['56102', '10792', '10794', '10710', '10750', '10799', '10796']] },
        { '==': [{ var: 'ownerSex' }, 'P'] },
        { '<=': [{ var: 'annualTurnover' }, 300_000_000] },
      ],
    },
  },
  {
    name: 'crafts anywhere: rattan or bamboo or carving, or workers ≥ 3 (or-heavy)',
    rule: {
      or: [
        { in: [{ var: 'kbli' }, ['16291', '16292', '16293', '16294', '16104', '31002']] },
        { and: [{ '>=': [{ var: 'workers' }, 3] }, { in: ['62.71', { var: 'kecamatan' }] }] },
      ],
    },
  },
];

// ---------------------------------------------------------------- main

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const { database, name: dbName, fresh } = await openBenchDatabase();
const ctx = await createAppContext(database);
try {
  const cpus = os.cpus();
  const version =
    engine === 'postgres'
      ? ` ${String(((await ctx.db.execute(sql.raw('show server_version'))) as unknown as { rows: { server_version: string }[] }).rows[0]?.server_version)}`
      : '';
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${engine}${version}`;
  log(`machine: ${machine}`);
  let fillSeconds: number | null = null;
  const existing = fresh ? 0 : await scalar(ctx, 'select count(*) from businesses');
  if (existing !== businessCount) {
    if (existing !== 0)
      throw new Error(`database ${dbName} holds ${existing} businesses, not ${businessCount}`);
    log(`filling ${businessCount} businesses, their owners and ${excludedCount} excluded NIKs…`);
    fillSeconds = await fill(ctx, businessCount);
  }

  const dinas = await ensureOrganisation(ctx.db, {
    code: 'bench-dinas',
    name: 'Dinas Perdagangan, Koperasi, UKM dan Perindustrian',
    kind: 'dinas',
    regionCode: '62.71',
  });
  const { user } = await ensureUser(ctx.db, {
    username: 'bench-officer',
    displayName: 'Bench officer',
    role: 'program_officer',
    organisationId: dinas.id,
  });
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    role: 'program_officer',
    organisationId: dinas.id,
    regionCode: null,
    personId: null,
  };

  // Warm the caches as a running server would have them, then the anchor.
  const anchorSql = 'select count(*) from businesses';
  await scalar(ctx, anchorSql);
  const anchorMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await scalar(ctx, anchorSql);
    anchorMs.push(performance.now() - t0);
  }
  const anchor = median(anchorMs);

  type Row = {
    name: string;
    eligible: number;
    applied: number;
    ms: number[];
    countsMs: number[];
    pageMs: number[];
  };
  const results: Row[] = [];
  for (const { name, rule } of rules) {
    const [program] = (
      (await ctx.db.execute(sql`
        insert into programs (organisation_id, name, type, capacity, selection, start_date, end_date, venue, eligibility)
        values (${dinas.id}::uuid, ${`Bench: ${name}`}, 'training', 30, 'first_come', '2020-08-24', '2020-08-28',
                'Aula Kecamatan Bukit Batu', ${JSON.stringify(rule)}::jsonb)
        returning id`)) as unknown as { rows: { id: string }[] }
    ).rows;
    const programId = program!.id;
    const where = ruleCondition(ruleToSql(rule, { on: '2020-08-24' }));
    // Warm-up run, then timed runs: the whole service call, and its two queries alone.
    let last = await runScreening(ctx, actor, programId, {}, 'https://pulih.example', 'id');
    const row: Row = {
      name,
      eligible: last.total.eligible,
      applied: last.total.applied,
      ms: [],
      countsMs: [],
      pageMs: [],
    };
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      last = await runScreening(ctx, actor, programId, {}, 'https://pulih.example', 'id');
      row.ms.push(performance.now() - t0);
      t0 = performance.now();
      await countEligibleByKecamatan(ctx.db, where, programId, {});
      row.countsMs.push(performance.now() - t0);
      t0 = performance.now();
      await listEligibleRows(ctx.db, where, programId, {}, { limit: 50, after: null, order: 'name' });
      row.pageMs.push(performance.now() - t0);
    }
    results.push(row);
    log(`  ${name}: ${row.eligible} eligible, median ${median(row.ms).toFixed(0)} ms`);
    if (args.explain && engine === 'postgres') {
      for (const [label, query] of [
        [
          'counts',
          sql`explain (analyze, buffers, costs off) select b.kecamatan_code, count(*) from businesses b join people p on p.id = b.owner_id where ${where} group by 1`,
        ],
        [
          'first page',
          sql`explain (analyze, buffers, costs off) select b.id from businesses b join people p on p.id = b.owner_id where ${where} order by lower(b.name), b.id limit 51`,
        ],
      ] as const) {
        const plan = (await ctx.db.execute(query)) as unknown as { rows: { 'QUERY PLAN': string }[] };
        console.log(`\n-- ${name}: ${label}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
  }

  console.log(
    `\nScreening — ${businessCount.toLocaleString('en')} businesses, ${excludedCount.toLocaleString('en')} NIKs on an ASN list, ${runs} runs each (median)`,
  );
  console.log(`machine: ${machine}${fillSeconds ? `; filled in ${fillSeconds.toFixed(0)} s` : ''}`);
  console.log(`anchor: ${anchorSql} — median ${anchor.toFixed(0)} ms\n`);
  const header = ['rule', 'eligible', 'screening ms', 'max ms', 'counts ms', 'page ms', '/ anchor'];
  const lines = results.map((r) => [
    r.name,
    r.eligible.toLocaleString('en'),
    median(r.ms).toFixed(0),
    Math.max(...r.ms).toFixed(0),
    median(r.countsMs).toFixed(0),
    median(r.pageMs).toFixed(0),
    `${(median(r.ms) / anchor).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const l of lines) console.log(line(l));
  const worst = Math.max(...results.map((r) => Math.max(...r.ms)));
  console.log(
    `\ntarget ≤ 5000 ms per screening: ${worst <= 5000 ? 'met' : 'NOT met'} (slowest run ${worst.toFixed(0)} ms)`,
  );
} finally {
  await database.close();
  if (dbName && !args.keep && !args.reuse) await adminQuery(`drop database if exists ${dbName} with (force)`);
  else if (dbName) log(`kept database ${dbName}`);
}
