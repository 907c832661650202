import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { LruCache } from './catalog.cache.ts';

// Search answers are kept in memory labelled with the catalogue's version (catalog_cache.state,
// bumped by triggers): the same search asked again after a product is approved, hidden,
// renamed, or its business moves, answers from the database again, never the old answer.
let t: TestApp;
let officer: TestUser;
let owner: TestUser;
let businessId: string;

type Page = {
  items: { id: string; name: string }[];
  facets?: Record<'kecamatan' | 'category' | 'price', { value: string; count: number }[]>;
};

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

// Asked exactly the same way each time, so that a stale cached answer would be returned.
async function search(q: string) {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?q=${encodeURIComponent(q)}&facets=true` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

async function addProduct(name: string, cookie: string) {
  const res = await call('POST', '/products', cookie, {
    businessId,
    name,
    price: 60_000,
    category: 'kerajinan',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const res = await call(
    'POST',
    '/businesses',
    officer.cookie,
    businessBody({ name: 'Gerabah Tumbang', regionCode: '62.71.02.1004' }),
  );
  expect(res.statusCode, res.body).toBe(201);
  businessId = res.json().id;
  owner = await createUser(t, 'owner', { personId: res.json().owner.id });
});
afterAll(async () => t?.close());

describe('cached search answers', () => {
  it('shows a product as soon as it is approved, with its facet counts', async () => {
    const product = await addProduct('Kendi Gerabah Kahayan', owner.cookie);
    expect((await search('kendi kahayan')).items).toEqual([]);
    expect((await search('kendi kahayan')).facets?.category).toEqual([]);
    expect((await call('POST', `/products/${product.id}/submit`, owner.cookie)).statusCode).toBe(200);
    expect((await search('kendi kahayan')).items).toEqual([]);
    expect((await call('POST', `/products/${product.id}/approve`, officer.cookie)).statusCode).toBe(200);
    const after = await search('kendi kahayan');
    expect(after.items.map((i) => i.id)).toEqual([product.id]);
    expect(after.facets?.category).toEqual([{ value: 'kerajinan', label: null, count: 1 }]);
  });

  it('drops a product its owner hides, and a renamed one is found by its new name only', async () => {
    const product = await addProduct('Celengan Gerabah Sebangau', officer.cookie);
    expect((await search('celengan sebangau')).items.map((i) => i.id)).toEqual([product.id]);
    expect(
      (await call('PATCH', `/products/${product.id}`, owner.cookie, { published: false })).statusCode,
    ).toBe(200);
    const hidden = await search('celengan sebangau');
    expect(hidden.items).toEqual([]);
    expect(hidden.facets?.price).toEqual([]);
    expect(
      (await call('PATCH', `/products/${product.id}`, owner.cookie, { published: true })).statusCode,
    ).toBe(200);
    expect((await search('celengan sebangau')).items.map((i) => i.id)).toEqual([product.id]);
    const renamed = await call('PATCH', `/products/${product.id}`, officer.cookie, {
      name: 'Vas Gerabah Sebangau',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await search('celengan sebangau')).items).toEqual([]);
    expect((await search('vas sebangau')).items.map((i) => i.id)).toEqual([product.id]);
  });

  it('counts a product under its business’s new kecamatan when the business moves', async () => {
    const res = await call(
      'POST',
      '/businesses',
      officer.cookie,
      businessBody({ name: 'Tembikar Pindah', regionCode: '62.71.02.1004' }),
    );
    const moving = res.json().id as string;
    const created = await call('POST', '/products', officer.cookie, {
      businessId: moving,
      name: 'Tembikar Bakar Pindah',
      price: 20_000,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await search('tembikar pindah')).facets?.kecamatan.map((k) => k.value)).toEqual(['62.71.02']);
    const moved = await call('PATCH', `/businesses/${moving}`, officer.cookie, {
      regionCode: '62.71.04.1002',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await search('tembikar pindah')).facets?.kecamatan.map((k) => k.value)).toEqual(['62.71.04']);
  });
});

describe('LruCache', () => {
  it('forgets the least recently used answer first, and keeps nothing with no room', () => {
    const cache = new LruCache<string>(2);
    cache.set('a', 1, 'A');
    cache.set('b', 1, 'B');
    expect(cache.get('a')?.value).toBe('A');
    cache.set('c', 2, 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ version: 1, value: 'A' });
    expect(cache.get('c')).toEqual({ version: 2, value: 'C' });
    const off = new LruCache<string>(0);
    off.set('a', 1, 'A');
    expect(off.get('a')).toBeUndefined();
    expect(off.size).toBe(0);
  });
});
