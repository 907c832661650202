// Outcomes at scale (issue 12): the outcomes report and the dashboard's queries over N synthetic
// businesses, 100,000 applications in 100 programs and 50,000 follow-up answers, all written in
// SQL. Target: each query ≤ 1 s on PostgreSQL. Anchor: a plain `select count(*) from
// applications` (a full scan) in the same run. Checks that the rows add up to the totals.
//
//   npm run bench -- outcomes --businesses 1000000 [--applications 100000] [--answers 50000]
//     [--engine postgres|pglite] [--runs 5] [--keep] [--reuse DBNAME]
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createAppContext } from '../src/app/app-context.ts';
import { queryRow } from '../src/db/sql-rows.ts';
import type { AppContext } from '../src/lib/context.ts';
import { brandWords, familyNames, trades } from '../src/lib/synthetic.ts';
import {
  getFunnel,
  getOutcomeBreakdown,
  getOutcomeFigures,
  getOutcomeFiguresFor,
} from '../src/modules/outcomes/outcomes.service.ts';
import { getSummary } from '../src/modules/reports/reports.service.ts';
import type { Actor } from '../src/policies.ts';
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
import { median, printTable } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    businesses: { type: 'string', default: '1000000' },
    applications: { type: 'string', default: '100000' },
    answers: { type: 'string', default: '50000' },
    programs: { type: 'string', default: '100' },
    engine: { type: 'string', default: 'postgres' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});

const businessCount = Number(args.businesses);
const applicationCount = Number(args.applications);
const answerCount = Number(args.answers);
const programCount = Number(args.programs);
const runs = Number(args.runs);
const engine = engineOf(args.engine);
if (!Number.isInteger(businessCount) || businessCount < 1000) throw new Error('--businesses must be ≥ 1000');
if (!(applicationCount >= 100 && applicationCount <= businessCount))
  throw new Error('--applications 100..businesses');
if (!(answerCount >= 0 && answerCount <= applicationCount)) throw new Error('--answers 0..applications');
if (!(programCount >= 1 && programCount <= 10_000)) throw new Error('--programs 1..10000');
if (!(runs >= 1 && runs <= 50)) throw new Error('--runs 1..50');

async function fillRegistry(ctx: AppContext, n: number) {
  const { city, province } = regionCodes(ctx);
  await fillInChunks(ctx, n, async (from, to) => {
    await ctx.db.execute(
      sql.raw(`
      insert into people (id, nik, name, sex, birth_date, phone, address)
      select md5('p' || i)::uuid, ${ownerNik}, ${ownerGivenName} || ' ' || ${randomOf(familyNames)},
        sex::sex, bd, ${ownerPhone}, 'Jl. Tjilik Riwut No. ' || (1 + i % 200)
      from ${ownerSeries(from, to, '1955-01-01', 4)}`),
    );
    await ctx.db.execute(
      sql.raw(`
      insert into businesses (${businessColumns})
      select md5('b' || i)::uuid, 'bench-' || i, md5('p' || i)::uuid,
        (${textArray(trades.map((t) => t[1]))})[k] || ' ' || ${randomOf(brandWords)},
        case when random() < 0.05 then null else (${textArray(trades.map((t) => t[0]))})[k] end, 2020,
        region, left(region, 8), ${businessCapital},
        case when random() < 0.15 then 0 else ${businessTurnover} end,
        case when random() < 0.1 then null else floor(random() * 6)::int end,
        ${businessCovidAndStatus}
      from (select i, random() as r_size, random() as r_covid, random() as r_status,
                   ${tradeIndex} as k, ${businessRegion(city, province)} as region
            from generate_series(${from}, ${to}) as g(i)) s`),
    );
  });
}

