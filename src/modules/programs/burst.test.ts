import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { bulkApplications, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// A sign-up burst: 300 applications at once for 30 seats split 15/15 between two kecamatan.
// Capacity and quotas are enforced by the database (conditional updates under the program row
// lock, CHECK constraints behind them), so the counts must be exact on both engines. Ten
// applicants per seat race as hard as a hundred would; the throughput at 1,000 is measured by
// `npm run bench -- applications`, which checks the same invariants.
const applicants = 300;

let t: TestApp;
let officer: TestUser;

const bukitBatu = '62.71.02.1004';
const rakumpit = '62.71.05.1001';

const rows = <T>(query: SQL) => queryRows<T>(t.ctx.db, query);

const createProgram = (selection: 'first_come' | 'priority') =>
  createProgramAs(t, officer.cookie, {
    name: `Pelatihan Anyaman Rotan (${selection})`,
    type: 'training',
    capacity: 30,
    selection,
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    quotas: [
      { kecamatan: '62.71.02', quota: 15 },
      { kecamatan: '62.71.05', quota: 15 },
    ],
  });

async function burst(programId: string, businessIds: string[]) {
  const results = await Promise.all(
    businessIds.map((businessId) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${programId}/applications`,
        headers: { cookie: officer.cookie },
        payload: { businessId },
      }),
    ),
  );
  const failed = results.filter((r) => r.statusCode !== 201);
  expect(failed.map((r) => r.body).slice(0, 3)).toEqual([]);
  return results.map((r) => r.json() as { id: string; status: string; business: { kecamatan: string } });
}

async function seats(programId: string) {
  const [program] = await rows<{ enrolled_count: number }>(
    sql`select enrolled_count from programs where id = ${programId}`,
  );
  const quotas = await rows<{ kecamatan_code: string; taken: number; quota: number }>(
    sql`select kecamatan_code, taken, quota from program_quotas where program_id = ${programId} order by kecamatan_code`,
  );
  const byStatus = await rows<{ status: string; kecamatan_code: string; n: number }>(sql`
    select a.status, b.kecamatan_code, count(*)::int as n from applications a
    join businesses b on b.id = a.business_id where a.program_id = ${programId}
    group by a.status, b.kecamatan_code order by 1, 2`);
  const count = (status: string, kecamatan?: string) =>
    byStatus
      .filter((r) => r.status === status && (!kecamatan || r.kecamatan_code === kecamatan))
      .reduce((n, r) => n + Number(r.n), 0);
  return { enrolledCount: Number(program!.enrolled_count), quotas, count };
}

let businessIds: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const made = await bulkBusinesses(t.ctx.db, applicants, { regionCodes: [bukitBatu, rakumpit] });
  businessIds = made.map((b) => b.id);
}, 120_000);
afterAll(async () => t?.close());

describe(`a burst of ${applicants} applications`, () => {
  it('first come: exactly 30 enrolled, each quota exactly full, the rest waitlisted', async () => {
    const program = await createProgram('first_come');
    const started = performance.now();
    const answers = await burst(program.id, businessIds);
    const seconds = (performance.now() - started) / 1000;
    console.info(`${t.engine}: ${applicants} concurrent applications in ${seconds.toFixed(1)} s`);
    expect(answers.filter((a) => a.status === 'enrolled')).toHaveLength(30);
    expect(answers.filter((a) => a.status === 'waitlisted')).toHaveLength(applicants - 30);
    const state = await seats(program.id);
    expect(state.enrolledCount).toBe(30);
    expect(state.quotas.map((q) => [q.kecamatan_code, Number(q.taken)])).toEqual([
      ['62.71.02', 15],
      ['62.71.05', 15],
    ]);
    expect(state.count('enrolled', '62.71.02')).toBe(15);
    expect(state.count('enrolled', '62.71.05')).toBe(15);
    expect(state.count('waitlisted')).toBe(applicants - 30);
    const [events] = await rows<{ n: number }>(sql`
      select count(*)::int as n from application_events e join applications a on a.id = e.application_id
      where a.program_id = ${program.id}`);
    expect(Number(events!.n)).toBe(applicants);

    // Ten participants withdraw at once: ten promotions, each into the seat's own kecamatan.
    const enrolled = answers.filter((a) => a.status === 'enrolled').slice(0, 10);
    const withdrawals = await Promise.all(
      enrolled.map((a) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/applications/${a.id}/withdraw`,
          headers: { cookie: officer.cookie },
        }),
      ),
    );
    expect(withdrawals.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const after = await seats(program.id);
    expect(after.enrolledCount).toBe(30);
    expect(after.quotas.map((q) => Number(q.taken))).toEqual([15, 15]);
    expect(after.count('enrolled', '62.71.02')).toBe(15);
    expect(after.count('enrolled', '62.71.05')).toBe(15);
    expect(after.count('waitlisted')).toBe(applicants - 40);
  });

  it('priority: one selection over all pending applications fills 30 seats within the quotas', async () => {
    const program = await createProgram('priority');
    // The HTTP path of an application is the one measured above; here the applications are
    // put in directly, so that the selection itself runs at this scale.
    await bulkApplications(t.ctx.db, program.id, businessIds);
    const started = performance.now();
    const run = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/selection`,
      headers: { cookie: officer.cookie },
    });
    console.info(
      `${t.engine}: selection over ${applicants} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    expect(run.json()).toEqual({ enrolled: 30, waitlisted: applicants - 30, ranked: applicants });
    const state = await seats(program.id);
    expect(state.enrolledCount).toBe(30);
    expect(state.quotas.map((q) => Number(q.taken))).toEqual([15, 15]);
    expect(state.count('enrolled', '62.71.02')).toBe(15);
    const ranks = await rows<{ n: number; lo: number; hi: number }>(sql`
      select count(distinct score)::int as n, min(score)::int as lo, max(score)::int as hi
      from applications where program_id = ${program.id}`);
    expect(ranks[0]).toEqual({ n: applicants, lo: 1, hi: applicants });
  });
});
