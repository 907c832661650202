import { and, asc, desc, eq, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, catalogWords, type ProductPhoto, people, products } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { priceBands } from '../../domain/catalog-search.ts';
import type { ProductCategory, ProductStatus } from '../../domain/enums.ts';

// Everything but the search document and the legacy photo bytes.
const productColumns = {
  id: products.id,
  businessId: products.businessId,
  name: products.name,
  description: products.description,
  price: products.price,
  unit: products.unit,
  published: products.published,
  category: products.category,
  status: products.status,
  reviewNote: products.reviewNote,
  reviewedAt: products.reviewedAt,
  photos: products.photos,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
};

export type ProductRow = {
  id: string;
  businessId: string;
  name: string;
  description: string | null;
  price: number;
  unit: string | null;
  published: boolean;
  category: ProductCategory;
  status: ProductStatus;
  reviewNote: string | null;
  reviewedAt: Date | null;
  photos: ProductPhoto[];
  createdAt: Date;
  updatedAt: Date;
};

export type PageAfter = { limit: number; after: [string, string] | null };

const afterKey = (after: [string, string] | null) =>
  after ? sql`(lower(${products.name}), ${products.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined;

const byNameThenId = [asc(sql`lower(${products.name})`), asc(products.id)];

// Listed publicly: approved by the office, not hidden by its owner, and the business has not
// closed (the column `listed`, kept by triggers, migration 0025).
const listed = eq(products.listed, true);

// One searched word: as typed (the last one also as a prefix, for search as you type), or
// the vocabulary word it was corrected to. A prefix's `expansion` is the exact OR of the
// catalogue's lexemes that start with it (a tsquery's text, read with the corrections:
// correctionsSql), matched instead of the prefix; without one the prefix itself is.
export type SearchTerm = {
  word: string;
  correction: string | null;
  prefix: boolean;
  expansion?: string | null | undefined;
};

export type PublicFilter = {
  terms: SearchTerm[];
  // The whole query, normalised: a product with exactly this name comes first.
  phrase: string | null;
  places: string[];
  kecamatan?: string | undefined;
  category?: string | undefined;
  price?: { min: number; max: number | null } | undefined;
  id?: string | undefined;
};

// The words' tsquery: for matching (a prefix as its expansion when it has one), or, with
// `asTyped`, for ts_rank, which must see the prefix itself: it divides an OR's rank by its
// number of lexemes, and ranks an AND by the distances between its items, so an expansion
// would reorder the second tier.
function tsquery(terms: SearchTerm[], asTyped = false): SQL {
  const parts = terms.map((t) => {
    const typed =
      t.prefix && t.expansion && !asTyped
        ? sql`${t.expansion}::tsquery`
        : sql`to_tsquery('indonesian', ${t.prefix ? `${t.word}:*` : t.word})`;
    return t.correction ? sql`(${typed} || plainto_tsquery('indonesian', ${t.correction}))` : typed;
  });
  return sql`(${sql.join(parts, sql` && `)})`;
}

type Facet = 'kecamatan' | 'category' | 'price';

// The text and place match, and every facet filter but `except` (a facet counts as if it
// were not chosen, so that a buyer sees what choosing another value would give).
function publicWhere(db: DbOrTx, filter: PublicFilter, except?: Facet): SQL | undefined {
  return and(
    listed,
    filter.terms.length > 0 ? sql`${products.searchDocument} @@ ${tsquery(filter.terms)}` : undefined,
    filter.places.length > 0
      ? inArray(
          products.businessId,
          db
            .select({ id: businesses.id })
            .from(businesses)
            .where(
              or(
                inArray(businesses.kecamatanCode, filter.places),
                inArray(businesses.regionCode, filter.places),
              ),
            ),
        )
      : undefined,
    filter.kecamatan && except !== 'kecamatan'
      ? inArray(
          products.businessId,
          db
            .select({ id: businesses.id })
            .from(businesses)
            .where(eq(businesses.kecamatanCode, filter.kecamatan)),
        )
      : undefined,
    filter.category && except !== 'category'
      ? eq(products.category, filter.category as ProductCategory)
      : undefined,
    filter.price && except !== 'price'
      ? and(
          sql`${products.price} >= ${filter.price.min}`,
          filter.price.max === null ? undefined : sql`${products.price} < ${filter.price.max}`,
        )
      : undefined,
    filter.id ? eq(products.id, filter.id) : undefined,
  );
}

const publicColumns = {
  product: productColumns,
  business: {
    id: businesses.id,
    name: businesses.name,
    kecamatanCode: businesses.kecamatanCode,
    regionCode: businesses.regionCode,
  },
  ownerPhone: people.phone,
};

const publicRowsBase = (db: DbOrTx) =>
  db
    .select(publicColumns)
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId));

// Without search words: by name, paged by key. Reads businesses and people directly
// (read-only, never the NIK) for the page's rows only.
export async function listPublicProducts(
  db: DbOrTx,
  filter: PublicFilter,
  page: { limit: number; after: [string, string] | null },
) {
  return publicRowsBase(db)
    .where(and(publicWhere(db, filter), afterKey(page.after)))
    .orderBy(...byNameThenId)
    .limit(page.limit + 1);
}

export type PublicProductRow = Awaited<ReturnType<typeof listPublicProducts>>[number];

// A first page by name, as listPublicProducts, with the catalogue's version and which of
// `placeCodes` have a business (placesWithBusinessesSql) read by the same statement, on every
// row: a page without rows brings neither (null).
export async function listPublicProductsCheckingPlaces(
  db: DbOrTx,
  filter: PublicFilter,
  page: { limit: number },
  placeCodes: string[],
): Promise<{ rows: PublicProductRow[]; version: number; placesWithBusinesses: string[] } | null> {
  const found = await db
    .select({
      ...publicColumns,
      version: versionNow,
      places: sql<string[] | null>`${placesWithBusinessesSql(placeCodes)}`,
    })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(publicWhere(db, filter))
    .orderBy(...byNameThenId)
    .limit(page.limit + 1);
  const [first] = found;
  if (!first) return null;
  return {
    rows: found.map(({ version: _, places: __, ...row }) => row),
    version: first.version,
    placesWithBusinesses: first.places ?? [],
  };
}

// The filter marks of the documents (migration catalog-uncached_sql): one lexeme per chosen
// filter value, ANDed into a search's tsquery so that the GIN index intersects word and filter
// before any row is read. A value that cannot be a mark (an unknown kecamatan typed in the
// URL) becomes a mark no product has.
const markOf = (kind: 'cat' | 'price' | 'kec' | 'reg', value: string) =>
  /^[\p{L}\p{N}.-]+$/u.test(value) ? `'@${kind}.${value}'` : `'@none'`;

function filterMarks(filter: PublicFilter, except?: Facet): string[] {
  const marks: string[] = [];
  if (filter.category && except !== 'category') marks.push(markOf('cat', filter.category));
  if (filter.price && except !== 'price') {
    const band = priceBands.findIndex((b) => b.min === filter.price?.min);
    marks.push(markOf('price', String(band)));
  }
  if (filter.kecamatan && except !== 'kecamatan') marks.push(markOf('kec', filter.kecamatan));
  if (filter.places.length > 0)
    marks.push(`(${filter.places.flatMap((p) => [markOf('kec', p), markOf('reg', p)]).join(' | ')})`);
  return marks;
}

// The words and the filters (but `except`) as one tsquery, for either document.
function matchQuery(filter: PublicFilter, except?: Facet): SQL {
  const marks = filterMarks(filter, except);
  return marks.length > 0
    ? sql`(${tsquery(filter.terms)} && ${marks.join(' & ')}::tsquery)`
    : tsquery(filter.terms);
}

// The tsqueries a search's statement uses: the words alone (for the second tier's "not in the
// name"), the words as typed (for ts_rank: a prefix not expanded), and the words with the
// filters but `except` (for the matches). Either literals built here from terms whose
// corrections are known, or read from the statement's own vocabulary lookup
// (`correctedQueries`).
type SearchQueries = { words: SQL; rank: SQL; match: (except?: Facet) => SQL };

const literalQueries = (filter: PublicFilter): SearchQueries => ({
  words: tsquery(filter.terms),
  rank: tsquery(filter.terms, true),
  match: (except) => matchQuery(filter, except),
});

// The words' tsquery built in the statement from its `corrections` CTE (correctionsSql): each
// word as typed (the last as a prefix when typing), or its nearest vocabulary word when the
// catalogue does not know it, as `searchTerms` in the service decides from the same rows. Built
// once, in the CTE `search_query` (correctedQueryCte), which every use reads as a scalar
// subquery: evaluated once per statement, never per row, and planned as a scan of one row.
// With `expand`, a prefix is matched as its expansion (read by correctionsSql) and ranked as
// typed (column `ranked`).
function correctedQueryCte(filter: PublicFilter, expand: boolean): SQL {
  const query = (asTyped: boolean) =>
    filter.terms.map((t) => {
      const word = sql`to_tsquery('indonesian', ${t.prefix ? `${t.word}:*` : t.word})`;
      const typed = t.prefix && !asTyped ? sql`coalesce(c.expansion::tsquery, ${word})` : word;
      return sql`(select case when c.known or c.nearest is null then ${typed}
      else ${typed} || plainto_tsquery('indonesian', c.nearest) end from corrections c where c.word = ${t.word})`;
    });
  const ranked = expanding(filter, expand) ? sql.join(query(true), sql` && `) : sql`null::tsquery`;
  return sql`search_query as materialized (select ${sql.join(query(false), sql` && `)} as words, ${ranked} as ranked)`;
}

const expanding = (filter: PublicFilter, expand: boolean) => expand && filter.terms.some((t) => t.prefix);

function correctedQueries(filter: PublicFilter, expand: boolean): SearchQueries {
  const words = sql`(select words from search_query)`;
  return {
    words,
    rank: expanding(filter, expand) ? sql`(select ranked from search_query)` : words,
    match: (except) => {
      const marks = filterMarks(filter, except);
      return marks.length > 0
        ? sql`(select words && ${marks.join(' & ')}::tsquery from search_query)`
        : words;
    },
  };
}

// How far the first tier walks its index (newest first) before it asks the GIN index instead:
// far enough that a word in one name of eighty fills a first page by walking.
export const nameWalk = (wanted: number) => 2000 + 20 * wanted;

// With words: the ids of a page by relevance, paged by offset, in two tiers so that a broad
// word does not rank every match:
// 1. the products whose name has every word: an exact name first, then the newest first. A
//    common word's page is found by walking the newest-first index (which holds the name's
//    document) and stopping at the page's size; several words, a filter, or a word too rare
//    for that walk are looked up in the GIN index and their few matches sorted. Either way
//    the order is the same.
// 2. only when the page is not full, the others by ts_rank over name A, category B,
//    description C, business D, then by name.
// One statement (ids and their order, `ord`): the choices between the paths are gates on the
// counts of the CTEs before them (one-time filters), so a path not needed is never run and a
// search costs one round trip to the database instead of one per path. A gate sits above its
// path's limit, not among its conditions: there the planner put it below a parallel plan
// (a word form such as `anyam:*` is in a fifth of the descriptions), and PostgreSQL started two
// worker processes for a tier it then did not run (15–20 ms, most of a word form's time).
function rankedSql(
  filter: PublicFilter,
  page: { limit: number; offset: number },
  walk: (wanted: number) => number,
  queries: SearchQueries = literalQueries(filter),
): SQL {
  const words = queries.words;
  const match = queries.match();
  const wanted = page.offset + page.limit + 1;
  const inName = sql`${products.nameDocument} @@ ${match}`;
  const phrase = filter.phrase ?? '';
  // The name's matches in the tier's order (an exact name, then the newest), from the GIN
  // index: all of them are read and sorted, so this is for few. (`offset 0` keeps the planner
  // from walking the whole newest-first index instead, which it would for a prefix it cannot
  // estimate.)
  const looked = sql`select m.id, m.exact, m.created_at from (
      select ${products.id} as id, ${products.createdAt} as created_at, lower(${products.name}) = ${phrase} as exact
      from ${products} where ${listed} and ${inName} offset 0
    ) m order by m.exact desc, m.created_at desc, m.id limit ${wanted}`;
  // Only one word with no filter can be common enough for the walk to fill the page; more
  // words or a filter narrow the matches, and the GIN index finds them at once.
  const walking = filter.terms.length === 1 && filterMarks(filter).length === 0;
  // The exact names from the lower(name) index (the fence keeps the GIN index out of it),
  // then the walk; a product met by both counts once, as exact. When they do not fill the
  // page the word is too rare for the walk: its matches are few, and the GIN index gives them
  // sorted as the walk would have met them.
  const first = walking
    ? sql`walked as materialized (
        select u.id, bool_or(u.exact) as exact, max(u.created_at) as created_at from (
          (select e.id, true as exact, e.created_at from (
            select ${products.id} as id, ${products.nameDocument} as name_document, ${products.createdAt} as created_at
            from ${products} where ${listed} and lower(${products.name}) = ${phrase} offset 0
          ) e where e.name_document @@ ${match} order by e.created_at desc, e.id limit ${wanted})
          union all
          (select w.id, false, w.created_at from (
            select ${products.id} as id, ${products.nameDocument} as name_document, ${products.createdAt} as created_at
            from ${products} where ${listed} order by ${products.createdAt} desc, ${products.id} limit ${walk(wanted)}
          ) w where w.name_document @@ ${match} limit ${wanted})
        ) u group by u.id order by 2 desc, 3 desc, 1 limit ${wanted}
      ),
      first as materialized (
        select id, exact, created_at from walked where (select count(*) from walked) >= ${wanted}
        union all
        select l.id, l.exact, l.created_at from (${looked}) l where (select count(*) from walked) < ${wanted}
      )`
    : sql`first as materialized (${looked})`;
  return sql`with ${first},
    rest as (
      select r.* from (
        select ${products.id} as id, lower(${products.name}) = ${phrase} as exact,
          ts_rank(${products.searchDocument}, ${queries.rank}) as rank, lower(${products.name}) as name
        from ${products}
        where ${listed} and ${products.searchDocument} @@ ${match} and not (${products.nameDocument} @@ ${words})
        order by 2 desc, 3 desc, 4, 1 limit ${wanted}
      ) r where (select count(*) from first) < ${wanted}
    )
    select a.id, a.ord from (
      select id, row_number() over (order by exact desc, created_at desc, id) as ord from first
      union all
      select id, ${wanted} + row_number() over (order by exact desc, rank desc, name, id) from rest
    ) a order by a.ord offset ${page.offset} limit ${page.limit + 1}`;
}

export async function rankPublicProducts(
  db: DbOrTx,
  filter: PublicFilter,
  page: { limit: number; offset: number },
  walk: (wanted: number) => number = nameWalk,
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, rankedSql(filter, page, walk));
  return rows.map((r) => r.id);
}

// A lookup of a search's matches that must go through the GIN index. Left to itself, the
// planner expects a scan in some other order (the table, or any btree index over listed
// products) to stop early, after the first match, and for a rare word, or a prefix whose
// frequency it cannot know, it does not stop: it tests the words on every listed row. Only bitmap scans are left to it (the GIN index has no other kind). JIT
// off: the disabled paths' costs would otherwise switch it on.
async function throughIndexes<T>(db: DbOrTx, run: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),
        set_config('enable_indexonlyscan', 'off', true), set_config('jit', 'off', true)`,
    );
    return run(tx);
  });
}