// Programs ending over 2023–2025; applications spread over the registry (business i·step), with
// the statuses of a real intake; for the graduates a follow-up 3 months after the end, for half of
// them a second at 6 months; answers to the first `answers` follow-ups, a tenth answered twice;
// equipment handed over to a fifth of the graduates.
async function fillOutcomes(ctx: AppContext, organisationId: string) {
  const step = Math.floor(businessCount / applicationCount);
  const db = ctx.db;
  await db.execute(
    sql.raw(`insert into programs (id, organisation_id, name, type, capacity, selection, start_date, end_date)
      select md5('prog' || j)::uuid, '${organisationId}', 'Pelatihan ' || j, 'training', 100000, 'first_come',
        date '2023-01-02' + (j * 9) - 5, date '2023-01-02' + (j * 9)
      from generate_series(0, ${programCount - 1}) as g(j)`),
  );
  await db.execute(
    sql.raw(`insert into applications (id, program_id, business_id, status, source)
      select md5('app' || i)::uuid, md5('prog' || (i % ${programCount}))::uuid, md5('b' || (i * ${step}))::uuid,
        (case when r < 0.6 then 'completed' when r < 0.72 then 'enrolled' when r < 0.8 then 'waitlisted'
              when r < 0.86 then 'ineligible' when r < 0.9 then 'pending' when r < 0.95 then 'withdrawn'
              else 'dropped' end)::application_status, 'officer'
      from (select i, random() as r from generate_series(0, ${applicationCount - 1}) as g(i)) s`),
  );
  await db.execute(
    sql.raw(`insert into follow_ups (program_id, application_id, business_id, due_at, token)
      select a.program_id, a.id, a.business_id, p.end_date + m * interval '1 month', md5('fu' || a.id || m)
      from applications a join programs p on p.id = a.program_id
      cross join (values (3), (6)) as v(m)
      where a.status = 'completed' and (m = 3 or get_byte(decode(md5(a.id::text), 'hex'), 0) < 128)`),
  );
  const once = Math.round(answerCount * 0.9);
  await db.execute(
    sql.raw(`insert into follow_up_answers (follow_up_id, sales_last_month, workers, still_producing, channels, source, answered_at)
      select f.id, (case when random() < 0.25 then 0 else (1 + floor(random() * 40))::bigint * 250000 end),
        floor(random() * 6)::int, random() < 0.8, '["pasar"]'::jsonb,
        (case when random() < 0.7 then 'self' else 'phone' end), f.due_at + interval '2 days'
      from (select id, due_at from follow_ups order by token limit ${once}) f`),
  );
  await db.execute(
    sql.raw(`insert into follow_up_answers (follow_up_id, sales_last_month, workers, still_producing, channels, source, answered_at)
      select f.id, (1 + floor(random() * 40))::bigint * 250000, floor(random() * 6)::int, true, '[]'::jsonb,
        'visit', f.due_at + interval '9 days'
      from (select id, due_at from follow_ups order by token limit ${answerCount - once}) f`),
  );
  await db.execute(
    sql.raw(`insert into aid_stock (id, organisation_id, budget_year, item, unit, unit_value, quantity, allocated)
      values ('00000000-0000-4000-8000-0000000a1d00', '${organisationId}', 2024, 'Mesin (bench)', 'unit', 1500000, ${applicationCount}, 0)`),
  );
  await db.execute(
    sql.raw(`insert into aid_allocations (stock_id, business_id, program_id, quantity, status)
      select '00000000-0000-4000-8000-0000000a1d00', a.business_id, a.program_id, 1, 'handed_over'
      from applications a where a.status = 'completed' and get_byte(decode(md5(a.id::text), 'hex'), 1) < 51`),
  );
  await db.execute(
    sql.raw(`update aid_stock set allocated = (select count(*) from aid_allocations)
      where id = '00000000-0000-4000-8000-0000000a1d00'`),
  );
  for (const table of [
    'people',
    'businesses',
    'programs',
    'applications',
    'follow_ups',
    'follow_up_answers',
    'aid_allocations',
  ])
    await db.execute(sql.raw(engine === 'postgres' ? `vacuum analyze ${table}` : `analyze ${table}`));
}

async function timed<T>(run: () => Promise<T>) {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await run();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result: result as T };
}

