import { mayAccess } from '../../access/access.service.ts';
import type { DbOrTx } from '../../db/client.ts';
import { holdMediaForDeletion, lockMediaKey } from '../../db/media-lock.ts';
import type { ProductPhoto } from '../../db/schema.ts';
import {
  type Place,
  placePhrases,
  priceBand,
  priceBands,
  searchWords,
  splitPlace,
  suggestQuery,
} from '../../domain/catalog-search.ts';
import type { ProductStatus } from '../../domain/enums.ts';
import { normalizePhone, whatsappLink } from '../../domain/phone.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, pageOf } from '../../lib/http.ts';
import { compiledMessage } from '../../lib/i18n.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getBusinessSummary, listBusinesses } from '../businesses/businesses.service.ts';
import { cacheCapacityFromEnv, LruCache, perContext } from './catalog.cache.ts';
import {
  type PreparedPhoto,
  photoFileNames,
  prepareProductPhoto,
  putPhotoFiles,
  storeProductPhoto,
  variantName,
} from './catalog.media.ts';
import {
  countPublicFacets,
  type FacetCounts,
  getProduct,
  getProductForUpdate,
  hasPublicMatch,
  insertProduct,
  isPhotoShown,
  listLegacyPhotos,
  listListedProductDates,
  listProducts as listProductRows,
  listProductsOfBusiness as listProductsOfBusinessRows,
  listPublicProducts as listPublicProductRows,
  listPublicProductsById,
  listPublicProductsCheckingPlaces,
  listShownPhotoKeys,
  moveLegacyPhoto,
  type ProductRow,
  type PublicCard,
  type PublicFilter,
  type PublicProductRow,
  readCatalogVersion,
  readVersionAndCorrections,
  type SearchTerm,
  searchPublicPage,
  updateProduct as updateProductRow,
  type WordCorrection,
} from './catalog.queries.ts';
import {
  type CatalogFacets,
  type CreateProductBody,
  maxPhotoBytes,
  maxPhotosPerProduct,
  type PhotoContentType,
  type ProductItem,
  type ProductPhotoBody,
  type ProductPhotoItem,
  type PublicProduct,
  photoContentTypes,
  type UpdateProductBody,
} from './catalog.schema.ts';

export const productPagePath = (id: string) => `/katalog/${id}`;

export { searchWords };

function regionNames(ctx: AppContext, kecamatanCode: string, regionCode: string) {
  const isVillage = regionCode.length > 8;
  return {
    kecamatanName: ctx.regions.get(kecamatanCode)?.name ?? null,
    kelurahanName: isVillage ? (ctx.regions.get(regionCode)?.name ?? null) : null,
  };
}

export const mediaPath = (name: string) => `/media/${name}`;
const mediaUrl = (baseUrl: string, key: string, variant: Parameters<typeof variantName>[1]) =>
  `${baseUrl}${mediaPath(variantName(key, variant))}`;

function presentPhoto(baseUrl: string, photo: ProductPhoto): ProductPhotoItem {
  return {
    key: photo.key,
    width: photo.width,
    height: photo.height,
    thumbnailUrl: mediaUrl(baseUrl, photo.key, 'thumb'),
    cardUrl: mediaUrl(baseUrl, photo.key, 'card'),
    cardUrl2x: mediaUrl(baseUrl, photo.key, 'card2x'),
    largeUrl: mediaUrl(baseUrl, photo.key, 'large'),
    ogImageUrl: mediaUrl(baseUrl, photo.key, 'og'),
  };
}

// The message goes to the seller, so it is always in Indonesian whatever the buyer reads.
const orderText = compiledMessage('id', 'catalog', 'orderText');

function presentPublic(ctx: AppContext, row: PublicCard, baseUrl: string): PublicProduct {
  const { product: p, business: b } = row;
  const pageUrl = `${baseUrl}${productPagePath(p.id)}`;
  const phone = row.ownerPhone ? normalizePhone(row.ownerPhone) : null;
  const text = orderText({ product: p.name, business: b.name, url: pageUrl });
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    price: p.price,
    unit: p.unit,
    photoUrl: p.photos[0] ? mediaUrl(baseUrl, p.photos[0].key, 'large') : null,
    photos: p.photos.map((photo) => presentPhoto(baseUrl, photo)),
    category: p.category,
    business: {
      id: b.id,
      name: b.name,
      kecamatan: b.kecamatanCode,
      ...regionNames(ctx, b.kecamatanCode, b.regionCode),
    },
    whatsappUrl: phone?.ok ? whatsappLink(phone.value, text) : null,
    pageUrl,
  };
}

