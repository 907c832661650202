import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaStore } from '../../lib/media-store.ts';
import { s3MediaStore } from '../../lib/media-store-s3.ts';
import { cliCommand } from '../../testing/cli.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { startS3Server, type TestS3Server } from '../../testing/s3-server.ts';
import { photoFileNames } from './catalog.media.ts';
import { weavePhoto } from './catalog.photo.ts';

// Product photos in an S3-compatible bucket: a real S3 server on 127.0.0.1 (S3rver, started
// here), the AWS SDK's signed requests, the same routes as with the folder store.
let s3: TestS3Server;
let store: MediaStore;
let t: TestApp;
let officer: TestUser;
let businessId: string;
const bucket = 'pulih-media';

beforeAll(async () => {
  s3 = await startS3Server([bucket, 'pulih-other']);
  store = s3MediaStore(s3.config(bucket));
  t = await createTestApp({ media: store });
  officer = await createUser(t, 'program_officer');
  businessId = (await createBusiness(t, officer.cookie, { name: 'Anyaman Ember' })).id;
}, 120_000);
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

type Item = {
  id: string;
  photos: { key: string; largeUrl: string; ogImageUrl: string; thumbnailUrl: string }[];
};

const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: officer.cookie },
    ...(payload ? { payload } : {}),
  });

async function product(name: string) {
  const res = await call('POST', '/products', { businessId, name, price: 25_000, category: 'kerajinan' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
}

const photo = (seed: number) => ({
  contentType: 'image/png',
  dataBase64: weavePhoto(seed, 480, 360).toString('base64'),
});

async function inBucket(config = store) {
  const names: string[] = [];
  for await (const name of config.list()) names.push(name);
  return names;
}

describe('product photos in an S3-compatible store', () => {
  it('puts the variants in the bucket, serves them at /media with cache headers, and deletes them with the photo', async () => {
    const item = await product('Tas Ember');
    const added = await call('POST', `/products/${item.id}/photos`, photo(301));
    expect(added.statusCode, added.body).toBe(200);
    const { key, largeUrl, ogImageUrl } = (added.json() as Item).photos[0]!;
    expect(await inBucket()).toEqual(expect.arrayContaining(photoFileNames(key)));

    const large = await t.app.inject({ url: new URL(largeUrl).pathname });
    expect(large.statusCode).toBe(200);
    expect(large.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(large.headers['content-type']).toBe('image/webp');
    expect(large.headers.etag).toBe(`"${key}-large.webp"`);
    expect(await sharp(large.rawPayload).metadata()).toMatchObject({ width: 480, height: 360 });
    const og = await t.app.inject({ url: new URL(ogImageUrl).pathname });
    expect(og.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(og.rawPayload).metadata()).toMatchObject({ width: 1200, height: 630 });
    const again = await t.app.inject({
      url: new URL(largeUrl).pathname,
      headers: { 'if-none-match': String(large.headers.etag) },
    });
    expect(again.statusCode).toBe(304);

    const removed = await call('DELETE', `/products/${item.id}/photos/${key}`);
    expect(removed.statusCode, removed.body).toBe(200);
    const left = await inBucket();
    for (const name of photoFileNames(key)) expect(left).not.toContain(name);
    const gone = await t.app.inject({ url: new URL(largeUrl).pathname });
    expect(gone.statusCode).toBe(404);
  });

  it('keeps the files while another product shows the same picture', async () => {
    const [first, second] = [await product('Tikar Ember'), await product('Tikar Ember Kedua')];
    const a = await call('POST', `/products/${first.id}/photos`, photo(302));
    const b = await call('POST', `/products/${second.id}/photos`, photo(302));
    const key = (a.json() as Item).photos[0]!.key;
    expect((b.json() as Item).photos[0]!.key).toBe(key);

    await call('DELETE', `/products/${first.id}/photos/${key}`);
    expect(await inBucket()).toEqual(expect.arrayContaining(photoFileNames(key)));
    await call('DELETE', `/products/${second.id}/photos/${key}`);
    const left = await inBucket();
    for (const name of photoFileNames(key)) expect(left).not.toContain(name);
  });

  it('replaces the photos with one and deletes the replaced files', async () => {
    const item = await product('Topi Ember');
    const first = await call('POST', `/products/${item.id}/photos`, photo(303));
    const old = (first.json() as Item).photos[0]!.key;
    const replaced = await call('PUT', `/products/${item.id}/photo`, photo(304));
    expect(replaced.statusCode, replaced.body).toBe(200);
    const now = (replaced.json() as Item).photos.map((p) => p.key);
    expect(now).toHaveLength(1);
    const names = await inBucket();
    expect(names).toEqual(expect.arrayContaining(photoFileNames(now[0]!)));
    for (const name of photoFileNames(old)) expect(names).not.toContain(name);
  });

  it('redirects /media to the public address when one is configured', async () => {
    const name = '0123456789abcdef01234567-card.webp';
    const original = t.ctx.media;
    t.ctx.media = s3MediaStore(s3.config(bucket, { publicUrl: 'https://media.example.id/pulih/' }));
    try {
      const res = await t.app.inject({ url: `/media/${name}` });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(`https://media.example.id/pulih/${name}`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    } finally {
      t.ctx.media = original;
    }
  });

  it('says what is wrong when the bucket cannot be used', async () => {
    await expect(s3MediaStore(s3.config('pulih-missing')).check()).rejects.toThrow(
      /bucket "pulih-missing" does not exist/,
    );
    await expect(s3MediaStore(s3.config(bucket, { accessKeyId: 'NOBODY' })).check()).rejects.toThrow(
      /access denied to bucket "pulih-media"/,
    );
    await expect(s3MediaStore(s3.config(bucket)).check()).resolves.toBeUndefined();
  });
});

describe('pulih serve with an S3 store', () => {
  it('refuses to start when the bucket is not there, and says so', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pulih-s3-serve-'));
    try {
      const child = spawn(process.execPath, [...cliCommand(), 'serve', '--port', '0', '--data', data], {
        env: {
          ...process.env,
          DATABASE_URL: '',
          PULIH_MEDIA_S3_BUCKET: 'pulih-nowhere',
          PULIH_MEDIA_S3_ENDPOINT: s3.endpoint,
          PULIH_MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
          PULIH_MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, stderr).toBe(4);
      expect(stderr).toContain('The media store (s3 bucket pulih-nowhere');
      expect(stderr).toContain('does not exist');
      // Refused before the data folder was opened: no database was created in it.
      expect(existsSync(join(data, 'pgdata'))).toBe(false);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
