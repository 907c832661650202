import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { businesses, people, programs } from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { createProgramAs, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { getOfficeBasics } from '../settings/settings.service.ts';
import { readFormApplication } from './public-apply.queries.ts';

// The public form's first read is a PL/pgSQL function (pulih_form_applicant, migration
// 0048_apply-read.sql, inside pulih_form_application, 0049_form-apply.sql), whose plans a
// connection keeps instead of planning the statement again at every request. Held here to the
// statement it replaces (kept as the reference), and the business it names for the rest of the
// statement to the rule the service applies after it: the one asked for or the only one, among
// the applicant's, and only when the phone matches.

let t: TestApp;
let programId: string;
let alone: BulkBusiness;
let twice: BulkBusiness;

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  ({ id: programId } = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Formulir',
    type: 'training',
    capacity: 30,
    selection: 'first_come',
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
  }));
  const [a] = await bulkBusinesses(t.ctx.db, 1);
  alone = a!;
  // an owner of two businesses: the form lists them by name
  const [b] = await bulkBusinesses(t.ctx.db, 2, { businessesPerOwner: 2 });
  twice = b!;
});

afterAll(() => t.close());

const applicantBefore = (programId: string, nik: string) => sql`with person as (
      select p.id, p.phone, p.merged_into from ${people} p where p.nik = ${nik} limit 1)
    select json_build_object(
      'program', (select json_build_object('startDate', g.start_date,
          'applicationDeadline', g.application_deadline)
        from ${programs} g where g.id = ${programId}::uuid),
      'person', (select json_build_object('id', id, 'phone', phone, 'mergedInto', merged_into) from person),
      'businesses', coalesce((select json_agg(json_build_object('id', b.id, 'name', b.name)
          order by b.name, b.id)
        from (select b.id, b.name from ${businesses} b join person on person.id = b.owner_id
          where person.merged_into is null order by b.name, b.id limit 50) b), '[]')) as v`;

const before = async (programId: string, nik: string) => {
  const v = rowsOf<{ v: unknown }>(await t.ctx.db.execute(applicantBefore(programId, nik)))[0]!.v;
  return typeof v === 'string' ? JSON.parse(v) : v;
};

// The applicant alone, and the business named, with a column over it as a caller adds one.
const readForm = async (programId: string, nik: string, phone = '+6281200000000', businessId?: string) => {
  const found = await readFormApplication<{ named: string | null }>(
    t.ctx.db,
    { programId, nik, phone, businessId: businessId ?? null },
    (business) => sql`${business}::text as named`,
  );
  expect(found.row.named).toBe(found.businessId);
  return found;
};

describe("the public form's first read", () => {
  it('answers what the statement it replaces answered', async () => {
    const missing = crypto.randomUUID();
    for (const [p, nik] of [
      [programId, alone.nik],
      [programId, twice.nik],
      [programId, '6271020101900001'],
      [missing, alone.nik],
    ] as const)
      expect((await readForm(p, nik)).applicant).toEqual(await before(p, nik));
    expect((await readForm(programId, twice.nik)).applicant.businesses).toHaveLength(2);
  });

  it('names the business asked for or the only one, and only when the phone matches', async () => {
    const [first, second] = (await readForm(programId, twice.nik)).applicant.businesses;
    const named = async (nik: string, phone: string, businessId?: string) =>
      (await readForm(programId, nik, phone, businessId)).businessId;
    // the phone as the registry holds it, and as an owner types it
    expect(await named(alone.nik, alone.phone)).toBe(alone.id);
    expect(await named(alone.nik, alone.phone, alone.id)).toBe(alone.id);
    // a wrong phone, an unknown NIK, another person's business: none
    expect(await named(alone.nik, '+6281299999999')).toBeNull();
    expect(await named('6271020101900001', alone.phone)).toBeNull();
    expect(await named(alone.nik, alone.phone, first!.id)).toBeNull();
    // an owner of two: the one asked for, none without asking
    expect(await named(twice.nik, twice.phone)).toBeNull();
    expect(await named(twice.nik, twice.phone, second!.id)).toBe(second!.id);
    expect(await named(twice.nik, '+6281299999999', second!.id)).toBeNull();
  });

  it('compares the stored phone as the server normalises it', async () => {
    const national = alone.phone.slice(3);
    for (const [stored, matches] of [
      [`0${national.slice(0, 3)}-${national.slice(3, 7)} ${national.slice(7)}`, true],
      [`62${national}`, true],
      [`+62 (0)${national}`, true],
      [`(0${national.slice(0, 3)}) ${national.slice(3)}`, true],
      [`0${national.slice(0, -1)}`, false],
      [null, false],
    ] as const) {
      await t.ctx.db.update(people).set({ phone: stored }).where(sql`${people.id} = ${alone.personId}::uuid`);
      expect({ stored, named: await readForm(programId, alone.nik, alone.phone) }).toMatchObject({
        stored,
        named: { businessId: matches ? alone.id : null },
      });
    }
    await t.ctx.db
      .update(people)
      .set({ phone: alone.phone })
      .where(sql`${people.id} = ${alone.personId}::uuid`);
  });

  it('sends a statement that plans none of the tables it reads', async () => {
    const execute = vi.spyOn(t.ctx.db, 'execute');
    try {
      await readForm(programId, alone.nik, alone.phone);
      const sent = execute.mock.calls.map(([query]) => new PgDialect().sqlToQuery(query as SQL).sql);
      expect(sent).toHaveLength(1);
      for (const table of ['"programs"', '"people"', '"businesses"']) expect(sent[0]).not.toContain(table);
    } finally {
      execute.mockRestore();
    }
  });
});