export type PublicFilterInput = {
  q?: string | undefined;
  kecamatan?: string | undefined;
  category?: string | undefined;
  price?: string | undefined;
  facets?: string | undefined;
};

// Kecamatan and kelurahan/desa named by the words; codes of other kab/kota match no business.
function placeLookup(ctx: AppContext) {
  return (phrase: string): Place[] =>
    ctx.regions
      .findAllByName(phrase, ['kecamatan', 'kelurahan', 'desa'])
      .map((r) => ({ code: r.code, name: r.name }));
}

function searchTerms(words: string[], lastIsPrefix: boolean, rows: WordCorrection[]) {
  const corrections = new Map<string, string>();
  const terms: SearchTerm[] = words.map((word, i) => {
    const row = rows.find((r) => r.word === word);
    const correction = row && !row.known && row.nearest ? row.nearest : null;
    if (correction) corrections.set(word, correction);
    const prefix = lastIsPrefix && i === words.length - 1 && word.length >= 3;
    return { word, correction, prefix, expansion: prefix ? (row?.expansion ?? null) : null };
  });
  return { terms, corrections };
}

const relevanceCursor = (offset: number) => encodeCursor([offset]);

// What a query's words became: the places found, the typos corrected, the suggestion.
type ResolvedQuery = { filter: PublicFilter; suggestion: string | null };

const caches = perContext(() => {
  const capacity = cacheCapacityFromEnv();
  return {
    queries: new LruCache<ResolvedQuery>(capacity),
    // A ranked page's ids, one more than the page (to know whether another follows).
    pages: new LruCache<string[]>(capacity),
    facets: new LruCache<CatalogFacets>(capacity),
  };
});

// What the words become before the catalogue is asked whether a place named in them has
// matches: the places found, the other words with their corrections (read by the caller in the
// statement that reads the catalogue's version).
function draftQuery(
  words: string[],
  typing: boolean,
  filters: Pick<PublicFilter, 'kecamatan' | 'category' | 'price'>,
  places: Place[],
  textWords: string[],
  corrections: WordCorrection[],
): ResolvedQuery {
  const { terms, corrections: corrected } = searchTerms(textWords, typing, corrections);
  return {
    filter: { terms, phrase: words.join(' '), places: places.map((p) => p.code), ...filters },
    suggestion: suggestQuery(words, corrected),
  };
}

// No match where the query named a place: every word is searched as a word ("batu" may be a
// product, not only a kelurahan).
function withoutPlaces(
  words: string[],
  typing: boolean,
  draft: ResolvedQuery,
  corrections: WordCorrection[],
) {
  const all = searchTerms(words, typing, corrections);
  return {
    filter: { ...draft.filter, terms: all.terms, places: [] },
    suggestion: suggestQuery(words, all.corrections),
  };
}

type SearchedPage = Awaited<ReturnType<typeof searchPublicPage>>;

// Whether each place code the words named had a business when last asked: a guess, which the
// statement that searches with it also checks. Bounded: forgotten at once when full.
const placeGuesses = perContext(() => new Map<string, boolean>());
const placeGuessLimit = 10_000;

function notePlaces(ctx: AppContext, codes: string[], withBusinesses: Set<string>) {
  const guesses = placeGuesses(ctx);
  if (guesses.size + codes.length > placeGuessLimit) guesses.clear();
  for (const code of codes) guesses.set(code, withBusinesses.has(code));
}

// A first page of words that may name a place, in one statement: searched (a place named
// alone: listed by name) as the place guess says, with the guess checked by the same statement
// (which of the places have a business). When it held, the search made is the one the checked
// places give; when it held but nothing matches there, one more statement searches every word
// as a word, as the steps without a guess would. Null when some place has no guess yet, when
// the guess did not hold, or when a place named alone lists nothing: the caller then takes
// those steps.
async function searchAtGuessedPlaces(
  ctx: AppContext,
  words: string[],
  typing: boolean,
  filters: Pick<PublicFilter, 'kecamatan' | 'category' | 'price'>,
  placeCodes: string[],
  page: { limit: number; facets: boolean },
): Promise<
  | { version: number; resolved: ResolvedQuery; searched: SearchedPage }
  | { version: number; resolved: ResolvedQuery; listed: PublicProductRow[] }
  | null
