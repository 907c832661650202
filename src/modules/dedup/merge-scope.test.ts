import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses, people, users } from '../../db/schema.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// A merge moves businesses and owner logins: only a role that sees both people may make it (a
// kecamatan officer: both have a business in the kecamatan), and the same for "not the same".

let t: TestApp;
let officer: TestUser;
let jekanRaya: TestUser;

const post = (cookie: string, path: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${path}`, headers: { cookie }, payload });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  jekanRaya = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

describe('merge scope', () => {
  it('refuses a kecamatan officer a merge or a dismissal when one person is of another kecamatan', async () => {
    const here = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1004',
      ownerName: 'Rina Lestari',
    });
    const there = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.05.1001',
      ownerName: 'Rina Lestari',
    });
    const ownerLogin = await createUser(t, 'owner', { personId: there.owner.id });
    for (const [survivorId, duplicateId] of [
      [here.owner.id, there.owner.id],
      [there.owner.id, here.owner.id],
    ] as const) {
      const merge = await post(jekanRaya.cookie, '/dedup/merge', { survivorId, duplicateId });
      expect(merge.statusCode, merge.body).toBe(404);
      expect(merge.body).not.toContain('Rina');
    }
    const dismiss = await post(jekanRaya.cookie, '/dedup/dismiss', { a: here.owner.id, b: there.owner.id });
    expect(dismiss.statusCode).toBe(404);
    // Nothing moved: the business, the login and the person are as they were.
    const [business] = await t.ctx.db.select().from(businesses).where(eq(businesses.id, there.id));
    expect(business?.ownerId).toBe(there.owner.id);
    const [login] = await t.ctx.db.select().from(users).where(eq(users.id, ownerLogin.id));
    expect(login?.personId).toBe(there.owner.id);
    const [person] = await t.ctx.db.select().from(people).where(eq(people.id, there.owner.id));
    expect(person?.mergedInto).toBeNull();
  });

  it('lets a kecamatan officer merge two people of the kecamatan, and a program officer any two', async () => {
    const a = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1004',
      ownerName: 'Dedi Kurnia',
    });
    const b = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1004',
      ownerName: 'Dedi Kurnia',
    });
    const local = await post(jekanRaya.cookie, '/dedup/merge', {
      survivorId: a.owner.id,
      duplicateId: b.owner.id,
    });
    expect(local.statusCode, local.body).toBe(200);
    const c = await createBusiness(t, officer.cookie, { regionCode: '62.71.02.1004', ownerName: 'Yanti' });
    const d = await createBusiness(t, officer.cookie, { regionCode: '62.71.05.1001', ownerName: 'Yanti' });
    const wide = await post(officer.cookie, '/dedup/merge', {
      survivorId: c.owner.id,
      duplicateId: d.owner.id,
    });
    expect(wide.statusCode, wide.body).toBe(200);
  });
});
