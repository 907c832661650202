import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, businesses, dedupDecisions, people, users } from '../../db/schema.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { mergeUndoDays } from './dedup.service.ts';

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

describe('undoing a merge', () => {
  it('restores the merged person, their businesses, names and logins, audited, once', async () => {
    const survivor = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1004',
      ownerName: 'Eko Prasetyo',
      name: 'Warung Eko',
    });
    const duplicate = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1004',
      ownerName: 'Eko Prasetyo',
      name: 'Warung Eko',
    });
    const login = await createUser(t, 'owner', { personId: duplicate.owner.id });
    const ids = { survivorId: survivor.owner.id, duplicateId: duplicate.owner.id };
    const merged = await post(jekanRaya.cookie, '/dedup/merge', ids);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().businesses[0].renamedFrom).toBe('Warung Eko');

    const elsewhereOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
    expect((await post(elsewhereOfficer.cookie, '/dedup/merge/undo', ids)).statusCode).toBe(404);

    const undone = await post(jekanRaya.cookie, '/dedup/merge/undo', ids);
    expect(undone.statusCode, undone.body).toBe(200);
    const [business] = await t.ctx.db.select().from(businesses).where(eq(businesses.id, duplicate.id));
    expect(business).toMatchObject({ ownerId: duplicate.owner.id, name: 'Warung Eko' });
    const [user] = await t.ctx.db.select().from(users).where(eq(users.id, login.id));
    expect(user?.personId).toBe(duplicate.owner.id);
    const [person] = await t.ctx.db.select().from(people).where(eq(people.id, duplicate.owner.id));
    expect(person?.mergedInto).toBeNull();
    const audited = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'unmerge'));
    expect(audited.map((a) => a.entity).sort()).toEqual(['business', 'dedup_decision', 'person', 'user']);
    expect((await post(jekanRaya.cookie, '/dedup/merge/undo', ids)).statusCode).toBe(404);
    // And it can be merged again.
    expect((await post(officer.cookie, '/dedup/merge', ids)).statusCode).toBe(200);
  });

  it('refuses once the undo period is over', async () => {
    const a = await createBusiness(t, officer.cookie, { regionCode: '62.71.02.1004', ownerName: 'Wati' });
    const b = await createBusiness(t, officer.cookie, { regionCode: '62.71.02.1004', ownerName: 'Wati' });
    const ids = { survivorId: a.owner.id, duplicateId: b.owner.id };
    expect((await post(officer.cookie, '/dedup/merge', ids)).statusCode).toBe(200);
    await t.ctx.db
      .update(dedupDecisions)
      .set({ decidedAt: new Date(Date.now() - (mergeUndoDays + 1) * 86_400_000) })
      .where(eq(dedupDecisions.decision, 'merged'));
    const late = await post(officer.cookie, '/dedup/merge/undo', ids);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details.reason).toBe('undo_period_over');
    const [person] = await t.ctx.db.select().from(people).where(eq(people.id, b.owner.id));
    expect(person?.mergedInto).toBe(a.owner.id);
  });
});