// The statements the database is asked, as drizzle prepares them (raw SQL and builders alike),
// on the database handle (a transaction's own statements go through its own session).
async function statementsOf(send: () => Promise<{ statusCode: number; body: string }>) {
  const session = (t.ctx.db as unknown as { session: { prepareQuery: (...args: never[]) => unknown } })
    .session;
  const prepared = vi.spyOn(session, 'prepareQuery');
  try {
    const res = await send();
    const sent = prepared.mock.calls.map((call) => (call as unknown as [{ sql: string }])[0].sql);
    return { status: res.statusCode, statements: sent.length, sent };
  } finally {
    prepared.mockRestore();
  }
}

describe('an application through the public form', () => {
  let ip = 0;
  const applyAs = (payload: Record<string, unknown>) =>
    statementsOf(() =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/programs/${programId}/applications`,
        remoteAddress: `10.8.0.${++ip}`,
        payload,
      }),
    );
  const counted = async (payload: Record<string, unknown>) => {
    const { status, statements } = await applyAs(payload);
    return { status, statements };
  };
  // the office's settings, read once and kept for a while, are not the application's
  beforeAll(() => getOfficeBasics(t.ctx.db));

  it('costs two statements, as an officer’s: the read with the applicant, and the decision', async () => {
    const [fresh] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
    expect(await counted({ nik: fresh!.nik, phone: fresh!.phone })).toEqual({ status: 201, statements: 2 });
    // applied again: the same read, and the decision answers with the standing application
    expect(await counted({ nik: fresh!.nik, phone: fresh!.phone })).toEqual({ status: 200, statements: 2 });
    // an owner of two names the business: still two
    const [first, second] = (await readForm(programId, twice.nik)).applicant.businesses;
    expect(await counted({ nik: twice.nik, phone: twice.phone, businessId: second!.id })).toEqual({
      status: 201,
      statements: 2,
    });
    // a wrong phone is answered from the first read alone
    const wrong = await applyAs({ nik: twice.nik, phone: '081299999999', businessId: first!.id });
    expect({ status: wrong.status, statements: wrong.statements }).toEqual({ status: 404, statements: 1 });
  });

  it('reads the business again after a consent it records, and for a person merged into another', async () => {
    const [consenting, merged, kept] = await bulkBusinesses(t.ctx.db, 3, { regionCodes: ['62.71.02.1004'] });
    // the consent is written in a transaction of its own, then the business is read again
    const withConsent = await applyAs({ nik: consenting!.nik, phone: consenting!.phone, consent: true });
    expect(withConsent.status).toBe(201);
    expect(withConsent.sent.filter((s) => s.includes('pulih_application_inputs('))).toHaveLength(2);
    // the NIK of a person merged into another stands for that one, with that one's phone
    await t.ctx.db
      .update(people)
      .set({ mergedInto: kept!.personId })
      .where(sql`${people.id} = ${merged!.personId}::uuid`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${programId}/applications`,
      remoteAddress: `10.8.1.${++ip}`,
      payload: { nik: merged!.nik, phone: kept!.phone },
    });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = rowsOf<{ business_id: string }>(
      await t.ctx.db.execute(
        sql`select business_id from applications where program_id = ${programId}::uuid and status_token = ${res.json().statusPath.slice(8)}`,
      ),
    );
    expect(row?.business_id).toBe(kept!.id);
  });
});
