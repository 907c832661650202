import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/lib/http.ts';
import {
  createBusiness,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../src/testing/harness.ts';

// Bad input of every kind answers a 4xx with a stable code and none of the server's own
// text, on the public pages as much as on the API.

let t: TestApp;
let admin: TestUser;
let officer: TestUser;
let programId: string;
let businessId: string;

const programBody = {
  name: 'Pelatihan Anyaman Rotan',
  type: 'training',
  capacity: 5,
  selection: 'first_come',
  startDate: '2031-08-24',
  endDate: '2031-08-28',
  venue: 'Aula Kecamatan Bukit Batu',
  eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02']] },
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
  officer = await createUser(t, 'program_officer');
  programId = (await createProgramAs(t, officer.cookie, programBody)).id;
  businessId = (await createBusiness(t, officer.cookie)).id;
});
afterAll(async () => t?.close());

// Text that would only come from a stack, a driver or the framework.
const internal =
  /invalid input syntax|syntax error|violates|constraint|column|relation|TypeError|Cannot read|undefined is not|at .*\.ts:\d+|FST_|postgres|pglite|drizzle|\\u0000/i;

// A well-formed lie (a cursor of the right shape) may also answer an empty page; never a 5xx.
function expectNo5xx(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode < 400) expect(res.statusCode, what).toBe(200);
  else expectClean4xx(res, what);
}

function expectClean4xx(res: { statusCode: number; body: string }, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
  if (res.body.startsWith('{')) {
    const body = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
    expect(body.error?.code, what).toMatch(/^[a-z_]+$/);
    expect(body.error?.message ?? '', what).not.toMatch(internal);
  }
}

// Cursors shaped right (an array of the right length) but holding values of the wrong kind.
const tamperedCursors = [
  encodeCursor(['not-a-time', 'not-a-uuid']),
  encodeCursor(['2020-01-01T00:00:00Z', 'not-a-uuid']),
  encodeCursor([1e308, 'x']),
  encodeCursor(['x']),
  encodeCursor([-1]),
  encodeCursor(['x', 'y', 'z']),
  encodeCursor([1e308, 'x', 'y']),
  encodeCursor(['\u0000', '\u0000']),
  'not base64 at all!',
];

describe('tampered cursors', () => {
  const lists = () => [
    '/api/v1/businesses',
    '/api/v1/imports',
    '/api/v1/programs',
    `/api/v1/programs/${programId}/applications`,
    `/api/v1/programs/${programId}/applications?order=rank`,
    '/api/v1/aid/stock',
    '/api/v1/aid/allocations',
    '/api/v1/catalog/products',
    '/api/v1/products',
    '/api/v1/audit',
    '/api/v1/audit/personal-data',
    '/api/v1/dedup/candidates',
    '/api/v1/exclusion-lists',
    `/api/v1/programs/${programId}/screening/eligible`,
    '/katalog',
  ];

  it('answer 4xx on every list, the public catalogue too', async () => {
    for (const url of lists()) {
      for (const cursor of tamperedCursors) {
        const sep = url.includes('?') ? '&' : '?';
        const res = await t.app.inject({
          url: `${url}${sep}cursor=${encodeURIComponent(cursor)}`,
          headers: url.startsWith('/katalog') ? {} : { cookie: admin.cookie },
        });
        if (cursor.includes(' ') && url.startsWith('/api/')) expectClean4xx(res, `${url} cursor ${cursor}`);
        else expectNo5xx(res, `${url} cursor ${cursor}`);
      }
    }
  });
});

describe('NUL bytes', () => {
  it('are refused in the body, the query and the path, signed in or not', async () => {
    const cases = [
      t.app.inject({
        method: 'POST',
        url: '/api/v1/businesses',
        headers: { cookie: officer.cookie },
        payload: {
          name: 'Usaha\u0000',
          regionCode: '62.71.02.1004',
          owner: { nik: '6271024108800001', name: 'Ibu\u0000' },
        },
      }),
      t.app.inject({ url: '/api/v1/businesses?q=a%00b', headers: { cookie: officer.cookie } }),
      t.app.inject({ url: '/api/v1/catalog/products?q=rotan%00' }),
      t.app.inject({ url: '/katalog?q=rotan%00' }),
      t.app.inject({ url: '/api/v1/certificates/AB%00CD' }),
      t.app.inject({ url: `/api/v1/sessions/${'x'.repeat(300)}`, headers: { cookie: officer.cookie } }),
      t.app.inject({ url: '/api/v1/programs/%E0%A4%A', headers: { cookie: officer.cookie } }),
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/programs/${programId}/applications`,
        payload: { nik: '6271024108800001\u0000', phone: '0812\u00003456789' },
      }),
      t.app.inject({
        method: 'POST',
        url: `/daftar/${programId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'nik=6271024108800001%00&phone=0812%003456789',
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'a\u0000', password: 'b' },
      }),
    ];
    for (const [i, res] of (await Promise.all(cases)).entries()) expectClean4xx(res, `case ${i}`);
  });
});

describe('values the database cannot hold', () => {
  it('a NIB that is not 13 digits is a field error, also for the owner who edits it', async () => {
    for (const nib of ['123', '12345678901234', 'abcdefghijklm', '']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/businesses/${businessId}`,
        headers: { cookie: officer.cookie },
        payload: { nib },
      });
      expectClean4xx(res, `nib ${nib}`);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${businessId}`,
      headers: { cookie: officer.cookie },
      payload: { nib: '1234567890123' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('the year 0 and far-off years in dates', async () => {
    for (const date of ['0000-01-01', '0000-12-31']) {
      const program = await t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie },
        payload: { ...programBody, startDate: date, endDate: '2031-08-28' },
      });
      expectClean4xx(program, `program ${date}`);
      const owner = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/businesses/${businessId}`,
        headers: { cookie: officer.cookie },
        payload: { owner: { birthDate: date } },
      });
      expectClean4xx(owner, `birthDate ${date}`);
      const session = await t.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${programId}/sessions`,
        headers: { cookie: officer.cookie },
        payload: { day: 1, date, startsAt: '08:00', endsAt: '12:00' },
      });
      expectClean4xx(session, `session ${date}`);
    }
  });

  it('an organisationId that does not exist', async () => {
    const program = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programs',
      headers: { cookie: admin.cookie },
      payload: { ...programBody, organisationId: '00000000-0000-4000-8000-000000000000' },
    });
    expectClean4xx(program, 'program organisationId');
    const stock = await t.app.inject({
      method: 'POST',
      url: '/api/v1/aid/stock',
      headers: { cookie: admin.cookie },
      payload: {
        budgetYear: 2031,
        item: 'Mesin jahit',
        unit: 'unit',
        unitValue: 1_500_000,
        quantity: 3,
        organisationId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expectClean4xx(stock, 'stock organisationId');
  });
});

describe('the error mapper', () => {
  it('answers a JSON body that is not JSON, an unknown media type and an empty body with stable codes', async () => {
    const cases = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie, 'content-type': 'application/json' },
        payload: '{"name": ',
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie, 'content-type': 'text/x-unknown' },
        payload: 'hello',
      }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/programs',
        headers: { cookie: officer.cookie, 'content-type': 'application/json' },
        payload: '',
      }),
    ]);
    expect(cases.map((r) => r.json().error.code)).toEqual([
      'invalid_json',
      'unsupported_media',
      'invalid_json',
    ]);
    for (const [i, res] of cases.entries()) expectClean4xx(res, `case ${i}`);
  });
});
