import { and, asc, eq, getTableColumns, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, identityReviews, people, users } from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';
import { type BusinessSize, byCapital, bySales } from '../../domain/business-size.ts';
import type { BusinessStatus } from '../../domain/enums.ts';

export type BusinessScope = { kecamatanCode?: string | null; ownerId?: string | null };

// What the list and the export filter on, already normalised by the service.
export type BusinessCriteria = {
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  kbli?: string | undefined;
  size?: BusinessSize | undefined;
  status?: BusinessStatus | undefined;
  covidImpacted?: boolean | undefined;
  // exact lookups by the owner's NIK and/or E.164 phone
  identity?: { nik: string | null; phone: string | null } | undefined;
  // a name search on the business's or the owner's name: the tsquery of nameSearchQuery()
  // (src/domain/name-search.ts), lower-cased here
  nameQuery?: string | undefined;
};

// Keyset: (lower(name), id), the order of businesses_name_order_idx.
export type BusinessKeyset = [string, string] | null;

// The rows as the registry shows them: without the search documents, which only the database
// reads (they would double the bytes of a list page and land in every audit entry).
const { search: _businessSearch, ...businessFieldMap } = getTableColumns(businesses);
const { search: _personSearch, ...personFieldMap } = getTableColumns(people);
export const businessFields = businessFieldMap;
export const personFields = personFieldMap;
export type BusinessRow = Omit<typeof businesses.$inferSelect, 'search'>;
export type PersonRow = Omit<typeof people.$inferSelect, 'search'>;

const businessColumns = {
  business: businessFields,
  owner: personFields,
};

const nameKey = sql<string>`lower(${businesses.name})`;

const listColumns = { ...businessColumns, sortKey: nameKey };

export function scopeWhere(scope: BusinessScope): SQL | undefined {
  return and(
    scope.kecamatanCode ? eq(businesses.kecamatanCode, scope.kecamatanCode) : undefined,
    scope.ownerId ? eq(businesses.ownerId, scope.ownerId) : undefined,
  );
}

// PP 7/2021 size class in SQL, exactly as classifyBusinessSize: by annual turnover, or by
// capital when the turnover is unknown; null when both are. The thresholds are inlined as
// literals (not parameters) so that PostgreSQL can match the expression to an index on it:
// sizeClassIndexExpression renders the same expression for CREATE INDEX.
function sizeClassOf(turnover: SQL, capital: SQL): SQL {
  const bands = (column: SQL, limits: readonly (readonly [number, BusinessSize])[]) =>
    sql.join(
      [
        sql.raw('case'),
        ...limits.map(
          ([limit, size]) => sql`when ${column} <= ${sql.raw(String(limit))} then ${sql.raw(`'${size}'`)}`,
        ),
        sql.raw("else 'besar' end"),
      ],
      sql.raw(' '),
    );
  return sql`(case when ${turnover} is not null then ${bands(turnover, bySales)} when ${capital} is not null then ${bands(capital, byCapital)} end)`;
}

export const sizeClass = sizeClassOf(sql`${businesses.annualTurnover}`, sql`${businesses.capital}`);

// For the index that makes a size filter fast (asked of the lead; see the issue-3 report).
export function sizeClassIndexExpression(): SQL {
  return sizeClassOf(sql.raw('annual_turnover'), sql.raw('capital'));
}

function filterWhere(criteria: BusinessCriteria): SQL | undefined {
  const identity = criteria.identity;
  return and(
    identity
      ? inArray(
          businesses.ownerId,
          sql`(select ${people.id} from ${people} where ${or(
            identity.nik ? eq(people.nik, identity.nik) : undefined,
            identity.phone ? eq(people.phone, identity.phone) : undefined,
            identity.nik || identity.phone ? undefined : sql`false`,
          )})`,
        )
      : undefined,
    criteria.kecamatan ? eq(businesses.kecamatanCode, criteria.kecamatan) : undefined,
    criteria.kelurahan ? eq(businesses.regionCode, criteria.kelurahan) : undefined,
    criteria.kbli ? eq(businesses.kbli, criteria.kbli) : undefined,
    criteria.size ? sql`${sizeClass} = ${criteria.size}` : undefined,
    criteria.status ? eq(businesses.status, criteria.status) : undefined,
    criteria.covidImpacted === undefined ? undefined : eq(businesses.covidImpacted, criteria.covidImpacted),
  );
}

