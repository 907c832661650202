import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../src/testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let programId: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Anyaman Rotan',
      type: 'training',
      capacity: 5,
      selection: 'first_come',
      startDate: '2031-08-24',
      endDate: '2031-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02']] },
    })
  ).id;
});
afterAll(async () => t?.close());

describe('security headers', () => {
  it('are on every kind of response: API, error, public page, static page, not found', async () => {
    const urls = [
      '/api/v1/programs',
      '/api/v1/auth/me',
      '/api/v1/no-such-thing',
      '/katalog',
      `/daftar/${programId}`,
      '/health',
      '/some/page/of/the/app',
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: { cookie: officer.cookie } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain("'unsafe-eval'");
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toMatch(/^(strict-origin-when-cross-origin|no-referrer)$/);
      // Plain HTTP: no HSTS (it would lock a LAN-only office out of its own server).
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('HSTS only when a trusted proxy says the request came over TLS', async () => {
    const behindProxy = await buildServer(t.ctx, { trustProxy: '127.0.0.1' });
    try {
      const trusted = await behindProxy.inject({
        url: '/health',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(trusted.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const stranger = await behindProxy.inject({
        url: '/health',
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(stranger.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await behindProxy.close();
    }
    const noProxy = await t.app.inject({
      url: '/health',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(noProxy.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('forwarded headers', () => {
  // A different NIK each time, so that only the per-address limit can answer 429.
  let n = 0;
  const apply = (app: TestApp['app'], remoteAddress: string, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${programId}/applications`,
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { nik: `62710241088${String(++n).padStart(5, '0')}`, phone: '0812 3456 7890' },
    });

  it('X-Forwarded-For from an untrusted client does not get past the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await apply(t.app, '198.51.100.7', `10.0.0.${i}`)).statusCode);
    expect(statuses).toContain(429);
  });

  it('X-Forwarded-For from a configured proxy counts each client on its own', async () => {
    const behindProxy = await buildServer(t.ctx, { trustProxy: '127.0.0.1' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await apply(behindProxy, '127.0.0.1', `10.1.0.${i}`)).statusCode);
      expect(statuses).not.toContain(429);
    } finally {
      await behindProxy.close();
    }
  });

  it('the catalogue links to the host the request came to, not to a forwarded host', async () => {
    const res = await t.app.inject({
      url: '/katalog',
      headers: {
        host: 'pulih.example.go.id',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('http://pulih.example.go.id/katalog');
    expect(res.body).not.toContain('evil.example');
  });
});

describe('cross-site requests (CSRF)', () => {
  const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } as const;

  it('refuses a state-changing request from another site: JSON, body-less, form and multipart', async () => {
    const attempts = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie, origin: 'https://evil.example' },
        payload: { name: 'x' },
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: officer.cookie, ...crossSite },
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/dedup/runs',
        headers: { cookie: officer.cookie, referer: 'https://evil.example/page' },
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: {
          cookie: officer.cookie,
          origin: 'null',
          'content-type': 'multipart/form-data; boundary=x',
        },
        payload:
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnik\r\n--x--\r\n',
      }),
      t.app.inject({
        method: 'POST',
        url: `/daftar/${programId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...crossSite },
        payload: 'nik=6271024108800001&phone=081234567890',
      }),
    ]);
    for (const [i, res] of attempts.entries()) {
      expect(res.statusCode, `attempt ${i}: ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('cross_site_request');
    }
    // The session survived the cross-site logout.
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: officer.cookie } });
    expect(me.statusCode).toBe(200);
  });

  it('lets the app’s own pages, the no-JavaScript public form and non-browser clients through', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programId}/sessions`,
      headers: { cookie: officer.cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      payload: { day: 1, date: '2031-08-24', startsAt: '08:00', endsAt: '12:00' },
    });
    expect(own.statusCode, own.body).toBe(201);
    const form = await t.app.inject({
      method: 'POST',
      url: `/daftar/${programId}`,
      remoteAddress: '192.0.2.44',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost',
        referer: `http://localhost/daftar/${programId}`,
        'sec-fetch-site': 'same-origin',
      },
      payload: 'nik=6271024108800001&phone=081234567890',
    });
    // The form answers the page again with its own message (no such owner here), not a refusal.
    expect(form.statusCode, form.body).not.toBe(403);
    expect(form.headers['content-type']).toContain('text/html');
    // The form's page has Referrer-Policy: no-referrer, so a browser posts it with Origin: null.
    const noReferrer = await t.app.inject({
      method: 'POST',
      url: `/daftar/${programId}`,
      remoteAddress: '192.0.2.45',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      },
      payload: 'nik=6271024108800001&phone=081234567890',
    });
    expect(noReferrer.statusCode, noReferrer.body).not.toBe(403);
    const script = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programId}/sessions`,
      headers: { cookie: officer.cookie },
      payload: { day: 2, date: '2031-08-25', startsAt: '08:00', endsAt: '12:00' },
    });
    expect(script.statusCode, script.body).toBe(201);
    const reading = await t.app.inject({
      url: '/api/v1/programs',
      headers: { cookie: officer.cookie, ...crossSite },
    });
    expect(reading.statusCode).toBe(200);
  });
});
