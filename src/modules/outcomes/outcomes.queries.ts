import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { newEntrepreneurMonths } from '../../domain/outcomes.ts';
import { soldAfter } from '../sales/sales.service.ts';

// The outcome figures of DOMAIN.md in SQL, one row per graduate (a completed application)
// summed per group. src/domain/outcomes.ts defines the same for one graduate and is the tests'
// oracle; docs/figures.md says it in words. Every group's rows add up to the totals: a
// graduate lies in one program, one kecamatan, one KBLI and one cohort.

export type OutcomeFilter = {
  programId?: string | undefined;
  kecamatan?: string | undefined;
  year?: number | undefined;
};

export type Quartiles = { p25: number | null; median: number | null; p75: number | null };

export type OutcomeRow = {
  graduates: number;
  // graduates with at least one follow-up opened
  asked: number;
  // graduates who answered at least one follow-up
  answered: number;
  // the latest answer reports sales above 0
  selling: number;
  newEntrepreneurs: number;
  activeAfterFollowUp: number;
  recovered: number;
  // the denominator of `recovered`: answered, with an annual turnover before Covid-19 above 0
  recoveredKnown: number;
  // Annual turnover (rupiah) before (the registry) and after (latest sales last month × 12), and
  // workers before and after, over the graduates who answered and whose value before is known.
  turnoverBefore: Quartiles;
  turnoverAfter: Quartiles;
  workersBefore: Quartiles;
  workersAfter: Quartiles;
  // answered graduates whose annual turnover rose, stayed, fell (same set as the quartiles)
  turnoverUp: number;
  turnoverSame: number;
  turnoverDown: number;
};

export type OutcomeDimension = 'program' | 'kecamatan' | 'kbli' | 'cohort' | 'month';

export type OutcomeFigures = {
  totals: OutcomeRow;
  byProgram: (OutcomeRow & { programId: string; programName: string; endDate: string })[];
  byKecamatan: (OutcomeRow & { kecamatan: string })[];
};

const dimensionKey: Record<OutcomeDimension, SQL> = {
  program: sql`g.program_id::text`,
  kecamatan: sql`g.kecamatan_code`,
  kbli: sql`coalesce(g.kbli, '')`,
  // the month the training ended: graduates of one month are a cohort
  cohort: sql`to_char(g.end_date, 'YYYY-MM')`,
  // the month the graduate's latest follow-up was due ('' when none was opened)
  month: sql`coalesce(to_char(g.last_due, 'YYYY-MM'), '')`,
};

function graduatesWhere(filter: OutcomeFilter, graduatesOnly = true): SQL {
  const parts: SQL[] = graduatesOnly ? [sql`a.status = 'completed'`] : [sql`true`];
  if (filter.programId) parts.push(sql`a.program_id = ${filter.programId}`);
  if (filter.kecamatan) parts.push(sql`b.kecamatan_code = ${filter.kecamatan}`);
  if (filter.year !== undefined)
    parts.push(
      sql`p.end_date between make_date(${filter.year}::int, 1, 1) and make_date(${filter.year}::int, 12, 31)`,
    );
  return sql.join(parts, sql` and `);
}

// One row per graduate with its outcome flags (0/1) and its before/after values. Set-based (hash
// joins over the follow-ups and answers of the graduates in the filter) rather than a lookup per
// graduate: the whole registry's report stays well under a second (bench/outcomes.ts).
function perGraduate(filter: OutcomeFilter): SQL {
  return sql`
    with grads as (
      select a.id as application_id, a.program_id, p.name as program_name, p.end_date,
        b.kecamatan_code, b.kbli, b.annual_turnover, b.status as business_status, b.workers as business_workers
      from applications a
      join programs p on p.id = a.program_id
      join businesses b on b.id = a.business_id
      where ${graduatesWhere(filter)}
    ),
    fu as (
      select f.id, f.application_id, f.due_at, g.end_date
      from follow_ups f join grads g on g.application_id = f.application_id
    ),
    -- each follow-up's answer: the latest given (answered twice: the latest wins)
    answer as (
      select distinct on (x.follow_up_id) x.follow_up_id, fu.application_id, fu.due_at, fu.end_date,
        x.sales_last_month, x.workers, x.still_producing, x.answered_at, x.id
      from follow_up_answers x join fu on fu.id = x.follow_up_id
      order by x.follow_up_id, x.answered_at desc, x.id desc
    ),
    -- the graduate's latest answer: of the latest follow-up answered
    latest as (
      select distinct on (application_id) application_id, sales_last_month, workers, still_producing
      from answer order by application_id, due_at desc, answered_at desc, id desc
    ),
    asked as (select application_id, max(due_at) as last_due from fu group by application_id),
    sold_later as (
      select distinct application_id from answer
      where sales_last_month > 0 and due_at >= end_date + make_interval(months => ${newEntrepreneurMonths}::int)
    )
    select g.application_id, g.program_id, g.program_name, g.end_date, g.kecamatan_code, g.kbli,
      (case when k.application_id is null then 0 else 1 end) as asked,
      (case when l.application_id is null then 0 else 1 end) as answered,
      (case when l.sales_last_month > 0 then 1 else 0 end) as selling,
      (case when (g.annual_turnover = 0 or g.business_status <> 'aktif') and s.application_id is not null
        then 1 else 0 end) as new_entrepreneur,
      (case when l.still_producing and l.sales_last_month > 0 then 1 else 0 end) as active,
      (case when l.application_id is not null and g.annual_turnover > 0 then 1 else 0 end) as recovered_known,
      (case when l.application_id is not null and g.annual_turnover > 0
        and l.sales_last_month * 12 >= g.annual_turnover then 1 else 0 end) as recovered,
      k.last_due,
      (case when l.application_id is not null and g.annual_turnover is not null then g.annual_turnover end) as turnover_before,
      (case when l.application_id is not null and g.annual_turnover is not null then l.sales_last_month * 12 end) as turnover_after,
      (case when l.application_id is not null and g.business_workers is not null then g.business_workers end) as workers_before,
      (case when l.application_id is not null and g.business_workers is not null then l.workers end) as workers_after
    from grads g
    left join asked k on k.application_id = g.application_id
    left join latest l on l.application_id = g.application_id
    left join sold_later s on s.application_id = g.application_id`;
}

