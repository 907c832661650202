import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

// A planned allocation gets a handover appointment (date and place): the allocation list shows
// it, and the recipient is told in the same transaction (an outbox row handover_scheduled), once
// per date and place.

let t: TestApp;
let sopd: TestUser;
let counter = 0;

beforeAll(async () => {
  t = await createTestApp();
  sopd = await createUser(t, 'sopd_officer');
}, 120_000);
afterAll(async () => t?.close());

async function api(cookie: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
}

async function plannedAllocation() {
  const [business] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
  const stock = await api(sopd.cookie, 'POST', '/aid/stock', {
    budgetYear: 2021,
    item: `Etalase ${++counter}`,
    unit: 'buah',
    unitValue: 500_000,
    quantity: 3,
  });
  expect(stock.statusCode, stock.body).toBe(201);
  const allocation = await api(sopd.cookie, 'POST', '/aid/allocations', {
    stockId: stock.json().id,
    businessId: business!.id,
    quantity: 1,
  });
  expect(allocation.statusCode, allocation.body).toBe(201);
  return { id: allocation.json().id as string, businessId: business!.id, item: `Etalase ${counter}` };
}

const outbox = (businessId: string) =>
  queryRows<{ template: string; event_key: string }>(
    t.ctx.db,
    sql`select template, event_key from notification_outbox where business_id = ${businessId} order by created_at`,
  );

describe('scheduling a handover', () => {
  it('shows the date and place on the allocation and queues handover_scheduled once per appointment', async () => {
    const { id, businessId } = await plannedAllocation();
    const body = { at: '2021-09-06', place: 'Aula Kecamatan Pahandut' };
    const res = await api(sopd.cookie, 'POST', `/aid/allocations/${id}/schedule`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().schedule).toEqual(body);
    const listed = await api(sopd.cookie, 'GET', `/aid/allocations?businessId=${businessId}`);
    expect(listed.json().items[0].schedule).toEqual(body);
    expect(await outbox(businessId)).toMatchObject([{ template: 'handover_scheduled' }]);
    // The same appointment again: no second message. A moved one: a new message.
    await api(sopd.cookie, 'POST', `/aid/allocations/${id}/schedule`, body);
    expect(await outbox(businessId)).toHaveLength(1);
    const moved = await api(sopd.cookie, 'POST', `/aid/allocations/${id}/schedule`, {
      ...body,
      at: '2021-09-08',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await outbox(businessId)).map((r) => r.template)).toEqual([
      'handover_scheduled',
      'handover_scheduled',
    ]);
  });

  it('refuses a cancelled allocation and writes nothing to the outbox', async () => {
    const { id, businessId } = await plannedAllocation();
    expect((await api(sopd.cookie, 'POST', `/aid/allocations/${id}/cancel`)).statusCode).toBe(200);
    const res = await api(sopd.cookie, 'POST', `/aid/allocations/${id}/schedule`, {
      at: '2021-09-06',
      place: 'Balai Kelurahan',
    });
    expect(res.json().error.code).toBe('allocation_cancelled');
    expect(await outbox(businessId)).toEqual([]);
  });

  it('does not let another SOPD schedule it', async () => {
    const { id } = await plannedAllocation();
    const other = await createUser(t, 'sopd_officer');
    const res = await api(other.cookie, 'POST', `/aid/allocations/${id}/schedule`, {
      at: '2021-09-06',
      place: 'Balai Kelurahan',
    });
    expect(res.statusCode).toBe(404);
  });
});
