import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../policies.ts';
import {
  createBusiness,
  createOrganisation,
  createTestApp,
  createUser,
  login,
  type TestApp,
} from '../../testing/harness.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
});
afterAll(async () => t?.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

let n = 0;
const uniqueName = (prefix: string) => `${prefix}.${++n}.${Math.random().toString(36).slice(2, 6)}`;

async function newOwnerPerson() {
  const officer = await createUser(t, 'program_officer');
  const business = await createBusiness(t, officer.cookie);
  return business.owner.id;
}

async function loginCookie(username: string, password: string) {
  return login(t, username, password);
}

describe('who may manage users', () => {
  it.each<Role>(['program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'])(
    '%s may not list, create, edit, reset or invite users, nor manage organisations',
    async (role) => {
      const personId = role === 'owner' ? await newOwnerPerson() : undefined;
      const user = await createUser(t, role, personId ? { personId } : {});
      const body = { username: uniqueName('x'), name: 'X', role: 'admin' };
      for (const [method, url, payload] of [
        ['GET', '/users', undefined],
        ['POST', '/users', body],
        ['PATCH', `/users/${admin.id}`, { active: false }],
        ['POST', `/users/${admin.id}/reset-password`, undefined],
        ['POST', `/users/${admin.id}/invite`, undefined],
        ['GET', '/organisations', undefined],
        ['POST', '/organisations', { name: 'Dinas X', kind: 'dinas' }],
      ] as const) {
        const res = await call(user.cookie, method, url, payload);
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
      // but each may change their own password and see their own sessions
      const own = await call(user.cookie, 'POST', '/auth/password', {
        currentPassword: 'correct horse battery',
        newPassword: 'anyaman rotan bukit batu',
      });
      expect(own.statusCode).toBe(200);
      expect((await call(user.cookie, 'GET', '/auth/sessions')).json().items).toHaveLength(1);
    },
  );

  it('lets an administrator create a user of every role with its scope', async () => {
    const sopd = await createOrganisation(t.ctx, 'sopd');
    const dinas = await createOrganisation(t.ctx, 'dinas');
    const personId = await newOwnerPerson();
    const cases = [
      { role: 'admin' },
      { role: 'program_officer', organisationId: dinas.id },
      { role: 'kecamatan_officer', kecamatan: '62.71.05' },
      { role: 'sopd_officer', organisationId: sopd.id, nip: '1979 1105 2005 01 1003', position: 'Kabid' },
      { role: 'owner', personId },
    ];
    for (const extra of cases) {
      const username = uniqueName(extra.role.slice(0, 5));
      const res = await call(admin.cookie, 'POST', '/users', {
        username,
        name: `Nama ${username}`,
        ...extra,
      });
      expect(res.statusCode, `${extra.role}: ${res.body}`).toBe(201);
      const user = res.json();
      expect(user).toMatchObject({ username, role: extra.role, active: true, mustChangePassword: true });
      expect(user.temporaryPassword).toMatch(/.{10,}/);
      if (extra.role === 'kecamatan_officer') {
        expect(user.kecamatan).toBe('62.71.05');
        expect(user.organisation.name).toBe('Kantor Kecamatan Rakumpit');
      }
      if (extra.role === 'sopd_officer') expect(user.nip).toBe('197911052005011003');
      if (extra.role === 'owner') expect(user.personId).toBe(personId);
      const cookie = await loginCookie(username, user.temporaryPassword);
      const me = (await call(cookie, 'GET', '/auth/me')).json();
      expect(me.mustChangePassword).toBe(true);
      if (extra.role === 'kecamatan_officer') expect(me.organisation.regionCode).toBe('62.71.05');
    }
    const list = (await call(admin.cookie, 'GET', '/users?role=sopd_officer&limit=200')).json();
    expect(list.items.every((u: { role: string }) => u.role === 'sopd_officer')).toBe(true);
  });

  it('refuses a user without the scope its role needs, a taken username and a weak password', async () => {
    const dinas = await createOrganisation(t.ctx, 'dinas');
    const cases: [object, number, string][] = [
      [{ role: 'kecamatan_officer' }, 422, 'invalid_scope'],
      [{ role: 'kecamatan_officer', kecamatan: '62.71.99' }, 422, 'invalid_region'],
      [{ role: 'sopd_officer', organisationId: dinas.id }, 422, 'invalid_scope'],
      [{ role: 'sopd_officer' }, 422, 'invalid_scope'],
      [{ role: 'owner' }, 422, 'invalid_scope'],
      [{ role: 'program_officer', password: 'aaaaaaaaaaaa' }, 422, 'password_too_weak'],
      [{ role: 'program_officer', password: 'short' }, 400, 'validation_failed'],
      [{ role: 'program_officer', username: 'Bad Name!' }, 400, 'validation_failed'],
      [{ role: 'superuser' }, 400, 'validation_failed'],
    ];
    for (const [extra, status, code] of cases) {
      const res = await call(admin.cookie, 'POST', '/users', {
        username: uniqueName('bad'),
        name: 'X',
        ...extra,
      });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const taken = await call(admin.cookie, 'POST', '/users', {
      username: admin.username,
      name: 'X',
      role: 'admin',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('username_taken');
  });

  it('accepts a kecamatan of any kab/kota, e.g. Kota Bandung', async () => {
    const res = await call(admin.cookie, 'POST', '/users', {
      username: uniqueName('kec.bdg'),
      name: 'Petugas Kecamatan Coblong',
      role: 'kecamatan_officer',
      kecamatan: '32.73.16',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().organisation.name).toMatch(/^Kantor Kecamatan /);
  });
});

describe('one-time passwords', () => {
  it('opens nothing but the password change until the user chooses their own', async () => {
    const username = uniqueName('po');
    const created = (
      await call(admin.cookie, 'POST', '/users', { username, name: 'Petugas', role: 'program_officer' })
    ).json();
    const cookie = await loginCookie(username, created.temporaryPassword);
    const blocked = await call(cookie, 'GET', '/programs');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const same = await call(cookie, 'POST', '/auth/password', {
      currentPassword: created.temporaryPassword,
      newPassword: `${username}-2026`,
    });
    expect(same.json().error.code).toBe('password_too_weak');
    const wrong = await call(cookie, 'POST', '/auth/password', {
      currentPassword: 'not the password',
      newPassword: 'anyaman rotan bukit batu',
    });
    expect(wrong.json().error.code).toBe('wrong_current_password');
    const changed = await call(cookie, 'POST', '/auth/password', {
      currentPassword: created.temporaryPassword,
      newPassword: 'anyaman rotan bukit batu',
    });
    expect(changed.statusCode).toBe(200);
    expect((await call(cookie, 'GET', '/programs')).statusCode).toBe(200);
    expect((await call(cookie, 'GET', '/auth/me')).json().mustChangePassword).toBe(false);
  });

  it('a reset gives a new one-time password and ends every session of the user', async () => {
    const user = await createUser(t, 'sopd_officer');
    const reset = await call(admin.cookie, 'POST', `/users/${user.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await call(user.cookie, 'GET', '/auth/me')).statusCode).toBe(401);
    const cookie = await loginCookie(user.username, reset.json().temporaryPassword);
    expect((await call(cookie, 'GET', '/auth/me')).json().mustChangePassword).toBe(true);
  });
});

describe('disabling', () => {
  it("ends a disabled user's sessions and tokens at once, and re-enabling does not bring them back", async () => {
    const user = await createUser(t, 'program_officer');
    const token = (
      await call(user.cookie, 'POST', '/auth/tokens', { name: 'laporan', expiresInDays: 30 })
    ).json();
    const bearer = { authorization: `Bearer ${token.token}` };
    expect((await t.app.inject({ url: '/api/v1/programs', headers: bearer })).statusCode).toBe(200);

    const off = await call(admin.cookie, 'PATCH', `/users/${user.id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await call(user.cookie, 'GET', '/programs')).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/programs', headers: bearer })).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: 'correct horse battery' },
    });
    expect(again.json().error.code).toBe('invalid_credentials');

    await call(admin.cookie, 'PATCH', `/users/${user.id}`, { active: true });
    expect((await call(user.cookie, 'GET', '/programs')).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/programs', headers: bearer })).statusCode).toBe(401);
    expect(await loginCookie(user.username, 'correct horse battery')).toMatch(/^pulih_session=/);

    const audit = (await call(admin.cookie, 'GET', `/audit?entity=user&entityId=${user.id}`)).json();
    const actions = audit.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['disable', 'enable', 'api_token_created', 'create']));
    expect(JSON.stringify(audit)).not.toContain('scrypt$');
  });

  it('never leaves the platform without an active administrator, even when two disable each other at once', async () => {
    // A database of its own, where these two are the only administrators.
    const own = await createTestApp();
    try {
      const a = await createUser(own, 'admin');
      const b = await createUser(own, 'admin');
      const as = (cookie: string, id: string, payload: object) =>
        own.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: { cookie }, payload });
      const [ab, ba] = await Promise.all([
        as(a.cookie, b.id, { active: false }),
        as(b.cookie, a.id, { role: 'program_officer' }),
      ]);
      const statuses = [ab.statusCode, ba.statusCode].sort();
      // one wins; the other is refused, or finds its own session ended by the first
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const survivor = ab.statusCode === 200 ? a : b;
      const gone = ab.statusCode === 200 ? b : a;
      const admins = (
        await own.app.inject({
          url: '/api/v1/users?role=admin&active=true',
          headers: { cookie: survivor.cookie },
        })
      ).json().items as { id: string }[];
      expect(admins.map((u) => u.id)).toEqual([survivor.id]);
      const last = await as(survivor.cookie, survivor.id, { active: false });
      expect(last.statusCode).toBe(409);
      expect(last.json().error.code).toBe('last_admin');
      expect((await as(survivor.cookie, survivor.id, { role: 'program_officer' })).statusCode).toBe(409);
      expect(gone.id).not.toBe(survivor.id);
    } finally {
      await own.close();
    }
  });
});

describe('own sessions and API tokens', () => {
  it('lists and ends own sessions only', async () => {
    const user = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const second = await loginCookie(user.username, 'correct horse battery');
    const sessions = (await call(user.cookie, 'GET', '/auth/sessions')).json().items;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = sessions.find((s: { current: boolean }) => !s.current);
    expect((await call(admin.cookie, 'DELETE', `/auth/sessions/${other.id}`)).statusCode).toBe(404);
    expect((await call(user.cookie, 'DELETE', `/auth/sessions/${other.id}`)).statusCode).toBe(200);
    expect((await call(second, 'GET', '/auth/me')).statusCode).toBe(401);
    expect((await call(user.cookie, 'GET', '/auth/me')).statusCode).toBe(200);
  });

  it('gives tokens a name and an expiry, revokes them, and a logout with a token revokes it', async () => {
    const user = await createUser(t, 'program_officer');
    const made = await call(user.cookie, 'POST', '/auth/tokens', {
      name: 'integrasi SIPD',
      expiresInDays: 7,
    });
    expect(made.statusCode).toBe(201);
    const { token, id, expiresAt } = made.json();
    const days = (new Date(expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const listed = (await call(user.cookie, 'GET', '/auth/tokens')).json().items;
    expect(listed).toEqual([expect.objectContaining({ id, name: 'integrasi SIPD' })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await call(user.cookie, 'DELETE', `/auth/tokens/${id}`)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      url: '/api/v1/programs',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);

    const second = (await call(user.cookie, 'POST', '/auth/tokens', { name: 'skrip' })).json();
    const bearer = { authorization: `Bearer ${second.token}` };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/programs', headers: bearer })).statusCode).toBe(401);
    expect((await call(user.cookie, 'GET', '/auth/tokens')).json().items).toEqual([]);
  });

  it('refuses a token without a name or with an expiry beyond a year', async () => {
    const user = await createUser(t, 'program_officer');
    for (const body of [{ name: '' }, { name: 'x', expiresInDays: 400 }, { name: 'x', expiresInDays: 0 }]) {
      expect((await call(user.cookie, 'POST', '/auth/tokens', body)).statusCode).toBe(400);
    }
  });
});

describe('invitations', () => {
  it('invites an owner by a WhatsApp link that sets their password once', async () => {
    const personId = await newOwnerPerson();
    const username = uniqueName('pemilik');
    const created = (
      await call(admin.cookie, 'POST', '/users', { username, name: 'Ibu Sari', role: 'owner', personId })
    ).json();
    const invite = await call(admin.cookie, 'POST', `/users/${created.id}/invite`);
    expect(invite.statusCode, invite.body).toBe(200);
    const { link, whatsappUrl } = invite.json();
    expect(link).toMatch(/\/undangan\/[A-Za-z0-9_-]{20,}$/);
    expect(whatsappUrl).toMatch(/^https:\/\/wa\.me\/628\d+\?text=/);
    expect(decodeURIComponent(whatsappUrl)).toContain(link);
    expect(decodeURIComponent(whatsappUrl)).toContain(username);
    const token = link.split('/').at(-1);

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/invite',
      payload: { token, newPassword: username + '12345' },
    });
    expect(weak.json().error.code).toBe('password_too_weak');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/invite',
      payload: { token, newPassword: 'anyaman rotan bukit batu' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().username).toBe(username);
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/invite',
      payload: { token, newPassword: 'another good passphrase' },
    });
    expect(twice.statusCode).toBe(410);
    expect(twice.json().error.code).toBe('invite_invalid');
    // an invitation is not a session
    expect(
      (await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    const cookie = await loginCookie(username, 'anyaman rotan bukit batu');
    expect((await call(cookie, 'GET', '/auth/me')).json()).toMatchObject({
      role: 'owner',
      mustChangePassword: false,
    });
  });
});

describe('organisations', () => {
  it('creates and edits the Dinas, SOPDs and kecamatan offices', async () => {
    const sopd = await call(admin.cookie, 'POST', '/organisations', {
      name: 'Dinas Tenaga Kerja',
      kind: 'sopd',
    });
    expect(sopd.statusCode).toBe(201);
    const kec = await call(admin.cookie, 'POST', '/organisations', {
      name: 'Kantor Kecamatan Jekan Raya',
      kind: 'kecamatan',
      regionCode: '627103',
    });
    expect(kec.statusCode, kec.body).toBe(201);
    expect(kec.json()).toMatchObject({ regionCode: '62.71.03', kind: 'kecamatan' });
    const noRegion = await call(admin.cookie, 'POST', '/organisations', { name: 'Kec', kind: 'kecamatan' });
    expect(noRegion.json().error.code).toBe('invalid_region');
    const renamed = await call(admin.cookie, 'PATCH', `/organisations/${sopd.json().id}`, {
      name: 'Dinas Tenaga Kerja dan Transmigrasi',
    });
    expect(renamed.json().name).toBe('Dinas Tenaga Kerja dan Transmigrasi');
    await call(admin.cookie, 'POST', '/users', {
      username: uniqueName('sopd'),
      name: 'Petugas',
      role: 'sopd_officer',
      organisationId: sopd.json().id,
    });
    const list = (await call(admin.cookie, 'GET', '/organisations')).json().items;
    expect(list.find((o: { id: string }) => o.id === sopd.json().id).users).toBe(1);
    expect(list.find((o: { id: string }) => o.id === kec.json().id).regionName).toMatch(/Jekan Raya/);
  });
});
