import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// POST /programs/{id}/applications/bulk: each business judged as a single application, in the
// order listed, one result each; the seats taken by the database's conditional updates.

type Result = {
  businessId: string;
  status: string;
  applicationId?: string;
  applicationStatus?: string;
  reasons?: { field: string }[];
  error?: string;
};

let t: TestApp;
let officer: TestUser;

const bukitBatu = '62.71.02.1004';
const rakumpit = '62.71.05.1001';
const pahandut = '62.71.01.1001';

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
}, 120_000);
afterAll(async () => t?.close());

const program = (overrides: Record<string, unknown> = {}) =>
  createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Anyaman Rotan Massal',
    type: 'training',
    capacity: 5,
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    ...overrides,
  });

async function bulk(programId: string, businessIds: string[], cookie = officer.cookie) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications/bulk`,
    headers: { cookie },
    payload: { businessIds },
  });
  return res;
}

async function results(programId: string, businessIds: string[], cookie = officer.cookie) {
  const res = await bulk(programId, businessIds, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { results: Result[] }).results;
}

async function seats(programId: string) {
  const [row] = await queryRows<{ enrolled_count: number; enrolled: number }>(
    t.ctx.db,
    sql`select p.enrolled_count,
      (select count(*) from applications a where a.program_id = p.id and a.status = 'enrolled')::int as enrolled
      from programs p where p.id = ${programId}`,
  );
  return { enrolledCount: Number(row!.enrolled_count), enrolled: Number(row!.enrolled) };
}

describe('bulk enrolment', () => {
  it('fills a kecamatan quota mid-batch, then the program; the rest waitlisted, in list order', async () => {
    const p = await program({
      quotas: [
        { kecamatan: '62.71.02', quota: 2 },
        { kecamatan: '62.71.05', quota: 3 },
      ],
    });
    // Alternating Bukit Batu, Rakumpit: 4 of each.
    const made = await bulkBusinesses(t.ctx.db, 8, { regionCodes: [bukitBatu, rakumpit] });
    const ids = made.map((b) => b.id);
    const out = await results(p.id, ids);
    expect(out.map((r) => r.businessId)).toEqual(ids);
    // BB RK BB RK BB RK BB RK: Bukit Batu's quota of 2 is full at the 5th, Rakumpit's 3 at the 6th.
    expect(out.map((r) => r.status)).toEqual([
      'enrolled',
      'enrolled',
      'enrolled',
      'enrolled',
      'waitlisted',
      'enrolled',
      'waitlisted',
      'waitlisted',
    ]);
    expect(out.every((r) => typeof r.applicationId === 'string')).toBe(true);
    expect(await seats(p.id)).toEqual({ enrolledCount: 5, enrolled: 5 });
  });

  it('breaks ties by the order listed: the same businesses listed the other way round win the other seats', async () => {
    const made = await bulkBusinesses(t.ctx.db, 4, { regionCodes: [bukitBatu] });
    const ids = made.map((b) => b.id);
    const a = await program({ capacity: 2 });
    const b = await program({ capacity: 2 });
    const forward = await results(a.id, ids);
    const backward = await results(b.id, [...ids].reverse());
    const enrolledIn = (rs: Result[]) => rs.filter((r) => r.status === 'enrolled').map((r) => r.businessId);
    expect(enrolledIn(forward)).toEqual(ids.slice(0, 2));
    expect(enrolledIn(backward)).toEqual([ids[3], ids[2]]);
  });

  it('answers a full program with the waitlist and an ineligible business with its failed clauses', async () => {
    const p = await program({ capacity: 1 });
    const [inside, second] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: [bukitBatu] });
    const [outside] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [pahandut] });
    const out = await results(p.id, [inside!.id, outside!.id, second!.id]);
    expect(out.map((r) => r.status)).toEqual(['enrolled', 'ineligible', 'waitlisted']);
    expect(out[1]!.reasons?.map((r) => r.field)).toEqual(['kecamatan']);
    expect(out[1]!.applicationId).toBeTypeOf('string');
  });

  it('reports a business listed twice once, and an earlier application with its status', async () => {
    const p = await program();
    const [earlier, twice] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: [rakumpit] });
    const single = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.id}/applications`,
      headers: { cookie: officer.cookie },
      payload: { businessId: earlier!.id },
    });
    expect(single.statusCode).toBe(201);
    const out = await results(p.id, [twice!.id, earlier!.id, twice!.id]);
    expect(out[0]).toMatchObject({ businessId: twice!.id, status: 'enrolled' });
    expect(out[1]).toMatchObject({
      status: 'already_applied',
      applicationId: single.json().id,
      applicationStatus: 'enrolled',
    });
    expect(out[2]).toMatchObject({
      status: 'enrolled',
      applicationId: out[0]!.applicationId,
      error: 'duplicate_in_request',
    });
    expect(await seats(p.id)).toEqual({ enrolledCount: 2, enrolled: 2 });
  });

  it('invites to a priority program: pending applications for the selection run', async () => {
    const p = await program({ selection: 'priority', capacity: 1 });
    const made = await bulkBusinesses(t.ctx.db, 3, { regionCodes: [bukitBatu] });
    const out = await results(
      p.id,
      made.map((b) => b.id),
    );
    expect(out.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await seats(p.id)).toEqual({ enrolledCount: 0, enrolled: 0 });
  });

  it('gives a kecamatan officer not_found for businesses of another kecamatan and for absent ones alike', async () => {
    const p = await program();
    const kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const [own] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [bukitBatu] });
    const [other] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: [rakumpit] });
    const absent = '00000000-0000-4000-8000-000000000001';
    const out = await results(p.id, [own!.id, other!.id, absent], kecamatanOfficer.cookie);
    expect(out[0]).toMatchObject({ status: 'enrolled' });
    expect(out[1]).toEqual({ businessId: other!.id, status: 'not_found', error: 'not_found' });
    expect(out[2]).toEqual({ businessId: absent, status: 'not_found', error: 'not_found' });
    const [row] = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from applications where program_id = ${p.id} and business_id = ${other!.id}`,
    );
    expect(Number(row!.n)).toBe(0);
  });

  it('refuses more than 2,000 businesses in one request, and an unknown program', async () => {
    const p = await program();
    const ids = Array.from(
      { length: 2001 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const tooMany = await bulk(p.id, ids);
    expect(tooMany.statusCode).toBe(400);
    const unknown = await bulk('00000000-0000-4000-8000-000000000000', [ids[0]!]);
    expect(unknown.statusCode).toBe(404);
  });

  it('two concurrent bulk requests on one small program never exceed its capacity or quota', async () => {
    const p = await program({ capacity: 4, quotas: [{ kecamatan: '62.71.02', quota: 2 }] });
    const made = await bulkBusinesses(t.ctx.db, 16, { regionCodes: [bukitBatu, rakumpit] });
    const ids = made.map((b) => b.id);
    // Overlapping halves, listed in opposite orders.
    const [one, two] = await Promise.all([
      results(p.id, ids.slice(0, 10)),
      results(p.id, ids.slice(6).reverse()),
    ]);
    const all = [...one, ...two];
    const enrolled = new Set(all.filter((r) => r.status === 'enrolled').map((r) => r.businessId));
    expect(enrolled.size).toBe(4);
    expect(await seats(p.id)).toEqual({ enrolledCount: 4, enrolled: 4 });
    const [quota] = await queryRows<{ taken: number }>(
      t.ctx.db,
      sql`select taken from program_quotas where program_id = ${p.id}`,
    );
    expect(Number(quota!.taken)).toBeLessThanOrEqual(2);
    // Each overlapping business has one application, reported to the loser as already applied.
    const overlap = ids.slice(6, 10);
    for (const id of overlap) {
      const statuses = all.filter((r) => r.businessId === id).map((r) => r.status);
      expect(statuses.filter((s) => s === 'already_applied')).toHaveLength(1);
    }
  });
});