// Whether anything matches the words and the filters (a place named in the query is kept as
// a place only when it does).
export async function hasPublicMatch(db: DbOrTx, filter: PublicFilter): Promise<boolean> {
  const [row] = await throughIndexes(db, (tx) =>
    queryRows<{ found: boolean }>(
      tx,
      sql`select exists (select 1 from ${products}
        where ${listed} and ${products.searchDocument} @@ ${matchQuery(filter)}) as found`,
    ),
  );
  return Boolean(row?.found);
}

// The catalogue's version (migration catalog-fast_sql): outside the public schema, so raw SQL.
const versionNow = sql<number>`(select coalesce(max(version), 0) from catalog_cache.state)`.mapWith(Number);

// The catalogue's version (0 before the first write).
export async function readCatalogVersion(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ version: versionNow }).from(sql`(select 1) as one`);
  return row?.version ?? 0;
}

// A page's rows in the order of `ids`, and the catalogue's version read in the same statement
// (so the same snapshot): a cached page is good when that version is the one it was ranked at.
export async function listPublicProductsById(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return { rows: [] as PublicProductRow[], version: await readCatalogVersion(db) };
  const found = await db
    .select({ ...publicColumns, version: versionNow })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(listed, inArray(products.id, ids)));
  const order = new Map(ids.map((id, i) => [id, i]));
  const rows: PublicProductRow[] = found
    .map(({ version: _, ...row }) => row)
    .sort((a, b) => (order.get(a.product.id) ?? 0) - (order.get(b.product.id) ?? 0));
  return { rows, version: found[0]?.version ?? (await readCatalogVersion(db)) };
}

