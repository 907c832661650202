import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../db/sql-rows.ts';
import type { SqlFragment } from '../../domain/rule-sql.ts';

// Screening reads the registry's tables (businesses, people) and the program's applications
// directly: the point is one query over the whole registry, which no per-row service call can
// give. The rule's condition comes from src/domain/rule-sql.ts and names `b` and `p`.

export type ScreeningScope = { kecamatan?: string | undefined };

export function ruleCondition(fragment: SqlFragment): SQL {
  return sql.join(
    fragment.map((part) =>
      typeof part === 'string' ? sql.raw(part) : sql`${part.param}::${sql.raw(part.cast)}`,
    ),
  );
}

// An application that still counts: the business has applied and is in (or through) the process.
const activeApplication = sql`a.status not in ('withdrawn', 'ineligible')`;

function scopeCondition(scope: ScreeningScope): SQL {
  return scope.kecamatan ? sql`and b.kecamatan_code = ${scope.kecamatan}` : sql``;
}

export async function countEligibleByKecamatan(
  db: DbOrTx,
  rule: SQL,
  programId: string | null,
  scope: ScreeningScope,
) {
  const rows = await queryRows<{ kecamatan: string; eligible: number | string; applied: number | string }>(
    db,
    programId
      ? sql`
        select b.kecamatan_code as kecamatan, count(*)::int as eligible, count(a.id)::int as applied
        from businesses b
        join people p on p.id = b.owner_id
        left join applications a on a.program_id = ${programId}::uuid and a.business_id = b.id and ${activeApplication}
        where (${rule}) ${scopeCondition(scope)}
        group by b.kecamatan_code
        order by b.kecamatan_code`
      : sql`
        select b.kecamatan_code as kecamatan, count(*)::int as eligible, 0 as applied
        from businesses b
        join people p on p.id = b.owner_id
        where (${rule}) ${scopeCondition(scope)}
        group by b.kecamatan_code
        order by b.kecamatan_code`,
  );
  return rows.map((r) => ({
    kecamatan: r.kecamatan,
    eligible: Number(r.eligible),
    applied: Number(r.applied),
  }));
}

export type EligibleRow = {
  businessId: string;
  name: string;
  kecamatanCode: string;
  regionCode: string;
  ownerName: string;
  ownerNik: string;
  ownerPhone: string | null;
  applicationStatus: string | null;
};

export async function listEligibleRows(
  db: DbOrTx,
  rule: SQL,
  programId: string,
  filter: ScreeningScope & { applied?: boolean | undefined },
  page: { limit: number; after: [string, string] | null; order: 'name' | 'region' },
): Promise<EligibleRow[]> {
  const applied =
    filter.applied === undefined
      ? sql``
      : filter.applied
        ? sql`and a.id is not null and ${activeApplication}`
        : sql`and (a.id is null or not (${activeApplication}))`;
  const after = page.after
    ? sql`and (lower(b.name), b.id) > (${page.after[0]}, ${page.after[1]}::uuid)`
    : sql``;
  const order =
    page.order === 'name'
      ? sql`lower(b.name), b.id`
      : sql`b.kecamatan_code, b.region_code, lower(b.name), b.id`;
  const rows = await queryRows<Record<string, string | null>>(
    db,
    sql`
    select b.id as business_id, b.name, b.kecamatan_code, b.region_code,
           p.name as owner_name, p.nik as owner_nik, p.phone as owner_phone, a.status::text as application_status
    from businesses b
    join people p on p.id = b.owner_id
    left join applications a on a.program_id = ${programId}::uuid and a.business_id = b.id
    where (${rule}) ${scopeCondition(filter)} ${applied} ${after}
    order by ${order}
    limit ${page.limit + 1}`,
  );
  return rows.map((r) => ({
    businessId: r.business_id!,
    name: r.name!,
    kecamatanCode: r.kecamatan_code!,
    regionCode: r.region_code!,
    ownerName: r.owner_name!,
    ownerNik: r.owner_nik!,
    ownerPhone: r.owner_phone ?? null,
    applicationStatus: r.application_status ?? null,
  }));
}