> {
  const guesses = placeGuesses(ctx);
  if (!placeCodes.every((code) => guesses.has(code))) return null;
  const lookup = placeLookup(ctx);
  const guessed = splitPlace(words, (phrase) => lookup(phrase).filter((p) => guesses.get(p.code)));
  if (guessed.words.length === 0) {
    // Only a place: its first page by name.
    const filter = draftQuery(words, typing, filters, guessed.places, [], []).filter;
    const listed = await listPublicProductsCheckingPlaces(ctx.db, filter, page, placeCodes);
    if (!listed) return null;
    const withBusinesses = new Set(listed.placesWithBusinesses);
    notePlaces(ctx, placeCodes, withBusinesses);
    const checked = splitPlace(words, (phrase) => lookup(phrase).filter((p) => withBusinesses.has(p.code)));
    if (!isSameSearch(guessed, checked, withBusinesses)) return null;
    const resolved = draftQuery(words, typing, filters, checked.places, [], []);
    return { version: listed.version, resolved, listed: listed.rows };
  }
  const search = (places: Place[], textWords: string[], placesAsked: string[]) =>
    searchPublicPage(
      ctx.db,
      draftQuery(words, typing, filters, places, textWords, []).filter,
      { limit: page.limit, offset: 0 },
      { facets: page.facets, correct: true, placeCodes: placesAsked },
    );
  const searched = await search(guessed.places, guessed.words, placeCodes);
  if (!searched.read) throw new Error('a search with words read no version');
  const withBusinesses = new Set(searched.read.placesWithBusinesses);
  notePlaces(ctx, placeCodes, withBusinesses);
  const checked = splitPlace(words, (phrase) => lookup(phrase).filter((p) => withBusinesses.has(p.code)));
  if (!isSameSearch(guessed, checked, withBusinesses)) return null;
  const answer = (found: SearchedPage, places: Place[], textWords: string[]) => {
    if (!found.read) throw new Error('a search with words read no version');
    const resolved = draftQuery(words, typing, filters, places, textWords, found.read.corrections);
    return { version: found.read.version, resolved, searched: found };
  };
  if (checked.places.length === 0 || searched.ids.length > 0)
    return answer(searched, checked.places, checked.words);
  return answer(await search([], words, []), [], words);
}

// Whether a search made with the guessed split finds what the checked split would: the same
// words, a place filter in both or in neither, and the same places once those without a
// business (which hold no product) are left out of the guess.
function isSameSearch(
  guessed: { places: Place[]; words: string[] },
  checked: { places: Place[]; words: string[] },
  withBusinesses: Set<string>,
) {
  if (guessed.words.join(' ') !== checked.words.join(' ')) return false;
  if (guessed.places.length > 0 !== checked.places.length > 0) return false;
  const kept = new Set(guessed.places.map((p) => p.code).filter((code) => withBusinesses.has(code)));
  const wanted = new Set(checked.places.map((p) => p.code));
  return kept.size === wanted.size && [...kept].every((code) => wanted.has(code));
}