const facetNames = ['kecamatan', 'category', 'price'] as const;

// A search's facets are counted over at most this many of its matches (those the GIN index
// gives first): counting every product a common word matches means reading every one of
// their rows. Past it, each count says "at least" (facets carry `atLeast`).
export const facetCountLimit = 1000;

export type FacetCounts = {
  counts: Record<Facet, { value: string; count: number }[]>;
  // the facets whose counts stopped at the limit: each count is a lower bound
  atLeast: Facet[];
};

// One count: `part` is the statement part it comes from, 'together' (the facets with no
// value chosen, one pass) or the name of a chosen facet (counted on its own).
type FacetCountRow = { part: string; facet: Facet; value: string; count: number };

const chosenFacet = (filter: PublicFilter, f: Facet) =>
  f === 'kecamatan'
    ? Boolean(filter.kecamatan)
    : f === 'category'
      ? Boolean(filter.category)
      : Boolean(filter.price);

// Counts per facet value over the products the search matches, as rows (FacetCountRow). The
// facets with no value chosen share one where (every filter) and are counted in one pass
// (grouping sets); a facet with a value chosen is counted as if it were not, on its own.
// Browsing without words counts every listed product; a search counts at most `limit` matches
// (the words and filters as one GIN lookup, no row read but those counted).
function facetRowsSql(
  db: DbOrTx,
  filter: PublicFilter,
  limit: number,
  queries: SearchQueries = literalQueries(filter),
): SQL | null {
  const band = sql`width_bucket(m.price, array[50000, 100000, 250000, 500000]::bigint[])`;
  const columns = { kecamatan: sql`m.kecamatan_code`, category: sql`m.category`, price: band };
  const searching = filter.terms.length > 0;
  // A search's first `limit` matches, as the GIN index gives them, each with its business's
  // kecamatan from its own row (products.kecamatan_code, kept by the trigger: a lookup of the
  // business per match was a third of the count's work). The lookup sits under `offset 0`, so
  // that the planner plans it for every match (a bitmap scan of the GIN index) and the limit
  // then stops the reading of rows: with the limit right on it, it would rather scan the table
  // or a btree index counting on an early stop, and test the words on thousands of rows.
  const matches = (except?: Facet) =>
    searching
      ? sql`(select x.category, x.price, x.kecamatan_code from (
            select ${products.category} as category, ${products.price} as price, ${products.kecamatanCode} as kecamatan_code
            from ${products} where ${listed} and ${products.searchDocument} @@ ${queries.match(except)} offset 0
          ) x limit ${limit}) m`
      : sql`(select ${products.category} as category, ${products.price} as price, ${businesses.kecamatanCode} as kecamatan_code
          from ${products} inner join ${businesses} on ${businesses.id} = ${products.businessId}
          where ${publicWhere(db, filter, except)}) m`;
  const free = facetNames.filter((f) => !chosenFacet(filter, f));
  const parts: SQL[] = [];
  if (free.length > 0) {
    // Each row belongs to one grouping set: the one whose column is grouped (grouping() = 0).
    const which = (make: (f: Facet) => SQL) =>
      sql`case ${sql.join(
        free.map((f) => sql`when grouping(${columns[f]}) = 0 then ${make(f)}`),
        sql` `,
      )} end`;
    parts.push(sql`select 'together' as part, ${which((f) => sql`${f}`)} as facet,
        ${which((f) => sql`(${columns[f]})::text`)} as value, count(*)::int as count
      from ${matches()}
      group by grouping sets (${sql.join(
        free.map((f) => sql`(${columns[f]})`),
        sql`, `,
      )})`);
  }
  for (const facet of facetNames.filter((f) => chosenFacet(filter, f)))
    parts.push(sql`select ${facet} as part, ${facet} as facet, (${columns[facet]})::text as value, count(*)::int as count
      from ${matches(facet)}
      group by 3`);
  return parts.length > 0 ? sql.join(parts, sql` union all `) : null;
}

