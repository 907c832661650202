import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { programWithGraduates } from '../../testing/graduates.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { cohortWindows } from './sales.service.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let sopd: TestUser;

const as = (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: user.cookie },
    ...(payload ? { payload } : {}),
  });

async function sell(user: TestUser, businessId: string, date: string, amount: number, extra: object = {}) {
  const res = await as(user, 'POST', `/businesses/${businessId}/sales`, {
    date,
    amount,
    channel: 'langsung',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function one(regionCode = '62.71.02.1004'): Promise<BulkBusiness> {
  const [b] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [regionCode] });
  if (!b) throw new Error('no business');
  return b;
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
});
afterAll(async () => t?.close());

describe('recording a sale', () => {
  it('is for the owner’s own business only; another’s does not exist for them', async () => {
    const mine = await one();
    const theirs = await one();
    const owner = await createUser(t, 'owner', { personId: mine.personId });
    const sale = await sell(owner, mine.id, '2026-11-02', 175000, { note: 'Tas rotan ke tamu dari Sampit' });
    expect(sale).toMatchObject({ businessId: mine.id, amount: 175000, source: 'entry', eventId: null });
    const refused = await as(owner, 'POST', `/businesses/${theirs.id}/sales`, {
      date: '2026-11-02',
      amount: 1000,
      channel: 'pasar',
    });
    expect(refused.statusCode).toBe(404);
    expect((await as(owner, 'GET', `/businesses/${theirs.id}/sales`)).statusCode).toBe(404);
    const listed = await as(owner, 'GET', `/businesses/${mine.id}/sales`);
    expect(listed.json().items).toHaveLength(1);
  });

  it('by a kecamatan office within its kecamatan only, never by an SOPD', async () => {
    const inside = await one('62.71.02.1004');
    const outside = await one('62.71.05.1001');
    await sell(kecamatan, inside.id, '2026-11-03', 50000);
    const out = await as(kecamatan, 'POST', `/businesses/${outside.id}/sales`, {
      date: '2026-11-03',
      amount: 50000,
      channel: 'pasar',
    });
    expect(out.statusCode).toBe(404);
    const sopdTry = await as(sopd, 'POST', `/businesses/${inside.id}/sales`, {
      date: '2026-11-03',
      amount: 50000,
      channel: 'pasar',
    });
    expect(sopdTry.statusCode).toBe(403);
  });

  it('refuses zero, a fraction, an unknown channel, and an event the business is not part of', async () => {
    const b = await one();
    for (const body of [
      { date: '2026-11-01', amount: 0, channel: 'langsung' },
      { date: '2026-11-01', amount: 10.5, channel: 'langsung' },
      { date: '2026-11-01', amount: 1000, channel: 'barter' },
      { date: '2026-13-01', amount: 1000, channel: 'langsung' },
    ]) {
      expect((await as(officer, 'POST', `/businesses/${b.id}/sales`, body)).statusCode).toBe(400);
    }
    const event = await as(officer, 'POST', '/events', {
      name: 'Bazar Ramadan',
      kind: 'bazaar',
      startDate: '2026-03-01',
      endDate: '2026-03-02',
      venue: 'Jalan Yos Sudarso',
    });
    const notIn = await as(officer, 'POST', `/businesses/${b.id}/sales`, {
      date: '2026-03-01',
      amount: 1000,
      channel: 'acara',
      eventId: event.json().id,
    });
    expect(notIn.statusCode).toBe(422);
    expect(notIn.json().error.code).toBe('not_participating');
  });
});

