import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { pruneIdempotencyKeys } from './idempotency.service.ts';

// Idempotency-Key on POSTs: a repeat gets the first answer without the work done twice, a
// repeat while the first runs waits for it (or gets idempotency_in_progress), another request
// under the same key is refused, and keys expire. Proved on the officer's application, the
// public form and through the OpenAPI document.

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

const createProgram = () =>
  createProgramAs<{ id: string }>(t, officer.cookie, {
    name: 'Pelatihan Anyaman Rotan',
    type: 'training',
    capacity: 5,
    selection: 'first_come',
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02']] },
  });

const businesses = (n: number) => bulkBusinesses(t.ctx.db, n, { regionCodes: ['62.71.02.1004'] });

const apply = (programId: string, businessId: string, key?: string, cookie = officer.cookie) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications`,
    headers: { cookie, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { businessId },
  });

const applicationsOf = async (programId: string) =>
  (
    await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from applications where program_id = ${programId}`,
    )
  )[0]!.n;

const keyRow = async (key: string) =>
  (
    await queryRows<{ actor: string; status: number | null }>(
      t.ctx.db,
      sql`select actor, status from idempotency_keys where key = ${key}`,
    )
  )[0] ?? null;

describe('Idempotency-Key on an application', () => {
  it('answers a repeat with the first answer, without applying twice', async () => {
    const program = await createProgram();
    const [b] = await businesses(1);
    const key = randomUUID();
    const first = await apply(program.id, b!.id, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await apply(program.id, b!.id, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toContain('application/json');
    expect(again.json()).toEqual(first.json());
    expect(await applicationsOf(program.id)).toBe(1);
    // without a key the same request is new work, refused by the rule of one application
    const plain = await apply(program.id, b!.id);
    expect(plain.statusCode).toBe(409);
    expect(plain.json().error.code).toBe('already_applied');
  });

  it('keeps an error answer too: the repeat does not try again', async () => {
    const program = await createProgram();
    const [b] = await businesses(1);
    expect((await apply(program.id, b!.id)).statusCode).toBe(201);
    const key = randomUUID();
    const first = await apply(program.id, b!.id, key);
    expect(first.json().error.code).toBe('already_applied');
    const again = await apply(program.id, b!.id, key);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
  });

  it('makes concurrent repeats share one application', async () => {
    const program = await createProgram();
    const [b] = await businesses(1);
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => apply(program.id, b!.id, key)));
    expect(await applicationsOf(program.id)).toBe(1);
    const applied = answers.filter((a) => a.statusCode === 201);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    for (const a of applied) expect(a.json()).toEqual(applied[0]!.json());
    for (const a of answers.filter((x) => x.statusCode !== 201))
      expect(a.json().error.code).toBe('idempotency_in_progress');
    expect(
      answers.filter((a) => a.headers['idempotent-replayed'] === undefined && a.statusCode === 201),
    ).toHaveLength(1);
  });

  it('answers idempotency_in_progress while the first request holds the key, and lets a retry take over an abandoned one', async () => {
    const program = await createProgram();
    const [b] = await businesses(1);
    const key = randomUUID();
    // The first request of a process that died before answering: its claim, no answer, a lease.
    const first = await apply(program.id, b!.id, key);
    expect(first.statusCode).toBe(201);
    await t.ctx.db.execute(
      sql`update idempotency_keys set status = null, body = null, locked_until = now() + interval '1 hour' where key = ${key}`,
    );
    const waiting = await apply(program.id, b!.id, key);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.code).toBe('idempotency_in_progress');
    // The lease runs out: the retry does the work again, and the database's rule keeps one application.
    await t.ctx.db.execute(
      sql`update idempotency_keys set locked_until = now() - interval '1 second' where key = ${key}`,
    );
    const retried = await apply(program.id, b!.id, key);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json().error.code).toBe('already_applied');
    expect(await applicationsOf(program.id)).toBe(1);
  });

  it('refuses the same key with another request', async () => {
    const program = await createProgram();
    const [one, two] = await businesses(2);
    const key = randomUUID();
    expect((await apply(program.id, one!.id, key)).statusCode).toBe(201);
    const other = await apply(program.id, two!.id, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await applicationsOf(program.id)).toBe(1);
  });

  it('keeps keys per user', async () => {
    const program = await createProgram();
    const [one, two] = await businesses(2);
    const colleague = await createUser(t, 'program_officer');
    const key = randomUUID();
    expect((await apply(program.id, one!.id, key)).statusCode).toBe(201);
    const theirs = await apply(program.id, two!.id, key, colleague.cookie);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await applicationsOf(program.id)).toBe(2);
  });

  it('forgets a key once it expires, and the prune deletes expired keys only', async () => {
    const program = await createProgram();
    const [one, two] = await businesses(2);
    const key = randomUUID();
    const fresh = randomUUID();
    expect((await apply(program.id, one!.id, key)).statusCode).toBe(201);
    expect((await apply(program.id, two!.id, fresh)).statusCode).toBe(201);
    const row = await queryRows<{ hours: number }>(
      t.ctx.db,
      sql`select round(extract(epoch from expires_at - created_at) / 3600)::int as hours from idempotency_keys where key = ${key}`,
    );
    expect(row[0]!.hours).toBe(24);
    await t.ctx.db.execute(
      sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`,
    );
    // an expired key is free: another request under it is new work, not a refusal
    const three = (await businesses(1))[0]!;
    const reused = await apply(program.id, three.id, key);
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    await t.ctx.db.execute(
      sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`,
    );
    expect(await pruneIdempotencyKeys(t.ctx)).toBeGreaterThanOrEqual(1);
    expect(await keyRow(key)).toBeNull();
    expect(await keyRow(fresh)).not.toBeNull();
  });

  it('stores nothing without a key and refuses a malformed key', async () => {
    const program = await createProgram();
    const [b] = await businesses(1);
    const bad = await apply(program.id, b!.id, 'with space');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await applicationsOf(program.id)).toBe(0);
  });
});

describe('Idempotency-Key on the public form', () => {
  let crowd: BulkBusiness[];
  beforeAll(async () => {
    crowd = await businesses(2);
  });

  it('replays the status link for a repeat under the public actor', async () => {
    const program = await createProgram();
    const b = crowd[0]!;
    const key = randomUUID();
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/programs/${program.id}/applications`,
        headers: { 'idempotency-key': key },
        remoteAddress: '10.9.8.7',
        payload: { nik: b.nik, phone: b.phone },
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await applicationsOf(program.id)).toBe(1);
    expect((await keyRow(key))?.actor).toBe('public');
  });
});

it('declares the header on the operations that honour it, and only there', async () => {
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  const headerOf = (path: string) =>
    (doc.paths[path].post.parameters ?? []).find(
      (p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key',
    );
  for (const path of [
    '/programs/{id}/applications',
    '/public/programs/{id}/applications',
    '/aid/handovers',
    '/aid/allocations/{id}/handover',
  ]) {
    expect(headerOf(path), path).toBeDefined();
    expect(headerOf(path).required).toBe(false);
  }
  expect(headerOf('/programs')).toBeUndefined();
});