export async function listPublicProducts(
  ctx: AppContext,
  input: PublicFilterInput,
  page: { limit: number; cursor?: string | undefined },
  baseUrl: string,
) {
  const words = searchWords(input.q);
  const kecamatan = input.kecamatan ? (normalizeRegionCode(input.kecamatan) ?? input.kecamatan) : undefined;
  const band = priceBand(input.price);
  const filters = {
    kecamatan,
    category: input.category || undefined,
    price: band ? { min: band.min, max: band.max } : undefined,
  };
  const wantFacets = input.facets === 'true';
  // A query of only separators (`%`, `_`, quotes) searches for nothing and finds nothing.
  if (input.q?.trim() && words.length === 0) {
    return { items: [], nextCursor: null, suggestion: null, ...(wantFacets ? { facets: emptyFacets } : {}) };
  }
  const typing = words.length > 0 && Boolean(input.q && !/\s$/.test(input.q));
  const cache = caches(ctx);
  // The answer depends on these alone (the words already normalised).
  const question = JSON.stringify([words, typing, filters]);
  let resolved: ResolvedQuery = {
    filter: { terms: [], phrase: null, places: [], ...filters },
    suggestion: null,
  };
  // The catalogue's version the answer was read at; null until read.
  let version: number | null = null;
  let found: PublicCard[] | null = null;
  let offset = 0;
  let ids: string[] = [];
  // Facet counts read with the page (a search that missed the cache), not yet presented.
  let counted: FacetCounts | null = null;
  // A place named alone, without a cursor: its first page by name, read to know whether the
  // place has products, and shown when it does.
  let listedFirst: Awaited<ReturnType<typeof listPublicProductRows>> | null = null;
  if (words.length > 0) {
    const known = cache.queries.get(question);
    if (known?.value.filter.terms.length) {
      offset = decodeOffset(page.cursor);
      const pageKey = JSON.stringify([question, offset, page.limit]);
      const cached = cache.pages.get(pageKey);
      if (cached && cached.version === known.version) {
        // One statement reads the rows and the version: the cached ranking is good when the
        // catalogue has not changed since it was made.
        const read = await listPublicProductsById(ctx.db, cached.value);
        if (read.version === cached.version) {
          ({ version } = read);
          found = read.rows;
          ids = cached.value;
          resolved = known.value;
        }
      }
    }
    // A place named in the query filters by place (the words are matched against the
    // reference data in memory).
    const lookup = placeLookup(ctx);
    const placeCodes =
      version === null
        ? [...new Set(placePhrases(words).flatMap(({ phrase }) => lookup(phrase).map((p) => p.code)))]
        : [];
    if (version === null && placeCodes.length === 0) {
      // No run of the words names a place: one statement reads the version, corrects the
      // words and searches with the corrections (the same snapshot, so the answer is exactly
      // as new as its label).
      offset = decodeOffset(page.cursor);
      const draft = draftQuery(words, typing, filters, [], words, []);
      const searched = await searchPublicPage(
        ctx.db,
        draft.filter,
        { limit: page.limit, offset },
        { facets: wantFacets, correct: true },
      );
      if (!searched.read) throw new Error('a search with words read no version');
      version = searched.read.version;
      resolved = draftQuery(words, typing, filters, [], words, searched.read.corrections);
      cache.queries.set(question, version, resolved);
      ids = searched.ids;
      found = searched.rows;
      counted = searched.facets;
      cache.pages.set(JSON.stringify([question, offset, page.limit]), version, ids);
    }
    if (version === null && placeCodes.length > 0 && !page.cursor) {
      const guessed = await searchAtGuessedPlaces(ctx, words, typing, filters, placeCodes, {
        limit: page.limit,
        facets: wantFacets,
      });
      if (guessed) {
        version = guessed.version;
        resolved = guessed.resolved;
        cache.queries.set(question, version, resolved);
        if ('listed' in guessed) listedFirst = guessed.listed;
        else {
          offset = 0;
          ids = guessed.searched.ids;
          found = guessed.searched.rows;
          counted = guessed.searched.facets;
          cache.pages.set(JSON.stringify([question, offset, page.limit]), version, ids);
        }
      }
    }
    if (version === null) {
      // The version first, with the vocabulary in the same statement: a write after it makes
      // an answer newer than its label, never older. Every word is looked up, those of a place
      // too: if nothing is there, they are searched as words without another round trip. With
      // them, which of the places any run of the words names have a business: only those are
      // places (`kopi` and `madu` name desa in other provinces, and "madu kalampangan" is madu
      // in Kalampangan).
      const read = await readVersionAndCorrections(ctx.db, words, placeCodes);
      const withBusinesses = new Set(read.placesWithBusinesses);
      notePlaces(ctx, placeCodes, withBusinesses);
      const { places, words: placeless } = splitPlace(words, (phrase) =>
        lookup(phrase).filter((p) => withBusinesses.has(p.code)),
      );
      const textWords = places.length > 0 ? placeless : words;
      const at = read.version;
      const facetsKnown = cache.facets.get(question)?.version === at;
      const search = (filter: PublicFilter) =>
        searchPublicPage(
          ctx.db,
          filter,
          { limit: page.limit, offset },
          { facets: wantFacets && !facetsKnown },
        );
      let searched: SearchedPage | null = null;
      if (known && known.version === at) resolved = known.value;
      else {
        resolved = draftQuery(words, typing, filters, places, textWords, read.corrections);
        // Decided once for the query, so that the next pages search as the first one did: a
        // place is kept only when something matches there. On a first page the search itself
        // says so (a page with no result has no match at all).
        if (places.length > 0) {
          let there: boolean;
          if (resolved.filter.terms.length === 0)
            if (page.cursor) {
              const one = await listPublicProductRows(ctx.db, resolved.filter, { limit: 1, after: null });
              there = one.length > 0;
            } else {
              listedFirst = await listPublicProductRows(ctx.db, resolved.filter, {
                limit: page.limit,
                after: null,
              });
              there = listedFirst.length > 0;
            }
          else {
            offset = decodeOffset(page.cursor);
            if (offset === 0) {
              searched = await search(resolved.filter);
              there = searched.ids.length > 0;
            } else there = await hasPublicMatch(ctx.db, resolved.filter);
          }
          if (!there) {
            resolved = withoutPlaces(words, typing, resolved, read.corrections);
            listedFirst = null;
            searched = null;
          }
        }
      }
      cache.queries.set(question, at, resolved);
      version = at;
      if (resolved.filter.terms.length > 0) {
        offset = decodeOffset(page.cursor);
        searched ??= await search(resolved.filter);
        ids = searched.ids;
        found = searched.rows;
        counted = searched.facets;
        cache.pages.set(JSON.stringify([question, offset, page.limit]), at, ids);
      }
    }
  }
  const { filter, suggestion } = resolved;
  let rows: PublicCard[];
  let nextCursor: string | null;
  if (found) {
    rows = found.slice(0, page.limit);
    nextCursor = ids.length > page.limit ? relevanceCursor(offset + page.limit) : null;
  } else {
    // No words, or only a place: by name, paged by key.
    const after = decodeCursor(page.cursor, 2) as [string, string] | null;
    if (wantFacets && version === null) version = await readCatalogVersion(ctx.db);
    const result = pageOf(
      listedFirst ?? (await listPublicProductRows(ctx.db, filter, { limit: page.limit, after })),
      page.limit,
      (r) => [r.product.name.toLowerCase(), r.product.id],
    );
    rows = result.items;
    nextCursor = result.nextCursor;
  }
  const items = rows.map((r) => presentPublic(ctx, r, baseUrl));
  if (!wantFacets || version === null) return { items, nextCursor, suggestion };
  const kept = cache.facets.get(question);
  let facets: CatalogFacets;
  if (kept && kept.version === version) facets = kept.value;
  else {
    facets = presentFacets(ctx, counted ?? (await countPublicFacets(ctx.db, filter)));
    cache.facets.set(question, version, facets);
  }
  return { items, nextCursor, suggestion, facets };
}

