import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import {
  countPublicFacets,
  type PublicFilter,
  rankPublicProducts,
  searchPublicPage,
} from './catalog.queries.ts';

// A search that misses the answer cache asks the database twice (issue 11, speed): the
// catalogue's version with every word's correction, then the ranked page, its rows and its
// facets in one statement. Places named in the query are decided by that search itself on a
// first page. The cache is off here, so every request takes that path.
let t: TestApp;
let officer: TestUser;
const savedCache = process.env.PULIH_CATALOG_CACHE;

type Page = {
  items: {
    id: string;
    name: string;
    business: { name: string; kecamatan: string };
    whatsappUrl: string | null;
  }[];
  nextCursor: string | null;
  suggestion: string | null;
  facets?: Record<'kecamatan' | 'category' | 'price', { value: string; count: number; atLeast?: true }[]>;
};

async function search(query: string) {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}
const names = (page: Page) => page.items.map((i) => i.name);
const q = (words: string) => `q=${encodeURIComponent(words)}`;

// Oldest first; Kalampangan is a kelurahan of Sabangau, Palangka one of Jekan Raya. Nothing is
// in the kelurahan Menteng, but two products carry its name.
const catalogue = [
  { name: 'Rotan', business: 'kalampangan', price: 40_000, category: 'kerajinan' },
  { name: 'Tas Rotan', business: 'kalampangan', price: 150_000, category: 'kerajinan' },
  { name: 'Kursi Rotan', business: 'palangka', price: 450_000, category: 'perabot' },
  { name: 'Tikar Menteng', business: 'palangka', price: 90_000, category: 'kerajinan' },
  { name: 'Lampu Rotan', business: 'kalampangan', price: 80_000, category: 'perabot' },
  { name: 'Tikar Menteng Besar', business: 'palangka', price: 120_000, category: 'kerajinan' },
];

beforeAll(async () => {
  process.env.PULIH_CATALOG_CACHE = '0';
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const call = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie: officer.cookie }, payload });
  const business = new Map<string, string>();
  for (const [key, name, regionCode] of [
    ['kalampangan', 'Anyaman Kereng', '62.71.04.1002'],
    ['palangka', 'Mebel Jekan', '62.71.03.1001'],
  ] as const) {
    const res = await call('/businesses', businessBody({ name, regionCode }));
    expect(res.statusCode, res.body).toBe(201);
    business.set(key, res.json().id);
  }
  for (const [i, p] of catalogue.entries()) {
    const res = await call('/products', { ...p, businessId: business.get(p.business) });
    expect(res.statusCode, res.body).toBe(201);
    await t.ctx.db.execute(
      sql`update products set created_at = now() - make_interval(mins => ${100 - i}) where id = ${res.json().id}`,
    );
  }
});
afterAll(async () => {
  if (savedCache === undefined) delete process.env.PULIH_CATALOG_CACHE;
  else process.env.PULIH_CATALOG_CACHE = savedCache;
  await t?.close();
});

const rotan: PublicFilter = {
  terms: [{ word: 'rotan', correction: null, prefix: false }],
  phrase: 'rotan',
  places: [],
};

describe('a search page in one statement', () => {
  it('gives the ranking’s ids, their rows in that order, and the facet counts', async () => {
    for (const walk of [undefined, () => 1]) {
      const page = await searchPublicPage(t.ctx.db, rotan, { limit: 3, offset: 0 }, { facets: true, walk });
      expect(page.rows.map((r) => r.product.name)).toEqual(['Rotan', 'Lampu Rotan', 'Kursi Rotan']);
      // One more id than the page: another page follows.
      expect(page.ids).toHaveLength(4);
      expect(page.ids.slice(0, 3)).toEqual(page.rows.map((r) => r.product.id));
      expect(page.ids).toEqual(await rankPublicProducts(t.ctx.db, rotan, { limit: 3, offset: 0 }, walk));
      expect(page.rows[1]?.business.name).toBe('Anyaman Kereng');
      expect(page.rows[2]?.business).toMatchObject({ name: 'Mebel Jekan', kecamatanCode: '62.71.03' });
      expect(page.rows[0]?.product.price).toBe(40_000);
      expect(page.facets).toEqual(await countPublicFacets(t.ctx.db, rotan));
      expect(page.facets?.atLeast).toEqual([]);
    }
    const last = await searchPublicPage(t.ctx.db, rotan, { limit: 3, offset: 3 }, { facets: false });
    expect(last.rows.map((r) => r.product.name)).toEqual(['Tas Rotan']);
    expect(last.ids).toHaveLength(1);
    expect(last.facets).toBeNull();
  });

  it('marks the counts of a chosen and of the other facets past the limit', async () => {
    const chosen = { ...rotan, category: 'kerajinan' };
    const page = await searchPublicPage(
      t.ctx.db,
      chosen,
      { limit: 24, offset: 0 },
      { facets: true, facetLimit: 2 },
    );
    expect(page.rows.map((r) => r.product.name)).toEqual(['Rotan', 'Tas Rotan']);
    expect(page.facets).toEqual(await countPublicFacets(t.ctx.db, chosen, 2));
    expect(page.facets?.atLeast.sort()).toEqual(['category', 'kecamatan', 'price']);
  });

  it('answers nothing, with empty counts, when nothing matches', async () => {
    const none = {
      ...rotan,
      terms: [{ word: 'gerabah', correction: null, prefix: false }],
      phrase: 'gerabah',
    };
    const page = await searchPublicPage(t.ctx.db, none, { limit: 24, offset: 0 }, { facets: true });
    expect(page).toEqual({
      ids: [],
      rows: [],
      facets: { counts: { kecamatan: [], category: [], price: [] }, atLeast: [] },
    });
  });
});

describe('places named in a query, decided by the search', () => {
  it('lists a place named alone by name, page after page', async () => {
    expect(names(await search(q('kalampangan')))).toEqual(['Lampu Rotan', 'Rotan', 'Tas Rotan']);
    const first = await search(`${q('kalampangan')}&limit=2`);
    expect(names(first)).toEqual(['Lampu Rotan', 'Rotan']);
    expect(first.nextCursor).not.toBeNull();
    const second = await search(
      `${q('kalampangan')}&limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(names(second)).toEqual(['Tas Rotan']);
    expect(second.nextCursor).toBeNull();
  });

  it('filters the words by a place that has matches, with its facets', async () => {
    const page = await search(`${q('rotan kalampangan ')}&facets=true`);
    expect(names(page)).toEqual(['Lampu Rotan', 'Tas Rotan', 'Rotan']);
    expect(page.facets?.kecamatan).toEqual([{ value: '62.71.04', label: 'Sabangau', count: 3 }]);
    expect(page.suggestion).toBeNull();
  });

  it('searches a place without products as a word, on the first page and the next', async () => {
    expect(names(await search(q('menteng')))).toEqual(['Tikar Menteng Besar', 'Tikar Menteng']);
    const first = await search(`${q('tikar menteng')}&limit=1`);
    // The exact name first.
    expect(names(first)).toEqual(['Tikar Menteng']);
    const second = await search(
      `${q('tikar menteng')}&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(names(second)).toEqual(['Tikar Menteng Besar']);
    // A typo beside the place is corrected from the same first statement.
    const typo = await search(`${q('tiker menteng ')}&facets=true`);
    expect(typo.suggestion).toBe('tikar menteng');
    expect(names(typo)).toEqual(['Tikar Menteng Besar', 'Tikar Menteng']);
    expect(typo.facets?.category).toEqual([{ value: 'kerajinan', label: null, count: 2 }]);
  });
});
