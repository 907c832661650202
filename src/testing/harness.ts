import type { FastifyInstance } from 'fastify';
import { createAppContext } from '../app/app-context.ts';
import { openDatabase } from '../db/client.ts';
import { generateNik } from '../domain/nik.ts';
import type { AppContext } from '../lib/context.ts';
import type { MediaStore } from '../lib/media-store.ts';
import { ensureOrganisation, ensureUser } from '../modules/users/users.service.ts';
import type { Role } from '../policies.ts';
import { buildServer } from '../server.ts';
import { lendPgliteDatabase } from './pglite-pool.ts';
import { copyPostgresTemplate } from './template.ts';

// The PostgreSQL server the api-postgres project runs against (an admin connection).
export const testDatabaseUrl = () =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestApp = {
  ctx: AppContext;
  app: FastifyInstance;
  engine: 'pglite' | 'postgres';
  close: () => Promise<void>;
};

// Each test file gets an empty, migrated database of its own: on PGlite an in-memory instance
// holding the template made once per run (src/testing/template.ts), lent from the worker's
// pool and emptied back to the template when closed (src/testing/pglite-pool.ts); or a new
// database on the local PostgreSQL server, copied from the template, when
// PULIH_TEST_ENGINE=postgres (the suite runs both).
// `media`: another media store than a fresh temporary folder (an S3 bucket, a shared folder).
export async function createTestApp(options: { media?: MediaStore } = {}): Promise<TestApp> {
  const engine = process.env.PULIH_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
  let dropDatabase = async () => {};
  let database: ReturnType<typeof openDatabase>;
  if (engine === 'postgres') {
    const copy = await copyPostgresTemplate(testDatabaseUrl());
    database = openDatabase({ databaseUrl: copy.url });
    dropDatabase = copy.drop;
  } else {
    database = await lendPgliteDatabase();
  }
  const ctx = await createAppContext(database, options.media ? { media: options.media } : {});
  const app = await buildServer(ctx);
  await app.ready();
  return {
    ctx,
    app,
    engine,
    close: async () => {
      await app.close();
      await database.close();
      await dropDatabase();
    },
  };
}

let counter = 0;
const next = () => ++counter;

export async function createOrganisation(
  ctx: AppContext,
  kind: 'dinas' | 'sopd' | 'kecamatan' | 'platform' = 'dinas',
  regionCode: string | null = null,
) {
  const n = next();
  return ensureOrganisation(ctx.db, { code: `org-${n}`, name: `Organisation ${n}`, kind, regionCode });
}

export type TestUser = { id: string; username: string; cookie: string; organisationId: string | null };

export async function createUser(
  t: TestApp,
  role: Role,
  options: { organisationId?: string; regionCode?: string; personId?: string } = {},
): Promise<TestUser> {
  let organisationId = options.organisationId ?? null;
  if (!organisationId && role !== 'owner') {
    const kind =
      role === 'kecamatan_officer'
        ? 'kecamatan'
        : role === 'sopd_officer'
          ? 'sopd'
          : role === 'admin'
            ? 'platform'
            : 'dinas';
    organisationId = (await createOrganisation(t.ctx, kind, options.regionCode ?? null)).id;
  }
  const username = `${role}-${next()}`;
  const password = 'correct horse battery';
  const { user } = await ensureUser(t.ctx.db, {
    username,
    displayName: username,
    role,
    organisationId,
    personId: options.personId ?? null,
    password,
  });
  return { id: user.id, username, organisationId, cookie: await login(t, username, password) };
}

export async function login(t: TestApp, username: string, password: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'pulih_session');
  return `pulih_session=${cookie?.value}`;
}

export type BusinessOverrides = {
  kecamatan?: string;
  regionCode?: string;
  kbli?: string | null;
  covidImpacted?: boolean | null;
  name?: string;
  ownerName?: string;
  sex?: 'L' | 'P';
  birthDate?: string;
  annualTurnover?: number | null;
  ref?: string | null;
};

export function businessBody(overrides: BusinessOverrides = {}) {
  const n = next();
  const sex = overrides.sex ?? (n % 2 ? 'L' : 'P');
  const birthDate = overrides.birthDate ?? `19${70 + (n % 25)}-0${1 + (n % 9)}-1${n % 10}`;
  const regionCode = overrides.regionCode ?? '62.71.02.1004';
  return {
    ref: overrides.ref ?? null,
    name: overrides.name ?? `Usaha Anyaman ${n}`,
    kbli: overrides.kbli === undefined ? '16291' : overrides.kbli,
    regionCode,
    annualTurnover: overrides.annualTurnover === undefined ? 60_000_000 : overrides.annualTurnover,
    workers: 2,
    covidImpacted: overrides.covidImpacted === undefined ? true : overrides.covidImpacted,
    owner: {
      nik: generateNik({ kecamatanCode: regionCode.slice(0, 8), birthDate, sex, serial: (n % 9000) + 1 }),
      name: overrides.ownerName ?? `Pemilik ${n}`,
      sex,
      birthDate,
      phone: `0812${String(10_000_000 + n).slice(-8)}`,
    },
  };
}

export async function createBusiness(t: TestApp, cookie: string, overrides: BusinessOverrides = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie },
    payload: businessBody(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`business failed: ${res.body}`);
  return res.json() as { id: string; owner: { id: string } };
}

// A program created through the API by the officer of `cookie`; `body` is the whole request.
export async function createProgramAs<T = { id: string }>(
  t: TestApp,
  cookie: string,
  body: Record<string, unknown>,
): Promise<T> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/programs',
    headers: { cookie },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`program failed: ${res.body}`);
  return res.json() as T;
}

// Runs `body` while the office keeps `timeZone` (WIB, WITA or WIT) in its settings, then puts the
// settings back as they were, so the other tests of the file keep the office they expect.
export async function withOfficeTimeZone<T>(
  t: TestApp,
  timeZone: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura',
  body: () => Promise<T>,
): Promise<T> {
  const admin = await createUser(t, 'admin');
  const settings = (payload?: object) =>
    t.app.inject({
      method: payload ? 'PUT' : 'GET',
      url: '/api/v1/settings',
      headers: { cookie: admin.cookie },
      ...(payload ? { payload } : {}),
    });
  // The settings as read, without what is derived from them (the body PUT takes).
  const {
    regionName: _n,
    government: _g,
    place: _p,
    hasLogo: _l,
    ...before
  } = (await settings()).json() as Record<string, unknown>;
  const changed = await settings({ ...before, timeZone });
  if (changed.statusCode !== 200) throw new Error(`settings not changed: ${changed.body}`);
  const result = await body().finally(() => settings(before));
  // The office of the tests that follow must be the one they expect.
  const restored = (await settings()).json() as Record<string, unknown>;
  if (restored.timeZone !== before.timeZone) throw new Error('settings not restored');
  return result;
}
