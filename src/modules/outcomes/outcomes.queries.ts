import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
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

function applicationsWhere(filter: OutcomeFilter, graduatesOnly = true): SQL {
  const parts: SQL[] = graduatesOnly ? [sql`o.status = 'completed'`] : [sql`true`];
  if (filter.programId) parts.push(sql`o.program_id = ${filter.programId}`);
  if (filter.kecamatan) parts.push(sql`o.kecamatan_code = ${filter.kecamatan}`);
  if (filter.year !== undefined)
    parts.push(
      sql`p.end_date between make_date(${filter.year}::int, 1, 1) and make_date(${filter.year}::int, 12, 31)`,
    );
  return sql.join(parts, sql` and `);
}

// One row per graduate with its outcome flags (0/1) and its before/after values, read from
// application_outcomes: the per-graduate figures of DOMAIN.md are computed when what they depend
// on changes (refresh_application_outcomes in the migration outcomes-fast_sql, called by triggers
// on applications, businesses, programs, follow-ups, answers and aid), so a report sums one
// narrow row per graduate instead of joining the registry, follow-ups and answers on every
// request (bench/outcomes.ts, docs/benchmarks.md).
function perGraduate(filter: OutcomeFilter): SQL {
  return sql`
    select o.application_id, o.program_id, p.name as program_name, p.end_date, o.kecamatan_code, o.kbli,
      o.asked, o.answered, o.selling, o.new_entrepreneur, o.active, o.recovered_known, o.recovered, o.last_due,
      o.turnover_before, o.turnover_after, o.workers_before, o.workers_after
    from application_outcomes o join programs p on p.id = o.program_id
    where ${applicationsWhere(filter)}`;
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
    sql`with x as (
      select o.application_id as id, o.program_id, p.name as program_name, o.kecamatan_code, o.status,
        o.equipped, o.selling, o.new_entrepreneur,
        (case when o.status = 'completed' and ${soldAfter(sql`o.business_id`, sql`p.end_date`)}
          then 1 else 0 end) as sold_after
      from application_outcomes o join programs p on p.id = o.program_id
      where ${applicationsWhere(filter, false)}
    )
    select grouping(x.program_id, x.program_name) as by_program_off, grouping(x.kecamatan_code) as by_kecamatan_off,
      x.program_id::text as program_id, x.program_name, x.kecamatan_code,
      count(*)::int as registered,
      count(*) filter (where x.status not in ('pending', 'ineligible'))::int as eligible,
      count(*) filter (where x.status in ('enrolled', 'completed'))::int as enrolled,
      count(*) filter (where x.status = 'completed')::int as completed,
      coalesce(sum(x.equipped), 0)::int as equipped,
      count(*) filter (where x.selling = 1 or x.sold_after = 1)::int as selling,
      coalesce(sum(x.new_entrepreneur), 0)::int as new_entrepreneurs
    from x
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
