import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { businesses, people, programs } from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { createProgramAs, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { readFormApplicant } from './public-apply.queries.ts';

// The public form's first read is a PL/pgSQL function (pulih_form_applicant, migration
// 0048_apply-read.sql), whose plans a connection keeps instead of planning the statement again
// at every request. Held here to the statement it replaces (kept as the reference).

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

describe("the public form's first read", () => {
  it('answers what the statement it replaces answered', async () => {
    const missing = crypto.randomUUID();
    for (const [p, nik] of [
      [programId, alone.nik],
      [programId, twice.nik],
      [programId, '6271020101900001'],
      [missing, alone.nik],
    ] as const)
      expect(await readFormApplicant(t.ctx.db, p, nik)).toEqual(await before(p, nik));
    expect((await readFormApplicant(t.ctx.db, programId, twice.nik)).businesses).toHaveLength(2);
  });

  it('sends a statement that plans none of the tables it reads', async () => {
    const execute = vi.spyOn(t.ctx.db, 'execute');
    try {
      await readFormApplicant(t.ctx.db, programId, alone.nik);
      const sent = execute.mock.calls.map(([query]) => new PgDialect().sqlToQuery(query as SQL).sql);
      expect(sent).toHaveLength(1);
      for (const table of ['"programs"', '"people"', '"businesses"']) expect(sent[0]).not.toContain(table);
    } finally {
      execute.mockRestore();
    }
  });
});
