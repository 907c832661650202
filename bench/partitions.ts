// A national registry partitioned by province (issue 14, point 6; design in docs/scaling.md):
// N businesses and their owners spread over Indonesia's 38 provinces, written in SQL
// (generate_series) into a database of its own, twice: plain tables, and tables partitioned by
// LIST on the province code (the first two digits of the region code; for people, of the NIK).
// Then the registry's list and screening queries run against both, and EXPLAIN tells how many
// partitions each plan touched (pruning).
//
//   npm run bench -- partitions --businesses 5000000 [--runs 5] [--keep] [--reuse DBNAME]
//
// Anchor: `select 1` on the same connection in the same run. The figure to watch is the ratio
// partitioned ÷ plain of the same query on the same rows.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { brandWords, familyNames, menNames, trades, womenNames } from '../src/lib/synthetic.ts';
import { adminQuery, databaseUrl, dropDatabase, log } from './lib/database.ts';
import { textArray } from './lib/registry.ts';
import { loadAverage, median, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    businesses: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const businessCount = Number(args.businesses);
const runs = Number(args.runs);
if (!Number.isInteger(businessCount) || businessCount < 10_000) throw new Error('--businesses ≥ 10000');
if (!(runs >= 1 && runs <= 50)) throw new Error('--runs 1..50');
// About nine owners for ten businesses, as in the registries Pulih imports.
const peopleCount = Math.round(businessCount * 0.9);

// Province codes (Permendagri) with a rough share of the country's UMKM, which decides how
// many kabupaten/kota, and so kecamatan, each gets: Java holds about half.
// biome-ignore format: a compact list
const provinces: [code: string, kabkota: number][] = [
  ['11', 23], ['12', 33], ['13', 19], ['14', 12], ['15', 11], ['16', 17], ['17', 10], ['18', 15],
  ['19', 7], ['21', 7], ['31', 24], ['32', 60], ['33', 66], ['34', 10], ['35', 70], ['36', 18],
  ['51', 9], ['52', 10], ['53', 22], ['61', 14], ['62', 14], ['63', 13], ['64', 10], ['65', 5],
  ['71', 15], ['72', 13], ['73', 24], ['74', 17], ['75', 6], ['76', 6], ['81', 11], ['82', 10],
  ['91', 8], ['92', 6], ['93', 8], ['94', 29], ['95', 8], ['96', 7],
];
const kecamatanPerKabkota = 14;

const bench = args.reuse ?? `registry_scale_parts_${Date.now().toString(36)}`;
if (!/^[a-z0-9_]+$/.test(bench)) throw new Error('--reuse takes a plain database name');
let fresh = true;
try {
  await adminQuery(`create database ${bench}`);
} catch (error) {
  if (!args.reuse) throw error;
  fresh = false;
}
const client = new pg.Client({ connectionString: databaseUrl(bench) });
await client.connect();

async function step(label: string, text: string) {
  const started = performance.now();
  await client.query(text);
  const seconds = (performance.now() - started) / 1000;
  log(`  ${label}: ${seconds.toFixed(1)} s (load ${loadAverage()})`);
  return seconds;
}

const uuidOf = (tag: string, i: string) =>
  `overlay(overlay(md5('${tag}' || ${i}) placing '4' from 13) placing '8' from 17)::uuid`;
// A kecamatan for row i, spread evenly over all kecamatan (so over provinces by their size).
const kecamatanOf = (i: string) => `(1 + (${i}::bigint * 2654435761) % (select count(*) from kecamatan))`;

const regionDdl = `
  create table kecamatan (n int primary key, code text not null, province text not null);
  insert into kecamatan (n, code, province)
  select row_number() over (order by p.code, k, d), p.code || '.' || lpad(k::text, 2, '0') || '.' || lpad(d::text, 2, '0'), p.code
  from (values ${provinces.map(([c, k]) => `('${c}', ${k})`).join(', ')}) as p(code, kabkota),
    generate_series(1, p.kabkota) as k, generate_series(1, ${kecamatanPerKabkota}) as d;`;

// The columns the registry's list and screening read; ids are UUIDs as in the application.
const peopleColumns = `id uuid not null, province text not null, nik text not null, name text not null,
  sex text not null, birth_date date not null, region_code text not null`;
const businessColumns = `id uuid not null, province text not null, owner_id uuid not null,
  owner_province text not null, name text not null, kbli text, region_code text not null,
  kecamatan_code text not null, capital bigint, annual_turnover bigint, workers int,
  covid_impacted boolean, status text not null`;

async function fill() {
  const chunk = 500_000;
  await step('regions', regionDdl);
  await client.query(`create table people_plain (${peopleColumns})`);
  await client.query(`create table businesses_plain (${businessColumns})`);
  await client.query('select setseed(0.14)');
  // A person j lives in kecamatan kecamatanOf(j); the NIK starts with that kecamatan's code and
  // (birth date, serial) is a bijection of j, so every NIK is unique.
  for (let from = 1; from <= peopleCount; from += chunk) {
    const to = Math.min(peopleCount, from + chunk - 1);
    await step(
      `people ${to.toLocaleString('en')}`,
      `insert into people_plain
       select ${uuidOf('p', 'j')}, k.province,
         replace(k.code, '.', '') || to_char(bd, 'DD') || to_char(bd, 'MMYY') || lpad((j / 20000 + 1)::text, 4, '0'),
         case when j % 2 = 0 then (${textArray(womenNames)})[1 + floor(random() * ${womenNames.length})::int]
              else (${textArray(menNames)})[1 + floor(random() * ${menNames.length})::int] end
           || ' ' || (${textArray(familyNames)})[1 + floor(random() * ${familyNames.length})::int],
         case when j % 2 = 0 then 'P' else 'L' end, bd, k.code || '.' || lpad((1 + j % 12)::text, 4, '0')
       from (select j, date '1950-01-01' + (j % 20000) as bd from generate_series(${from}, ${to}) as j) s
         join kecamatan k on k.n = ${kecamatanOf('j')}`,
    );
  }
  // Business i belongs to person 1 + (i - 1) % P (the first tenth own two); nine in ten are in
  // their owner's kecamatan, the others anywhere in the country.
  for (let from = 1; from <= businessCount; from += chunk) {
    const to = Math.min(businessCount, from + chunk - 1);
    await step(
      `businesses ${to.toLocaleString('en')}`,
      `insert into businesses_plain
       select ${uuidOf('b', 'i')}, k.province, ${uuidOf('p', 'j')}, o.province,
         case when random() < 0.6 then t.word || ' ' || b1 || ' ' || b2 else b1 || ' ' || b2 || ' ' || t.word end,
         t.kbli, k.code || '.' || lpad((1 + i % 12)::text, 4, '0'), k.code,
         case when random() < 0.3 then null else (1 + floor(random() * 900)::bigint) * 1000000 end,
         case when r < 0.05 then null when r < 0.99 then (12 + floor(random() * 1980)::bigint) * 1000000
              when r < 0.999 then (2001 + floor(random() * 13000)::bigint) * 1000000
              else (15001 + floor(random() * 100000)::bigint) * 1000000 end,
         floor(random() * 6)::int,
         case when random() < 0.6 then true when random() < 0.75 then false end,
         case when r2 < 0.85 then 'aktif' when r2 < 0.95 then 'tidak_aktif' else 'tutup' end
       from (select i, 1 + (i - 1) % ${peopleCount} as j, random() as r, random() as r2, random() as rw,
               1 + floor(${trades.length} * power(random(), 2.2))::int as ti,
               (${textArray(brandWords)})[1 + floor(random() * ${brandWords.length})::int] as b1,
               (${textArray(brandWords)})[1 + floor(random() * ${brandWords.length})::int] as b2
             from generate_series(${from}, ${to}) as i) s
         join (select ord as ti, kbli, word from unnest(${textArray(trades.map((t) => t[0]))}::text[],
               ${textArray(trades.map((t) => t[1]))}::text[]) with ordinality as x(kbli, word, ord)) t using (ti)
         join kecamatan o on o.n = ${kecamatanOf('j')}
         join kecamatan k on k.n = case when rw < 0.9 then o.n else ${kecamatanOf('i * 7 + 3')} end`,
    );
  }
  const built: Record<string, number> = {};
  built['plain: keys'] = await step(
    'plain keys',
    `alter table people_plain add primary key (id), add constraint people_plain_nik_key unique (nik);
     alter table businesses_plain add primary key (id),
       add foreign key (owner_id) references people_plain (id)`,
  );
  built['plain: indexes'] = await step('plain indexes', indexesOn('businesses_plain', 'people_plain'));
  // Partitioned: LIST on the province; the keys must contain it.
  const parts = (table: string) =>
    provinces
      .map(([c]) => `create table ${table}_${c} partition of ${table} for values in ('${c}');`)
      .join('\n');
  await client.query(`
    create table people_part (${peopleColumns}) partition by list (province);
    ${parts('people_part')}
    create table businesses_part (${businessColumns}) partition by list (province);
    ${parts('businesses_part')}`);
  built['partitioned: copy'] = await step(
    'partitioned copy',
    `insert into people_part select * from people_plain;
     insert into businesses_part select * from businesses_plain`,
  );
  built['partitioned: keys'] = await step(
    'partitioned keys',
    `alter table people_part add primary key (province, id), add constraint people_part_nik_key unique (province, nik);
     alter table businesses_part add primary key (province, id),
       add foreign key (owner_province, owner_id) references people_part (province, id)`,
  );
  built['partitioned: indexes'] = await step(
    'partitioned indexes',
    indexesOn('businesses_part', 'people_part'),
  );
  await step('analyze', 'vacuum analyze');
  return built;
}

// The registry's own list and search indexes (migrations 0002, 0004), on either copy.
function indexesOn(businesses: string, people: string) {
  return `
    create index on ${businesses} (kecamatan_code, lower(name), id);
    create index on ${businesses} (kbli, lower(name), id);
    create index on ${businesses} (lower(name), id);
    create index on ${businesses} using gin (lower(name) gin_trgm_ops);
    create index on ${businesses} (owner_id);
    create index on ${people} using gin (lower(name) gin_trgm_ops);`;
}

// A stored NIK, read before the queries run.
let sampleNik = '';

type Query = { kind: string; sql: (t: { b: string; p: string; hint: boolean }) => string };

const kecamatan = '35.07.05';
const province = kecamatan.slice(0, 2);
const size = `annual_turnover <= 2000000000`;
// Each query as the application would send it: on the partitioned copy it adds the province
// (known from the kecamatan, the officer's region or the NIK) so that the planner can prune.
const queries: Query[] = [
  {
    kind: 'kecamatan: list, first page',
    sql: ({ b, hint }) =>
      `select id, name from ${b} where kecamatan_code = '${kecamatan}'${hint ? ` and province = '${province}'` : ''}
       order by lower(name), id limit 50`,
  },
  {
    kind: 'kecamatan: screening count',
    sql: ({ b, hint }) =>
      `select count(*) from ${b} where kecamatan_code = '${kecamatan}'${hint ? ` and province = '${province}'` : ''}
       and status = 'aktif' and covid_impacted and ${size}`,
  },
  {
    kind: 'kecamatan: women owners (join)',
    sql: ({ b, p, hint }) =>
      `select count(*) from ${b} b join ${p} o on o.id = b.owner_id${hint ? ' and o.province = b.owner_province' : ''}
       where b.kecamatan_code = '${kecamatan}'${hint ? ` and b.province = '${province}'` : ''} and o.sex = 'P'`,
  },
  {
    kind: 'province: KBLI list, first page',
    sql: ({ b }) =>
      `select id, name from ${b} where province = '${province}' and kbli = '10796' order by lower(name), id limit 50`,
  },
  {
    kind: 'province: screening count',
    sql: ({ b }) =>
      `select count(*) from ${b} where province = '${province}' and status = 'aktif' and covid_impacted and ${size}`,
  },
  {
    kind: 'country: screening count (KBLI 10xxx)',
    sql: ({ b }) => `select count(*) from ${b} where kbli like '10%' and status = 'aktif' and ${size}`,
  },
  {
    kind: 'country: count by province and status',
    sql: ({ b }) => `select province, status, count(*) from ${b} group by 1, 2`,
  },
  {
    kind: 'country: name search, first page',
    sql: ({ b }) =>
      `select id, name from ${b} where lower(name) like '%dodol mulia%' order by lower(name), id limit 50`,
  },
  {
    kind: 'province: name search, first page',
    sql: ({ b }) =>
      `select id, name from ${b} where province = '${province}' and lower(name) like '%dodol mulia%'
       order by lower(name), id limit 50`,
  },
  {
    kind: 'NIK look-up',
    sql: ({ p, hint }) =>
      `select id from ${p} where nik = '${sampleNik}'${hint ? ` and province = '${sampleNik.slice(0, 2)}'` : ''}`,
  },
];

async function timeOf(text: string) {
  const times: number[] = [];
  await client.query(text); // warm
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await client.query(text);
    times.push(performance.now() - started);
  }
  return median(times);
}

