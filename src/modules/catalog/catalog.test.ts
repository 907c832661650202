import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { weavePhoto } from './catalog.photo.ts';
import { listProductsOfBusiness, searchWords } from './catalog.service.ts';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Product = {
  id: string;
  name: string;
  whatsappUrl: string | null;
  pageUrl: string;
  photoUrl: string | null;
};
type Page = { items: Product[]; nextCursor: string | null };

let t: TestApp;
let officer: TestUser;
let owner: TestUser;
let mine: { id: string; nik: string; phone: string };
let theirs: { id: string; nik: string; phone: string };
let closed: { id: string; nik: string; phone: string };
const ids = {} as Record<'tas' | 'tikar' | 'rahasia' | 'lampu' | 'kursi' | 'tutup', string>;

async function registerBusiness(name: string, regionCode: string) {
  const body = businessBody({ name, regionCode });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const item = res.json() as { id: string; owner: { id: string } };
  return { id: item.id, ownerId: item.owner.id, nik: body.owner.nik, phone: body.owner.phone };
}

const postProduct = (cookie: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/products', headers: { cookie }, payload });

async function product(cookie: string, payload: object) {
  const res = await postProduct(cookie, payload);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { id: string; name: string };
}

const publicList = async (query: string) => {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const names = (page: Page) => page.items.map((p) => p.name).sort();

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const a = await registerBusiness('Kerajinan Tangkiling Jaya', '62.71.02.1004');
  const b = await registerBusiness('Kerajinan Petuk Bukit', '62.71.05.1001');
  const c = await registerBusiness('Kerajinan Yang Sudah Tutup', '62.71.02.1004');
  mine = a;
  theirs = b;
  closed = c;
  owner = await createUser(t, 'owner', { personId: a.ownerId });

  ids.tas = (
    await product(owner.cookie, {
      businessId: a.id,
      name: 'Tas Anyaman Rotan',
      description: 'Tas jinjing dari rotan asli Kalimantan',
      price: 150_000,
      unit: 'buah',
    })
  ).id;
  ids.tikar = (
    await product(owner.cookie, {
      businessId: a.id,
      name: 'Tikar Rotan',
      description: 'Tikar lebar',
      price: 250_000,
    })
  ).id;
  ids.rahasia = (
    await product(owner.cookie, { businessId: a.id, name: 'Keranjang Draf', price: 90_000, published: false })
  ).id;
  ids.lampu = (
    await product(officer.cookie, {
      businessId: b.id,
      name: 'Lampu Hias Rotan',
      description: 'Anyaman halus, cocok untuk ruang tamu',
      price: 175_000,
    })
  ).id;
  ids.kursi = (
    await product(officer.cookie, { businessId: b.id, name: 'Kursi Anyaman Bambu', price: 600_000 })
  ).id;
  ids.tutup = (
    await product(officer.cookie, { businessId: c.id, name: 'Rotan Toko Tutup', price: 10_000 })
  ).id;
  // The owner's products go through the office's review before they are public.
  for (const id of [ids.tas, ids.tikar, ids.rahasia]) {
    for (const [step, cookie] of [
      ['submit', owner.cookie],
      ['approve', officer.cookie],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/products/${id}/${step}`,
        headers: { cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  const close = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/businesses/${c.id}`,
    headers: { cookie: officer.cookie },
    payload: { status: 'tutup' },
  });
  expect(close.statusCode, close.body).toBe(200);
});
afterAll(async () => t?.close());

describe('writing products', () => {
  it('lets an owner create a product for its own business only', async () => {
    const res = await postProduct(owner.cookie, { businessId: mine.id, name: 'Vas Rotan', price: 45_000 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      businessId: mine.id,
      name: 'Vas Rotan',
      price: 45_000,
      published: true,
    });

    const other = await postProduct(owner.cookie, {
      businessId: theirs.id,
      name: 'Bukan Milik Saya',
      price: 1,
    });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');

    const patchOther = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${ids.lampu}`,
      headers: { cookie: owner.cookie },
      payload: { price: 1 },
    });
    expect(patchOther.statusCode).toBe(404);

    const patchOwn = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${res.json().id}`,
      headers: { cookie: owner.cookie },
      payload: { price: 50_000, unit: 'buah' },
    });
    expect(patchOwn.statusCode, patchOwn.body).toBe(200);
    expect(patchOwn.json()).toMatchObject({ price: 50_000, unit: 'buah', name: 'Vas Rotan' });
  });

  it('forbids kecamatan and SOPD officers to write products, and everyone without a login', async () => {
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const sopd = await createUser(t, 'sopd_officer');
    for (const user of [kec, sopd]) {
      const res = await postProduct(user.cookie, { businessId: mine.id, name: 'Tidak Boleh', price: 1 });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/products/${ids.tas}`,
        headers: { cookie: user.cookie },
        payload: { price: 1 },
      });
      expect(patch.statusCode).toBe(403);
      // Reading the management list is allowed to officers.
      const list = await t.app.inject({ url: '/api/v1/products', headers: { cookie: user.cookie } });
      expect(list.statusCode).toBe(200);
    }
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      payload: { businessId: mine.id, name: 'Anonim', price: 1 },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/products' })).statusCode).toBe(401);
  });

  it('answers 400 validation_failed for a bad body', async () => {
    const bad = await postProduct(owner.cookie, { businessId: 'not-a-uuid', name: 'x', price: -5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(bad.json().error.details.length).toBeGreaterThanOrEqual(3);
    const badPatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${ids.tas}`,
      headers: { cookie: owner.cookie },
      payload: { price: 'murah' },
    });
    expect(badPatch.statusCode).toBe(400);
    expect(badPatch.json().error.code).toBe('validation_failed');
  });

  it('shows owners only their own products, unpublished included; officers see all', async () => {
    const own = await t.app.inject({ url: '/api/v1/products?limit=200', headers: { cookie: owner.cookie } });
    expect(own.statusCode).toBe(200);
    const ownNames = own.json().items.map((p: { name: string }) => p.name);
    expect(ownNames).toContain('Keranjang Draf');
    expect(ownNames).not.toContain('Lampu Hias Rotan');
    expect(own.json().items.every((p: { businessId: string }) => p.businessId === mine.id)).toBe(true);

    const foreign = await t.app.inject({
      url: `/api/v1/products?businessId=${theirs.id}`,
      headers: { cookie: owner.cookie },
    });
    expect(foreign.statusCode).toBe(404);

    const all = await t.app.inject({
      url: '/api/v1/products?limit=200',
      headers: { cookie: officer.cookie },
    });
    const allNames = all.json().items.map((p: { name: string }) => p.name);
    expect(allNames).toEqual(
      expect.arrayContaining(['Keranjang Draf', 'Lampu Hias Rotan', 'Rotan Toko Tutup']),
    );
    const one = await t.app.inject({
      url: `/api/v1/products?businessId=${theirs.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(
      one
        .json()
        .items.map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['Kursi Anyaman Bambu', 'Lampu Hias Rotan']);
    expect(one.json().items[0].businessName).toBe('Kerajinan Petuk Bukit');

    const summary = await listProductsOfBusiness(t.ctx, theirs.id);
    expect(summary.map((p) => p.name)).toEqual(['Kursi Anyaman Bambu', 'Lampu Hias Rotan']);
    expect(Object.keys(summary[0]!).sort()).toEqual(['id', 'name', 'price', 'published', 'status']);
  });

  it('audits every change', async () => {
    const admin = await createUser(t, 'admin');
    const res = await t.app.inject({
      url: `/api/v1/audit?entity=product&entityId=${ids.tas}`,
      headers: { cookie: admin.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((e: { action: string }) => e.action)).toContain('create');
  });
});

describe('public catalogue', () => {
  it('lists only published products of open businesses, without a login', async () => {
    const page = await publicList('limit=100');
    expect(names(page)).toEqual([
      'Kursi Anyaman Bambu',
      'Lampu Hias Rotan',
      'Tas Anyaman Rotan',
      'Tikar Rotan',
    ]);
    const tas = page.items.find((p) => p.name === 'Tas Anyaman Rotan')!;
    expect(tas).toMatchObject({
      price: 150_000,
      unit: 'buah',
      business: {
        id: mine.id,
        name: 'Kerajinan Tangkiling Jaya',
        kecamatan: '62.71.02',
        kecamatanName: 'Bukit Batu',
      },
    });
    expect(tas.pageUrl).toMatch(new RegExp(`^https?://[^/]+/katalog/${ids.tas}$`));

    const one = await t.app.inject({ url: `/api/v1/catalog/products/${ids.tas}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().name).toBe('Tas Anyaman Rotan');
    for (const hidden of [ids.rahasia, ids.tutup, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.app.inject({ url: `/api/v1/catalog/products/${hidden}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('searches with every word over product name, description and business name', async () => {
    // "Lampu Hias Rotan" matches "anyaman" in its description; "Kursi Anyaman Bambu" has no "rotan".
    expect(names(await publicList('q=anyaman%20rotan'))).toEqual(['Lampu Hias Rotan', 'Tas Anyaman Rotan']);
    expect(names(await publicList('q=ANYAMAN%20%20Rotan'))).toEqual([
      'Lampu Hias Rotan',
      'Tas Anyaman Rotan',
    ]);
    expect(names(await publicList('q=tangkiling%20tikar'))).toEqual(['Tikar Rotan']);
    expect(names(await publicList('q=rotan%20kalimantan'))).toEqual(['Tas Anyaman Rotan']);
    expect(names(await publicList('q=anyamannya'))).toEqual([
      'Kursi Anyaman Bambu',
      'Lampu Hias Rotan',
      'Tas Anyaman Rotan',
    ]);
    expect((await publicList('q=rotan%20gajah')).items).toEqual([]);
    // `%` and `_` are no wildcards: a query of only those finds nothing.
    expect((await publicList('q=%25%25%20_')).items).toEqual([]);
    expect(searchWords('  Kue-kue ANYAMANNYA  tas2 ')).toEqual(['kue', 'anyamannya', 'tas']);
    expect(searchWords('rotan')).toEqual(['rotan']);
  });

  it('filters by kecamatan, with or without dots', async () => {
    expect(names(await publicList('kecamatan=62.71.05'))).toEqual([
      'Kursi Anyaman Bambu',
      'Lampu Hias Rotan',
    ]);
    expect(names(await publicList('kecamatan=627105&q=lampu'))).toEqual(['Lampu Hias Rotan']);
    expect((await publicList('kecamatan=62.71.01')).items).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await publicList(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(['Kursi Anyaman Bambu', 'Lampu Hias Rotan', 'Tas Anyaman Rotan', 'Tikar Rotan']);
    const bad = await t.app.inject({ url: '/api/v1/catalog/products?cursor=rusak' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('builds a wa.me link with digits only and URL-encoded text, never with the NIK', async () => {
    const res = await t.app.inject({ url: `/api/v1/catalog/products/${ids.tas}` });
    const item = res.json() as Product;
    const link = item.whatsappUrl!;
    const match = /^https:\/\/wa\.me\/(\d+)\?text=([^\s]+)$/.exec(link);
    expect(match, link).not.toBeNull();
    expect(match![1]).toBe(`62${mine.phone.slice(1)}`);
    expect(match![2]).not.toMatch(/[ "<>]/);
    const text = decodeURIComponent(match![2]!);
    expect(text).toBe(
      `Halo, saya ingin memesan Tas Anyaman Rotan dari Kerajinan Tangkiling Jaya (lihat ${item.pageUrl})`,
    );
    expect(link).not.toContain(mine.nik);
    expect(res.body).not.toContain(mine.nik);
    const list = await t.app.inject({ url: '/api/v1/catalog/products?limit=100' });
    for (const nik of [mine.nik, theirs.nik, closed.nik]) expect(list.body).not.toContain(nik);

    const page = await t.app.inject({ url: `/katalog/${ids.tas}` });
    expect(page.body).toContain(link);
    expect(page.body).not.toContain(mine.nik);
    const catalogue = await t.app.inject({ url: '/katalog' });
    for (const nik of [mine.nik, theirs.nik, closed.nik]) expect(catalogue.body).not.toContain(nik);
  });
});

describe('photos', () => {
  const putPhoto = (cookie: string, id: string, payload: object) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/products/${id}/photo`, headers: { cookie }, payload });

  it('stores a photo as files and serves it publicly with immutable caching', async () => {
    const png = weavePhoto(7, 120, 90);
    const put = await putPhoto(owner.cookie, ids.tas, {
      contentType: 'image/png',
      dataBase64: png.toString('base64'),
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().photoType).toBe('image/webp');

    const item = (await t.app.inject({ url: `/api/v1/catalog/products/${ids.tas}` })).json() as Product;
    expect(item.photoUrl).toMatch(/^https?:\/\/[^/]+\/media\/[0-9a-f]{24}-large\.webp$/);
    const photo = await t.app.inject({ url: new URL(item.photoUrl!).pathname });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/webp');
    expect(photo.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(photo.rawPayload.subarray(8, 12).toString('latin1')).toBe('WEBP');

    const audit = await t.app.inject({
      url: `/api/v1/audit?entity=product&entityId=${ids.tas}`,
      headers: { cookie: (await createUser(t, 'admin')).cookie },
    });
    const photoEntry = audit.json().items.find((e: { action: string }) => e.action === 'update_photo');
    expect(photoEntry).toBeDefined();
    expect(JSON.stringify(photoEntry).length).toBeLessThan(4000);
  });

  it('keeps an unpublished product’s photo off the public endpoint', async () => {
    const png = weavePhoto(8, 40, 30);
    const put = await putPhoto(owner.cookie, ids.rahasia, {
      contentType: 'image/png',
      dataBase64: png.toString('base64'),
    });
    expect(put.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/catalog/products/${ids.rahasia}/photo` })).statusCode).toBe(
      404,
    );
    const own = await t.app.inject({
      url: `/api/v1/products/${ids.rahasia}/photo`,
      headers: { cookie: owner.cookie },
    });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect((await t.app.inject({ url: `/api/v1/catalog/products/${ids.kursi}/photo` })).statusCode).toBe(404);
  });

  it('refuses other types, non-images, other people’s products and photos over 3 MB', async () => {
    const gif = await putPhoto(owner.cookie, ids.tas, {
      contentType: 'image/gif',
      dataBase64: 'R0lGODlhAQABAAAAACw=',
    });
    expect(gif.statusCode).toBe(415);
    expect(gif.json().error.code).toBe('unsupported_media');
    const html = await putPhoto(owner.cookie, ids.tas, {
      contentType: 'image/png',
      dataBase64: Buffer.from('<html><script>alert(1)</script></html>').toString('base64'),
    });
    expect(html.statusCode).toBe(415);
    expect(html.json().error.code).toBe('unsupported_media');
    const notBase64 = await putPhoto(owner.cookie, ids.tas, { contentType: 'image/png', dataBase64: '***' });
    expect(notBase64.statusCode).toBe(400);
    expect(notBase64.json().error.code).toBe('validation_failed');
    const foreign = await putPhoto(owner.cookie, ids.lampu, {
      contentType: 'image/png',
      dataBase64: weavePhoto(1, 8, 8).toString('base64'),
    });
    expect(foreign.statusCode).toBe(404);

    const big = Buffer.alloc(3 * 1024 * 1024 + 1);
    pngSignature.copy(big);
    const tooLarge = await putPhoto(owner.cookie, ids.tas, {
      contentType: 'image/png',
      dataBase64: big.toString('base64'),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('photo_too_large');
    const huge = await putPhoto(owner.cookie, ids.tas, {
      contentType: 'image/png',
      dataBase64: Buffer.alloc(5 * 1024 * 1024).toString('base64'),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('photo_too_large');
  });

  it('weavePhoto draws a valid PNG of the requested size', () => {
    const small = PNG.sync.read(weavePhoto(3, 200, 150));
    expect([small.width, small.height]).toEqual([200, 150]);
    const full = weavePhoto(4);
    expect(full.subarray(0, 8).equals(pngSignature)).toBe(true);
    const decoded = PNG.sync.read(full);
    expect([decoded.width, decoded.height]).toEqual([640, 480]);
    // Not a flat image: strips in several tones, light cane and dark gaps between strips.
    const colours = new Set<number>();
    let darkest = 255;
    let lightest = 0;
    for (let i = 0; i < decoded.data.length; i += 4 * 7) {
      colours.add(decoded.data.readUInt32BE(i));
      const green = decoded.data[i + 1] ?? 0;
      darkest = Math.min(darkest, green);
      lightest = Math.max(lightest, green);
    }
    expect(colours.size).toBeGreaterThan(12);
    expect(darkest).toBeLessThan(80);
    expect(lightest).toBeGreaterThan(150);
    expect(weavePhoto(5, 64, 48).equals(weavePhoto(5, 64, 48))).toBe(true);
    expect(weavePhoto(5, 64, 48).equals(weavePhoto(6, 64, 48))).toBe(false);
    // Its speed (about 25 ms a photo) is checked by `npm run bench -- units`.
  });
});

describe('public pages', () => {
  it('renders the product page with Open Graph tags and an absolute image URL', async () => {
    const res = await t.app.inject({ url: `/katalog/${ids.tas}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="id"');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<meta property="og:title" content="Tas Anyaman Rotan"/>');
    expect(html).toMatch(
      /<meta property="og:image" content="https?:\/\/[^"/]+\/media\/[0-9a-f]{24}-og\.jpg"\/>/,
    );
    expect(html).toContain('<meta property="og:type" content="product"/>');
    expect(html).toMatch(/<meta property="og:url" content="https?:\/\/[^"]+\/katalog\/[^"]+"\/>/);
    expect(html).toContain('name="twitter:card"');
    expect(html).toMatch(/og:description" content="Rp150\.000 · Kerajinan Tangkiling Jaya/);
    expect(html).toContain('Pesan lewat WhatsApp');
    expect(html).toContain('Rp150.000');
    expect(html).toContain('Pulih');
    expect(html).toContain('href="/katalog"');

    const publicUrl = t.ctx.publicUrl;
    t.ctx.publicUrl = 'https://pulih.example.go.id/';
    try {
      const configured = await t.app.inject({ url: `/katalog/${ids.tas}?lang=en` });
      expect(configured.body).toContain(
        '<meta property="og:image" content="https://pulih.example.go.id/media/',
      );
      expect(configured.body).toContain('<html lang="en"');
      expect(configured.body).toContain('Order on WhatsApp');
      expect(configured.body).toContain('href="/katalog?lang=en"');
    } finally {
      t.ctx.publicUrl = publicUrl;
    }
  });

  it('answers a 404 page for unpublished, closed, unknown and malformed products', async () => {
    for (const id of [ids.rahasia, ids.tutup, '00000000-0000-4000-8000-000000000000', 'bukan-id']) {
      const res = await t.app.inject({ url: `/katalog/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Produk tidak ditemukan');
      expect(res.body).not.toContain('Keranjang Draf');
    }
  });

  it('renders the catalogue with search, kecamatan filter, cards, paging and an empty state', async () => {
    const res = await t.app.inject({ url: '/katalog' });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<html lang="id"');
    expect(html).toMatch(/<form class="search"[^>]* action="\/katalog" method="get">/);
    expect(html).toContain('name="q"');
    expect(html).toContain('<option value="62.71.05">Rakumpit (2)</option>');
    expect(html).toContain('Tas Anyaman Rotan');
    expect(html).not.toContain('Keranjang Draf');
    expect(html).not.toContain('Rotan Toko Tutup');
    expect(html).toContain('loading="lazy"');
    expect(html).toMatch(/<img[^>]+width="320" height="240"/);
    expect(html).toContain('class="wa" href="https://wa.me/');
    expect(html).toContain(`href="/katalog/${ids.tas}"`);
    expect(html).toContain('Rp150.000');

    const search = await t.app.inject({ url: '/katalog?q=anyaman+rotan&kecamatan=62.71.05&lang=en' });
    expect(search.body).toContain('<html lang="en"');
    expect(search.body).toContain('Lampu Hias Rotan');
    expect(search.body).not.toContain('Tas Anyaman Rotan');
    expect(search.body).toContain('Order on WhatsApp');
    expect(search.body).toContain('<input type="hidden" name="lang" value="en"/>');

    const empty = await t.app.inject({ url: '/katalog?q=tidakadaproduknya' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Produk tidak ditemukan');
    expect(empty.body).not.toContain('class="card"');

    const forwarded = await t.app.inject({ url: '/katalog?cursor=rusak' });
    expect(forwarded.statusCode).toBe(200);
  });

  it('links to the next page when there are more products than fit on one', async () => {
    for (let n = 0; n < 25; n++) {
      await product(officer.cookie, {
        businessId: mine.id,
        name: `Souvenir Rotan ${String(n).padStart(2, '0')}`,
        price: 5_000,
      });
    }
    const first = await t.app.inject({ url: '/katalog?q=souvenir' });
    const next = /<a href="(\/katalog\?[^"]+)" rel="next">/.exec(first.body);
    expect(next).not.toBeNull();
    expect(next![1]).toContain('q=souvenir');
    const second = await t.app.inject({ url: next![1]!.replaceAll('&amp;', '&') });
    expect(second.statusCode).toBe(200);
    // Every name has the word: newest first, so the first one added is on the second page.
    expect(second.body).toContain('Souvenir Rotan 00');
    expect(second.body).not.toContain('Souvenir Rotan 24');
    expect(second.body).not.toContain('rel="next"');
  });
});