// The counts as the API gives them, each facet marked when its counting stopped at the limit.
function facetCountsOf(rows: FacetCountRow[], filter: PublicFilter, limit: number): FacetCounts {
  const result: FacetCounts = { counts: { kecamatan: [], category: [], price: [] }, atLeast: [] };
  for (const r of rows) result.counts[r.facet].push({ value: r.value, count: Number(r.count) });
  if (filter.terms.length === 0) return result;
  const free = facetNames.filter((f) => !chosenFacet(filter, f));
  const total = (part: string, facet: Facet) =>
    rows.filter((r) => r.part === part && r.facet === facet).reduce((sum, r) => sum + Number(r.count), 0);
  // Every match is in each grouping set once: the first one's counts add up to the matches.
  const [one] = free;
  if (one && total('together', one) >= limit) result.atLeast.push(...free);
  for (const facet of facetNames.filter((f) => chosenFacet(filter, f)))
    if (total(facet, facet) >= limit) result.atLeast.push(facet);
  return result;
}

// The counts in one statement (the parts, which used to go in parallel on several
// connections, one after the other on one).
export async function countPublicFacets(
  db: DbOrTx,
  filter: PublicFilter,
  limit: number = facetCountLimit,
): Promise<FacetCounts> {
  const query = facetRowsSql(db, filter, limit);
  return facetCountsOf(query ? await queryRows<FacetCountRow>(db, query) : [], filter, limit);
}

