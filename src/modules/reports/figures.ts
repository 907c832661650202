import { type SQL, sql } from 'drizzle-orm';

// The dashboard's figures, each defined once, here. Every figure is a sum over registered
// businesses (alias `b`) of a per-business value, so the per-kecamatan rows add up to the
// totals by construction: a business lies in exactly one kecamatan, and the totals and the rows
// are the same expression, grouped or not. The words are those of docs/figures.md.
//
// The contradictions of issue 10 came from mixing units: "Peserta terdaftar" counted
// applications (a business in three programs counted three times) beside a kecamatan table of
// businesses, and "Sertifikat" counted certificates (several per business) beside "Lulus",
// which counted businesses. Here "enrolled", "trained" and "certified" count businesses, and
// "applications" and "certificates" count records — and say so in their labels.
//
// Set-based: the per-business values come from one grouped scan per table (applications,
// certificates, aid, products), each grouped by business and left-joined to the businesses
// (`figureSource`), instead of a correlated subquery per registered business. A business
// without rows in a table gets 0 from `coalesce`, as the subquery's `count(*)`/`exists` did.

const flag = (condition: SQL) => sql`max(case when ${condition} then 1 else 0 end)`;

// The per-business values, each computed in one of the grouped subqueries of `figureSource`.
export const figures = {
  // Registered businesses.
  businesses: sql`1`,
  // Businesses marked as hit by Covid-19.
  covidImpacted: sql`(case when b.covid_impacted then 1 else 0 end)`,
  // Applications of any status (a business may have several, one per program).
  applications: sql`coalesce(fa.applications, 0)`,
  // Businesses holding a seat in, or having completed, at least one program.
  enrolled: sql`coalesce(fa.enrolled, 0)`,
  // Businesses that completed at least one training program.
  trained: sql`coalesce(fa.trained, 0)`,
  // Businesses holding at least one certificate that is not revoked.
  certified: sql`(case when coalesce(fc.certificates, 0) > 0 then 1 else 0 end)`,
  // Certificates not revoked (a business may hold several, one per program).
  certificates: sql`coalesce(fc.certificates, 0)`,
  // Businesses that received equipment aid (handed over or confirmed received).
  equipped: sql`coalesce(fx.equipped, 0)`,
  // Published products in the public catalogue.
  listedProducts: sql`coalesce(fp.listed_products, 0)`,
} as const;

export type FigureName = keyof typeof figures;
export const figureNames = Object.keys(figures) as FigureName[];
export type Figures = Record<FigureName, number>;

// `sum(<figure>) as <figure>, …` for a select over `figureSource(…)`.
export function figureColumns(): SQL {
  return sql.join(
    figureNames.map((name) => sql`coalesce(sum(${figures[name]}), 0)::int as ${sql.identifier(name)}`),
    sql`, `,
  );
}

// `businesses b` with the per-business values of every figure joined on, for the businesses of
// one kecamatan or of all. The grouped subqueries are restricted to the same businesses, so a
// kecamatan office's query reads only its own kecamatan's rows of each table.
export function figureSource(kecamatan: string | null): SQL {
  const own = (column: SQL) =>
    kecamatan
      ? sql`${column} in (select s.id from businesses s where s.kecamatan_code = ${kecamatan})`
      : sql`true`;
  return sql`businesses b
    left join (
      select a.business_id, count(*) as applications,
        ${flag(sql`a.status in ('enrolled', 'completed')`)} as enrolled,
        ${flag(sql`a.status = 'completed' and p.type = 'training'`)} as trained
      from applications a join programs p on p.id = a.program_id
      where ${own(sql`a.business_id`)}
      group by a.business_id
    ) fa on fa.business_id = b.id
    left join (
      select a.business_id, count(*) as certificates
      from certificates c join applications a on a.id = c.application_id
      where c.revoked_at is null and ${own(sql`a.business_id`)}
      group by a.business_id
    ) fc on fc.business_id = b.id
    left join (
      select x.business_id, 1 as equipped
      from aid_allocations x
      where x.status in ('handed_over', 'received') and ${own(sql`x.business_id`)}
      group by x.business_id
    ) fx on fx.business_id = b.id
    left join (
      select p.business_id, count(*) as listed_products
      from products p
      where p.published and p.status = 'approved' and ${own(sql`p.business_id`)}
      group by p.business_id
    ) fp on fp.business_id = b.id
    ${kecamatan ? sql`where b.kecamatan_code = ${kecamatan}` : sql``}`;
}

export function readFigures(row: Record<string, unknown> | undefined): Figures {
  return Object.fromEntries(figureNames.map((name) => [name, Number(row?.[name] ?? 0)])) as Figures;
}
