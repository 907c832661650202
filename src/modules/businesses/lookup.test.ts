import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataAccess } from '../../db/schema.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// A look-up by NIK or phone finds a person: only the roles that may reveal personal data may
// make one, in the request body (never in a URL, so never in an access log), and each is logged.

let t: TestApp;
let officer: TestUser;
let sopd: TestUser;
let owner: TestUser;
const body = businessBody({ name: 'Kerajinan Purun Lookup', regionCode: '62.71.02.1004' });

const lookup = (cookie: string, q: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/businesses/lookup', headers: { cookie }, payload: { q } });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  sopd = await createUser(t, 'sopd_officer');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: body,
  });
  expect(created.statusCode, created.body).toBe(201);
  owner = await createUser(t, 'owner', { personId: created.json().owner.id });
});
afterAll(async () => t?.close());

describe('look-up by NIK or phone', () => {
  it('refuses a NIK or phone number in the URL of the list and the export, for every role', async () => {
    for (const q of [body.owner.nik, body.owner.phone, '0857-1234-5678']) {
      for (const path of ['/api/v1/businesses', '/api/v1/businesses/export']) {
        for (const user of [officer, sopd]) {
          const res = await t.app.inject({
            url: `${path}?q=${encodeURIComponent(q)}`,
            headers: { cookie: user.cookie },
          });
          expect(res.statusCode, `${path} ${q}`).toBe(400);
          expect(res.json().error.code).toBe('validation_failed');
          expect(res.body).not.toContain('Lookup');
        }
      }
    }
    // A name with a few digits in it is still a name.
    const byName = await t.app.inject({
      url: '/api/v1/businesses?q=purun%20lookup',
      headers: { cookie: sopd.cookie },
    });
    expect(byName.statusCode).toBe(200);
  });

  it('is only for the roles that may reveal personal data', async () => {
    for (const user of [sopd, owner]) {
      const res = await lookup(user.cookie, body.owner.nik);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Lookup');
    }
  });

  it('finds by NIK or phone in the body, and logs each look-up with the identifier masked', async () => {
    const before = await t.ctx.db
      .select()
      .from(personalDataAccess)
      .where(eq(personalDataAccess.subject, 'businesses:lookup'));
    const byNik = await lookup(officer.cookie, body.owner.nik);
    expect(byNik.statusCode, byNik.body).toBe(200);
    expect(byNik.headers['cache-control']).toContain('no-store');
    expect(byNik.json().items.map((b: { name: string }) => b.name)).toEqual(['Kerajinan Purun Lookup']);
    const byPhone = await lookup(officer.cookie, body.owner.phone);
    expect(byPhone.json().items).toHaveLength(1);
    const none = await lookup(officer.cookie, '3171010101010001');
    expect(none.json().items).toEqual([]);
    const logged = await t.ctx.db
      .select()
      .from(personalDataAccess)
      .where(eq(personalDataAccess.subject, 'businesses:lookup'));
    expect(logged.length - before.length).toBe(3);
    expect(logged.every((row) => row.actorId === officer.id && row.kind === 'view')).toBe(true);
    expect(JSON.stringify(logged.map((r) => r.filter))).not.toContain(body.owner.nik);
  });

  it('refuses a body that is not a NIK or phone number', async () => {
    for (const q of ['purun', '', '1234']) {
      const res = await lookup(officer.cookie, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });
});
