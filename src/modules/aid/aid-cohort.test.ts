import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programWithGraduates } from '../../testing/graduates.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

let t: TestApp;
let sopd: TestUser;
let otherSopd: TestUser;
let dinas: TestUser;
let kecamatan: TestUser;

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
const api = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Res> =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

let counter = 0;
async function stockLine(cookie: string, overrides: Record<string, unknown> = {}) {
  const res = await api(cookie, 'POST', '/aid/stock', {
    budgetYear: 2021,
    item: `Pisau raut ${++counter}`,
    spec: 'Baja karbon 15 cm',
    unit: 'buah',
    unitValue: 75_000,
    quantity: 3,
    source: 'APBD',
    dpaCode: '2.17.02.1.01.0015',
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; remaining: number; source: string; dpaCode: string };
}

const stockOf = async (id: string) =>
  (await api(sopd.cookie, 'GET', `/aid/stock/${id}`)).json() as { allocated: number; remaining: number };

beforeAll(async () => {
  t = await createTestApp();
  sopd = await createUser(t, 'sopd_officer');
  otherSopd = await createUser(t, 'sopd_officer');
  dinas = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

describe('cohort allocation', () => {
  it('gives one unit to every graduate while stock lasts and says why the others were skipped', async () => {
    const { programId, businessIds } = await programWithGraduates(t, dinas.cookie, 5);
    const stock = await stockLine(sopd.cookie);
    expect(stock).toMatchObject({ source: 'APBD', dpaCode: '2.17.02.1.01.0015' });
    const res = await api(sopd.cookie, 'POST', '/aid/allocations/bulk', { stockId: stock.id, programId });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { allocated: number; skipped: Array<{ businessId: string; reason: string }> };
    expect(body.allocated).toBe(3);
    expect(body.skipped).toEqual(
      businessIds.slice(3).map((businessId) => ({ businessId, reason: 'stock_exhausted' })),
    );
    expect(await stockOf(stock.id)).toMatchObject({ allocated: 3, remaining: 0 });

    const again = await api(sopd.cookie, 'POST', '/aid/allocations/bulk', { stockId: stock.id, programId });
    const second = again.json() as {
      allocated: number;
      skipped: Array<{ businessId: string; reason: string }>;
    };
    expect(second.allocated).toBe(0);
    expect(second.skipped.filter((s) => s.reason === 'already_allocated')).toHaveLength(3);
    expect(second.skipped.filter((s) => s.reason === 'stock_exhausted')).toHaveLength(2);
  });

  it('never exceeds a small stock when two bulk allocations run at once', async () => {
    const a = await programWithGraduates(t, dinas.cookie, 4);
    const b = await programWithGraduates(t, dinas.cookie, 4);
    const stock = await stockLine(sopd.cookie, { quantity: 5 });
    const [ra, rb] = await Promise.all([
      api(sopd.cookie, 'POST', '/aid/allocations/bulk', { stockId: stock.id, programId: a.programId }),
      api(sopd.cookie, 'POST', '/aid/allocations/bulk', { stockId: stock.id, programId: b.programId }),
    ]);
    expect(ra.statusCode, ra.body).toBe(200);
    expect(rb.statusCode, rb.body).toBe(200);
    const total = (ra.json().allocated as number) + (rb.json().allocated as number);
    expect(total).toBe(5);
    const skipped = [...ra.json().skipped, ...rb.json().skipped] as Array<{ reason: string }>;
    expect(skipped).toHaveLength(3);
    expect(skipped.every((s) => s.reason === 'stock_exhausted')).toBe(true);
    expect(await stockOf(stock.id)).toMatchObject({ allocated: 5, remaining: 0 });
    const list = await api(sopd.cookie, 'GET', `/aid/allocations?stockId=${stock.id}&limit=100`);
    expect(list.json().items).toHaveLength(5);
  });

  it('allocates a whole package to each graduate, or none of it', async () => {
    const { programId } = await programWithGraduates(t, dinas.cookie, 3);
    const knife = await stockLine(sopd.cookie, { quantity: 10 });
    const planer = await stockLine(sopd.cookie, {
      item: `Mesin serut ${++counter}`,
      unitValue: 1_250_000,
      quantity: 10,
    });
    const dye = await stockLine(sopd.cookie, {
      item: `Pewarna ${++counter}`,
      unitValue: 40_000,
      quantity: 5,
    });
    const made = await api(sopd.cookie, 'POST', '/aid/packages', {
      name: `Paket alat anyam ${counter}`,
      budgetYear: 2021,
      items: [
        { stockId: knife.id, quantity: 1 },
        { stockId: planer.id, quantity: 1 },
        { stockId: dye.id, quantity: 2 },
      ],
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ value: 75_000 + 1_250_000 + 80_000 });
    expect(made.json().items).toHaveLength(3);
    const res = await api(sopd.cookie, 'POST', '/aid/allocations/bulk', {
      packageId: made.json().id,
      programId,
    });
    expect(res.statusCode, res.body).toBe(200);
    // five dyes cover two packages of two: the third graduate waits
    expect(res.json()).toMatchObject({ allocated: 2 });
    expect(res.json().skipped).toMatchObject([{ reason: 'stock_exhausted' }]);
    expect(await stockOf(knife.id)).toMatchObject({ allocated: 2 });
    expect(await stockOf(planer.id)).toMatchObject({ allocated: 2 });
    expect(await stockOf(dye.id)).toMatchObject({ allocated: 4, remaining: 1 });
  });

  it('keeps an SOPD to its own stock and packages, and a kecamatan officer out', async () => {
    const { programId } = await programWithGraduates(t, dinas.cookie, 1);
    const stock = await stockLine(sopd.cookie);
    const foreign = await api(otherSopd.cookie, 'POST', '/aid/allocations/bulk', {
      stockId: stock.id,
      programId,
    });
    expect(foreign.statusCode).toBe(404);
    const kec = await api(kecamatan.cookie, 'POST', '/aid/allocations/bulk', {
      stockId: stock.id,
      programId,
    });
    expect(kec.statusCode).toBe(403);
    const pkg = await api(sopd.cookie, 'POST', '/aid/packages', {
      name: `Paket ${++counter}`,
      budgetYear: 2021,
      items: [{ stockId: stock.id, quantity: 1 }],
    });
    expect(pkg.statusCode, pkg.body).toBe(201);
    expect((await api(otherSopd.cookie, 'GET', `/aid/packages/${pkg.json().id}`)).statusCode).toBe(404);
    const borrowed = await api(otherSopd.cookie, 'POST', '/aid/packages', {
      name: `Paket ${++counter}`,
      budgetYear: 2021,
      items: [{ stockId: stock.id, quantity: 1 }],
    });
    expect(borrowed.statusCode).toBe(404);
  });

  it('totals stock per SOPD and budget year', async () => {
    const owner = await createUser(t, 'sopd_officer');
    await stockLine(owner.cookie, { budgetYear: 2022, quantity: 4, unitValue: 100_000 });
    await stockLine(owner.cookie, { budgetYear: 2022, quantity: 2, unitValue: 50_000, source: 'DAK' });
    await stockLine(owner.cookie, { budgetYear: 2023, quantity: 1, unitValue: 10_000 });
    const res = await api(owner.cookie, 'GET', '/aid/stock/totals?budgetYear=2022');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        budgetYear: 2022,
        lines: 2,
        quantity: 6,
        allocated: 0,
        remaining: 6,
        value: 500_000,
      }),
    ]);
    const all = await api(dinas.cookie, 'GET', `/aid/stock/totals?organisationId=${owner.organisationId}`);
    expect(all.json().items.map((r: { budgetYear: number }) => r.budgetYear)).toEqual([2023, 2022]);
  });
});
