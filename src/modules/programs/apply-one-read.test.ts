import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessReachLimit, mayAccess } from '../../access/access.service.ts';
import { userRoles } from '../../domain/enums.ts';
import { applicationEventReads } from '../../lib/domain-events.ts';
import type { Actor, Role } from '../../policies.ts';
import { can } from '../../policies.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createOrganisation,
  createProgramAs,
  createTestApp,
  createUser,
  login,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { readApplicationInputs } from './programs.queries.ts';

// An application is judged on one read (readApplicationInputs) that also checks whether the
// business is within the actor's reach, with the access layer's condition
// (businessReachLimit), and answered from what the deciding statement saved. These tests
// hold the read to the access layer's own check (mayAccess) for every role, and the answer to
// what a later read of the application shows.

let t: TestApp;
let officer: TestUser;
let inBukitBatu: { id: string; personId: string };
let inRakumpit: { id: string; personId: string };

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const [a, b] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004', '62.71.05.1001'] });
  inBukitBatu = a!;
  inRakumpit = b!;
});

afterAll(() => t.close());

const newProgram = (name: string) =>
  createProgramAs(t, officer.cookie, {
    name,
    type: 'training',
    capacity: 30,
    selection: 'first_come',
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
  });

// Every role, and the cases of each scope: a kecamatan office of one kecamatan and one without
// a region, an owner of one business and an owner account without a person.
function actorsOf(role: Role): Actor[] {
  const base = { userId: crypto.randomUUID(), username: role, organisationId: null, personId: null };
  switch (role) {
    case 'kecamatan_officer':
      return [
        { ...base, role, regionCode: '62.71.02' },
        { ...base, role, regionCode: null },
      ];
    case 'owner':
      return [
        { ...base, role, regionCode: null, personId: inBukitBatu.personId },
        { ...base, role, regionCode: null },
      ];
    default:
      return [{ ...base, role, regionCode: null }];
  }
}

describe('the application read', () => {
  it('reaches exactly the businesses the access layer lets each role reach', async () => {
    const { id: programId } = await newProgram('Pelatihan Jangkauan');
    const seen: { role: string; region: string | null; person: string | null; reached: boolean[] }[] = [];
    for (const role of userRoles)
      for (const actor of actorsOf(role)) {
        const reached: boolean[] = [];
        for (const business of [inBukitBatu, inRakumpit]) {
          const inputs = await readApplicationInputs(t.ctx.db, {
            programId,
            businessId: business.id,
            reach: businessReachLimit(actor, 'readBusinesses'),
            prepared: applicationEventReads({ businessId: business.id, programId }),
          });
          const expected = await mayAccess(t.ctx, actor, 'readBusinesses', [business.id]);
          expect({ role, business: business.id, reached: inputs.business?.reached }).toEqual({
            role,
            business: business.id,
            reached: expected,
          });
          reached.push(expected);
        }
        seen.push({ role, region: actor.regionCode, person: actor.personId, reached });
      }
    // The cases discriminate: some actors reach both, one only its own, some neither.
    expect(seen.map((s) => s.reached.join('/'))).toEqual(
      expect.arrayContaining(['true/true', 'true/false', 'false/false']),
    );
    expect(can(actorsOf('owner')[0]!, 'readBusinesses')).toBe(true);
  });

  it('reads an absent business and an absent program as absent', async () => {
    const { id: programId } = await newProgram('Pelatihan Tanpa');
    const [actor] = actorsOf('program_officer');
    const reach = businessReachLimit(actor!, 'readBusinesses');
    // a program officer reaches every business: the read leaves the businesses row out
    expect(reach).toBeNull();
    const missing = crypto.randomUUID();
    const noBusiness = await readApplicationInputs(t.ctx.db, {
      programId,
      businessId: missing,
      reach,
      prepared: applicationEventReads({ businessId: missing, programId }),
    });
    expect(noBusiness.business).toBeNull();
    expect(noBusiness.program?.id).toBe(programId);
    const noProgram = await readApplicationInputs(t.ctx.db, {
      programId: missing,
      businessId: inBukitBatu.id,
      reach,
      prepared: applicationEventReads({ businessId: inBukitBatu.id, programId: missing }),
    });
    expect(noProgram.program).toBeNull();
    expect(noProgram.business?.reached).toBe(true);
  });

  it('lets a kecamatan officer apply in its kecamatan only, over HTTP as in the read', async () => {
    const { id: programId } = await newProgram('Pelatihan Kecamatan');
    const org = await createOrganisation(t.ctx, 'kecamatan', '62.71.02');
    const kecamatan = await createUser(t, 'kecamatan_officer', { organisationId: org.id });
    const apply = (businessId: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${programId}/applications`,
        headers: { cookie: kecamatan.cookie },
        payload: { businessId },
      });
    const other = await apply(inRakumpit.id);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: { code: 'not_found', details: { field: 'businessId' } } });
    const own = await apply(inBukitBatu.id);
    expect(own.statusCode).toBe(201);
  });
});

describe('the answer to an application', () => {
  it('is what a later read of the application shows, for a new and a renewed application', async () => {
    const { id: programId } = await newProgram('Pelatihan Jawaban');
    const [business] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
    const apply = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${programId}/applications`,
        headers: { cookie: officer.cookie },
        payload: { businessId: business!.id },
      });
    const listed = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/programs/${programId}/applications`,
        headers: { cookie: officer.cookie },
      });
      return (res.json() as { items: { id: string }[] }).items;
    };
    const first = await apply();
    expect(first.statusCode).toBe(201);
    expect([first.json()]).toEqual(await listed());

    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${first.json().id}/withdraw`,
      headers: { cookie: officer.cookie },
    });
    expect(withdrawn.statusCode).toBe(200);
    const again = await apply();
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({
      id: first.json().id,
      status: 'enrolled',
      createdAt: first.json().createdAt,
    });
    expect([again.json()]).toEqual(await listed());
  });
});

describe('the session of a request', () => {
  it('ends at once when the user logs out', async () => {
    const user = await createUser(t, 'program_officer');
    const me = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: user.cookie } });
    expect((await me()).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: user.cookie },
    });
    expect(out.statusCode).toBeLessThan(300);
    expect((await me()).statusCode).toBe(401);
  });

  it('ends the other sessions at once when the password changes', async () => {
    const user = await createUser(t, 'program_officer');
    const other = await login(t, user.username, 'correct horse battery');
    const me = (cookie: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect((await me(other)).statusCode).toBe(200);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: user.cookie },
      payload: { currentPassword: 'correct horse battery', newPassword: 'a much longer passphrase 42' },
    });
    expect(changed.statusCode).toBeLessThan(300);
    expect((await me(other)).statusCode).toBe(401);
    expect((await me(user.cookie)).statusCode).toBe(200);
  });
});