// What a search's page shows of a product, its business and its owner.
export type PublicCard = {
  product: Pick<ProductRow, 'id' | 'name' | 'description' | 'price' | 'unit' | 'photos' | 'category'>;
  business: { id: string; name: string; kecamatanCode: string; regionCode: string };
  ownerPhone: string | null;
};

type CardJson = {
  id: string;
  name: string;
  description: string | null;
  price: number;
  unit: string | null;
  photos: ProductPhoto[];
  category: ProductCategory;
  businessId: string;
  businessName: string;
  kecamatanCode: string;
  regionCode: string;
  ownerPhone: string | null;
};

// A search's page in one statement: its ranked ids (one more than the page, to know whether
// another follows), the rows of the page, and, when asked, the facet counts, as JSON (one row
// to parse instead of a result per step). The rows come from the snapshot that ranked them.
// With `correct`, the statement also reads the catalogue's version and looks the words up in
// the vocabulary first (as readVersionAndCorrections), and searches with the corrections it
// found: a search whose words name no place is then one round trip, not two. The terms'
// corrections are then ignored (the statement's own are used, and returned).
export async function searchPublicPage(
  db: DbOrTx,
  filter: PublicFilter,
  page: { limit: number; offset: number },
  options: {
    facets: boolean;
    facetLimit?: number;
    walk?: (wanted: number) => number;
    correct?: boolean;
    // with `correct`: the place codes the words may name, each checked for a business in the
    // same statement (as readVersionAndCorrections does)
    placeCodes?: string[];
  },
): Promise<{
  ids: string[];
  rows: PublicCard[];
  facets: FacetCounts | null;
  // with `correct`: the catalogue's version, the words' corrections and which of `placeCodes`
  // have a business, read in the statement
  read?: { version: number; corrections: WordCorrection[]; placesWithBusinesses: string[] };
}> {
  const facetLimit = options.facetLimit ?? facetCountLimit;
  const correct = Boolean(options.correct) && filter.terms.length > 0;
  // A prefix is worth expanding where the GIN index will be asked: for the facets, with a
  // filter, or with several words. One word alone is mostly walked in the name's order (its
  // prefix tested on each entry, as cheap as an exact word), so the lookup of its lexemes
  // would be work for nothing; when its walk does not fill the page it is matched as a prefix.
  const expand = options.facets || filter.terms.length > 1 || filterMarks(filter).length > 0;
  const queries = correct ? correctedQueries(filter, expand) : literalQueries(filter);
  const facetQuery = options.facets ? facetRowsSql(db, filter, facetLimit, queries) : null;
  const [row] = await queryRows<{
    ids: string[] | null;
    rows: CardJson[] | null;
    facets: FacetCountRow[] | null;
    version: number | string | null;
    corrections: WordCorrection[] | null;
    places: string[] | null;
  }>(
    db,
    sql`with ${
      correct
        ? sql`corrections as materialized (${correctionsSql(
            filter.terms.map((t) => t.word),
            expand,
          )}),
          ${correctedQueryCte(filter, expand)},`
        : sql``
    } page as materialized (${rankedSql(filter, page, options.walk ?? nameWalk, queries)})
    select (select json_agg(id order by ord) from page) as ids,
      (select json_agg(json_build_object(
          'id', ${products.id}, 'name', ${products.name}, 'description', ${products.description},
          'price', ${products.price}, 'unit', ${products.unit}, 'photos', ${products.photos},
          'category', ${products.category}, 'businessId', ${businesses.id}, 'businessName', ${businesses.name},
          'kecamatanCode', ${businesses.kecamatanCode}, 'regionCode', ${businesses.regionCode},
          'ownerPhone', ${people.phone}) order by shown.ord)
        from (select id, ord from page order by ord limit ${page.limit}) shown
        inner join ${products} on ${products.id} = shown.id
        inner join ${businesses} on ${businesses.id} = ${products.businessId}
        inner join ${people} on ${people.id} = ${businesses.ownerId}
        where ${listed}) as rows,
      ${facetQuery ? sql`(select json_agg(f) from (${facetQuery}) f)` : sql`null::json`} as facets,
      ${
        correct
          ? sql`(select coalesce(max(version), 0) from catalog_cache.state) as version,
            (select json_agg(c) from corrections c) as corrections,
            ${placesWithBusinessesSql(options.placeCodes ?? [])} as places`
          : sql`null::bigint as version, null::json as corrections, null::json as places`
      }`,
  );
  const rows = (row?.rows ?? []).map(
    (c): PublicCard => ({
      product: {
        id: c.id,
        name: c.name,
        description: c.description,
        price: Number(c.price),
        unit: c.unit,
        photos: c.photos,
        category: c.category,
      },
      business: {
        id: c.businessId,
        name: c.businessName,
        kecamatanCode: c.kecamatanCode,
        regionCode: c.regionCode,
      },
      ownerPhone: c.ownerPhone,
    }),
  );
  return {
    ids: row?.ids ?? [],
    rows,
    facets: facetQuery
      ? facetCountsOf(row?.facets ?? [], filter, facetLimit)
      : options.facets
        ? facetCountsOf([], filter, facetLimit)
        : null,
    ...(correct
      ? {
          read: {
            version: Number(row?.version ?? 0),
            corrections: row?.corrections ?? [],
            placesWithBusinesses: row?.places ?? [],
          },
        }
      : {}),
  };
}