describe('sales totals', () => {
  it('per business: sum, by channel and by month, within a period', async () => {
    const b = await one();
    await sell(officer, b.id, '2026-09-10', 100000);
    await sell(officer, b.id, '2026-09-20', 50000, { channel: 'media_sosial' });
    await sell(officer, b.id, '2026-10-05', 25000);
    const all = await as(officer, 'GET', `/businesses/${b.id}/sales/summary`);
    expect(all.json()).toMatchObject({
      total: 175000,
      count: 3,
      byMonth: [
        { month: '2026-09', total: 150000, count: 2 },
        { month: '2026-10', total: 25000, count: 1 },
      ],
    });
    expect(all.json().byChannel).toEqual(
      expect.arrayContaining([
        { channel: 'langsung', total: 125000, count: 2 },
        { channel: 'media_sosial', total: 50000, count: 1 },
      ]),
    );
    const september = await as(
      officer,
      'GET',
      `/businesses/${b.id}/sales/summary?from=2026-09-01&to=2026-09-30`,
    );
    expect(september.json()).toMatchObject({ total: 150000, count: 2 });
    const page = await as(officer, 'GET', `/businesses/${b.id}/sales?limit=2`);
    expect(page.json().items.map((s: { date: string }) => s.date)).toEqual(['2026-10-05', '2026-09-20']);
    const next = await as(
      officer,
      'GET',
      `/businesses/${b.id}/sales?limit=2&cursor=${page.json().nextCursor}`,
    );
    expect(next.json().items.map((s: { date: string }) => s.date)).toEqual(['2026-09-10']);
  });

  it('per business across the registry, held to the kecamatan office’s own', async () => {
    const inside = await one('62.71.02.1004');
    const outside = await one('62.71.05.1001');
    await sell(officer, inside.id, '2025-01-15', 300000);
    await sell(officer, outside.id, '2025-01-16', 900000);
    const all = await as(officer, 'GET', '/sales/by-business?from=2025-01-01&to=2025-01-31');
    expect(all.json()).toMatchObject({ total: 1200000, count: 2, businesses: 2 });
    expect(all.json().items.map((i: { businessId: string }) => i.businessId)).toEqual([
      outside.id,
      inside.id,
    ]);
    const own = await as(kecamatan, 'GET', '/sales/by-business?from=2025-01-01&to=2025-01-31');
    expect(own.json()).toMatchObject({ total: 300000, businesses: 1 });
    expect((await as(kecamatan, 'GET', '/sales/by-business?kecamatan=62.71.05')).statusCode).toBe(403);
  });

  it('per program cohort, before the program’s start against after its end', async () => {
    expect(cohortWindows('2020-08-24', '2020-08-28', 6)).toEqual({
      before: { from: '2020-02-24', to: '2020-08-23' },
      after: { from: '2020-08-29', to: '2021-02-28' },
    });
    const { programId, businessIds } = await programWithGraduates(t, officer.cookie, 3, [
      '62.71.02.1004',
      '62.71.02.1004',
      '62.71.05.1001',
    ]);
    const [a, b, c] = businessIds as [string, string, string];
    const notGraduate = await one();
    await sell(officer, a, '2020-07-01', 100000); // before
    await sell(officer, a, '2020-08-25', 999999); // during the training: in neither period
    await sell(officer, a, '2020-10-01', 400000); // after
    await sell(officer, b, '2020-12-31', 250000); // after
    await sell(officer, c, '2020-09-15', 700000); // after, other kecamatan
    await sell(officer, a, '2019-01-01', 5000); // before the window
    await sell(officer, notGraduate.id, '2020-10-01', 123456);
    const res = await as(officer, 'GET', `/programs/${programId}/sales?months=6`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      graduates: 3,
      withSalesBefore: 1,
      withSalesAfter: 3,
      totalBefore: 100000,
      totalAfter: 1350000,
    });
    const scoped = await as(kecamatan, 'GET', `/programs/${programId}/sales`);
    expect(scoped.json()).toMatchObject({ graduates: 2, totalBefore: 100000, totalAfter: 650000 });
  });

  it('per event: each participant’s sales recorded for it', async () => {
    const [x, y] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004'] });
    const event = (
      await as(officer, 'POST', '/events', {
        name: 'Pameran Kriya Kalteng',
        kind: 'pameran',
        startDate: '2026-06-10',
        endDate: '2026-06-12',
        venue: 'Palangka Raya Expo',
      })
    ).json();
    await as(officer, 'POST', `/events/${event.id}/participants`, { businessId: x?.id, booth: '1' });
    await as(officer, 'POST', `/events/${event.id}/participants`, { businessId: y?.id, booth: '2' });
    await sell(officer, x?.id ?? '', '2026-06-10', 120000, { channel: 'acara', eventId: event.id });
    await sell(officer, x?.id ?? '', '2026-06-11', 80000, { channel: 'acara', eventId: event.id });
    await sell(officer, x?.id ?? '', '2026-06-20', 999000); // not at the event
    const res = await as(kecamatan, 'GET', `/events/${event.id}/sales`);
    expect(res.json()).toMatchObject({
      total: 200000,
      count: 2,
      participants: 2,
      items: [
        { businessId: x?.id, booth: '1', total: 200000, count: 2 },
        { businessId: y?.id, booth: '2', total: 0, count: 0 },
      ],
    });
  });
});
