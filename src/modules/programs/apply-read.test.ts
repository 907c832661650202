import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  businesses,
  exclusionEntries,
  exclusionLists,
  notificationConsents,
  notificationTemplates,
  people,
  programs,
} from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';
import { applicationEventReads } from '../../lib/domain-events.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { readApplicationInputs } from './programs.queries.ts';

// An application's first reads are PL/pgSQL functions (migration 0048_apply-read.sql), whose
// plans a connection keeps: sent as plain statements they were parsed and planned again at every
// request, ten times their execution. These tests hold the functions to the statements they
// replace (kept here as the reference, key for key) and the request's statement to planning
// nothing but what varies with the caller.

let t: TestApp;
let officer: TestUser;
let programId: string;
let excluded: BulkBusiness;
let plain: BulkBusiness;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  ({ id: programId } = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Bacaan',
    type: 'training',
    capacity: 30,
    selection: 'first_come',
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
  }));
  const [a, b] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004', '62.71.05.1001'] });
  excluded = a!;
  plain = b!;
  const lists = await t.ctx.db
    .insert(exclusionLists)
    .values([
      { name: 'ASN 2026', kind: 'asn' },
      { name: 'Bantuan 2025', kind: 'already_aided' },
    ])
    .returning({ id: exclusionLists.id });
  await t.ctx.db.insert(exclusionEntries).values(lists.map((l) => ({ listId: l.id, nik: excluded.nik })));
  await t.ctx.db.insert(notificationConsents).values([
    { personId: excluded.personId, channel: 'whatsapp', granted: true, source: 'form' },
    { personId: excluded.personId, channel: 'email', granted: false, source: 'owner', address: 'a@b.id' },
  ]);
  await t.ctx.db
    .insert(notificationTemplates)
    .values({ key: 'enrolled', language: 'id', body: 'Selamat {{name}}', subject: 'Diterima' })
    .onConflictDoNothing();
});

afterAll(() => t.close());

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const one = async (query: SQL) => json(rowsOf<{ v: unknown }>(await t.ctx.db.execute(query))[0]!.v);

// The statements as they were sent before the functions (the reference).
const inputsBefore = (programId: string, businessId: string) => sql`select json_build_object(
    'program', (select json_build_object('id', g.id, 'selection', g.selection,
        'eligibility', g.eligibility, 'startDate', g.start_date, 'archived', g.archived_at is not null)
      from ${programs} g where g.id = ${programId}::uuid),
    'business', (select json_build_object(
        'name', ${businesses.name}, 'kecamatanCode', ${businesses.kecamatanCode},
        'regionCode', ${businesses.regionCode}, 'kbli', ${businesses.kbli},
        'annualTurnover', ${businesses.annualTurnover}, 'capital', ${businesses.capital},
        'covidImpacted', ${businesses.covidImpacted}, 'workers', ${businesses.workers},
        'status', ${businesses.status}, 'ownerName', p.name, 'ownerBirthDate', p.birth_date,
        'ownerSex', p.sex,
        'exclusions', coalesce((select json_agg(distinct l.kind order by l.kind)
          from ${exclusionEntries} e join ${exclusionLists} l on l.id = e.list_id
          where e.nik = p.nik), '[]'))
      from ${businesses} join ${people} p on p.id = ${businesses.ownerId}
      where ${businesses.id} = ${businessId}::uuid)) as v`;

const draftBefore = (programId: string, businessId: string) => sql`select (select row_to_json(d) from (
    select p.id as "personId", p.name, p.phone, b.name as "businessName", g.name as "programName",
      coalesce((select json_agg(json_build_object('personId', c.person_id, 'channel', c.channel,
        'granted', c.granted, 'address', c.address))
        from ${notificationConsents} c where c.person_id = p.id), '[]') as consents,
      coalesce((select json_agg(json_build_object('key', t.key, 'language', t.language,
        'subject', t.subject, 'body', t.body, 'whatsappName', t.whatsapp_name))
        from ${notificationTemplates} t), '[]') as templates
    from ${businesses} b
    join ${people} p on p.id = b.owner_id
    join ${programs} g on g.id = ${programId}::uuid
    where b.id = ${businessId}::uuid) d) as v`;

describe("an application's first reads", () => {
  it('answer what the statements they replace answered, for present and absent parts', async () => {
    const missing = crypto.randomUUID();
    const cases = [
      [programId, excluded.id],
      [programId, plain.id],
      [programId, missing],
      [missing, excluded.id],
    ] as const;
    for (const [p, b] of cases) {
      const inputs = await readApplicationInputs(t.ctx.db, {
        programId: p,
        businessId: b,
        reach: sql`true`,
        prepared: applicationEventReads({ businessId: b, programId: p }),
      });
      const before = await one(inputsBefore(p, b));
      expect({ program: inputs.program, business: inputs.business }).toEqual({
        program: before.program,
        business: before.business ? { ...before.business, reached: true } : null,
      });
      expect(inputs.prepared).toEqual({ notifications: await one(draftBefore(p, b)) });
    }
    // the cases discriminate: exclusions, consents and templates were read
    const read = await one(inputsBefore(programId, excluded.id));
    expect(read.business.exclusions).toEqual(['already_aided', 'asn']);
    const draft = await one(draftBefore(programId, excluded.id));
    expect(draft.consents).toHaveLength(2);
    expect(draft.templates.length).toBeGreaterThan(0);
  });

  it('send a statement that plans only the reach and what varies with the caller', async () => {
    const execute = vi.spyOn(t.ctx.db, 'execute');
    try {
      await readApplicationInputs(t.ctx.db, {
        programId,
        businessId: plain.id,
        reach: sql`true`,
        prepared: applicationEventReads({ businessId: plain.id, programId }),
      });
      const dialect = new PgDialect();
      const sent = execute.mock.calls.map(([query]) => dialect.sqlToQuery(query as SQL).sql);
      expect(sent).toHaveLength(1);
      // The tables the reads join are read inside the functions, not planned per request; only
      // the reach, a condition on the business's own row, is.
      for (const text of sent)
        for (const table of [
          '"programs"',
          '"people"',
          'exclusion_entries',
          'notification_consents',
          'notification_templates',
        ])
          expect(text).not.toContain(table);
    } finally {
      execute.mockRestore();
    }
  });
});