function decodeOffset(cursor: string | undefined) {
  const offset = Number(decodeCursor(cursor, 1)?.[0] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 10_000)
    return fail('validation_failed', { field: 'cursor' });
  return offset;
}

const emptyFacets: CatalogFacets = { kecamatan: [], category: [], price: [] };

function presentFacets(ctx: AppContext, { counts, atLeast }: FacetCounts): CatalogFacets {
  const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
    b.count - a.count || a.value.localeCompare(b.value);
  // A count that stopped at the limit is a lower bound, and says so.
  const mark = (facet: 'kecamatan' | 'category' | 'price') =>
    atLeast.includes(facet) ? { atLeast: true as const } : {};
  return {
    kecamatan: counts.kecamatan
      .map((r) => ({
        value: r.value,
        label: ctx.regions.get(r.value)?.name ?? null,
        count: r.count,
        ...mark('kecamatan'),
      }))
      .sort(byCount),
    category: counts.category
      .map((r) => ({ value: r.value, label: null, count: r.count, ...mark('category') }))
      .sort(byCount),
    // width_bucket: 0 below the first bound, n above the n-th.
    price: counts.price
      .map((r) => ({
        value: priceBands[Number(r.value)]?.key ?? r.value,
        label: null,
        count: r.count,
        ...mark('price'),
      }))
      .sort(
        (a, b) =>
          priceBands.findIndex((p) => p.key === a.value) - priceBands.findIndex((p) => p.key === b.value),
      ),
  };
}

export async function getPublicProduct(ctx: AppContext, id: string, baseUrl: string): Promise<PublicProduct> {
  const [row] = await listPublicProductRows(
    ctx.db,
    { terms: [], phrase: null, places: [], id },
    { limit: 1, after: null },
  );
  return row ? presentPublic(ctx, row, baseUrl) : fail('not_found');
}

// The sitemap's product pages.
export async function listListedProductPages(ctx: AppContext, baseUrl: string, limit: number) {
  const rows = await listListedProductDates(ctx.db, limit);
  return rows.map((r) => ({ url: `${baseUrl}${productPagePath(r.id)}`, updatedAt: r.updatedAt }));
}

export async function getMediaFile(ctx: AppContext, name: string) {
  return ctx.media.get(name);
}

