import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../app/app-context.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { folderMediaStore, type MediaStore } from '../../lib/media-store.ts';
import { s3MediaStore } from '../../lib/media-store-s3.ts';
import { buildServer } from '../../server.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { startS3Server, type TestS3Server } from '../../testing/s3-server.ts';
import { databaseUrlOf, preparePgliteBlank } from '../../testing/template.ts';
import { photoFileNames } from '../catalog/catalog.media.ts';
import { weavePhoto } from '../catalog/catalog.photo.ts';
import { listShownMediaFiles } from '../catalog/catalog.service.ts';
import { restoreBackup, writeBackup } from './backup.service.ts';

// A backup keeps the photos' files with the rows that name them, and a restore into an empty
// database and an empty store (a folder, or a bucket) brings back pictures that the public
// pages serve.
let t: TestApp;
let s3: TestS3Server;
let officer: TestUser;
let businessId: string;
const dir = mkdtempSync(join(tmpdir(), 'pulih-backup-media-'));
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  s3 = await startS3Server(['pulih-restored']);
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  businessId = (await createBusiness(t, officer.cookie, { name: 'Anyaman Cadangan' })).id;
}, 120_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await t?.close();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

// An empty database (not even migrated) on the engine under test.
async function emptyDatabase(): Promise<Database> {
  if (t.engine === 'pglite') {
    const database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteBlank()) });
    cleanups.push(() => database.close());
    return database;
  }
  const name = `pulih_t_media_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = openDatabase({ databaseUrl: databaseUrlOf(adminUrl, name) });
  cleanups.push(async () => {
    await database.close();
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return database;
}

async function productWithPhoto(name: string, seed: number) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: { cookie: officer.cookie },
    payload: { businessId, name, price: 40_000, category: 'kerajinan' },
  });
  expect(res.statusCode, res.body).toBe(201);
  const photo = await t.app.inject({
    method: 'POST',
    url: `/api/v1/products/${res.json().id}/photos`,
    headers: { cookie: officer.cookie },
    payload: { contentType: 'image/png', dataBase64: weavePhoto(seed, 320, 240).toString('base64') },
  });
  expect(photo.statusCode, photo.body).toBe(200);
  return { id: res.json().id as string, key: photo.json().photos[0].key as string };
}

async function backupWithMedia(file: string) {
  return writeBackup(t.ctx.database, file, () => {}, { store: t.ctx.media, listNames: listShownMediaFiles });
}

// The restored database and store, served as `pulih serve` would.
async function serveRestored(database: Database, media: MediaStore) {
  const ctx = await createAppContext(database, { media });
  const app = await buildServer(ctx);
  cleanups.push(() => app.close());
  return app;
}

describe('backups with media', () => {
  it('brings a photo back into an empty folder store, and leaves out files nothing names', async () => {
    const { id, key } = await productWithPhoto('Tas Cadangan', 401);
    const stray = 'ffffffffffffffffffffffff-card.webp';
    await t.ctx.media.put(stray, Buffer.from('not named by any row'));
    const file = join(dir, 'folder.pulih.gz');
    const header = await backupWithMedia(file);
    expect(header.version).toBe(2);
    expect(header.mediaMissing).toEqual([]);

    const database = await emptyDatabase();
    const store = folderMediaStore(join(mkdtempSync(join(dir, 'data-')), 'media'));
    const result = await restoreBackup(database, file, { media: store });
    expect(result.media.missing).toBe(0);
    expect(result.media.files).toBe(header.media?.files);
    for (const name of photoFileNames(key))
      expect(await store.get(name)).toEqual(await t.ctx.media.get(name));
    expect(await store.get(stray)).toBeNull();

    const app = await serveRestored(database, store);
    const product = await app.inject({ url: `/api/v1/catalog/products/${id}` });
    expect(product.statusCode, product.body).toBe(200);
    const large = await app.inject({ url: new URL(product.json().photos[0].largeUrl).pathname });
    expect(large.statusCode).toBe(200);
    expect(large.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(large.rawPayload).toEqual(await t.ctx.media.get(`${key}-large.webp`));
  }, 180_000);

  it('restores the media into an S3 bucket when that is the store configured', async () => {
    const { key } = await productWithPhoto('Tikar Cadangan', 402);
    const file = join(dir, 's3.pulih.gz');
    await backupWithMedia(file);
    const bucket = s3MediaStore(s3.config('pulih-restored'));
    await restoreBackup(await emptyDatabase(), file, { media: bucket });
    for (const name of photoFileNames(key))
      expect(await bucket.get(name)).toEqual(await t.ctx.media.get(name));
  }, 180_000);

  it('records a file the rows name but the store lost, and restores the rest', async () => {
    const { key } = await productWithPhoto('Topi Cadangan', 403);
    await t.ctx.media.remove(`${key}-thumb.webp`);
    const file = join(dir, 'lost.pulih.gz');
    const header = await backupWithMedia(file);
    expect(header.mediaMissing).toEqual([`${key}-thumb.webp`]);
    const store = folderMediaStore(mkdtempSync(join(dir, 'lost-')));
    const result = await restoreBackup(await emptyDatabase(), file, { media: store });
    expect(result.media.missing).toBe(1);
    expect(await store.get(`${key}-large.webp`)).not.toBeNull();
    expect(await store.get(`${key}-thumb.webp`)).toBeNull();
  }, 180_000);
});
