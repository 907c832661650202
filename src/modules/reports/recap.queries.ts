import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';

// Figures per program and kecamatan, and equipment aid per SOPD and kecamatan: the rows of the
// annual recap, the open data and the transparency page. Counts only, never a person. A
// program belongs to the year its last day falls in (as the outcome figures count cohorts).

export type RecapFilter = { year?: number | undefined; kecamatan?: string | null | undefined };

const num = (v: unknown) => Number(v ?? 0);

export type ProgramKecamatanRow = {
  programId: string;
  programName: string;
  type: string;
  organisation: string;
  startDate: string;
  endDate: string;
  kecamatan: string;
  applicants: number;
  participants: number;
  completed: number;
  certified: number;
  equipped: number;
  aidQuantity: number;
  aidValue: number;
};

export async function getProgramKecamatanRows(
  db: DbOrTx,
  filter: RecapFilter,
): Promise<ProgramKecamatanRow[]> {
  const year =
    filter.year === undefined
      ? sql``
      : sql`and p.end_date between make_date(${filter.year}::int, 1, 1) and make_date(${filter.year}::int, 12, 31)`;
  const kecamatan = filter.kecamatan ? sql`and b.kecamatan_code = ${filter.kecamatan}` : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with aid as (
      select x.program_id, x.business_id, sum(x.quantity) as quantity, sum(x.quantity * s.unit_value) as value
      from aid_allocations x join aid_stock s on s.id = x.stock_id
      where x.program_id is not null and x.status in ('handed_over', 'received')
      group by x.program_id, x.business_id
    )
    select p.id, p.name, p.type, o.name as organisation, p.start_date::text as start_date,
      p.end_date::text as end_date, b.kecamatan_code,
      count(*) as applicants,
      count(*) filter (where a.status in ('enrolled', 'completed', 'dropped')) as participants,
      count(*) filter (where a.status = 'completed') as completed,
      count(*) filter (where exists (select 1 from certificates c where c.application_id = a.id
        and c.revoked_at is null)) as certified,
      count(aid.business_id) as equipped,
      coalesce(sum(aid.quantity), 0) as aid_quantity,
      coalesce(sum(aid.value), 0) as aid_value
    from programs p
    join organisations o on o.id = p.organisation_id
    join applications a on a.program_id = p.id
    join businesses b on b.id = a.business_id
    left join aid on aid.program_id = p.id and aid.business_id = a.business_id
    where p.archived_at is null ${year} ${kecamatan}
    group by p.id, o.name, b.kecamatan_code
    order by p.start_date, p.name, p.id, b.kecamatan_code`,
  );
  return rows.map((r) => ({
    programId: String(r.id),
    programName: String(r.name),
    type: String(r.type),
    organisation: String(r.organisation),
    startDate: String(r.start_date),
    endDate: String(r.end_date),
    kecamatan: String(r.kecamatan_code),
    applicants: num(r.applicants),
    participants: num(r.participants),
    completed: num(r.completed),
    certified: num(r.certified),
    equipped: num(r.equipped),
    aidQuantity: num(r.aid_quantity),
    aidValue: num(r.aid_value),
  }));
}

// The handover (BAST) of an allocation: its own, or the multi-item one that lists it.
export const handoverOf = (allocationId: SQL) => sql`select h.* from aid_handovers h
  where h.allocation_id = ${allocationId}
    or h.id = (select i.handover_id from aid_handover_items i where i.allocation_id = ${allocationId})
  limit 1`;

export type AidRecapRow = {
  sopd: string;
  kecamatan: string;
  item: string;
  unit: string;
  recipients: number;
  quantity: number;
  value: number;
};

// Equipment handed over in the year (by the BAST's day), per SOPD, kecamatan and item, whether
// or not it went through a program.
export async function getAidRecapRows(db: DbOrTx, filter: RecapFilter): Promise<AidRecapRow[]> {
  const year =
    filter.year === undefined
      ? sql``
      : sql`and h.handed_over_at between make_date(${filter.year}::int, 1, 1) and make_date(${filter.year}::int, 12, 31)`;
  const kecamatan = filter.kecamatan ? sql`and b.kecamatan_code = ${filter.kecamatan}` : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select o.name as sopd, b.kecamatan_code, s.item, s.unit,
      count(distinct x.business_id) as recipients, sum(x.quantity) as quantity,
      sum(x.quantity * s.unit_value) as value
    from aid_allocations x
    join lateral (${handoverOf(sql`x.id`)}) h on true
    join aid_stock s on s.id = x.stock_id
    join organisations o on o.id = s.organisation_id
    join businesses b on b.id = x.business_id
    where x.status in ('handed_over', 'received') ${year} ${kecamatan}
    group by o.name, b.kecamatan_code, s.item, s.unit
    order by o.name, b.kecamatan_code, s.item`,
  );
  return rows.map((r) => ({
    sopd: String(r.sopd),
    kecamatan: String(r.kecamatan_code),
    item: String(r.item),
    unit: String(r.unit),
    recipients: num(r.recipients),
    quantity: num(r.quantity),
    value: num(r.value),
  }));
}

// The years in which programs ended, newest first (the transparency page's year choice).
export async function getProgramYears(db: DbOrTx): Promise<number[]> {
  const rows = await queryRows<{ year: unknown }>(
    db,
    sql`select distinct extract(year from end_date)::int as year from programs where archived_at is null
    order by year desc`,
  );
  return rows.map((r) => Number(r.year));
}
