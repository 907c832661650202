import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { importIssues } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';

// The import writes the registry in sets: each statement takes a whole batch as one JSON
// parameter (json_to_recordset), so a batch of thousands of rows costs a handful of round
// trips. The registry tables belong to the businesses module; these statements are the bulk
// path of the same rules (identity by ref, or by owner NIK + business name without a ref).

// One row as sent to the database; short keys keep the JSON small.
export type StagedRow = {
  r: number;
  nik: string;
  pn: string;
  sx: 'L' | 'P' | null;
  bd: string | null;
  ph: string | null;
  ad: string | null;
  ref: string | null;
  bn: string;
  kb: string | null;
  kv: number | null;
  rc: string;
  kc: string;
  nib: string | null;
  cap: number | null;
  tov: number | null;
  wk: number | null;
  cv: boolean | null;
  st: 'aktif' | 'tidak_aktif' | 'tutup' | null;
};

export type Classified = {
  r: number;
  personId: string | null;
  // the NIK's person was merged into another (dedup); the business goes to the survivor
  ownerId: string | null;
  personChanged: boolean;
  businessId: string | null;
  businessKecamatan: string | null;
  businessChanged: boolean;
  // the matched business belongs to another owner / has another name
  ownerChanged: boolean;
  nameChanged: boolean;
};

const stagedColumns =
  sql.raw(`r int, nik text, pn text, sx text, bd text, ph text, ad text, ref text, bn text,
  kb text, kv smallint, rc text, kc text, nib text, cap bigint, tov bigint, wk int, cv boolean, st text`);

// What each row would do: the stored person and business it matches, and whether the row
// would change them. An empty cell keeps the stored value, so it never counts as a change.
// Read-only: a dry run stops here.
export async function classifyRows(db: DbOrTx, rows: readonly StagedRow[]) {
  return queryRows<Classified>(
    db,
    sql`
      select x.r,
        p.id as "personId",
        coalesce(p.merged_into, p.id) as "ownerId",
        coalesce(p.id is not null and p.merged_into is null and (p.name, p.sex, p.birth_date, p.phone, p.address) is distinct from
          (x.pn, coalesce(x.sx::sex, p.sex), coalesce(x.bd::date, p.birth_date), coalesce(x.ph, p.phone),
           coalesce(x.ad, p.address)), false) as "personChanged",
        b.id as "businessId",
        b.kecamatan_code as "businessKecamatan",
        coalesce(b.id is not null and (b.owner_id, b.name, b.kbli, b.kbli_version, b.region_code, b.kecamatan_code, b.nib, b.capital,
            b.annual_turnover, b.workers, b.covid_impacted, b.status)
          is distinct from
          (coalesce(p.merged_into, p.id), x.bn, coalesce(x.kb, b.kbli), coalesce(x.kv, b.kbli_version), x.rc, x.kc,
           coalesce(x.nib, b.nib), coalesce(x.cap, b.capital), coalesce(x.tov, b.annual_turnover),
           coalesce(x.wk, b.workers), coalesce(x.cv, b.covid_impacted), coalesce(x.st::business_status, b.status)),
          false) as "businessChanged",
        coalesce(b.owner_id is distinct from coalesce(p.merged_into, p.id), false) as "ownerChanged",
        coalesce(lower(b.name) <> lower(x.bn), false) as "nameChanged"
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(${stagedColumns})
      left join people p on p.nik = x.nik
      left join lateral (
        select b1.id, b1.owner_id, b1.name, b1.kbli, b1.kbli_version, b1.region_code, b1.kecamatan_code, b1.nib,
          b1.capital, b1.annual_turnover, b1.workers, b1.covid_impacted, b1.status
        from businesses b1 where x.ref is not null and b1.ref = x.ref
        union all
        select b2.id, b2.owner_id, b2.name, b2.kbli, b2.kbli_version, b2.region_code, b2.kecamatan_code, b2.nib,
          b2.capital, b2.annual_turnover, b2.workers, b2.covid_impacted, b2.status
        from businesses b2
        where x.ref is null and b2.ref is null and b2.owner_id = coalesce(p.merged_into, p.id)
          and lower(b2.name) = lower(x.bn)
        limit 1
      ) b on true`,
  );
}

export async function findPeopleIds(db: DbOrTx, niks: readonly string[]) {
  if (niks.length === 0) return [];
  return queryRows<{ id: string; nik: string }>(
    db,
    sql`select coalesce(merged_into, id) as id, nik from people
        where nik in (select value from json_array_elements_text(${JSON.stringify(niks)}::json))`,
  );
}

export type IssueWrite = {
  row: number;
  col: string | null;
  sev: 'error' | 'warning';
  code: string;
  msg: string;
  vals: unknown;
};

export async function insertIssues(db: DbOrTx, jobId: string, issues: readonly IssueWrite[]) {
  if (issues.length === 0) return;
  await db.execute(sql`
    insert into import_issues (job_id, "row", "column", severity, code, message, "values")
    select ${jobId}::uuid, x.row, x.col, x.sev, x.code, x.msg, x.vals
    from json_to_recordset(${JSON.stringify(issues)}::json)
      as x("row" int, col text, sev text, code text, msg text, vals jsonb)`);
}

// Keyset paging over a job's issues in file order.
export async function listIssues(
  db: DbOrTx,
  jobId: string,
  filter: { severity?: 'error' | 'warning' | undefined; after?: [number, number] | null; limit: number },
) {
  const after = filter.after;
  return db
    .select({
      id: importIssues.id,
      row: importIssues.row,
      column: importIssues.column,
      severity: importIssues.severity,
      code: importIssues.code,
      message: importIssues.message,
      values: importIssues.values,
    })
    .from(importIssues)
    .where(
      and(
        eq(importIssues.jobId, jobId),
        filter.severity ? eq(importIssues.severity, filter.severity) : undefined,
        after
          ? or(
              gt(importIssues.row, after[0]),
              and(eq(importIssues.row, after[0]), gt(importIssues.id, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(asc(importIssues.row), asc(importIssues.id))
    .limit(filter.limit);
}
