import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, businesses, people } from '../../db/schema.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// Registering a business with the NIK of a person of another kecamatan must not hand that person
// to the officer: nothing of them in the answer, no link made, the attempt audited, and the link
// left for an officer who sees both.

let t: TestApp;
let officer: TestUser;
let jekanRaya: TestUser;

const post = (cookie: string, url: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload ? { payload } : {}),
  });

// A person registered in Rakumpit by the dinas, and the same NIK sent by the Jekan Raya officer.
async function personElsewhere(name: string) {
  const theirs = businessBody({ regionCode: '62.71.05.1001', ownerName: name, name: `Usaha ${name}` });
  theirs.owner = { ...theirs.owner, address: 'Jl. Rahasia No. 7' } as typeof theirs.owner;
  const created = await post(officer.cookie, '/businesses', theirs);
  expect(created.statusCode, created.body).toBe(201);
  const ours = businessBody({ regionCode: '62.71.02.1004', ownerName: 'Nama Lain', name: `Warung ${name}` });
  ours.owner = { ...ours.owner, nik: theirs.owner.nik, phone: '081299990000' };
  return { personId: created.json().owner.id as string, theirs, ours };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  jekanRaya = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

describe('identity by NIK across kecamatan', () => {
  it('answers nothing of the other person, attaches nothing, and audits the attempt', async () => {
    const { personId, theirs, ours } = await personElsewhere('Hendra Saputra');
    const res = await post(jekanRaya.cookie, '/businesses', ours);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('identity_review');
    for (const secret of ['Hendra', 'Rahasia', theirs.owner.birthDate, theirs.owner.phone, personId]) {
      expect(res.body).not.toContain(secret);
    }
    const made = await t.ctx.db.select().from(businesses).where(eq(businesses.name, ours.name));
    expect(made).toEqual([]);
    const [person] = await t.ctx.db.select().from(people).where(eq(people.id, personId));
    expect(person?.name).toBe('Hendra Saputra');
    expect(person?.phone).not.toBe('+6281299990000');
    const audited = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity_review'), eq(auditLog.entityId, personId)));
    expect(audited).toHaveLength(1);
    expect(audited[0]?.actorId).toBe(jekanRaya.id);
  });

  it('leaves the link to an officer who sees both, who links it once or dismisses it', async () => {
    const { personId, ours } = await personElsewhere('Sri Wahyuni');
    const refused = await post(jekanRaya.cookie, '/businesses', ours);
    const reviewId = refused.json().error.details.reviewId as string;
    expect(
      (await t.app.inject({ url: '/api/v1/identity-reviews', headers: { cookie: jekanRaya.cookie } }))
        .statusCode,
    ).toBe(403);
    expect((await post(jekanRaya.cookie, `/identity-reviews/${reviewId}/link`)).statusCode).toBe(403);
    const list = await t.app.inject({ url: '/api/v1/identity-reviews', headers: { cookie: officer.cookie } });
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().items.find((r: { id: string }) => r.id === reviewId);
    expect(item).toMatchObject({ businessName: ours.name, kecamatan: '62.71.02', person: { id: personId } });
    expect(item.person.nik).not.toBe(ours.owner.nik);

    const linked = await post(officer.cookie, `/identity-reviews/${reviewId}/link`);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ name: ours.name, kecamatan: '62.71.02', owner: { id: personId } });
    expect((await post(officer.cookie, `/identity-reviews/${reviewId}/link`)).statusCode).toBe(409);
    // The person's own record is not rewritten by the request.
    const [person] = await t.ctx.db.select().from(people).where(eq(people.id, personId));
    expect(person?.name).toBe('Sri Wahyuni');

    const other = await personElsewhere('Agus Salim');
    const second = await post(jekanRaya.cookie, '/businesses', other.ours);
    const secondId = second.json().error.details.reviewId as string;
    expect((await post(officer.cookie, `/identity-reviews/${secondId}/dismiss`)).statusCode).toBe(204);
    expect((await post(officer.cookie, `/identity-reviews/${secondId}/dismiss`)).statusCode).toBe(409);
    expect((await post(officer.cookie, `/identity-reviews/${crypto.randomUUID()}/dismiss`)).statusCode).toBe(
      404,
    );
    const after = await t.app.inject({
      url: '/api/v1/identity-reviews',
      headers: { cookie: officer.cookie },
    });
    expect(after.json().items.map((r: { id: string }) => r.id)).not.toContain(secondId);
  });

  it('still attaches a NIK of a person the officer sees', async () => {
    const first = businessBody({ regionCode: '62.71.02.1004', ownerName: 'Lina Marlina' });
    expect((await post(jekanRaya.cookie, '/businesses', first)).statusCode).toBe(201);
    const again = businessBody({ regionCode: '62.71.02.1004', name: 'Usaha Kedua Lina' });
    again.owner = { ...again.owner, nik: first.owner.nik };
    const res = await post(jekanRaya.cookie, '/businesses', again);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().owner.name).toBe('Lina Marlina');
  });
});