const bench = await openBenchDatabase(engine, { prefix: 'pulih_bench_outcomes_', reuse: args.reuse });
const ctx = await createAppContext(bench.database);
try {
  const machine = await describeMachine(ctx, engine);
  const { dinas, user } = await ensureBenchOfficer(ctx);
  let fillSeconds = 0;
  const present = await queryRow<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from follow_up_answers`,
  );
  if (bench.fresh || !present?.n) {
    const t0 = performance.now();
    log(`filling ${businessCount} businesses…`);
    await fillRegistry(ctx, businessCount);
    log(`filling ${applicationCount} applications, follow-ups and ${answerCount} answers…`);
    await fillOutcomes(ctx, dinas.id);
    fillSeconds = (performance.now() - t0) / 1000;
  }
  const counts = await queryRow<Record<string, number>>(
    ctx.db,
    sql`select (select count(*) from businesses)::int as businesses, (select count(*) from applications)::int as applications,
      (select count(*) from follow_ups)::int as follow_ups, (select count(*) from follow_up_answers)::int as answers`,
  );
  const actor: Actor = {
    userId: user.id,
    username: 'bench-officer',
    role: 'program_officer',
    organisationId: dinas.id,
    regionCode: null,
    personId: null,
  };
  const office: Actor = { ...actor, role: 'kecamatan_officer', regionCode: '62.71.02' };
  const program = await queryRow<{ id: string }>(ctx.db, sql`select md5('prog0')::uuid::text as id`);
  const programId = program?.id ?? '';

  const anchor = await timed(() => queryRow(ctx.db, sql`select count(*) from applications`));
  const cases: [string, () => Promise<unknown>][] = [
    ['outcomes report, all programs (GET /reports/outcomes)', () => getOutcomeFiguresFor(ctx, actor, {})],
    ['outcomes report, one program', () => getOutcomeFiguresFor(ctx, actor, { programId })],
    ['outcomes report, one kecamatan office', () => getOutcomeFiguresFor(ctx, office, {})],
    ['outcomes report, one year', () => getOutcomeFiguresFor(ctx, actor, { year: 2024 })],
    ['dashboard: funnel, all', () => getFunnel(ctx.db, {})],
    ['dashboard: funnel, one program', () => getFunnel(ctx.db, { programId })],
    ['dashboard: outcomes by KBLI', () => getOutcomeBreakdown(ctx.db, {}, 'kbli')],
    ['dashboard: outcomes by cohort', () => getOutcomeBreakdown(ctx.db, {}, 'cohort')],
    ['dashboard: outcomes by month', () => getOutcomeBreakdown(ctx.db, {}, 'month')],
    ['dashboard: summary (GET /reports/summary)', () => getSummary(ctx, actor)],
  ];
  const rows: string[][] = [];
  let worst = 0;
  for (const [label, run] of cases) {
    const { ms } = await timed(run);
    worst = Math.max(worst, ms);
    rows.push([label, ms.toFixed(0), (ms / anchor.ms).toFixed(1), ms <= 1000 ? 'ok' : 'OVER']);
  }
  // The rows add up to the totals.
  const figures = await getOutcomeFigures(ctx.db, {});
  for (const key of ['graduates', 'answered', 'newEntrepreneurs', 'activeAfterFollowUp'] as const) {
    const byProgram = figures.byProgram.reduce((n, r) => n + r[key], 0);
    const byKecamatan = figures.byKecamatan.reduce((n, r) => n + r[key], 0);
    if (byProgram !== figures.totals[key] || byKecamatan !== figures.totals[key])
      throw new Error(`${key}: rows ${byProgram}/${byKecamatan} ≠ total ${figures.totals[key]}`);
  }
  console.log(
    `outcomes at scale: ${counts?.businesses} businesses, ${counts?.applications} applications, ` +
      `${counts?.follow_ups} follow-ups, ${counts?.answers} answers`,
  );
  console.log(`machine: ${machine}${fillSeconds ? `; filled in ${fillSeconds.toFixed(0)} s` : ''}`);
  console.log(
    `anchor: select count(*) from applications — median ${anchor.ms.toFixed(1)} ms (${runs} runs)\n`,
  );
  printTable(['query', 'median ms', '× anchor', '≤ 1 s'], rows);
  const t = figures.totals;
  console.log(
    `\ntotals: ${t.graduates} graduates, ${t.asked} asked, ${t.answered} answered, ${t.newEntrepreneurs} new entrepreneurs, ` +
      `${t.activeAfterFollowUp} active, ${t.recovered}/${t.recoveredKnown} recovered; worst ${worst.toFixed(0)} ms`,
  );
  if (worst > 1000) process.exitCode = 1;
} finally {
  await closeBenchDatabase(bench, args.keep);
}
