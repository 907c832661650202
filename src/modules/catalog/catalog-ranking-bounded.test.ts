import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { countPublicFacets, type PublicFilter, rankPublicProducts } from './catalog.queries.ts';

// The ranking that no longer reads every match (issue 11, speed): inside the first tier (every
// word in the name) the newest product first, found by walking an index when the word is
// common and by the GIN index when it is rare, in the same order either way; an exact name
// and every-word-in-the-name still come first. Filters ride in the documents as marks; the
// facets of a search stop counting at a limit and say so.
let t: TestApp;
let officer: TestUser;
let sabangau: string;
let jekan: string;
const ids = new Map<string, string>();

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: officer.cookie },
    ...(payload ? { payload } : {}),
  });

type Page = {
  items: { id: string; name: string }[];
  nextCursor: string | null;
  facets?: Record<'kecamatan' | 'category' | 'price', { value: string; count: number; atLeast?: true }[]>;
};

async function search(query: string) {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}
const names = (page: Page) => page.items.map((i) => i.name);

async function allPages(query: string, limit: number) {
  const found: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await search(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    found.push(...names(page));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

// "rotan" is in every name below but one; the catalogue was filled oldest first in this order,
// and "Rotan" (the exact name) is the oldest of all.
const catalogue = [
  { name: 'Rotan', business: 'sabangau', price: 40_000, category: 'kerajinan' },
  { name: 'Tas Rotan Besar', business: 'sabangau', price: 150_000, category: 'kerajinan' },
  { name: 'Kursi Rotan', business: 'jekan', price: 450_000, category: 'perabot' },
  { name: 'Tikar Rotan', business: 'jekan', price: 90_000, category: 'kerajinan' },
  {
    name: 'Keranjang Purun',
    business: 'sabangau',
    price: 45_000,
    category: 'kerajinan',
    description: 'Tepi rotan',
  },
  { name: 'Lampu Rotan', business: 'sabangau', price: 80_000, category: 'perabot' },
];

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const make = async (name: string, regionCode: string) => {
    const res = await call('POST', '/businesses', businessBody({ name, regionCode }));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  sabangau = await make('Anyaman Kereng', '62.71.04.1002');
  jekan = await make('Mebel Jekan', '62.71.03.1001');
  for (const [i, p] of catalogue.entries()) {
    const res = await call('POST', '/products', {
      businessId: p.business === 'sabangau' ? sabangau : jekan,
      name: p.name,
      description: p.description ?? null,
      price: p.price,
      category: p.category,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.set(p.name, res.json().id);
    // Minutes apart, so that "newest" does not depend on how fast the inserts ran.
    await t.ctx.db.execute(
      sql`update products set created_at = now() - make_interval(mins => ${100 - i}) where id = ${res.json().id}`,
    );
  }
});
afterAll(async () => t?.close());

const rotan: PublicFilter = {
  terms: [{ word: 'rotan', correction: null, prefix: false }],
  phrase: 'rotan',
  places: [],
};
const nameOf = (id: string) => [...ids.entries()].find(([, v]) => v === id)?.[0];

describe('bounded ranking of the name tier', () => {
  it('puts the exact name first, then the names newest first, then the other matches', async () => {
    expect(names(await search('q=rotan%20'))).toEqual([
      'Rotan',
      'Lampu Rotan',
      'Tikar Rotan',
      'Kursi Rotan',
      'Tas Rotan Besar',
      'Keranjang Purun',
    ]);
  });

  it('gives the same order by walking the index as by asking the GIN index', async () => {
    const walked = await rankPublicProducts(t.ctx.db, rotan, { limit: 3, offset: 0 });
    // A walk of one entry never fills the page: the GIN index answers.
    const looked = await rankPublicProducts(t.ctx.db, rotan, { limit: 3, offset: 0 }, () => 1);
    expect(looked).toEqual(walked);
    expect(walked.map(nameOf)).toEqual(['Rotan', 'Lampu Rotan', 'Tikar Rotan', 'Kursi Rotan']);
    const deeper = await rankPublicProducts(t.ctx.db, rotan, { limit: 2, offset: 3 }, () => 1);
    expect(deeper.map(nameOf)).toEqual(['Kursi Rotan', 'Tas Rotan Besar', 'Keranjang Purun']);
  });

  it('pages across both tiers keeping every match once, in the one-page order', async () => {
    const one = await allPages('q=rotan%20', 24);
    expect(await allPages('q=rotan%20', 2)).toEqual(one);
    expect(await allPages('q=rotan%20', 1)).toEqual(one);
  });

  it('filters by category, price band and kecamatan through the documents', async () => {
    expect(names(await search('q=rotan%20&category=perabot'))).toEqual(['Lampu Rotan', 'Kursi Rotan']);
    expect(names(await search('q=rotan%20&price=50k-100k'))).toEqual(['Lampu Rotan', 'Tikar Rotan']);
    expect(names(await search('q=rotan%20&kecamatan=62.71.03'))).toEqual(['Tikar Rotan', 'Kursi Rotan']);
    // A place named in the query (the first business's kelurahan) filters; no exact name then.
    expect(names(await search(`q=${encodeURIComponent('rotan kalampangan ')}`))).toEqual([
      'Lampu Rotan',
      'Tas Rotan Besar',
      'Rotan',
      'Keranjang Purun',
    ]);
    // Not a kecamatan code at all: nothing, not an error.
    expect(names(await search(`q=rotan&kecamatan=${encodeURIComponent("62'71")}`))).toEqual([]);
  });

  it('moves a product between price bands when its price changes', async () => {
    const id = ids.get('Tas Rotan Besar');
    expect((await call('PATCH', `/products/${id}`, { price: 60_000 })).statusCode).toBe(200);
    expect(names(await search('q=rotan%20&price=50k-100k'))).toContain('Tas Rotan Besar');
    expect(names(await search('q=rotan%20&price=100k-250k'))).not.toContain('Tas Rotan Besar');
    expect((await call('PATCH', `/products/${id}`, { price: 150_000 })).statusCode).toBe(200);
    expect(names(await search('q=rotan%20&price=100k-250k'))).toContain('Tas Rotan Besar');
  });

  it('never lets a typed word reach the filter marks', async () => {
    for (const q of ['cat', 'kec', 'reg', 'price', 'kerajinan 62', '62'])
      expect(names(await search(`q=${encodeURIComponent(q)}`)), q).toEqual([]);
  });
});

describe('facets of a search with many matches', () => {
  it('counts exactly under the limit and marks every count as a lower bound past it', async () => {
    const exact = await countPublicFacets(t.ctx.db, rotan);
    expect(exact.atLeast).toEqual([]);
    expect(exact.counts.category.reduce((sum, c) => sum + c.count, 0)).toBe(6);
    const capped = await countPublicFacets(t.ctx.db, rotan, 4);
    expect(capped.atLeast.sort()).toEqual(['category', 'kecamatan', 'price']);
    for (const facet of ['category', 'kecamatan', 'price'] as const)
      expect(capped.counts[facet].reduce((sum, c) => sum + c.count, 0)).toBe(4);
    // A chosen facet is counted on its own, against its own limit.
    const chosen = await countPublicFacets(t.ctx.db, { ...rotan, category: 'perabot' }, 3);
    expect(chosen.atLeast.sort()).toEqual(['category']);
    expect(chosen.counts.kecamatan.reduce((sum, c) => sum + c.count, 0)).toBe(2);
  });

  it('leaves the API’s counts unmarked when they are exact', async () => {
    const page = await search('q=rotan%20&facets=true');
    expect(page.facets?.category).toEqual([
      { value: 'kerajinan', label: null, count: 4 },
      { value: 'perabot', label: null, count: 2 },
    ]);
  });
});