const afterKey = (after: BusinessKeyset) =>
  after ? sql`(${nameKey}, ${businesses.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined;

// Up to this many name matches per side are collected through the search index and sorted;
// past it a term is common enough that walking the name order finds a page sooner. Collecting
// visits every match in the heap and walking visits about limit × rows ÷ matches rows, so at
// 1,000,000 businesses the two cost the same near 7,000 matches (docs/benchmarks.md).
const defaultNameHitCap = 5_000;

// One page in (lower(name), id) order; `limit + 1` rows so the caller knows whether more follow.
export async function listBusinesses(
  db: DbOrTx,
  scope: BusinessScope,
  criteria: BusinessCriteria,
  page: { limit: number; after: BusinessKeyset },
  tuning: { nameHitCap?: number } = {},
) {
  const where = and(scopeWhere(scope), filterWhere(criteria));
  if (criteria.nameQuery) {
    const cap = tuning.nameHitCap ?? defaultNameHitCap;
    // On PostgreSQL the two sides run on two pool connections at once.
    const sides = await Promise.all([
      nameSideIds(db, 'business', where, criteria.nameQuery, page, cap),
      nameSideIds(db, 'owner', where, criteria.nameQuery, page, cap),
    ]);
    const ids = sides.flat();
    return ids.length === 0 ? [] : listByIds(db, ids, page.limit + 1);
  }
  return db
    .select(listColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(where, afterKey(page.after)))
    .orderBy(asc(nameKey), asc(businesses.id))
    .limit(page.limit + 1);
}

// A name search runs on each side (the business's name, the owner's name) on its own, then
// the two short lists are merged in name order. A side first estimates how many rows match
// from the frequent words and pairs that ANALYZE found in its search column (what EXPLAIN would
// say, without a round trip: estimates 2,269 / 32,403 / 16,503 at 1M for 2,010 / 35,199 /
// 16,229 real matches). A term expected to match more than nameHitCap rows walks the name order
// (businesses_name_order_idx), where it is soon found. Otherwise the side collects its matches
// through the GIN index of the search document, at most nameHitCap + 1 of them (the LIMIT stops
// the bitmap heap scan, should the statistics be stale), and cuts the page from them; past the
// cap it walks after all.
async function nameSideIds(
  db: DbOrTx,
  side: 'business' | 'owner',
  where: SQL | undefined,
  query: string,
  page: { limit: number; after: BusinessKeyset },
  nameHitCap: number,
): Promise<string[]> {
  const match =
    side === 'business'
      ? sql`${businesses.search} @@ lower(${query})::tsquery`
      : sql`${people.search} @@ lower(${query})::tsquery`;
  const from =
    side === 'business'
      ? sql`${businesses}`
      : sql`${people} join ${businesses} on ${businesses.ownerId} = ${people.id}`;
  const also = where ? sql` and ${where}` : sql``;
  const walk = async () => {
    const walked = await db.execute(sql`
      select ${businesses.id}::text as id from ${from}
      where ${match}${also}${page.after ? sql` and ${afterKey(page.after)}` : sql``}
      order by ${nameKey}, ${businesses.id} limit ${page.limit + 1}`);
    return rowsOf<{ id: string }>(walked).map((r) => r.id);
  };
  const stats = await termFrequencies(db, side === 'business' ? 'businesses' : 'people');
  if (expectedMatches(stats, query) > nameHitCap) return walk();
  const after = page.after ? sql`where (k, id) > (${page.after[0]}, ${page.after[1]}::uuid)` : sql``;
  const collected = await db.execute(sql`
    with hits as materialized (
      select ${businesses.id} as id, ${nameKey} as k from ${from} where ${match}${also} limit ${nameHitCap + 1}
    )
    select (select count(*) from hits) > ${nameHitCap} as truncated, page.id::text as id
    from (select 1) as one
      left join (select id, k from hits ${after} order by k, id limit ${page.limit + 1}) as page on true
    order by page.k, page.id`);
  const rows = rowsOf<{ truncated: boolean; id: string | null }>(collected);
  return rows[0]?.truncated ? walk() : rows.flatMap((r) => (r.id ? [r.id] : []));
}

// The most common terms of a table's search column with their frequencies (pg_stats, as the
// last ANALYZE found them) and its number of rows, read once in a while per database handle.
type TermFrequencies = { rows: number; terms: string[]; freqs: number[]; until: number };
const termStatsLifetimeMs = 10 * 60_000;
const termStatsCache = new WeakMap<object, Map<string, Promise<TermFrequencies>>>();

function termFrequencies(db: DbOrTx, table: 'businesses' | 'people'): Promise<TermFrequencies> {
  const tables = termStatsCache.get(db) ?? new Map<string, Promise<TermFrequencies>>();
  termStatsCache.set(db, tables);
  const cached = tables.get(table);
  if (cached) {
    // A stale entry is answered once more while its successor loads.
    void cached.then((stats) => {
      if (stats.until < Date.now() && tables.get(table) === cached) tables.delete(table);
    });
    return cached;
  }
  const loading = readTermFrequencies(db, table).catch((error: unknown) => {
    tables.delete(table);
    throw error;
  });
  tables.set(table, loading);
  return loading;
}

async function readTermFrequencies(db: DbOrTx, table: 'businesses' | 'people'): Promise<TermFrequencies> {
  const [row] = rowsOf<{ rows: number | null; terms: string[] | null; freqs: number[] | null }>(
    await db.execute(sql`
      select greatest(c.reltuples, 0)::float8 as rows, s.most_common_elems::text::text[] as terms,
        s.most_common_elem_freqs::float8[] as freqs
      from pg_class c
        left join pg_stats s on s.schemaname = current_schema() and s.tablename = c.relname and s.attname = 'search'
      where c.oid = to_regclass(${table})`),
  );
  return {
    rows: Number(row?.rows ?? 0),
    terms: row?.terms ?? [],
    freqs: (row?.freqs ?? []).map(Number),
    until: Date.now() + termStatsLifetimeMs,
  };
}

// Rows expected to match a search: its rarest term's frequency (a prefix: the sum over the
// frequent terms it begins) times the rows. A term not among the frequent ones counts as rare.
function expectedMatches(stats: TermFrequencies, query: string): number {
  let share = 1;
  for (const [, term = '', prefix] of query.toLowerCase().matchAll(/'([^']*)'(:\*)?/g)) {
    let frequency = 0;
    stats.terms.forEach((known, i) => {
      if (prefix ? known.startsWith(term) : known === term) frequency += stats.freqs[i] ?? 0;
    });
    share = Math.min(share, frequency);
  }
  return share * stats.rows;
}

async function listByIds(db: DbOrTx, ids: string[], limit: number) {
  return db
    .select(listColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(inArray(businesses.id, ids))
    .orderBy(asc(nameKey), asc(businesses.id))
    .limit(limit);
}

export async function getBusiness(db: DbOrTx, scope: BusinessScope, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(eq(businesses.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function getBusinessForUpdate(db: DbOrTx, scope: BusinessScope, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(eq(businesses.id, id), scopeWhere(scope)))
    .for('update', { of: businesses });
  return row ?? null;
}

export async function getPersonById(db: DbOrTx, id: string) {
  const [row] = await db.select(personFields).from(people).where(eq(people.id, id));
  return row ?? null;
}

export async function getPersonByNik(db: DbOrTx, nik: string) {
  const [row] = await db.select(personFields).from(people).where(eq(people.nik, nik));
  return row ?? null;
}

export async function insertPerson(db: DbOrTx, values: typeof people.$inferInsert) {
  const [row] = await db.insert(people).values(values).returning(personFields);
  return row!;
}

export async function updatePerson(db: DbOrTx, id: string, values: Partial<typeof people.$inferInsert>) {
  const [row] = await db
    .update(people)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(people.id, id))
    .returning(personFields);
  return row!;
}

export async function insertBusiness(db: DbOrTx, values: typeof businesses.$inferInsert) {
  const [row] = await db.insert(businesses).values(values).returning(businessFields);
  return row!;
}

export async function updateBusiness(
  db: DbOrTx,
  id: string,
  values: Partial<typeof businesses.$inferInsert>,
) {
  const [row] = await db
    .update(businesses)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(businesses.id, id))
    .returning(businessFields);
  return row!;
}

export async function getBusinessFacts(db: DbOrTx, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(eq(businesses.id, id));
  return row ?? null;
}

// Whether the person owns a business within the scope (an unscoped actor sees everyone).
export async function personInScope(db: DbOrTx, scope: BusinessScope, personId: string) {
  const where = scopeWhere(scope);
  if (!where) return true;
  const [row] = await db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(eq(businesses.ownerId, personId), where))
    .limit(1);
  return row !== undefined;
}

export async function insertIdentityReview(db: DbOrTx, values: typeof identityReviews.$inferInsert) {
  const [row] = await db.insert(identityReviews).values(values).returning();
  return row ?? null;
}

export async function getOpenIdentityReviewForUpdate(db: DbOrTx, id: string) {
  const [row] = await db
    .select()
    .from(identityReviews)
    .where(and(eq(identityReviews.id, id), eq(identityReviews.status, 'open')))
    .for('update');
  return row ?? null;
}

export async function getIdentityReview(db: DbOrTx, id: string) {
  const [row] = await db.select().from(identityReviews).where(eq(identityReviews.id, id));
  return row ?? null;
}

export async function decideIdentityReview(
  db: DbOrTx,
  id: string,
  values: { status: 'linked' | 'dismissed'; businessId?: string; decidedBy: string },
) {
  const [row] = await db
    .update(identityReviews)
    .set({ ...values, decidedAt: new Date() })
    .where(and(eq(identityReviews.id, id), eq(identityReviews.status, 'open')))
    .returning();
  return row ?? null;
}

// Open reviews, oldest first; the cursor carries created_at as PostgreSQL text (microseconds).
export async function listOpenIdentityReviews(
  db: DbOrTx,
  page: { limit: number; after: [string, string] | null },
) {
  return db
    .select({
      review: identityReviews,
      person: people,
      requestedBy: users.username,
      cursorAt: sql<string>`${identityReviews.createdAt}::text`,
    })
    .from(identityReviews)
    .innerJoin(people, eq(people.id, identityReviews.personId))
    .leftJoin(users, eq(users.id, identityReviews.requestedBy))
    .where(
      and(
        eq(identityReviews.status, 'open'),
        page.after
          ? sql`(${identityReviews.createdAt}, ${identityReviews.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(identityReviews.createdAt), asc(identityReviews.id))
    .limit(page.limit + 1);
}
