import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// The search ranks in two tiers (the words in the name, then elsewhere): paging across the
// boundary keeps every match once and in order, and a closed business's products leave it.
// "Purun" is also a kelurahan (in Sumatra) with no products: the search falls back to the word
// on every page, not only the first.
let t: TestApp;
let officer: TestUser;
let businessId: string;

const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: officer.cookie },
    ...(payload ? { payload } : {}),
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const business = await as('POST', '/businesses', businessBody({ name: 'Kerajinan Sabangau' }));
  businessId = business.json().id;
  const items = [
    { name: 'Tas Purun', description: 'Dijahit dengan tali purun' },
    { name: 'Purun', description: null },
    { name: 'Tikar Purun Motif', description: null },
    { name: 'Keranjang Pandan', description: 'Tepi dari purun' },
    { name: 'Topi Bambu', description: 'Pita purun' },
  ];
  for (const item of items) {
    const res = await as('POST', '/products', { businessId, price: 20_000, ...item });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => t?.close());

async function allPages(q: string, limit: number) {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/catalog/products?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.app.inject({ url: `/api/v1${url}` });
    expect(res.statusCode, `${url} ${res.body}`).toBe(200);
    const body = res.json() as { items: { name: string }[]; nextCursor: string | null };
    names.push(...body.items.map((i) => i.name));
    cursor = body.nextCursor;
  } while (cursor);
  return names;
}

describe('ranking in two tiers', () => {
  it('puts the exact name, then the names with the word, then the other matches, across pages', async () => {
    const names = await allPages('purun ', 2);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(5);
    expect(names[0]).toBe('Purun');
    expect(names.slice(1, 3).sort()).toEqual(['Tas Purun', 'Tikar Purun Motif']);
    expect(names.slice(3).sort()).toEqual(['Keranjang Pandan', 'Topi Bambu']);
    // One page of everything gives the same order.
    expect(await allPages('purun ', 24)).toEqual(names);
  });

  it('drops a closed business’s products and lists them again when it reopens', async () => {
    expect((await as('PATCH', `/businesses/${businessId}`, { status: 'tutup' })).statusCode).toBe(200);
    expect(await allPages('purun ', 24)).toEqual([]);
    expect((await as('PATCH', `/businesses/${businessId}`, { status: 'aktif' })).statusCode).toBe(200);
    expect(await allPages('purun ', 24)).toHaveLength(5);
  });
});
