import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { sqlStateOf } from '../../lib/errors.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { applyTogether } from './group-commit.ts';
import type { ApplyCall } from './programs.queries.ts';

// Group commit: the applications to one program that arrive while a statement for it runs are
// decided together, in one statement and one transaction. An application's created_at is its
// transaction's start (now()), so the number of distinct created_at among a program's
// applications is the number of transactions that wrote them.

let t: TestApp;
let officer: TestUser;
let businessIds: string[] = [];

const rows = <T>(query: SQL) => queryRows<T>(t.ctx.db, query);

const createProgram = (name: string) =>
  createProgramAs(t, officer.cookie, {
    name,
    type: 'training',
    capacity: 3,
    selection: 'first_come',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02']] },
  });

const transactionsOf = async (programId: string) => {
  const [found] = await rows<{ n: number }>(
    sql`select count(distinct created_at)::int as n from applications where program_id = ${programId}`,
  );
  return Number(found!.n);
};

// What enterApplication sends for a business judged eligible to a first-come program.
const callFor = (programId: string, businessId: string): ApplyCall => ({
  programId,
  businessId,
  kecamatan: '62.71.02',
  outcome: 'seat',
  reasons: [],
  source: 'officer',
  actorId: null,
  id: randomUUID(),
  statusToken: randomUUID(),
  returnExisting: false,
  outbox: {},
});

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  businessIds = (await bulkBusinesses(t.ctx.db, 40, { regionCodes: ['62.71.02.1004'] })).map((b) => b.id);
}, 120_000);
afterAll(async () => t?.close());

describe('group commit of applications', () => {
  it('decides concurrent applications to one program in fewer transactions than applications', async () => {
    const program = await createProgram('Pelatihan Kemasan Produk');
    const crowd = businessIds.slice(0, 20);
    const answers = await Promise.all(
      crowd.map((businessId) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/programs/${program.id}/applications`,
          headers: { cookie: officer.cookie },
          payload: { businessId },
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(crowd.length).fill(201));
    const statuses = answers.map((r) => (r.json() as { status: string }).status);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(crowd.length - 3);
    // An in-process PGlite decides each alone (applyApplication); on PostgreSQL those that
    // queued behind a running statement go together.
    if (t.engine === 'postgres') expect(await transactionsOf(program.id)).toBeLessThan(crowd.length);
    // each application still has its own event and audit entry
    const [written] = await rows<{ events: number; audits: number }>(sql`
      select (select count(*)::int from application_events e join applications a on a.id = e.application_id
              where a.program_id = ${program.id}) as events,
             (select count(*)::int from audit_log l join applications a on l.entity_id = a.id::text
              where l.entity = 'application' and a.program_id = ${program.id}) as audits`);
    expect(written).toEqual({ events: crowd.length, audits: crowd.length });
  });

  it('sends at once what finds nothing running, and together what queued behind it, in order', async () => {
    const program = await createProgram('Pelatihan Desain Kemasan');
    const crowd = businessIds.slice(24, 40);
    const answers = await Promise.all(
      crowd.map((businessId) => applyTogether(t.ctx.db, callFor(program.id, businessId))),
    );
    expect(answers.map((a) => (a.outcome === 'applied' ? a.status : a.outcome))).toEqual([
      ...Array(3).fill('enrolled'),
      ...Array(crowd.length - 3).fill('waitlisted'),
    ]);
    // the first alone, the fifteen others in one statement
    expect(await transactionsOf(program.id)).toBe(2);
    const [events] = await rows<{ n: number }>(sql`
      select count(*)::int as n from application_events e join applications a on a.id = e.application_id
      where a.program_id = ${program.id}`);
    expect(Number(events!.n)).toBe(crowd.length);
  });

  it('answers the others of a batch when one item fails, and that one with its own error', async () => {
    const program = await createProgram('Pelatihan Pemasaran Daring');
    const call = (businessId: string) => callFor(program.id, businessId);
    const [first, second, third, fourth] = businessIds.slice(20, 24) as [string, string, string, string];
    // The first goes out alone at once; the next four queue up behind it and go as one batch,
    // in which the second names a business that does not exist (a foreign key violation).
    const settled = await Promise.allSettled([
      applyTogether(t.ctx.db, call(first)),
      applyTogether(t.ctx.db, call(second)),
      applyTogether(t.ctx.db, call(randomUUID())),
      applyTogether(t.ctx.db, call(third)),
      applyTogether(t.ctx.db, call(fourth)),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const failure = settled[2] as PromiseRejectedResult;
    expect(sqlStateOf(failure.reason)).toBe('23503');
    const statuses = settled.flatMap((s) =>
      s.status === 'fulfilled' && s.value.outcome === 'applied' ? [s.value.status] : [],
    );
    // first come, in order of arrival: three seats, then the waitlist
    expect(statuses).toEqual(['enrolled', 'enrolled', 'enrolled', 'waitlisted']);
    const [state] = await rows<{ enrolled_count: number }>(
      sql`select enrolled_count from programs where id = ${program.id}`,
    );
    expect(Number(state!.enrolled_count)).toBe(3);
    // the first alone, the other three together
    expect(await transactionsOf(program.id)).toBe(2);
  });
});
