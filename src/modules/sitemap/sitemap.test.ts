import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// The sitemap lists the storefronts of businesses with listed products and the events' pages;
// a product page links to its business's storefront.
let t: TestApp;
let officer: TestUser;
const base = 'https://pulih.example.go.id';

const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: officer.cookie },
    ...(payload ? { payload } : {}),
  });

async function businessWith(name: string, published: boolean) {
  const business = await as('POST', '/businesses', businessBody({ name, regionCode: '62.71.02.1004' }));
  expect(business.statusCode, business.body).toBe(201);
  const id: string = business.json().id;
  const product = await as('POST', '/products', {
    businessId: id,
    name: `Produk ${name}`,
    price: 10_000,
    published,
  });
  expect(product.statusCode, product.body).toBe(201);
  return { id, productId: product.json().id as string };
}

async function sitemap() {
  const before = t.ctx.publicUrl;
  t.ctx.publicUrl = base;
  try {
    return await t.app.inject({ url: '/sitemap.xml' });
  } finally {
    t.ctx.publicUrl = before;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

describe('sitemap.xml', () => {
  it('lists the storefronts of businesses with listed products only', async () => {
    await businessWith('Anyaman Sejahtera', true);
    await businessWith('Toko Tersembunyi', false);
    const closed = await businessWith('Rotan Tutup', true);
    expect((await as('PATCH', `/businesses/${closed.id}`, { status: 'tutup' })).statusCode).toBe(200);
    const res = await sitemap();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<loc>${base}/toko/anyaman-sejahtera</loc>`);
    expect(res.body).not.toContain('toko-tersembunyi');
    expect(res.body).not.toContain('rotan-tutup');
    // Asking twice gives the same addresses (a storefront is made once).
    expect((await sitemap()).body.match(/\/toko\//g)).toEqual(res.body.match(/\/toko\//g));
  });

  it('lists every promotion event’s public page', async () => {
    const event = await as('POST', '/events', {
      kind: 'bazaar',
      name: 'Bazaar Kerajinan',
      startDate: '2026-05-17',
      endDate: '2026-05-18',
      venue: 'Bundaran Besar',
    });
    expect(event.statusCode, event.body).toBe(201);
    const res = await sitemap();
    expect(res.body).toContain(`<loc>${base}/acara/${event.json().id}</loc>`);
  });
});

describe('product page', () => {
  it('links to its business’s storefront', async () => {
    const { productId } = await businessWith('Purun Kalampangan', true);
    const before = t.ctx.publicUrl;
    t.ctx.publicUrl = base;
    const res = await t.app.inject({ url: `/katalog/${productId}` }).finally(() => {
      t.ctx.publicUrl = before;
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<a href="${base}/toko/purun-kalampangan">Purun Kalampangan</a>`);
  });
});
