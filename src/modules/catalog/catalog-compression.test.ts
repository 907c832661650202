import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessBody, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

// The public pages go compressed to a browser that accepts it (a catalogue page of cards is
// tens of kilobytes of HTML), and as they are to one that does not.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const business = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: businessBody({ name: 'Anyaman Kompres' }),
  });
  for (const name of ['Tas Purun Kompres', 'Tikar Purun Kompres', 'Topi Purun Kompres']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { cookie: officer.cookie },
      payload: {
        businessId: business.json().id,
        name,
        price: 35_000,
        description: 'Anyaman purun '.repeat(20),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('compressed public pages', () => {
  it('sends brotli or gzip as accepted, the same page as uncompressed, and says it varies', async () => {
    const plain = await t.app.inject({ url: '/katalog?lang=id' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('Tas Purun Kompres');
    const br = await t.app.inject({
      url: '/katalog?lang=id',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toContain('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    const gzip = await t.app.inject({
      url: '/katalog?lang=id',
      headers: { 'accept-encoding': 'gzip, br;q=0' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(plain.body);
  });
});
