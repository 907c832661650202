import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../policies.ts';
import { createBusiness, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

// /auth/me tells the web app which records the actor reaches (the access layer's scopes), so
// that the screens follow the server instead of comparing role names.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

async function scopeOf(role: Role, options: { regionCode?: string; personId?: string } = {}) {
  const user = await createUser(t, role, options);
  const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: user.cookie } });
  expect(me.statusCode).toBe(200);
  return me.json().scope;
}

describe('/auth/me scope', () => {
  it('holds a kecamatan office to its kecamatan', async () => {
    expect(await scopeOf('kecamatan_officer', { regionCode: '62.71.02' })).toEqual({
      kecamatan: '62.71.02',
      ownBusinesses: false,
      ownOrganisationAid: false,
    });
  });

  it('holds an owner to its own businesses', async () => {
    const officer = await createUser(t, 'program_officer');
    const business = await createBusiness(t, officer.cookie);
    expect(await scopeOf('owner', { personId: business.owner.id })).toEqual({
      kecamatan: null,
      ownBusinesses: true,
      ownOrganisationAid: false,
    });
  });

  it("holds an SOPD to its own organisation's aid", async () => {
    expect(await scopeOf('sopd_officer')).toEqual({
      kecamatan: null,
      ownBusinesses: false,
      ownOrganisationAid: true,
    });
  });

  it('holds admins and program officers to nothing less than the whole registry', async () => {
    const whole = { kecamatan: null, ownBusinesses: false, ownOrganisationAid: false };
    expect(await scopeOf('admin')).toEqual(whole);
    expect(await scopeOf('program_officer')).toEqual(whole);
  });
});
