import { type SQL, sql } from 'drizzle-orm';
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

// A burst through the public form: the same one-statement decision as the officer's path
// (pulih_apply), reached without an account. Six applicants per seat race for 10 seats split
// 5/5 between two kecamatan; the counts must be exact on both engines, and each application
// must have exactly its event, its message and its audit entry. The throughput at 1,000 is
// `npm run bench -- applications --public`.
const applicants = 60;

let t: TestApp;
let officer: TestUser;
let crowd: BulkBusiness[] = [];
let ip = 0;
// Each applicant speaks from an address of their own, as a crowd of phones does.
const nextIp = () => `10.77.${Math.floor(++ip / 250)}.${ip % 250}`;

const rows = <T>(query: SQL) => queryRows<T>(t.ctx.db, query);

const createProgram = () =>
  createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Anyaman Rotan (formulir publik)',
    type: 'training',
    capacity: 10,
    selection: 'first_come',
    // Ahead of today: the form closes once a program has started.
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    quotas: [
      { kecamatan: '62.71.02', quota: 5 },
      { kecamatan: '62.71.05', quota: 5 },
    ],
  });

const applyInPublic = (programId: string, b: BulkBusiness) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/public/programs/${programId}/applications`,
    remoteAddress: nextIp(),
    payload: { nik: b.nik, phone: b.phone },
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  crowd = await bulkBusinesses(t.ctx.db, applicants, { regionCodes: ['62.71.02.1004', '62.71.05.1001'] });
}, 120_000);
afterAll(async () => t?.close());

describe(`a burst of ${applicants} applications through the public form`, () => {
  it('enrols exactly 10 within the quotas, waitlists the rest, with one event, message and audit entry each', async () => {
    const program = await createProgram();
    const answers = await Promise.all(crowd.map((b) => applyInPublic(program.id, b)));
    expect(answers.filter((r) => r.statusCode !== 201).map((r) => r.body)).toEqual([]);
    const statuses = answers.map((r) => r.json().status as string);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(applicants - 10);
    expect(new Set(answers.map((r) => r.json().statusPath)).size).toBe(applicants);

    const [seats] = await rows<{ enrolled_count: number }>(
      sql`select enrolled_count from programs where id = ${program.id}`,
    );
    expect(Number(seats!.enrolled_count)).toBe(10);
    const quotas = await rows<{ kecamatan_code: string; taken: number }>(
      sql`select kecamatan_code, taken from program_quotas where program_id = ${program.id} order by 1`,
    );
    expect(quotas.map((q) => [q.kecamatan_code, Number(q.taken)])).toEqual([
      ['62.71.02', 5],
      ['62.71.05', 5],
    ]);
    const enrolledBy = await rows<{ kecamatan_code: string; n: number }>(sql`
      select b.kecamatan_code, count(*)::int as n from applications a
      join businesses b on b.id = a.business_id
      where a.program_id = ${program.id} and a.status = 'enrolled' group by 1 order by 1`);
    expect(enrolledBy.map((r) => Number(r.n))).toEqual([5, 5]);

    // Each application: one event whose kind is its status, one message keyed by that event,
    // one audit entry without the status token.
    const [each] = await rows<{
      events: number;
      matching: number;
      messages: number;
      audits: number;
      tokens: number;
    }>(sql`
      select
        (select count(*) from application_events e join applications a on a.id = e.application_id
          where a.program_id = ${program.id})::int as events,
        (select count(*) from application_events e join applications a on a.id = e.application_id
          where a.program_id = ${program.id} and e.kind = a.status::text and e.from_status is null
            and e.to_status = a.status::text)::int as matching,
        (select count(*) from notification_outbox o join application_events e
          on o.event_key = 'application_event:' || e.id and o.application_id = e.application_id
          where o.program_id = ${program.id})::int as messages,
        (select count(*) from audit_log l join applications a on l.entity_id = a.id::text
          where a.program_id = ${program.id} and l.entity = 'application' and l.action = 'create'
            and l.after ->> 'status' = a.status::text)::int as audits,
        (select count(*) from audit_log l join applications a on l.entity_id = a.id::text
          where a.program_id = ${program.id} and l.after ? 'statusToken')::int as tokens`);
    expect(each).toEqual({
      events: applicants,
      matching: applicants,
      messages: applicants,
      audits: applicants,
      tokens: 0,
    });
  });

  it('makes one application of a form sent twice at once, and answers both with its status link', async () => {
    const program = await createProgram();
    const twice = crowd.slice(0, 8);
    const answers = await Promise.all(
      twice.flatMap((b) => [applyInPublic(program.id, b), applyInPublic(program.id, b)]),
    );
    // The second of a pair finds the first committed (200, the same link), or races its insert
    // and is turned away by the unique key (409 already_applied); never a second application.
    for (const r of answers) expect([200, 201, 409], r.body).toContain(r.statusCode);
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(twice.length);
    const [count] = await rows<{ n: number; businesses: number }>(sql`
      select count(*)::int as n, count(distinct business_id)::int as businesses
      from applications where program_id = ${program.id}`);
    expect(count).toEqual({ n: twice.length, businesses: twice.length });
    const links = new Map<string, string>();
    for (const [i, r] of answers.entries()) {
      if (r.statusCode === 409) continue;
      const nik = twice[Math.floor(i / 2)]!.nik;
      const link = r.json().statusPath as string;
      expect(links.get(nik) ?? link).toBe(link);
      links.set(nik, link);
    }
  });
});