const quartiles = (column: string) => {
  const c = sql.raw(column);
  return sql`percentile_cont(array[0.25, 0.5, 0.75]::float8[]) within group (order by ${c}) as ${sql.identifier(column)}`;
};

const aggregates = sql`
  count(*)::int as graduates,
  coalesce(sum(asked), 0)::int as asked,
  coalesce(sum(answered), 0)::int as answered,
  coalesce(sum(selling), 0)::int as selling,
  coalesce(sum(new_entrepreneur), 0)::int as new_entrepreneurs,
  coalesce(sum(active), 0)::int as active_after_follow_up,
  coalesce(sum(recovered), 0)::int as recovered,
  coalesce(sum(recovered_known), 0)::int as recovered_known,
  ${quartiles('turnover_before')}, ${quartiles('turnover_after')},
  ${quartiles('workers_before')}, ${quartiles('workers_after')},
  count(*) filter (where turnover_after > turnover_before)::int as turnover_up,
  count(*) filter (where turnover_after = turnover_before)::int as turnover_same,
  count(*) filter (where turnover_after < turnover_before)::int as turnover_down`;

const num = (v: unknown) => Number(v ?? 0);

// A report query in a transaction of its own, with settings for a one-off aggregate over the
// whole registry: no JIT (PostgreSQL would spend longer compiling the expressions than running
// them: measured in bench/outcomes.ts) and room to sort and hash in memory.
async function reportRows(db: DbOrTx, query: SQL) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '32MB'`);
    return queryRows<Record<string, unknown>>(tx, query);
  });
}

function readQuartiles(v: unknown): Quartiles {
  // node-postgres gives float8[] as numbers, PGlite as numbers too; an empty group gives null
  const values = Array.isArray(v) ? v.map((x) => (x === null ? null : Number(x))) : [null, null, null];
  return { p25: values[0] ?? null, median: values[1] ?? null, p75: values[2] ?? null };
}

function readRow(r: Record<string, unknown> | undefined): OutcomeRow {
  return {
    graduates: num(r?.graduates),
    asked: num(r?.asked),
    answered: num(r?.answered),
    selling: num(r?.selling),
    newEntrepreneurs: num(r?.new_entrepreneurs),
    activeAfterFollowUp: num(r?.active_after_follow_up),
    recovered: num(r?.recovered),
    recoveredKnown: num(r?.recovered_known),
    turnoverBefore: readQuartiles(r?.turnover_before),
    turnoverAfter: readQuartiles(r?.turnover_after),
    workersBefore: readQuartiles(r?.workers_before),
    workersAfter: readQuartiles(r?.workers_after),
    turnoverUp: num(r?.turnover_up),
    turnoverSame: num(r?.turnover_same),
    turnoverDown: num(r?.turnover_down),
  };
}

// Totals and the rows per program and per kecamatan in one pass (grouping sets).
export async function getOutcomeFigures(db: DbOrTx, filter: OutcomeFilter): Promise<OutcomeFigures> {
  const rows = await reportRows(
    db,
    sql`with g as (${perGraduate(filter)})
    select grouping(g.program_id, g.program_name, g.end_date) as by_program_off,
      grouping(g.kecamatan_code) as by_kecamatan_off,
      g.program_id::text as program_id, g.program_name, g.end_date::text as end_date, g.kecamatan_code,
      ${aggregates}
    from g
    group by grouping sets ((), (g.program_id, g.program_name, g.end_date), (g.kecamatan_code))`,
  );
  const totals = rows.find((r) => num(r.by_program_off) !== 0 && num(r.by_kecamatan_off) !== 0);
  const byProgram = rows
    .filter((r) => num(r.by_program_off) === 0)
    .map((r) => ({
      programId: String(r.program_id),
      programName: String(r.program_name),
      endDate: String(r.end_date),
      ...readRow(r),
    }))
    .sort((x, y) => y.endDate.localeCompare(x.endDate) || x.programName.localeCompare(y.programName));
  const byKecamatan = rows
    .filter((r) => num(r.by_kecamatan_off) === 0)
    .map((r) => ({ kecamatan: String(r.kecamatan_code), ...readRow(r) }))
    .sort((x, y) => x.kecamatan.localeCompare(y.kecamatan));
  return { totals: readRow(totals), byProgram, byKecamatan };
}

// The same figures grouped by one dimension: KBLI, cohort (month the training ended) or month
// (of the latest follow-up's due day), and program or kecamatan.
export async function getOutcomeBreakdown(
  db: DbOrTx,
  filter: OutcomeFilter,
  dimension: OutcomeDimension,
): Promise<(OutcomeRow & { key: string })[]> {
  const rows = await reportRows(
    db,
    sql`with g as (${perGraduate(filter)})
    select ${dimensionKey[dimension]} as key, ${aggregates}
    from g group by 1 order by 1`,
  );
  return rows.map((r) => ({ key: String(r.key), ...readRow(r) }));
}

// The funnel of the dashboard, counted in applications (one business in one program):
// registered (applied) → eligible (judged eligible: not pending, not ineligible) → enrolled
// (holding a seat or completed) → completed → equipped (a graduate whose business was handed
// equipment allocated under this program) → selling (a graduate whose latest follow-up answer
// reports sales above 0, or whose business has sales recorded in the sales module dated after
// the program's last day) → new entrepreneurs. Each step is a subset of the one before.
export type FunnelRow = {
  registered: number;
  eligible: number;
  enrolled: number;
  completed: number;
  equipped: number;
  selling: number;
  newEntrepreneurs: number;
};

export type Funnel = {
  totals: FunnelRow;
  byProgram: (FunnelRow & { programId: string; programName: string })[];
  byKecamatan: (FunnelRow & { kecamatan: string })[];
};

function readFunnel(r: Record<string, unknown> | undefined): FunnelRow {
  return {
    registered: num(r?.registered),
    eligible: num(r?.eligible),
    enrolled: num(r?.enrolled),
    completed: num(r?.completed),
    equipped: num(r?.equipped),
    selling: num(r?.selling),
    newEntrepreneurs: num(r?.new_entrepreneurs),
  };
}

export async function getFunnel(db: DbOrTx, filter: OutcomeFilter): Promise<Funnel> {
  const rows = await reportRows(
    db,
    sql`with g as (${perGraduate(filter)}),
    x as (
      select a.id, a.program_id, p.name as program_name, b.kecamatan_code, a.status,
        (case when a.status = 'completed' and exists (
          select 1 from aid_allocations z where z.business_id = a.business_id and z.program_id = a.program_id
            and z.status in ('handed_over', 'received')) then 1 else 0 end) as equipped,
        (case when a.status = 'completed' and ${soldAfter(sql`a.business_id`, sql`p.end_date`)}
          then 1 else 0 end) as sold_after
      from applications a
      join programs p on p.id = a.program_id
      join businesses b on b.id = a.business_id
      where ${graduatesWhere(filter, false)}
    )
    select grouping(x.program_id, x.program_name) as by_program_off, grouping(x.kecamatan_code) as by_kecamatan_off,
      x.program_id::text as program_id, x.program_name, x.kecamatan_code,
      count(*)::int as registered,
      count(*) filter (where x.status not in ('pending', 'ineligible'))::int as eligible,
      count(*) filter (where x.status in ('enrolled', 'completed'))::int as enrolled,
      count(*) filter (where x.status = 'completed')::int as completed,
      coalesce(sum(x.equipped), 0)::int as equipped,
      count(*) filter (where g.selling = 1 or x.sold_after = 1)::int as selling,
      coalesce(sum(g.new_entrepreneur), 0)::int as new_entrepreneurs
    from x left join g on g.application_id = x.id
    group by grouping sets ((), (x.program_id, x.program_name), (x.kecamatan_code))`,
  );
  const totals = rows.find((r) => num(r.by_program_off) !== 0 && num(r.by_kecamatan_off) !== 0);
  return {
    totals: readFunnel(totals),
    byProgram: rows
      .filter((r) => num(r.by_program_off) === 0)
      .map((r) => ({
        programId: String(r.program_id),
        programName: String(r.program_name),
        ...readFunnel(r),
      }))
      .sort((a, b) => b.registered - a.registered || a.programName.localeCompare(b.programName)),
    byKecamatan: rows
      .filter((r) => num(r.by_kecamatan_off) === 0)
      .map((r) => ({ kecamatan: String(r.kecamatan_code), ...readFunnel(r) }))
      .sort((a, b) => a.kecamatan.localeCompare(b.kecamatan)),
  };
}
