import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

let t: TestApp;
let address = 0;
// Each test signs in from an address of its own, out of reach of the others' login limits.
const nextAddress = () => `10.8.${Math.floor(++address / 250)}.${address % 250}`;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const post = (url: string, form: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    payload: new URLSearchParams(form).toString(),
    remoteAddress: nextAddress(),
  });

describe('the sign-in form posted before the web app takes it over', () => {
  it('signs in with a session cookie and goes where ?next says', async () => {
    const user = await createUser(t, 'program_officer');
    const res = await post('/login?next=%2Fprograms', {
      username: user.username,
      password: 'correct horse battery',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/programs');
    const cookie = res.cookies.find((c) => c.name === 'pulih_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { pulih_session: cookie?.value ?? '' },
    });
    expect(me.json().username).toBe(user.username);
  });

  it('never redirects off the app, and goes home without ?next', async () => {
    const user = await createUser(t, 'program_officer');
    for (const next of ['//evil.example', 'https://evil.example', '/login?x=1']) {
      const res = await post(`/login?next=${encodeURIComponent(next)}`, {
        username: user.username,
        password: 'correct horse battery',
      });
      expect(res.headers.location).toBe('/');
    }
  });

  it('sends a wrong password back to the form with the error code, no session, next kept', async () => {
    const user = await createUser(t, 'program_officer');
    const res = await post('/login?next=%2Fprograms', { username: user.username, password: 'wrong' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?failed=invalid_credentials&next=%2Fprograms');
    expect(res.cookies.find((c) => c.name === 'pulih_session')).toBeUndefined();
    const empty = await post('/login', {});
    expect(empty.headers.location).toBe('/login?failed=invalid_credentials');
  });
});