export type WordCorrection = {
  word: string;
  known: boolean;
  nearest: string | null;
  // the word as a prefix: the exact OR of the lexemes that start with its stem (tsquery text)
  expansion?: string | null;
};

// A prefix with more lexemes than this stays a prefix: each branch of an OR is a lookup of its
// own in the GIN index, and past a few the prefix scan of the entries is the cheaper one.
export const prefixExpansionLimit = 16;

// For each searched word: whether the catalogue knows it (its stem is some word's stem), and
// otherwise the closest vocabulary word by trigram similarity, ties to the fewest edits. With
// them, when `expand`, for a word long enough to be searched as a prefix, the exact OR of the
// catalogue's lexemes that start with its stem (`catalog_prefix_expansion`, migration
// catalog-prefix_sql: `'@none'` when none does, null when the prefix is to be searched as it is).
function correctionsSql(words: string[], expand = true): SQL {
  return sql`
    select q.w as word, k.known, case when k.known then null else (
      select c.word from ${catalogWords} c
      where c.word % q.w
      order by similarity(c.word, q.w) desc, levenshtein(c.word, q.w), c.word
      limit 1) end as nearest,
      ${expand ? sql`catalog_prefix_expansion(q.w, ${prefixExpansionLimit})` : sql`null::text`} as expansion
    from unnest(string_to_array(${words.join(' ')}, ' ')) as q(w)
    cross join lateral (select exists (
      select 1 from ${catalogWords} c
      where c.lexeme = coalesce(nullif(array_to_string(tsvector_to_array(to_tsvector('indonesian', q.w)), ' '), ''), q.w)
    ) as known) k`;
}