// Where the file is served without Pulih (PULIH_MEDIA_S3_PUBLIC_URL), or null.
export const publicMediaUrl = (ctx: AppContext, name: string) => ctx.media.publicUrlOf(name);

function presentProduct(row: ProductRow, businessName: string | null, baseUrl: string): ProductItem {
  return {
    id: row.id,
    businessId: row.businessId,
    businessName,
    name: row.name,
    description: row.description,
    price: row.price,
    unit: row.unit,
    published: row.published,
    category: row.category,
    status: row.status,
    reviewNote: row.reviewNote,
    reviewedAt: row.reviewedAt,
    photoType: row.photos[0] ? 'image/webp' : null,
    photoUrl: row.photos[0] ? mediaUrl(baseUrl, row.photos[0].key, 'large') : null,
    photos: row.photos.map((photo) => presentPhoto(baseUrl, photo)),
    pageUrl: `${baseUrl}${productPagePath(row.id)}`,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function businessNameOf(ctx: AppContext, businessId: string) {
  return (await getBusinessSummary(ctx, businessId))?.name ?? null;
}

// An owner's businesses, through the businesses module (it owns the scoping rules).
async function ownBusinesses(ctx: AppContext, actor: Actor) {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listBusinesses(ctx, actor, {}, { limit: 200, cursor });
    for (const b of page.items) names.set(b.id, b.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

export async function listProducts(
  ctx: AppContext,
  actor: Actor,
  filter: { businessId?: string | undefined; status?: ProductStatus | undefined },
  page: { limit: number; cursor?: string | undefined },
  baseUrl: string,
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  let businessIds: string[] | null = null;
  let names = new Map<string, string>();
  if (!can(actor, 'readAllProducts')) {
    names = await ownBusinesses(ctx, actor);
    if (filter.businessId && !names.has(filter.businessId)) return fail('not_found', { field: 'businessId' });
    businessIds = filter.businessId ? [filter.businessId] : [...names.keys()];
  } else if (filter.businessId) {
    businessIds = [filter.businessId];
  }
  const rows = await listProductRows(ctx.db, businessIds, filter.status, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.name.toLowerCase(), r.id]);
  for (const id of new Set(result.items.map((r) => r.businessId))) {
    if (!names.has(id)) names.set(id, (await businessNameOf(ctx, id)) ?? '');
  }
  return {
    items: result.items.map((r) => presentProduct(r, names.get(r.businessId) || null, baseUrl)),
    nextCursor: result.nextCursor,
  };
}

// Owners reach only their own businesses' products (to them, others' do not exist). Any
// officer may read every product; changing one needs the business in the actor's scope.
async function mayReach(ctx: AppContext, actor: Actor, businessId: string, purpose: 'read' | 'write') {
  if (purpose === 'read' && can(actor, 'readAllProducts')) return true;
  return mayAccess(ctx, actor, purpose === 'read' ? 'readProducts' : 'writeProducts', [businessId]);
}

async function productInScope(ctx: AppContext, actor: Actor, id: string, purpose: 'read' | 'write') {
  const product = await getProduct(ctx.db, id);
  if (!product || !(await mayReach(ctx, actor, product.businessId, purpose))) return fail('not_found');
  return product;
}

export async function getProductItem(ctx: AppContext, actor: Actor, id: string, baseUrl: string) {
  const product = await productInScope(ctx, actor, id, 'read');
  return presentProduct(product, await businessNameOf(ctx, product.businessId), baseUrl);
}

export async function createProduct(ctx: AppContext, actor: Actor, body: CreateProductBody, baseUrl: string) {
  if (!(await mayReach(ctx, actor, body.businessId, 'write'))) fail('not_found', { field: 'businessId' });
  const businessName = await businessNameOf(ctx, body.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const row = await insertProduct(tx, {
      businessId: body.businessId,
      name: body.name,
      description: body.description || null,
      price: body.price,
      unit: body.unit ?? null,
      published: body.published ?? true,
      category: body.category ?? 'lainnya',
      // The office's curators add products already reviewed; an owner's starts as a draft.
      status: can(actor, 'curateProducts') ? 'approved' : 'draft',
      reviewedAt: can(actor, 'curateProducts') ? new Date() : null,
    });
    await recordChange(tx, actor, { action: 'create', entity: 'product', entityId: row.id, after: row });
    return row;
  });
  return presentProduct(product, businessName, baseUrl);
}

export async function updateProduct(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: UpdateProductBody,
  baseUrl: string,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  const businessName = await businessNameOf(ctx, current.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const before = (await getProductForUpdate(tx, id)) ?? fail('not_found');
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined),
    ) as UpdateProductBody;
    if (changes.description === '') changes.description = null;
    const after = await updateProductRow(tx, id, changes);
    await recordChange(tx, actor, { action: 'update', entity: 'product', entityId: id, before, after });
    return after;
  });
  return presentProduct(product, businessName, baseUrl);
}

