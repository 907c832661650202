import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { type Figures, figureColumns, figureSource, readFigures } from './figures.ts';

// Reports are a read model over every module's tables (and may later read from a replica),
// so they aggregate in SQL here rather than call each module's service row by row.
const num = (v: unknown) => Number(v ?? 0);

// The totals and the per-kecamatan rows are the same figure expressions (figures.ts), summed
// over the same businesses, grouped or not (one scan, `grouping sets`): the rows add up to the
// totals.
export async function getFigures(
  db: DbOrTx,
  kecamatan: string | null,
): Promise<{ totals: Figures; byKecamatan: (Figures & { kecamatan: string })[] }> {
  // No JIT: compiling the sums over the whole registry took longer than running them.
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return queryRows<Record<string, unknown>>(
      tx,
      sql`select grouping(f.kecamatan_code) as total_row, f.kecamatan_code, ${figureColumns()}
    from ${figureSource(kecamatan)}
    group by grouping sets ((), (f.kecamatan_code)) order by 1 desc, f.kecamatan_code`,
    );
  });
  const totals = rows.find((r) => num(r.total_row) !== 0);
  return {
    totals: readFigures(totals),
    byKecamatan: rows
      .filter((r) => num(r.total_row) === 0)
      .map((r) => ({ kecamatan: String(r.kecamatan_code), ...readFigures(r) })),
  };
}

// Program cards. For a kecamatan office every figure on them counts only the applications of
// businesses in its kecamatan (the same scope as the totals); programs without any of them are
// left out. The 50 programs shown are chosen first and only their applications are counted;
// application_outcomes holds one row per application and the certificates are counted per
// application before the join, so no count needs `distinct` (an application may hold a revoked
// certificate beside a new one).
export async function getProgramFigures(db: DbOrTx, kecamatan: string | null) {
  const inScope = kecamatan ? sql`and a.kecamatan_code = ${kecamatan}` : sql``;
  const hasApplications = kecamatan
    ? sql`where exists (select 1 from application_outcomes a where a.program_id = p.id ${inScope})`
    : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with shown as (
      select p.id, p.name, p.type, p.start_date, p.capacity from programs p ${hasApplications}
      order by p.start_date desc limit 50
    )
    select s.id, s.name, s.type, s.start_date::text as start_date, s.capacity,
      count(a.application_id) filter (where a.status in ('enrolled', 'completed')) as enrolled,
      count(a.application_id) filter (where a.status = 'waitlisted') as waitlisted,
      count(a.application_id) filter (where a.status = 'completed') as completed,
      coalesce(sum(c.held), 0) as certificates
    from shown s
    left join application_outcomes a on a.program_id = s.id ${inScope}
    left join (
      select application_id, count(*) as held from certificates where revoked_at is null
      group by application_id
    ) c on c.application_id = a.application_id
    group by s.id, s.name, s.type, s.start_date, s.capacity
    order by s.start_date desc`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    type: String(r.type),
    startDate: String(r.start_date),
    capacity: num(r.capacity),
    enrolled: num(r.enrolled),
    waitlisted: num(r.waitlisted),
    completed: num(r.completed),
    certificates: num(r.certificates),
  }));
}
