import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { fixtureKecamatan, kecamatanMapFixture } from '../../testing/kecamatan-map-fixture.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof createUser>>;
let officer: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

const upload = (cookie: string, body: object) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/settings/kecamatan-map', headers: { cookie }, payload: body });
const mapOf = async (cookie: string) =>
  (await t.app.inject({ url: '/api/v1/reports/outcomes/map', headers: { cookie } })).json().map;

describe('kecamatan map upload', () => {
  it('takes a FeatureCollection matched by code, and the map data endpoint draws it with figures', async () => {
    await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/settings/kecamatan-map',
      headers: { cookie: admin.cookie },
    });
    expect(await mapOf(officer.cookie)).toBeNull();
    const res = await upload(admin.cookie, {
      geojson: kecamatanMapFixture(),
      property: 'KODE_KEC',
      matchBy: 'code',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().map.kecamatan.map((k: { code: string }) => k.code)).toEqual(
      fixtureKecamatan.map((k) => k.code),
    );
    expect(res.json().map.missing).toEqual([]);
    const map = await mapOf(officer.cookie);
    expect(map.features).toHaveLength(5);
    const bukitBatu = map.features.find((f: { code: string }) => f.code === '62.71.02');
    expect(bukitBatu.name).toBe('Bukit Batu');
    expect(bukitBatu.geometry.type).toBe('MultiPolygon');
    expect(bukitBatu.figures).toEqual({
      participants: 0,
      graduates: 0,
      answered: 0,
      newEntrepreneurs: 0,
      activeAfterFollowUp: 0,
    });
  });

  it('matches by name, with or without "Kecamatan" and in any case', async () => {
    const res = await upload(admin.cookie, {
      geojson: kecamatanMapFixture(),
      property: 'NAMA_KEC',
      matchBy: 'name',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().map).toMatchObject({ property: 'NAMA_KEC', matchBy: 'name', missing: [] });
  });

  it('refuses a geometry that is not a (Multi)Polygon, naming the feature', async () => {
    const geojson = kecamatanMapFixture();
    (geojson.features[3] as { geometry: unknown }).geometry = {
      type: 'LineString',
      coordinates: [
        [113.8, -2.2],
        [113.9, -2.1],
      ],
    };
    const res = await upload(admin.cookie, { geojson, property: 'KODE_KEC', matchBy: 'code' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'kecamatan_map_geometry', details: { feature: 3 } });
    const notACollection = await upload(admin.cookie, {
      geojson: { type: 'Feature' },
      property: 'KODE_KEC',
      matchBy: 'code',
    });
    expect(notACollection.json().error.code).toBe('kecamatan_map_invalid');
    const outOfRange = kecamatanMapFixture();
    (outOfRange.features[0] as { geometry: unknown }).geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [200, 0],
          [201, 0],
          [201, 1],
          [200, 0],
        ],
      ],
    };
    expect(
      (await upload(admin.cookie, { geojson: outOfRange, property: 'KODE_KEC', matchBy: 'code' })).json()
        .error.code,
    ).toBe('kecamatan_map_geometry');
  });

  it('refuses a feature naming no kecamatan of the region, or one named twice', async () => {
    const geojson = kecamatanMapFixture();
    geojson.features[2]!.properties.KODE_KEC = '327301';
    const res = await upload(admin.cookie, { geojson, property: 'KODE_KEC', matchBy: 'code' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'kecamatan_map_unknown_kecamatan',
      details: { feature: 2, value: '327301' },
    });
    const missingProperty = await upload(admin.cookie, {
      geojson: kecamatanMapFixture(),
      property: 'KODE',
      matchBy: 'code',
    });
    expect(missingProperty.json().error).toMatchObject({
      code: 'kecamatan_map_unknown_kecamatan',
      details: { feature: 0 },
    });
    const twice = kecamatanMapFixture();
    twice.features[1]!.properties.KODE_KEC = '627101';
    expect(
      (await upload(admin.cookie, { geojson: twice, property: 'KODE_KEC', matchBy: 'code' })).json().error,
    ).toMatchObject({
      code: 'kecamatan_map_duplicate',
      details: { feature: 1 },
    });
  });

  it('refuses a map over the size limit, in bytes or in points', async () => {
    // Over 4 MB: refused before it is read.
    const big = kecamatanMapFixture();
    (big.features[0]!.properties as Record<string, unknown>).padding = 'x'.repeat(4 * 1024 * 1024);
    const res = await upload(admin.cookie, { geojson: big, property: 'KODE_KEC', matchBy: 'code' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('kecamatan_map_too_large');
    // Under 4 MB but more than 200,000 points.
    const dense = kecamatanMapFixture();
    const ring: number[][] = Array.from({ length: 200_001 }, (_, k) => [113.8 + (k % 100) * 1e-4, -2.2]);
    ring.push(ring[0]!);
    (dense.features[0] as { geometry: unknown }).geometry = { type: 'Polygon', coordinates: [ring] };
    const body = JSON.stringify({ geojson: dense, property: 'KODE_KEC', matchBy: 'code' });
    expect(body.length).toBeLessThan(4 * 1024 * 1024);
    const tooDense = await upload(admin.cookie, JSON.parse(body));
    expect(tooDense.statusCode).toBe(413);
    expect(tooDense.json().error.code).toBe('kecamatan_map_too_large');
  });

  it('is an administrator’s to upload and remove; the old map stays after a refused upload', async () => {
    expect(
      (
        await upload(officer.cookie, {
          geojson: kecamatanMapFixture(),
          property: 'KODE_KEC',
          matchBy: 'code',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await upload(admin.cookie, { geojson: kecamatanMapFixture(), property: 'KODE_KEC', matchBy: 'code' }))
        .statusCode,
    ).toBe(200);
    await upload(admin.cookie, {
      geojson: { type: 'FeatureCollection', features: [] },
      property: 'KODE_KEC',
      matchBy: 'code',
    });
    expect((await mapOf(officer.cookie)).features).toHaveLength(5);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/settings/kecamatan-map',
      headers: { cookie: admin.cookie },
    });
    expect(removed.statusCode).toBe(204);
    expect(await mapOf(officer.cookie)).toBeNull();
  });
});