// Whether a business is in the place `p.code`, from the index that leads with the code's column
// (kecamatan or kelurahan/desa, then lower(name) and id). The order is the index's, so that
// the planner reads it: with five kecamatan in a city it expects any kecamatan code to be on
// a fifth of the rows and scans the table for the first one, which, for a code of another
// province, means every row (27 ms per code at 25,000 businesses).
const placeHasBusiness = (column: typeof businesses.kecamatanCode | typeof businesses.regionCode) =>
  sql`(select true from ${businesses} where ${column} = p.code
    order by ${column}, lower(${businesses.name}), ${businesses.id} limit 1)`;

// Which of `places` have a business, as a JSON array (null when none does).
const placesWithBusinessesSql = (places: string[]) =>
  places.length > 0
    ? sql`(select json_agg(p.code) from unnest(string_to_array(${places.join(' ')}, ' ')) as p(code)
        where ${placeHasBusiness(businesses.kecamatanCode)} or ${placeHasBusiness(businesses.regionCode)})`
    : sql`null::json`;

// The catalogue's version and the words' corrections in one statement: what a search that
// misses the answer cache asks first (the version before the ranking, see the service). With
// it, which of the places the words may name have a business at all: a desa of the same name
// in another province (`kopi`, `batik`, `gelang` name desa in Sulawesi, Papua and Java) cannot
// have a match, so the words are searched as words at once instead of after a search that
// finds nothing there (a btree lookup per code instead of a second ranking).
export async function readVersionAndCorrections(
  db: DbOrTx,
  words: string[],
  places: string[] = [],
): Promise<{ version: number; corrections: WordCorrection[]; placesWithBusinesses: string[] }> {
  const [row] = await queryRows<{
    version: number | string;
    corrections: WordCorrection[] | null;
    places: string[] | null;
  }>(
    db,
    sql`select (select coalesce(max(version), 0) from catalog_cache.state) as version,
      ${words.length > 0 ? sql`(select json_agg(c) from (${correctionsSql(words)}) c)` : sql`null::json`} as corrections,
      ${placesWithBusinessesSql(places)} as places`,
  );
  return {
    version: Number(row?.version ?? 0),
    corrections: row?.corrections ?? [],
    placesWithBusinesses: row?.places ?? [],
  };
}

