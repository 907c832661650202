import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventParticipants } from '../../db/schema.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let owner: TestUser;
let sellers: BulkBusiness[];

const as = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: user.cookie },
    ...(payload ? { payload } : {}),
  });

async function createEvent(body: object = {}) {
  const res = await as(officer, 'POST', '/events', {
    name: 'Bazar UMKM Hari Jadi Kota',
    kind: 'bazaar',
    startDate: '2026-05-17',
    endDate: '2026-05-19',
    venue: 'Bundaran Besar Palangka Raya',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; publicUrl: string };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sellers = await bulkBusinesses(t.ctx.db, 3, {
    regionCodes: ['62.71.02.1004', '62.71.05.1001'],
    businessName: (i) =>
      ['Anyaman Rotan Bu Siti', 'Tikar Purun Rakumpit', 'Kue Bingka Mama Ani'][i] ?? `Usaha ${i}`,
  });
  owner = await createUser(t, 'owner', { personId: sellers[0]?.personId ?? '' });
  const product = await as(officer, 'POST', '/products', {
    businessId: sellers[0]?.id,
    name: 'Tas Anyaman Rotan Motif Dayak',
    price: 250000,
  });
  expect(product.statusCode, product.body).toBe(201);
});
afterAll(async () => t?.close());

describe('events', () => {
  it('are created by the dinas, read by offices, not by owners', async () => {
    const event = await createEvent({ kind: 'pameran', name: 'Pameran Produk Rotan' });
    expect(event.publicUrl).toMatch(new RegExp(`/acara/${event.id}$`));
    expect((await as(kecamatan, 'GET', `/events/${event.id}`)).statusCode).toBe(200);
    const refused = await as(kecamatan, 'POST', '/events', {
      name: 'Bazar Kecamatan',
      kind: 'bazaar',
      startDate: '2026-05-17',
      endDate: '2026-05-17',
      venue: 'Kantor Camat',
    });
    expect(refused.statusCode).toBe(403);
    expect((await as(owner, 'GET', '/events')).statusCode).toBe(403);
    const list = await as(kecamatan, 'GET', '/events?kind=pameran');
    expect(list.json().items.map((e: { id: string }) => e.id)).toContain(event.id);
  });

  it('lists to an owner the events their business takes part in', async () => {
    const event = await createEvent({ name: 'Bazar Pemilik' });
    await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: sellers[0]?.id,
      booth: 'P1',
    });
    const own = await as(owner, 'GET', `/businesses/${sellers[0]?.id}/events`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().items).toContainEqual(expect.objectContaining({ id: event.id, booth: 'P1' }));
    expect((await as(owner, 'GET', `/businesses/${sellers[1]?.id}/events`)).statusCode).toBe(404);
  });

  it('refuses an end before the start, on create and on change', async () => {
    const bad = await as(officer, 'POST', '/events', {
      name: 'Temu Bisnis',
      kind: 'temu_bisnis',
      startDate: '2026-05-19',
      endDate: '2026-05-17',
      venue: 'Aula Dinas',
    });
    expect(bad.statusCode).toBe(400);
    const event = await createEvent();
    const change = await as(officer, 'PATCH', `/events/${event.id}`, { endDate: '2026-05-01' });
    expect(change.statusCode).toBe(400);
    const ok = await as(officer, 'PATCH', `/events/${event.id}`, { venue: 'Aula Jayang Tingang' });
    expect(ok.json().venue).toBe('Aula Jayang Tingang');
  });

  it('gives a booth number once per event, enforced by the database', async () => {
    const event = await createEvent();
    const [a, b, c] = sellers as [BulkBusiness, BulkBusiness, BulkBusiness];
    const first = await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: a.id,
      booth: ' a 1 ',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().booth).toBe('A 1');
    const same = await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: b.id,
      booth: 'A 1',
    });
    expect(same.statusCode).toBe(409);
    expect(same.json().error.code).toBe('booth_taken');
    const again = await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: a.id,
      booth: 'A 2',
    });
    expect(again.json().error.code).toBe('already_participating');
    // without a booth yet: any number of them
    expect(
      (await as(officer, 'POST', `/events/${event.id}/participants`, { businessId: b.id })).statusCode,
    ).toBe(201);
    expect(
      (await as(officer, 'POST', `/events/${event.id}/participants`, { businessId: c.id })).statusCode,
    ).toBe(201);
    const move = await as(officer, 'PATCH', `/events/${event.id}/participants/${c.id}`, { booth: 'A 1' });
    expect(move.json().error.code).toBe('booth_taken');
    // the constraint itself, past the API
    await expect(
      t.ctx.db
        .insert(eventParticipants)
        .values({ eventId: event.id, businessId: sellers[1]?.id ?? '', booth: 'A 1' }),
    ).rejects.toThrow();
    // another event may use the same booth number
    const other = await createEvent();
    expect(
      (await as(officer, 'POST', `/events/${other.id}/participants`, { businessId: b.id, booth: 'A 1' }))
        .statusCode,
    ).toBe(201);
    const removed = await as(officer, 'DELETE', `/events/${event.id}/participants/${a.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await as(officer, 'GET', `/events/${event.id}`)).json().participants).toHaveLength(2);
  });

  it('has a public page with its participants, booths and products, without JavaScript', async () => {
    const event = await createEvent({ name: 'Bazar Rotan Bukit Batu' });
    await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: sellers[0]?.id,
      booth: 'B-07',
    });
    const res = await t.app.inject({ method: 'GET', url: `/acara/${event.id}` });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('Bazar Rotan Bukit Batu');
    expect(html).toContain('Stan B-07');
    expect(html).toContain('Anyaman Rotan Bu Siti');
    expect(html).toContain('Tas Anyaman Rotan Motif Dayak');
    expect(html).toContain('href="/toko/anyaman-rotan-bu-siti"');
    expect([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])).toEqual([' type="application/ld+json"']);
    expect(html).not.toContain(sellers[0]?.nik ?? 'nik');
    expect(
      (await t.app.inject({ method: 'GET', url: '/acara/00000000-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(404);
  });

  it('prints the booth list and the attendance list on the letterhead', async () => {
    const event = await createEvent({ name: 'Bazar Cetak Daftar' });
    await as(officer, 'POST', `/events/${event.id}/participants`, {
      businessId: sellers[2]?.id,
      booth: 'C3',
    });
    const booths = await as(kecamatan, 'GET', `/events/${event.id}/booths.pdf`);
    expect(booths.statusCode, booths.body.slice(0, 300)).toBe(200);
    expect(booths.headers['content-type']).toBe('application/pdf');
    const boothText = (await pdfPages(booths.rawPayload)).join('\n');
    expect(boothText).toContain('DAFTAR STAN PESERTA');
    expect(boothText).toContain('Kue Bingka Mama Ani');
    const attendance = await as(officer, 'GET', `/events/${event.id}/attendance.pdf?date=2026-05-18`);
    expect(attendance.statusCode).toBe(200);
    const text = (await pdfPages(attendance.rawPayload)).join('\n');
    expect(text).toContain('DAFTAR HADIR PESERTA');
    expect(text).toContain('18 Mei 2026');
    expect(text).toContain('Tanda Tangan');
    const outside = await as(officer, 'GET', `/events/${event.id}/attendance.pdf?date=2026-06-01`);
    expect(outside.statusCode).toBe(400);
  });
});
