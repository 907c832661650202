import { type SQL, sql } from 'drizzle-orm';

// The dashboard's figures, each defined once, here. Every figure is a sum over registered
// businesses of a per-business value, so the per-kecamatan rows add up to the
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
// certificates, aid, products), each grouped by business (`figureSource`), instead of a
// correlated subquery per registered business.

const flag = (condition: SQL) => sql`max(case when ${condition} then 1 else 0 end)`;

// The per-business values, each computed in one of the grouped branches of `figureSource`
// (alias `f`; a branch gives 0 for the figures it does not compute).
export const figures = {
  // Registered businesses.
  businesses: sql`f.businesses`,
  // Businesses marked as hit by Covid-19.
  covidImpacted: sql`f.covid_impacted`,
  // Applications of any status (a business may have several, one per program).
  applications: sql`f.applications`,
  // Businesses holding a seat in, or having completed, at least one program.
  enrolled: sql`f.enrolled`,
  // Businesses that completed at least one training program.
  trained: sql`f.trained`,
  // Businesses holding at least one certificate that is not revoked.
  certified: sql`(case when f.certificates > 0 then 1 else 0 end)`,
  // Certificates not revoked (a business may hold several, one per program).
  certificates: sql`f.certificates`,
  // Businesses that received equipment aid (handed over or confirmed received).
  equipped: sql`f.equipped`,
  // Published products in the public catalogue.
  listedProducts: sql`f.listed_products`,
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

// One row per business and table (alias `f`, with the business's `kecamatan_code`): the
// registered businesses (counted per kecamatan in business_counts, kept by trigger, so a row
// there stands for that many businesses), then one grouped branch per table (applications,
// certificates, aid, products) holding only the businesses that have rows in it. A figure comes
// from one branch, so its sum over the rows is its sum over businesses, and a business without
// rows in a table adds 0, as a left join with `coalesce` would, without joining every registered
// business to every table. Applications and certificates take the business's kecamatan from
// application_outcomes (kept with the business by trigger), so the registry itself is not read. A kecamatan office reads only its own kecamatan's rows.
export function figureSource(kecamatan: string | null): SQL {
  const inKecamatan = (column: SQL) => (kecamatan ? sql`${column} = ${kecamatan}` : sql`true`);
  const none = (n: number) => sql.raw(Array.from({ length: n }, () => '0').join(', '));
  return sql`(
    select n.kecamatan_code, n.businesses, n.covid_impacted, ${none(6)}
    from business_counts n where n.businesses > 0 and ${inKecamatan(sql`n.kecamatan_code`)}
    union all
    select o.kecamatan_code, 0, 0, count(*), ${flag(sql`o.status in ('enrolled', 'completed')`)},
      ${flag(sql`o.status = 'completed' and p.type = 'training'`)}, ${none(3)}
    from application_outcomes o join programs p on p.id = o.program_id
    where ${inKecamatan(sql`o.kecamatan_code`)}
    group by o.business_id, o.kecamatan_code
    union all
    select o.kecamatan_code, ${none(5)}, count(*), 0, 0
    from certificates c join application_outcomes o on o.application_id = c.application_id
    where c.revoked_at is null and ${inKecamatan(sql`o.kecamatan_code`)}
    group by o.business_id, o.kecamatan_code
    union all
    select b.kecamatan_code, ${none(6)}, 1, 0
    from businesses b
    where ${inKecamatan(sql`b.kecamatan_code`)} and b.id in (select x.business_id from aid_allocations x where x.status in ('handed_over', 'received'))
    union all
    select b.kecamatan_code, ${none(7)}, count(*)
    from products pr join businesses b on b.id = pr.business_id
    where pr.published and pr.status = 'approved' and ${inKecamatan(sql`b.kecamatan_code`)}
    group by b.id, b.kecamatan_code
  ) f(kecamatan_code, businesses, covid_impacted, applications, enrolled, trained, certificates, equipped,
    listed_products)`;
}

export function readFigures(row: Record<string, unknown> | undefined): Figures {
  return Object.fromEntries(figureNames.map((name) => [name, Number(row?.[name] ?? 0)])) as Figures;
}