// Photos stored in the row before the media store: moved out a few at a time at startup.
export async function listLegacyPhotos(db: DbOrTx, limit: number) {
  return db
    .select({ id: products.id, photo: products.photo, photos: products.photos })
    .from(products)
    .where(isNotNull(products.photo))
    .limit(limit);
}

export async function moveLegacyPhoto(db: DbOrTx, id: string, photos: ProductPhoto[]) {
  await db.update(products).set({ photos, photo: null, photoType: null }).where(eq(products.id, id));
}

// Whether any product still shows the photo with this key (its files may go when none does).
export async function isPhotoShown(db: DbOrTx, key: string): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from ${products} where ${products.photos} @> ${JSON.stringify([{ key }])}::jsonb) as found`,
  );
  return Boolean(row?.found);
}

// The key of every photo a product shows: the media files a backup keeps.
export async function listShownPhotoKeys(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`select distinct p.value->>'key' as key
        from ${products} cross join lateral jsonb_array_elements(${products.photos}) p
        order by 1`,
  );
  return rows.map((r) => r.key);
}

// The sitemap: every listed product, newest change first.
export async function listListedProductDates(db: DbOrTx, limit: number) {
  return db
    .select({ id: products.id, updatedAt: products.updatedAt })
    .from(products)
    .where(listed)
    .orderBy(desc(products.updatedAt))
    .limit(limit);
}

export async function listProducts(
  db: DbOrTx,
  businessIds: string[] | null,
  status: ProductStatus | undefined,
  page: PageAfter,
): Promise<ProductRow[]> {
  if (businessIds && businessIds.length === 0) return [];
  return db
    .select(productColumns)
    .from(products)
    .where(
      and(
        businessIds ? inArray(products.businessId, businessIds) : undefined,
        status ? eq(products.status, status) : undefined,
        afterKey(page.after),
      ),
    )
    .orderBy(...byNameThenId)
    .limit(page.limit + 1);
}

export async function listProductsOfBusiness(db: DbOrTx, businessId: string) {
  return db
    .select({
      id: products.id,
      name: products.name,
      price: products.price,
      published: products.published,
      status: products.status,
    })
    .from(products)
    .where(eq(products.businessId, businessId))
    .orderBy(...byNameThenId);
}

export async function getProduct(db: DbOrTx, id: string): Promise<ProductRow | null> {
  const [row] = await db.select(productColumns).from(products).where(eq(products.id, id));
  return row ?? null;
}

export async function getProductForUpdate(db: DbOrTx, id: string): Promise<ProductRow | null> {
  const [row] = await db.select(productColumns).from(products).where(eq(products.id, id)).for('update');
  return row ?? null;
}

export async function insertProduct(db: DbOrTx, values: typeof products.$inferInsert): Promise<ProductRow> {
  const [row] = await db.insert(products).values(values).returning(productColumns);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateProduct(
  db: DbOrTx,
  id: string,
  values: Partial<Omit<typeof products.$inferInsert, 'id' | 'businessId'>>,
): Promise<ProductRow> {
  const [row] = await db
    .update(products)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(products.id, id))
    .returning(productColumns);
  // Callers hold the row locked (getProductForUpdate), so it cannot have gone.
  if (!row) throw new Error(`product ${id} vanished during update`);
  return row;
}

export type MarketplaceExportRow = {
  id: string;
  name: string;
  description: string | null;
  price: number | null;
  unit: string | null;
  category: ProductCategory;
  photos: ProductPhoto[];
  businessName: string;
  nib: string | null;
  kecamatanCode: string;
  regionCode: string;
};

// The listed products of the businesses `reach` lets the caller see (the access layer's
// condition on the businesses row), by business and product name.
export async function listProductsForMarketplaceExport(
  db: DbOrTx,
  reach: SQL,
): Promise<MarketplaceExportRow[]> {
  return db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      price: products.price,
      unit: products.unit,
      category: products.category,
      photos: products.photos,
      businessName: businesses.name,
      nib: businesses.nib,
      kecamatanCode: businesses.kecamatanCode,
      regionCode: businesses.regionCode,
    })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(listed, reach))
    .orderBy(asc(sql`lower(${businesses.name})`), asc(sql`lower(${products.name})`), asc(products.id));
}
