import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, certificates } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// The dashboard's program cards follow the same scope as its totals: a kecamatan officer sees,
// on each card, only the applications and certificates of businesses in its own kecamatan, and
// no card of a program none of them is in.

type Card = { id: string; enrolled: number; waitlisted: number; completed: number; certificates: number };

let t: TestApp;
let officer: TestUser;
let shared: string;
let elsewhere: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const own = (await bulkBusinesses(t.ctx.db, 3, { regionCodes: ['62.71.02.1004'] })).map((b) => b.id);
  const other = (await bulkBusinesses(t.ctx.db, 4, { regionCodes: ['62.71.05.1001'] })).map((b) => b.id);
  const program = async (name: string, ids: string[]) => {
    const p = await createProgramAs(t, officer.cookie, {
      name,
      type: 'training',
      capacity: 5,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.id}/applications/bulk`,
      headers: { cookie: officer.cookie },
      payload: { businessIds: ids },
    });
    expect(res.statusCode, res.body).toBe(200);
    return p.id;
  };
  // Five seats, seven applicants: the last two (both from the other kecamatan) wait.
  shared = await program('Program Bersama', [...own, ...other]);
  elsewhere = await program('Program Kecamatan Lain', other);
  // One business of each kecamatan completes and holds a certificate.
  for (const id of [own[0]!, other[0]!]) {
    const [a] = await t.ctx.db
      .update(applications)
      .set({ status: 'completed' })
      .where(sql`program_id = ${shared} and business_id = ${id}`)
      .returning({ id: applications.id });
    await t.ctx.db.insert(certificates).values({ applicationId: a!.id, code: `SCOPE-${a!.id.slice(0, 8)}` });
  }
}, 120_000);
afterAll(async () => t?.close());

async function cards(cookie: string) {
  const res = await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { programs: Card[] }).programs;
}

describe('dashboard program cards', () => {
  it('count only the kecamatan officer’s own kecamatan', async () => {
    const kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const own = await cards(kecamatanOfficer.cookie);
    expect(own.map((c) => c.id)).toEqual([shared]);
    expect(own[0]).toMatchObject({ enrolled: 3, waitlisted: 0, completed: 1, certificates: 1 });
  });

  it('count every kecamatan for the dinas', async () => {
    const all = await cards(officer.cookie);
    expect(all.find((c) => c.id === shared)).toMatchObject({
      enrolled: 5,
      waitlisted: 2,
      completed: 2,
      certificates: 2,
    });
    expect(all.find((c) => c.id === elsewhere)).toMatchObject({ enrolled: 4 });
  });
});