const signatures: { type: PhotoContentType; matches: (b: Buffer) => boolean }[] = [
  {
    type: 'image/png',
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    matches: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

// The photo is served publicly with the stored type, so the type comes from the bytes
// themselves, never from what the client claimed.
export function decodePhoto(body: ProductPhotoBody): { bytes: Buffer; contentType: PhotoContentType } {
  const declared = body.contentType.toLowerCase();
  if (!(photoContentTypes as readonly string[]).includes(declared)) {
    fail('unsupported_media', { field: 'contentType', allowed: photoContentTypes });
  }
  const data = body.dataBase64.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data))
    fail('validation_failed', { field: 'dataBase64' }, 'Not base64.');
  const size = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (size > maxPhotoBytes) fail('photo_too_large', { maxBytes: maxPhotoBytes, bytes: size });
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0) fail('validation_failed', { field: 'dataBase64' }, 'The photo is empty.');
  const detected = signatures.find((s) => s.matches(bytes))?.type;
  if (!detected) return fail('unsupported_media', { field: 'dataBase64', allowed: photoContentTypes });
  return { bytes, contentType: detected };
}

async function changePhotos(
  ctx: AppContext,
  actor: Actor,
  id: string,
  baseUrl: string,
  action: 'update_photo' | 'add_photo' | 'remove_photo',
  change: (photos: ProductPhoto[]) => ProductPhoto[],
  added: PreparedPhoto | null = null,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  const businessName = await businessNameOf(ctx, current.businessId);
  const { product, gone } = await ctx.db.transaction(async (tx) => {
    if (added) {
      // Written under the picture's lock: a removal elsewhere that found no product showing
      // it cannot delete the files between this write and this commit.
      await lockMediaKey(tx, added.photo.key);
      await putPhotoFiles(ctx.media, added);
    }
    const before = (await getProductForUpdate(tx, id)) ?? fail('not_found');
    const photos = change(before.photos);
    if (photos.length > maxPhotosPerProduct) fail('too_many_photos', { max: maxPhotosPerProduct });
    const after = await updateProductRow(tx, id, { photos });
    // The rows carry the photos' keys and sizes; the files are in the media store.
    await recordChange(tx, actor, { action, entity: 'product', entityId: id, before, after });
    const kept = new Set(photos.map((p) => p.key));
    return { product: after, gone: before.photos.filter((p) => !kept.has(p.key)).map((p) => p.key) };
  });
  for (const key of gone) await deletePhotoFilesIfUnshown(ctx, key);
  return presentProduct(product, businessName, baseUrl);
}

// A removed photo's files go when no product shows the picture any more (the same picture
// may be on several products: names come from the content). A deletion that fails leaves
// files that nothing names, which harm nothing but space; the photo's removal stands.
async function deletePhotoFilesIfUnshown(ctx: AppContext, key: string) {
  try {
    await ctx.db.transaction(async (tx) => {
      await holdMediaForDeletion(tx);
      await lockMediaKey(tx, key);
      if (await isPhotoShown(tx, key)) return;
      for (const name of photoFileNames(key)) await ctx.media.remove(name);
    });
  } catch {
    // See above: the files stay.
  }
}

// Every media file that a product's photo names, for backups (src/cli/backup.ts).
export async function listShownMediaFiles(db: DbOrTx): Promise<string[]> {
  return (await listShownPhotoKeys(db)).flatMap(photoFileNames);
}

async function prepareDecoded(body: ProductPhotoBody) {
  const { bytes } = decodePhoto(body);
  try {
    return await prepareProductPhoto(bytes);
  } catch {
    // The signature looked like an image but the image library cannot read it.
    return fail('unsupported_media', { field: 'dataBase64', allowed: photoContentTypes });
  }
}

// Replaces every photo with this one (the first API had one photo per product).
export async function setProductPhoto(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ProductPhotoBody,
  baseUrl: string,
) {
  await productInScope(ctx, actor, id, 'write');
  const prepared = await prepareDecoded(body);
  return changePhotos(ctx, actor, id, baseUrl, 'update_photo', () => [prepared.photo], prepared);
}