// The partitions a plan reads: the distinct relations under its scans.
async function partitionsRead(text: string, prefix: string) {
  const plan = (await client.query(`explain (format json) ${text}`)).rows[0]['QUERY PLAN'];
  const names = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    const relation = node['Relation Name'];
    if (typeof relation === 'string' && relation.startsWith(prefix)) names.add(relation);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan[0].Plan);
  return names.size;
}

try {
  await client.query('create extension if not exists pg_trgm');
  const existing = fresh
    ? 0
    : Number(
        (await client.query(`select count(*) as n from pg_tables where tablename = 'businesses_part'`))
          .rows[0].n,
      );
  let built: Record<string, number> | null = null;
  if (existing === 0) {
    log(
      `filling ${businessCount.toLocaleString('en')} businesses, ${peopleCount.toLocaleString('en')} people…`,
    );
    built = await fill();
  }
  const counted = Number((await client.query('select count(*) as n from businesses_plain')).rows[0].n);
  const sizes = (
    await client.query(`select
      pg_size_pretty(pg_total_relation_size('businesses_plain') + pg_total_relation_size('people_plain')) as plain,
      (select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c
        where c.relkind = 'r' and (c.relname like 'businesses_part_%' or c.relname like 'people_part_%')) as part,
      (select max(n) from (select count(*) as n from businesses_plain group by province) x) as biggest`)
  ).rows[0];
  const version = (await client.query('show server_version')).rows[0].server_version;
  sampleNik = (await client.query(`select nik from people_plain where id = ${uuidOf('p', '123457')}`)).rows[0]
    ?.nik;
  const loadBefore = loadAverage();
  const anchor = await timeOf('select 1');
  const rows: string[][] = [];
  for (const q of queries) {
    const plain = q.sql({ b: 'businesses_plain', p: 'people_plain', hint: false });
    const part = q.sql({ b: 'businesses_part', p: 'people_part', hint: true });
    const plainMs = await timeOf(plain);
    const partMs = await timeOf(part);
    const businessParts = await partitionsRead(part, 'businesses_part_');
    const peopleParts = await partitionsRead(part, 'people_part_');
    const read = [
      businessParts ? `businesses ${businessParts}` : '',
      peopleParts ? `people ${peopleParts}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    rows.push([
      q.kind,
      plainMs.toFixed(1),
      partMs.toFixed(1),
      `${(partMs / plainMs).toFixed(2)}×`,
      `${read} of ${provinces.length}`,
    ]);
  }
  console.log(
    `\nPartitioned registry — ${counted.toLocaleString('en')} businesses, ${peopleCount.toLocaleString('en')} people, ${provinces.length} provinces, PostgreSQL ${version}`,
  );
  console.log(
    `sizes with indexes: plain ${sizes.plain}, partitions ${sizes.part}; largest province ${Number(sizes.biggest).toLocaleString('en')} businesses`,
  );
  if (built)
    console.log(
      `build: ${Object.entries(built)
        .map(([k, s]) => `${k} ${s.toFixed(0)} s`)
        .join(', ')}`,
    );
  console.log(
    `load average before / after: ${loadBefore} / ${loadAverage()}; median of ${runs} runs after one warm-up`,
  );
  console.log(`anchor (select 1 on the same connection): ${anchor.toFixed(2)} ms\n`);
  printTable(['query', 'plain ms', 'partitioned ms', 'part ÷ plain', 'partitions read'], rows);
} finally {
  await client.end();
  if (!args.keep && !args.reuse) await dropDatabase(bench);
  else log(`kept database ${bench}`);
}
