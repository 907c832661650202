import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, certificates, orderClicks } from '../../db/schema.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { addGraduates } from '../../testing/graduates.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let sopd: TestUser;
let programId: string;

const as = (user: TestUser, method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: user.cookie },
    ...(payload ? { payload } : {}),
  });

async function business(name: string, regionCode = '62.71.02.1004'): Promise<BulkBusiness> {
  const [b] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [regionCode], businessName: () => name });
  if (!b) throw new Error('no business');
  return b;
}

async function product(businessId: string, name: string, published = true) {
  const res = await as(officer, 'POST', '/products', {
    businessId,
    name,
    price: 150000,
    unit: 'buah',
    published,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function storefront(user: TestUser, businessId: string) {
  const res = await as(user, 'GET', `/businesses/${businessId}/storefront`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    slug: string;
    url: string;
    showTrainings: boolean;
    orderClicks: { clicks: number }[];
  };
}

const page = (path: string) => t.app.inject({ method: 'GET', url: path });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Anyaman Rotan Bukit Batu',
      type: 'training',
      capacity: 10,
      selection: 'first_come',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
    })
  ).id;
});
afterAll(async () => t?.close());

describe('storefront slug', () => {
  it('is made from the business name, unique, and stays when the business is renamed', async () => {
    const a = await business('Anyaman Rotan Bu Siti');
    const b = await business('Anyaman Rotan Bu Siti');
    const first = await storefront(officer, a.id);
    const second = await storefront(officer, b.id);
    expect(first.slug).toBe('anyaman-rotan-bu-siti');
    expect(second.slug).toBe('anyaman-rotan-bu-siti-2');
    const renamed = await as(officer, 'PATCH', `/businesses/${a.id}`, { name: 'Rotan Siti Jaya' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await storefront(officer, a.id)).slug).toBe('anyaman-rotan-bu-siti');
  });

  it('may be changed, but not to one another storefront uses', async () => {
    const a = await business('Tikar Purun Rakumpit');
    const b = await business('Tas Rotan Tangkiling');
    const taken = (await storefront(officer, a.id)).slug;
    const refused = await as(officer, 'PUT', `/businesses/${b.id}/storefront`, { slug: taken });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('slug_taken');
    const changed = await as(officer, 'PUT', `/businesses/${b.id}/storefront`, { slug: 'tas-rotan-asli' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().url).toMatch(/\/toko\/tas-rotan-asli$/);
    expect((await page('/toko/tas-rotan-asli')).statusCode).toBe(200);
  });
});

describe('storefront settings', () => {
  it('keeps platform links checked per platform', async () => {
    const b = await business('Kerajinan Manik Dayak');
    const bad = await as(officer, 'PUT', `/businesses/${b.id}/storefront`, {
      tokopediaUrl: 'https://shopee.co.id/manik',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toMatchObject({ field: 'tokopediaUrl' });
    const good = await as(officer, 'PUT', `/businesses/${b.id}/storefront`, {
      tokopediaUrl: 'tokopedia.com/manikdayak',
      instagramUrl: 'https://www.instagram.com/manik.dayak',
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({
      tokopediaUrl: 'https://tokopedia.com/manikdayak',
      instagramUrl: 'https://www.instagram.com/manik.dayak',
      shopeeUrl: null,
    });
    const html = (await page(`/toko/${good.json().slug}`)).body;
    expect(html).toContain('href="https://tokopedia.com/manikdayak"');
    expect(html).toContain('Instagram');
  });

  it('is edited by the owner and offices in scope, not by others', async () => {
    const inside = await business('Anyaman Purun Tangkiling');
    const outside = await business('Anyaman Purun Rakumpit', '62.71.05.1001');
    const owner = await createUser(t, 'owner', { personId: inside.personId });
    expect((await as(owner, 'GET', `/businesses/${inside.id}/storefront`)).statusCode).toBe(200);
    expect((await as(owner, 'GET', `/businesses/${outside.id}/storefront`)).statusCode).toBe(404);
    expect((await as(kecamatan, 'GET', `/businesses/${inside.id}/storefront`)).statusCode).toBe(200);
    expect(
      (await as(kecamatan, 'PUT', `/businesses/${outside.id}/storefront`, { slug: 'x-y-z' })).statusCode,
    ).toBe(404);
    expect((await as(sopd, 'GET', `/businesses/${inside.id}/storefront`)).statusCode).toBe(403);
  });
});

describe('storefront page', () => {
  it('is plain HTML without scripts but JSON-LD, with canonical URL, Open Graph and its listed products only', async () => {
    const b = await business('Anyaman Rotan Mama Dayu');
    await product(b.id, 'Tas Anyaman Rotan');
    await product(b.id, 'Tikar Rotan Lipat', false);
    const { slug, url } = await storefront(officer, b.id);
    const res = await page(`/toko/${slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([' type="application/ld+json"']);
    expect(html).toContain(`<link rel="canonical" href="${url}"/>`);
    expect(html).toContain('property="og:title" content="Anyaman Rotan Mama Dayu"');
    expect(html).toContain('Tas Anyaman Rotan');
    expect(html).not.toContain('Tikar Rotan Lipat');
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}');
    expect(ld).toMatchObject({ '@type': 'LocalBusiness', name: 'Anyaman Rotan Mama Dayu', url });
    expect(ld.makesOffer).toHaveLength(1);
    expect(ld.makesOffer[0]).toMatchObject({ price: 150000, priceCurrency: 'IDR' });
    expect(html).toContain(`/toko/${slug}/pesan/`);
  });

  it('answers 404 for an unknown slug and a closed business', async () => {
    expect((await page('/toko/tidak-ada-toko-ini')).statusCode).toBe(404);
    expect((await page('/toko/BAD%20SLUG')).statusCode).toBe(404);
    const b = await business('Usaha Sudah Tutup');
    const { slug } = await storefront(officer, b.id);
    await as(officer, 'PATCH', `/businesses/${b.id}`, { status: 'tutup' });
    expect((await page(`/toko/${slug}`)).statusCode).toBe(404);
  });

  it('shows the trainings completed only with the owner’s recorded consent', async () => {
    const [businessId] = await addGraduates(t, programId, 1);
    if (!businessId) throw new Error('no graduate');
    const [application] = await t.ctx.db
      .select({ id: applications.id })
      .from(applications)
      .where(eq(applications.businessId, businessId));
    const code = `PLH-${businessId.slice(0, 8).toUpperCase()}`;
    await t.ctx.db.insert(certificates).values({ code, applicationId: application?.id ?? '' });
    const { slug } = await storefront(officer, businessId);

    expect((await page(`/toko/${slug}`)).body).not.toContain('/sertifikat/');
    const consent = await as(officer, 'PUT', `/businesses/${businessId}/storefront`, { showTrainings: true });
    expect(consent.statusCode, consent.body).toBe(200);
    expect(consent.json().consentRecordedAt).not.toBeNull();
    const shown = (await page(`/toko/${slug}`)).body;
    expect(shown).toContain(`href="/sertifikat/${code}"`);
    expect(shown).toContain('Pelatihan Anyaman Rotan Bukit Batu');
    const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, businessId));
    expect(entry).toMatchObject({ action: 'trainings_consent', entity: 'storefront' });

    await as(officer, 'PUT', `/businesses/${businessId}/storefront`, { showTrainings: false });
    expect((await page(`/toko/${slug}`)).body).not.toContain('/sertifikat/');
  });
});

describe('order clicks', () => {
  it('count per product and day, then go to WhatsApp, storing nothing about the buyer', async () => {
    const b = await business('Kue Bingka Bu Rahmah');
    const productId = await product(b.id, 'Kue Bingka Kentang');
    const { slug } = await storefront(officer, b.id);
    const click = () =>
      t.app.inject({
        method: 'GET',
        url: `/toko/${slug}/pesan/${productId}`,
        remoteAddress: '203.0.113.7',
        headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 10)' },
      });
    const first = await click();
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toMatch(/^https:\/\/wa\.me\/628\d+\?text=.*Kue%20Bingka%20Kentang/);
    expect(first.headers['cache-control']).toBe('no-store');
    await click();
    const rows = await t.ctx.db.select().from(orderClicks).where(eq(orderClicks.productId, productId));
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['businessId', 'clicks', 'day', 'productId']);
    expect(rows[0]?.clicks).toBe(2);
    expect(JSON.stringify(rows)).not.toContain('203.0.113.7');
    const settings = await storefront(officer, b.id);
    expect(settings.orderClicks).toEqual([expect.objectContaining({ productId, clicks: 2 })]);
  });

  it('refuses a product of another storefront and counts nothing', async () => {
    const a = await business('Ikan Asap Tangkiling');
    const b = await business('Madu Kelulut Rakumpit');
    const other = await product(b.id, 'Madu Kelulut 250 ml');
    const { slug } = await storefront(officer, a.id);
    const res = await page(`/toko/${slug}/pesan/${other}`);
    expect(res.statusCode).toBe(404);
    expect(await t.ctx.db.select().from(orderClicks).where(eq(orderClicks.productId, other))).toEqual([]);
  });
});