export async function addProductPhoto(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ProductPhotoBody,
  baseUrl: string,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  if (current.photos.length >= maxPhotosPerProduct) fail('too_many_photos', { max: maxPhotosPerProduct });
  const prepared = await prepareDecoded(body);
  return changePhotos(
    ctx,
    actor,
    id,
    baseUrl,
    'add_photo',
    (photos) => [...photos.filter((p) => p.key !== prepared.photo.key), prepared.photo],
    prepared,
  );
}

// Its files go too, unless another product shows the same picture.
export async function removeProductPhoto(
  ctx: AppContext,
  actor: Actor,
  id: string,
  key: string,
  baseUrl: string,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  if (!current.photos.some((p) => p.key === key)) fail('not_found', { field: 'key' });
  return changePhotos(ctx, actor, id, baseUrl, 'remove_photo', (photos) =>
    photos.filter((p) => p.key !== key),
  );
}

export async function getProductPhoto(ctx: AppContext, actor: Actor, id: string) {
  const product = await productInScope(ctx, actor, id, 'read');
  const first = product.photos[0] ?? fail('not_found');
  const bytes = (await ctx.media.get(variantName(first.key, 'large'))) ?? fail('not_found');
  return { bytes, contentType: 'image/webp' };
}

export async function getPublicProductPhoto(ctx: AppContext, id: string) {
  const product = await getPublicProduct(ctx, id, '');
  const first = product.photos[0] ?? fail('not_found');
  const bytes = (await ctx.media.get(variantName(first.key, 'large'))) ?? fail('not_found');
  return { bytes, contentType: 'image/webp' };
}

// Curation: draft or returned → submitted (the owner, or an officer for them) → approved or
// returned with a note (a curator). The status moves only from the state it was read in.
async function moveStatus(
  ctx: AppContext,
  actor: Actor,
  id: string,
  baseUrl: string,
  action: 'submit_product' | 'approve_product' | 'return_product',
  from: readonly ProductStatus[],
  to: ProductStatus,
  note: string | null,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  const businessName = await businessNameOf(ctx, current.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const before = (await getProductForUpdate(tx, id)) ?? fail('not_found');
    if (!from.includes(before.status)) {
      fail(action === 'submit_product' ? 'product_already_submitted' : 'product_not_submitted', {
        status: before.status,
      });
    }
    const reviewed = action === 'submit_product' ? {} : { reviewNote: note, reviewedAt: new Date() };
    const after = await updateProductRow(tx, id, { status: to, ...reviewed });
    await recordChange(tx, actor, { action, entity: 'product', entityId: id, before, after });
    return after;
  });
  return presentProduct(product, businessName, baseUrl);
}

export const submitProduct = (ctx: AppContext, actor: Actor, id: string, baseUrl: string) =>
  moveStatus(ctx, actor, id, baseUrl, 'submit_product', ['draft', 'returned'], 'submitted', null);

export const approveProduct = (ctx: AppContext, actor: Actor, id: string, baseUrl: string) =>
  moveStatus(ctx, actor, id, baseUrl, 'approve_product', ['submitted'], 'approved', null);

export const returnProduct = (ctx: AppContext, actor: Actor, id: string, note: string, baseUrl: string) =>
  moveStatus(ctx, actor, id, baseUrl, 'return_product', ['submitted'], 'returned', note);

// Photos stored in the row before the media store moved out to files, a few at a time; run at
// startup, so an old data folder (the demo's drawn photos included) keeps its pictures.
export async function moveLegacyPhotos(ctx: AppContext): Promise<number> {
  let moved = 0;
  for (;;) {
    const rows = await listLegacyPhotos(ctx.db, 20);
    if (rows.length === 0) return moved;
    for (const row of rows) {
      let photos = row.photos;
      try {
        if (row.photo) photos = [await storeProductPhoto(ctx.media, row.photo), ...row.photos];
      } catch {
        // Bytes the image library cannot read are dropped rather than retried at every start.
      }
      await moveLegacyPhoto(ctx.db, row.id, photos.slice(0, maxPhotosPerProduct));
      moved++;
    }
  }
}

// For the businesses module's detail view.
export async function listProductsOfBusiness(
  ctx: AppContext,
  businessId: string,
): Promise<Array<{ id: string; name: string; price: number; published: boolean }>> {
  return listProductsOfBusinessRows(ctx.db, businessId);
}
