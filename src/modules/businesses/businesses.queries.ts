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
const {
  search: _businessSearch,
  ownerSearch: _ownerSearch,
  ...businessFieldMap
} = getTableColumns(businesses);
export const businessFields = businessFieldMap;
export const personFields = getTableColumns(people);
export type BusinessRow = Omit<typeof businesses.$inferSelect, 'search' | 'ownerSearch'>;
export type PersonRow = typeof people.$inferSelect;

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

// The size asked for as a literal, not a parameter: the size index leaves the micro class out
// (migration namesearch3_sql), and the planner proves that `= 'kecil'` falls inside the index
// only from a constant.
const sizes = new Set<BusinessSize>(['mikro', 'kecil', 'menengah', 'besar']);
function sizeLiteral(size: BusinessSize): SQL {
  if (!sizes.has(size)) throw new Error(`not a size class: ${size}`);
  return sql.raw(`'${size}'`);
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
    criteria.size ? sql`${sizeClass} = ${sizeLiteral(criteria.size)}` : undefined,
    criteria.status ? eq(businesses.status, criteria.status) : undefined,
    criteria.covidImpacted === undefined ? undefined : eq(businesses.covidImpacted, criteria.covidImpacted),
  );
}

const afterKey = (after: BusinessKeyset) =>
  after ? sql`(${nameKey}, ${businesses.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined;

// Up to this many name matches are collected through the search indexes and sorted; past it a
// term is common enough that walking the name order finds a page sooner. Collecting visits
// every match in the heap and walking visits about limit × rows ÷ matches rows, so at
// 1,000,000 businesses the two cost the same near 7,000 matches (docs/benchmarks.md).
const defaultNameHitCap = 5_000;

// One page in (lower(name), id) order; `limit + 1` rows so the caller knows whether more follow.
export async function listBusinesses(
  db: DbOrTx,
  scope: BusinessScope,
  criteria: BusinessCriteria,
  page: { limit: number; after: BusinessKeyset },
  tuning: { nameHitCap?: number; stretchFrom?: number } = {},
) {
  const where = and(scopeWhere(scope), filterWhere(criteria));
  const list = (condition: SQL | undefined) =>
    db
      .select(listColumns)
      .from(businesses)
      .innerJoin(people, eq(people.id, businesses.ownerId))
      .where(condition)
      .orderBy(asc(nameKey), asc(businesses.id))
      .limit(page.limit + 1);
  if (!criteria.nameQuery) return list(and(where, afterKey(page.after)));
  const query = criteria.nameQuery;
  const [names, owners] = await Promise.all([
    termFrequencies(db, 'search'),
    termFrequencies(db, 'owner_search'),
  ]);
  const expected = expectedMatches(names, query) + expectedMatches(owners, query);
  const nameHitCap = tuning.nameHitCap ?? defaultNameHitCap;
  const stretchFrom = tuning.stretchFrom ?? nameStretches * (page.limit + 1);
  if (expected <= nameHitCap && expected >= stretchFrom && !where) {
    const rows = await list(stretchCondition(query, page));
    // A full page from the stretch is the page; a stretch that runs out first says nothing of
    // the next ones, and the search collects as below.
    if (rows.length > page.limit) return rows;
  }
  return list(
    nameSearchCondition(where, query, page, expected > nameHitCap ? 'walk' : 'collect', nameHitCap),
  );
}

// The exact test of a search: the business's document or the owner's holds the typed terms.
const nameMatch = (query: string) =>
  sql`(${businesses.search} @@ lower(${query})::tsquery or ${businesses.ownerSearch} @@ lower(${query})::tsquery)`;

// The document of businesses_name_terms_idx (migration namesearch3b_sql): both documents and
// the stretch of the name order the name is in, written as the index is so that it is used.
const nameTerms = sql`(${businesses.search} || ${businesses.ownerSearch} || array_to_tsvector(ARRAY[registry_name_stretch(${businesses.name})]))`;

// The stretches of the name order that registry_name_stretch tells apart.
const nameStretches = 9;

// The matches in the stretch of the name order where the page begins, and only those: the
// index intersects the search's terms with the stretch's, so a page of a search with 2,000
// matches reads a few hundred rows instead of all of them. A later stretch holds only names
// that sort after every name of this one, so when this stretch fills the page, the page is
// the search's. Tried when the statistics expect enough matches to fill a page in one stretch
// of nine on average, and not under a scope or filter, which thin each stretch out.
function stretchCondition(query: string, page: { limit: number; after: BusinessKeyset }): SQL {
  return and(
    sql`${nameTerms} @@ (lower(${query})::tsquery && registry_name_stretch(${page.after?.[0] ?? ''})::tsquery)`,
    nameMatch(query),
    afterKey(page.after),
  ) as SQL;
}

// A name search matches the business's name or its owner's, both documents on the business row
// (businesses.search, businesses.owner_search), read through one index
// (businesses_name_terms_idx), so the page is one statement with one index scan and no visit
// of people until the page's own rows.
//
// How many rows will match is estimated first from the frequent words and pairs that ANALYZE
// found in each column (what EXPLAIN would say, without a round trip: at 1M, 2,269 / 32,403 /
// 16,503 for 2,010 / 35,199 / 16,229 real business-name matches). A search expected to match
// more than nameHitCap rows walks the name order (businesses_name_order_idx), where it is soon
// found. Otherwise the statement collects the matches through the GIN index, at most
// nameHitCap + 1 of them (the LIMIT stops the bitmap heap scan, should the statistics be stale),
// and cuts the page from them; when it finds more than the cap after all, the same statement
// walks instead (a branch that a one-time filter leaves unrun otherwise).
function nameSearchCondition(
  where: SQL | undefined,
  query: string,
  page: { limit: number; after: BusinessKeyset },
  way: 'walk' | 'collect',
  nameHitCap: number,
): SQL {
  const match = nameMatch(query);
  const walk = and(match, where, afterKey(page.after)) as SQL;
  if (way === 'walk') return walk;
  const also = where ? sql` and ${where}` : sql``;
  const after = page.after ? sql`where (k, id) > (${page.after[0]}, ${page.after[1]}::uuid)` : sql``;
  // Inside the subquery "businesses" is the subquery's own scan, which the filters name too.
  return sql`${businesses.id} in (
    with hits as materialized (
      select ${businesses.id} as id, ${nameKey} as k from ${businesses}
      where ${nameTerms} @@ lower(${query})::tsquery and ${match}${also} limit ${nameHitCap + 1}
    )
    select id from (select id, k from hits ${after} order by k, id limit ${page.limit + 1}) as collected
    where (select count(*) from hits) <= ${nameHitCap}
    union all
    (select ${businesses.id} from ${businesses}
     where ${walk} and (select count(*) from hits) > ${nameHitCap}
     order by ${nameKey}, ${businesses.id} limit ${page.limit + 1}))`;
}

// The most common terms of a search column of businesses with their frequencies (pg_stats, as
// the last ANALYZE found them) and the table's number of rows, read once in a while per
// database handle.
type SearchColumn = 'search' | 'owner_search';
type TermFrequencies = { rows: number; terms: string[]; freqs: number[]; until: number };
const termStatsLifetimeMs = 10 * 60_000;
const termStatsCache = new WeakMap<object, Map<SearchColumn, Promise<TermFrequencies>>>();

function termFrequencies(db: DbOrTx, column: SearchColumn): Promise<TermFrequencies> {
  const columns = termStatsCache.get(db) ?? new Map<SearchColumn, Promise<TermFrequencies>>();
  termStatsCache.set(db, columns);
  const cached = columns.get(column);
  if (cached) {
    // A stale entry is answered once more while its successor loads.
    void cached.then((stats) => {
      if (stats.until < Date.now() && columns.get(column) === cached) columns.delete(column);
    });
    return cached;
  }
  const loading = readTermFrequencies(db, column).catch((error: unknown) => {
    columns.delete(column);
    throw error;
  });
  columns.set(column, loading);
  return loading;
}

async function readTermFrequencies(db: DbOrTx, column: SearchColumn): Promise<TermFrequencies> {
  const [row] = rowsOf<{ rows: number | null; terms: string[] | null; freqs: number[] | null }>(
    await db.execute(sql`
      select greatest(c.reltuples, 0)::float8 as rows, s.most_common_elems::text::text[] as terms,
        s.most_common_elem_freqs::float8[] as freqs
      from pg_class c
        left join pg_stats s on s.schemaname = current_schema() and s.tablename = c.relname and s.attname = ${column}
      where c.oid = to_regclass('businesses')`),
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
