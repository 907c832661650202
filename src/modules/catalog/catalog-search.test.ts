import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precisionAt } from '../../domain/catalog-search.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// Relevance on the fixed query set kept with the benchmark (bench/catalog-queries.json):
// exact names first, Indonesian word forms, typos, places.
type Fixture = {
  products: {
    name: string;
    description: string;
    category: string;
    business: string;
    region: string;
    price: number;
  }[];
  queries: { kind: string; q: string; first?: string; relevant: string[] }[];
};
const fixture = JSON.parse(
  readFileSync(new URL('../../../bench/catalog-queries.json', import.meta.url), 'utf8'),
) as Fixture;

type SearchPage = {
  items: { id: string; name: string; category: string }[];
  nextCursor: string | null;
  suggestion: string | null;
  facets?: Record<'kecamatan' | 'category' | 'price', { value: string; count: number }[]>;
};

let t: TestApp;
let officer: TestUser;
const businessIds = new Map<string, string>();

const search = async (query: string) => {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SearchPage;
};
const q = (text: string) => search(`q=${encodeURIComponent(text)}`);
const names = (page: SearchPage) => page.items.map((p) => p.name);

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  for (const p of fixture.products) {
    let businessId = businessIds.get(p.business);
    if (!businessId) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/businesses',
        headers: { cookie: officer.cookie },
        payload: businessBody({ name: p.business, regionCode: p.region }),
      });
      expect(res.statusCode, res.body).toBe(201);
      businessId = (res.json() as { id: string }).id;
      businessIds.set(p.business, businessId);
    }
    // An officer who curates adds products already approved.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { cookie: officer.cookie },
      payload: { businessId, name: p.name, description: p.description, category: p.category, price: p.price },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('relevance on the fixed query set', () => {
  for (const query of fixture.queries) {
    it(`${query.kind}: “${query.q}”`, async () => {
      const ranked = names(await q(query.q));
      if (query.first) expect(ranked[0]).toBe(query.first);
      expect(precisionAt(5, ranked, query.relevant)).toBe(1);
      // Nothing unrelated comes along with a narrow query.
      if (query.relevant.length === 1) expect(ranked).toEqual(query.relevant);
    });
  }
});

describe('search behaviour', () => {
  it('puts the exact name first, then names with the words, then descriptions', async () => {
    // "Tas Rotan" (exact) before "Tas Anyaman Rotan" (words in the name); "Tas Purun Motif" has
    // "tas" but no "rotan" and stays out.
    expect(names(await q('Tas Rotan'))).toEqual(['Tas Rotan', 'Tas Anyaman Rotan']);
    // "lampu" in the name comes before "lampu" only in a description.
    expect(names(await q('kursi'))[0]).toBe('Kursi Rotan Teras');
  });

  it('suggests the corrected query for a typo, and none for words it knows', async () => {
    expect((await q('rottan')).suggestion).toBe('rotan');
    expect((await q('tiker rottan')).suggestion).toBe('tikar rotan');
    expect((await q('rotan')).suggestion).toBeNull();
    expect((await q('menganyam')).suggestion).toBeNull();
  });

  it('treats % and _ as literal characters, never as wildcards', async () => {
    expect((await q('%')).items).toEqual([]);
    expect((await q('_')).items).toEqual([]);
    expect((await q('%%_')).items).toEqual([]);
    expect(names(await q('rotan%'))).toContain('Tas Rotan');
  });

  it('finds words as they are typed (the last word as a prefix)', async () => {
    expect(names(await q('kelul'))).toEqual(['Madu Kelulut']);
    expect(names(await q('kerupuk ik'))).toEqual(['Kerupuk Ikan Haruan']);
  });

  it('counts facets over the matches and filters by category, kecamatan and price band', async () => {
    const page = await search(`q=anyaman&facets=true`);
    expect(page.facets?.category).toEqual([
      { value: 'kerajinan', label: null, count: 5 },
      { value: 'perabot', label: null, count: 1 },
    ]);
    expect(page.facets?.kecamatan.find((f) => f.value === '62.71.02')).toMatchObject({ count: 3 });
    expect(page.facets?.price.map((f) => f.value)).toEqual([
      'lt50k',
      '50k-100k',
      '100k-250k',
      '250k-500k',
      'gte500k',
    ]);
    expect(names(await search('q=anyaman&category=perabot'))).toEqual(['Kursi Rotan Teras']);
    expect(names(await search('q=anyaman&kecamatan=62.71.04&price=lt50k'))).toEqual(['Keranjang Purun']);
    // A chosen facet does not narrow its own counts: the other categories stay countable.
    const chosen = await search('q=anyaman&category=perabot&facets=true');
    expect(chosen.facets?.category.map((f) => f.value)).toEqual(['kerajinan', 'perabot']);
    const bad = await t.app.inject({ url: '/api/v1/catalog/products?category=senjata' });
    expect(bad.statusCode).toBe(400);
  });

  it('pages search results by relevance', async () => {
    const first = await search('q=anyaman&limit=4');
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    const second = await search(`q=anyaman&limit=4&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...names(first), ...names(second)]).size).toBe(6);
  });

  it('follows a business renamed after its products were listed', async () => {
    const id = businessIds.get('Madu Panjehang');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${id}`,
      headers: { cookie: officer.cookie },
      payload: { name: 'Lebah Hutan Sejahtera' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(names(await q('sejahtera'))).toEqual(['Madu Kelulut']);
  });
});
