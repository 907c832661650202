import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';

// Reports are a read model over every module's tables (and may later read from a replica),
// so they aggregate in SQL here rather than call each module's service row by row.
const num = (v: unknown) => Number(v ?? 0);

export async function getTotals(db: DbOrTx, kecamatan: string | null) {
  const scope = kecamatan ? sql`and b.kecamatan_code = ${kecamatan}` : sql``;
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select count(*) from businesses b where true ${scope}) as businesses,
      (select count(*) from businesses b where b.covid_impacted ${scope}) as covid_impacted,
      (select count(*) from applications a join businesses b on b.id = a.business_id where true ${scope}) as applications,
      (select count(*) from applications a join businesses b on b.id = a.business_id
        where a.status in ('enrolled', 'completed') ${scope}) as enrolled,
      (select count(distinct a.business_id) from applications a join programs p on p.id = a.program_id
        join businesses b on b.id = a.business_id where a.status = 'completed' and p.type = 'training' ${scope}) as trained,
      (select count(*) from certificates c join applications a on a.id = c.application_id
        join businesses b on b.id = a.business_id where c.revoked_at is null ${scope}) as certificates,
      (select count(distinct x.business_id) from aid_allocations x join businesses b on b.id = x.business_id
        where x.status in ('handed_over', 'received') ${scope}) as equipped,
      (select count(*) from products p join businesses b on b.id = p.business_id where p.published ${scope}) as listed_products`,
  );
  return {
    businesses: num(row?.businesses),
    covidImpacted: num(row?.covid_impacted),
    applications: num(row?.applications),
    enrolled: num(row?.enrolled),
    trained: num(row?.trained),
    certificates: num(row?.certificates),
    equipped: num(row?.equipped),
    listedProducts: num(row?.listed_products),
  };
}

export async function getProgramFigures(db: DbOrTx) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select p.id, p.name, p.type, p.start_date::text as start_date, p.capacity, p.enrolled_count,
      count(a.id) filter (where a.status = 'waitlisted') as waitlisted,
      count(a.id) filter (where a.status = 'completed') as completed,
      count(c.id) filter (where c.revoked_at is null) as certificates
    from programs p
    left join applications a on a.program_id = p.id
    left join certificates c on c.application_id = a.id
    group by p.id order by p.start_date desc limit 50`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    type: String(r.type),
    startDate: String(r.start_date),
    capacity: num(r.capacity),
    enrolled: num(r.enrolled_count),
    waitlisted: num(r.waitlisted),
    completed: num(r.completed),
    certificates: num(r.certificates),
  }));
}

export async function getKecamatanFigures(db: DbOrTx, kecamatan: string | null) {
  const scope = kecamatan ? sql`where b.kecamatan_code = ${kecamatan}` : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select b.kecamatan_code,
      count(*) as businesses,
      count(*) filter (where exists (select 1 from applications a where a.business_id = b.id
        and a.status in ('enrolled', 'completed'))) as enrolled,
      count(*) filter (where exists (select 1 from applications a where a.business_id = b.id
        and a.status = 'completed')) as completed,
      count(*) filter (where exists (select 1 from aid_allocations x where x.business_id = b.id
        and x.status in ('handed_over', 'received'))) as equipped,
      count(*) filter (where exists (select 1 from products p where p.business_id = b.id and p.published)) as listed
    from businesses b ${scope}
    group by b.kecamatan_code order by b.kecamatan_code`,
  );
  return rows.map((r) => ({
    kecamatan: String(r.kecamatan_code),
    businesses: num(r.businesses),
    enrolled: num(r.enrolled),
    completed: num(r.completed),
    equipped: num(r.equipped),
    listedProducts: num(r.listed),
  }));
}
