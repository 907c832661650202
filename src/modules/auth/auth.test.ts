import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { ensureAdmin } from '../users/users.service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('platform', () => {
  it('answers health and serves the OpenAPI document', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/businesses',
      '/programs/{id}/applications',
      '/applications/{id}/withdraw',
      '/reports/summary',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('answers unknown API paths with a stable code', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });
});

describe('auth', () => {
  it('creates the admin once, with the given password', async () => {
    const first = await ensureAdmin(t.ctx.db, 'admin-password-1');
    expect(first.password).toBe('admin-password-1');
    const second = await ensureAdmin(t.ctx.db, 'something-else');
    expect(second.password).toBeNull();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'admin-password-1' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().role).toBe('admin');
  });

  it('logs in by cookie, answers me, and logs out', async () => {
    const user = await createUser(t, 'program_officer');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: user.cookie } });
    expect(me.json()).toMatchObject({ username: user.username, role: 'program_officer' });
    expect(me.json().capabilities).toContain('writePrograms');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: user.cookie } });
    expect(
      (await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: user.cookie } })).statusCode,
    ).toBe(401);
  });

  it('refuses a wrong password and a bad body with stable codes', async () => {
    const user = await createUser(t, 'sopd_officer');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('accepts an API token as Bearer', async () => {
    const { createApiToken } = await import('./auth.service.ts');
    const user = await createUser(t, 'program_officer');
    const token = await createApiToken(t.ctx.db, user.id, 'test');
    const res = await t.app.inject({
      url: '/api/v1/programs',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const bad = await t.app.inject({ url: '/api/v1/programs', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
  });
});
