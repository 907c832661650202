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

const has = (condition: SQL) => sql`(case when exists (${condition}) then 1 else 0 end)`;

export const figures = {
  // Registered businesses.
  businesses: sql`1`,
  // Businesses marked as hit by Covid-19.
  covidImpacted: sql`(case when b.covid_impacted then 1 else 0 end)`,
  // Applications of any status (a business may have several, one per program).
  applications: sql`(select count(*) from applications a where a.business_id = b.id)`,
  // Businesses holding a seat in, or having completed, at least one program.
  enrolled: has(
    sql`select 1 from applications a where a.business_id = b.id and a.status in ('enrolled', 'completed')`,
  ),
  // Businesses that completed at least one training program.
  trained: has(sql`select 1 from applications a join programs p on p.id = a.program_id
    where a.business_id = b.id and a.status = 'completed' and p.type = 'training'`),
  // Businesses holding at least one certificate that is not revoked.
  certified: has(sql`select 1 from certificates c join applications a on a.id = c.application_id
    where a.business_id = b.id and c.revoked_at is null`),
  // Certificates not revoked (a business may hold several, one per program).
  certificates: sql`(select count(*) from certificates c join applications a on a.id = c.application_id
    where a.business_id = b.id and c.revoked_at is null)`,
  // Businesses that received equipment aid (handed over or confirmed received).
  equipped: has(
    sql`select 1 from aid_allocations x where x.business_id = b.id and x.status in ('handed_over', 'received')`,
  ),
  // Published products in the public catalogue.
  listedProducts: sql`(select count(*) from products p where p.business_id = b.id and p.published and p.status = 'approved')`,
} as const;

export type FigureName = keyof typeof figures;
export const figureNames = Object.keys(figures) as FigureName[];
export type Figures = Record<FigureName, number>;

// `sum(<figure>) as <figure>, …` for a select over `businesses b`.
export function figureColumns(): SQL {
  return sql.join(
    figureNames.map((name) => sql`coalesce(sum(${figures[name]}), 0)::int as ${sql.identifier(name)}`),
    sql`, `,
  );
}

export function readFigures(row: Record<string, unknown> | undefined): Figures {
  return Object.fromEntries(figureNames.map((name) => [name, Number(row?.[name] ?? 0)])) as Figures;
}
