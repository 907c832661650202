import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { weavePhoto } from './catalog.photo.ts';

// Curation (draft → submitted → approved or returned with a note) and photos stored as files
// with resized variants, served with long caching.
let t: TestApp;
let officer: TestUser;
let kecamatanOfficer: TestUser;
let owner: TestUser;
let otherOwner: TestUser;
let businessId: string;

type Item = {
  id: string;
  status: string;
  reviewNote: string | null;
  photos: { key: string; thumbnailUrl: string; cardUrl: string; largeUrl: string; ogImageUrl: string }[];
};

async function registerBusiness(name: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: businessBody({ name, regionCode: '62.71.02.1004' }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; owner: { id: string } };
}

const call = (method: 'POST' | 'GET' | 'DELETE', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function draft(name: string) {
  const res = await call('POST', '/products', owner.cookie, {
    businessId,
    name,
    price: 10_000,
    category: 'kerajinan',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
}

const isPublic = async (id: string) =>
  (await t.app.inject({ url: `/api/v1/catalog/products/${id}` })).statusCode === 200;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  const mine = await registerBusiness('Anyaman Kurasi');
  const theirs = await registerBusiness('Usaha Lain');
  businessId = mine.id;
  owner = await createUser(t, 'owner', { personId: mine.owner.id });
  otherOwner = await createUser(t, 'owner', { personId: theirs.owner.id });
});
afterAll(async () => t?.close());

describe('curation', () => {
  it('keeps an owner’s product out of the catalogue until an officer approves it', async () => {
    const product = await draft('Tas Kurasi');
    expect(product.status).toBe('draft');
    expect(await isPublic(product.id)).toBe(false);

    const submitted = await call('POST', `/products/${product.id}/submit`, owner.cookie);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    expect(await isPublic(product.id)).toBe(false);

    const queue = await call('GET', '/products?status=submitted&limit=200', officer.cookie);
    expect(queue.json().items.map((p: Item) => p.id)).toContain(product.id);

    const approved = await call('POST', `/products/${product.id}/approve`, officer.cookie);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect(await isPublic(product.id)).toBe(true);
  });

  it('returns a product with a note, and the owner submits it again', async () => {
    const product = await draft('Tikar Kurasi');
    await call('POST', `/products/${product.id}/submit`, owner.cookie);
    const returned = await call('POST', `/products/${product.id}/return`, officer.cookie, {
      note: 'Foto kurang jelas, mohon ganti.',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      status: 'returned',
      reviewNote: 'Foto kurang jelas, mohon ganti.',
    });
    expect(await isPublic(product.id)).toBe(false);
    const again = await call('POST', `/products/${product.id}/submit`, owner.cookie);
    expect(again.json().status).toBe('submitted');
    const noNote = await call('POST', `/products/${product.id}/return`, officer.cookie, { note: '' });
    expect(noNote.statusCode).toBe(400);
  });

  it('moves only from the state it expects', async () => {
    const product = await draft('Lampu Kurasi');
    const early = await call('POST', `/products/${product.id}/approve`, officer.cookie);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('product_not_submitted');
    await call('POST', `/products/${product.id}/submit`, owner.cookie);
    const twice = await call('POST', `/products/${product.id}/submit`, owner.cookie);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('product_already_submitted');
  });

  it('lets only curators approve, and owners submit only their own products', async () => {
    const product = await draft('Kursi Kurasi');
    await call('POST', `/products/${product.id}/submit`, owner.cookie);
    for (const cookie of [owner.cookie, kecamatanOfficer.cookie]) {
      const res = await call('POST', `/products/${product.id}/approve`, cookie);
      expect(res.statusCode).toBe(403);
    }
    const foreign = await call('POST', `/products/${product.id}/submit`, otherOwner.cookie);
    expect(foreign.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/products/${product.id}/approve` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('approves a product an officer adds, and audits each step', async () => {
    const res = await call('POST', '/products', officer.cookie, {
      businessId,
      name: 'Vas Kurasi',
      price: 5_000,
    });
    expect(res.json().status).toBe('approved');
    const product = await draft('Piring Kurasi');
    await call('POST', `/products/${product.id}/submit`, owner.cookie);
    await call('POST', `/products/${product.id}/approve`, officer.cookie);
    const admin = await createUser(t, 'admin');
    const audit = await call('GET', `/audit?entity=product&entityId=${product.id}`, admin.cookie);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['create', 'submit_product', 'approve_product']),
    );
  });
});

describe('photos as files', () => {
  const photoBody = (seed: number, width = 600, height = 450) => ({
    contentType: 'image/png',
    dataBase64: weavePhoto(seed, width, height).toString('base64'),
  });

  it('stores several photos with resized variants and serves them with long caching and an ETag', async () => {
    const product = await draft('Tas Foto');
    const first = await call('POST', `/products/${product.id}/photos`, owner.cookie, photoBody(11));
    expect(first.statusCode, first.body).toBe(200);
    const second = await call(
      'POST',
      `/products/${product.id}/photos`,
      owner.cookie,
      photoBody(12, 400, 300),
    );
    const photos = (second.json() as Item).photos;
    expect(photos).toHaveLength(2);

    const sizes: Record<string, [number, number]> = {};
    for (const [variant, url] of Object.entries({
      thumb: photos[0]!.thumbnailUrl,
      card: photos[0]!.cardUrl,
      og: photos[0]!.ogImageUrl,
      large: photos[0]!.largeUrl,
    })) {
      const res = await t.app.inject({ url: new URL(url).pathname });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.etag).toBeTruthy();
      const meta = await sharp(res.rawPayload).metadata();
      sizes[variant] = [meta.width ?? 0, meta.height ?? 0];
      if (variant === 'og') expect(res.headers['content-type']).toBe('image/jpeg');
      else expect(res.headers['content-type']).toBe('image/webp');
      const again = await t.app.inject({
        url: new URL(url).pathname,
        headers: { 'if-none-match': String(res.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    }
    expect(sizes).toEqual({ thumb: [160, 120], card: [320, 240], og: [1200, 630], large: [600, 450] });

    const removed = await call('DELETE', `/products/${product.id}/photos/${photos[0]!.key}`, owner.cookie);
    expect((removed.json() as Item).photos.map((p) => p.key)).toEqual([photos[1]!.key]);
  });

  it('answers 404 for an unknown media name and refuses names that leave the folder', async () => {
    for (const name of ['0123456789abcdef01234567-card.webp', '..%2Fpgdata', 'x.txt']) {
      expect((await t.app.inject({ url: `/media/${name}` })).statusCode).toBe(404);
    }
  });

  it('refuses a ninth photo and files that only look like images', async () => {
    const product = await draft('Tikar Foto');
    for (let i = 0; i < 8; i++) {
      const res = await call(
        'POST',
        `/products/${product.id}/photos`,
        owner.cookie,
        photoBody(100 + i, 40, 30),
      );
      expect(res.statusCode, res.body).toBe(200);
    }
    const ninth = await call('POST', `/products/${product.id}/photos`, owner.cookie, photoBody(200, 40, 30));
    expect(ninth.statusCode).toBe(409);
    expect(ninth.json().error.code).toBe('too_many_photos');
    const broken = Buffer.concat([weavePhoto(1, 8, 8).subarray(0, 40), Buffer.alloc(40)]);
    const other = await draft('Kursi Foto');
    const bad = await call('POST', `/products/${other.id}/photos`, owner.cookie, {
      contentType: 'image/png',
      dataBase64: broken.toString('base64'),
    });
    expect(bad.statusCode).toBe(415);
  });
});
