import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '../../db/schema.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { weavePhoto } from './catalog.photo.ts';
import { moveLegacyPhotos } from './catalog.service.ts';

// What search engines and WhatsApp read: robots.txt, sitemap.xml, canonical URLs from the
// office's public URL, schema.org Product JSON-LD and the 1200×630 share preview.
let t: TestApp;
let officer: TestUser;
let productId: string;
let businessId: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const business = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: businessBody({ name: 'Rotan </script> Tangkiling', regionCode: '62.71.02.1004' }),
  });
  businessId = business.json().id;
  const product = await t.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: { cookie: officer.cookie },
    payload: {
      businessId,
      name: 'Tas Anyaman Rotan',
      description: 'Rotan asli',
      price: 150_000,
      category: 'kerajinan',
    },
  });
  productId = product.json().id;
  const photo = await t.app.inject({
    method: 'POST',
    url: `/api/v1/products/${productId}/photos`,
    headers: { cookie: officer.cookie },
    payload: { contentType: 'image/png', dataBase64: weavePhoto(3, 320, 240).toString('base64') },
  });
  expect(photo.statusCode, photo.body).toBe(200);
});
afterAll(async () => t?.close());

async function withPublicUrl<T>(url: string, run: () => Promise<T>) {
  const before = t.ctx.publicUrl;
  t.ctx.publicUrl = url;
  try {
    return await run();
  } finally {
    t.ctx.publicUrl = before;
  }
}

describe('robots.txt and sitemap.xml', () => {
  it('answers robots.txt as text that points to the sitemap, never the app’s HTML', async () => {
    const res = await withPublicUrl('https://pulih.example.go.id', () =>
      t.app.inject({ url: '/robots.txt' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toMatch(/^User-agent: \*$/m);
    expect(res.body).toMatch(/^Disallow: \/api\/$/m);
    expect(res.body).toContain('Sitemap: https://pulih.example.go.id/sitemap.xml');
    expect(res.body).not.toContain('<html');
  });

  it('lists the catalogue and every listed product, with canonical addresses', async () => {
    const hidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { cookie: officer.cookie },
      payload: { businessId, name: 'Disembunyikan', price: 1, published: false },
    });
    const res = await withPublicUrl('https://pulih.example.go.id', () =>
      t.app.inject({ url: '/sitemap.xml' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(res.body).toContain('<loc>https://pulih.example.go.id/katalog</loc>');
    expect(res.body).toContain(`<loc>https://pulih.example.go.id/katalog/${productId}</loc>`);
    expect(res.body).not.toContain(hidden.json().id);
    expect(res.body).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}T/);
  });
});

describe('product page', () => {
  it('carries schema.org Product JSON-LD, escaped inside the script', async () => {
    const res = await t.app.inject({ url: `/katalog/${productId}` });
    const match = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.body);
    expect(match).not.toBeNull();
    const json = JSON.parse(match![1]!);
    expect(json).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'Tas Anyaman Rotan',
      offers: {
        '@type': 'Offer',
        price: 150_000,
        priceCurrency: 'IDR',
        seller: { name: 'Rotan </script> Tangkiling' },
      },
    });
    expect(json.image[0]).toMatch(/\/media\/[0-9a-f]{24}-large\.webp$/);
    expect(match![1]).not.toContain('</script>');
  });

  it('gives WhatsApp a 1200×630 preview and canonical URLs from the office’s public URL', async () => {
    const res = await withPublicUrl('https://pulih.example.go.id', () =>
      t.app.inject({ url: `/katalog/${productId}?lang=en` }),
    );
    const html = res.body;
    expect(html).toContain(`<link rel="canonical" href="https://pulih.example.go.id/katalog/${productId}"/>`);
    expect(html).toMatch(
      /<meta property="og:image" content="https:\/\/pulih\.example\.go\.id\/media\/[0-9a-f]{24}-og\.jpg"\/>/,
    );
    expect(html).toContain('<meta property="og:image:width" content="1200"/>');
    expect(html).toContain('<meta property="og:image:height" content="630"/>');
    expect(html).toContain('<meta property="og:image:type" content="image/jpeg"/>');
    expect(html).toContain('<meta property="og:title" content="Tas Anyaman Rotan"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    // Responsive images: the phone picks the smallest variant that fills the screen.
    expect(html).toMatch(/srcSet="[^"]+-card\.webp 320w, [^"]+-card2x\.webp 640w, [^"]+-large\.webp 1200w"/);
  });

  it('marks filtered catalogue pages noindex and keeps the plain catalogue canonical', async () => {
    const plain = await t.app.inject({ url: '/katalog' });
    expect(plain.body).toMatch(/<link rel="canonical" href="https?:\/\/[^"]+\/katalog"\/>/);
    expect(plain.body).not.toContain('noindex');
    const searched = await t.app.inject({ url: '/katalog?q=rottan' });
    expect(searched.body).toContain('<meta name="robots" content="noindex, follow"/>');
    expect(searched.body).toContain('Mungkin maksud Anda:');
    expect(searched.body).toContain('Tas Anyaman Rotan');
  });
});

describe('photos kept in the database before the media store', () => {
  it('moves them to files at startup, with their variants', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { cookie: officer.cookie },
      payload: { businessId, name: 'Foto Lama', price: 1 },
    });
    const id = res.json().id as string;
    await t.ctx.db
      .update(products)
      .set({ photo: weavePhoto(9, 200, 150), photoType: 'image/png' })
      .where(eq(products.id, id));
    expect(await moveLegacyPhotos(t.ctx)).toBe(1);
    const [row] = await t.ctx.db.select().from(products).where(eq(products.id, id));
    expect(row?.photo).toBeNull();
    expect(row?.photos).toHaveLength(1);
    const item = (await t.app.inject({ url: `/api/v1/catalog/products/${id}` })).json();
    const og = await t.app.inject({ url: new URL(item.photos[0].ogImageUrl).pathname });
    expect(og.statusCode).toBe(200);
    expect(await moveLegacyPhotos(t.ctx)).toBe(0);
  });
});
