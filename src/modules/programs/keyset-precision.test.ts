import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aidAllocations, aidStock, applications, exclusionLists, jobs } from '../../db/schema.ts';
import { rattanTrainingRule } from '../../domain/eligibility.ts';
import { bulkApplications, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { waitlistPosition } from './programs.queries.ts';

// Rows written within one millisecond differ only in their microseconds, which a JavaScript Date
// cannot hold. Every keyset cursor and every comparison by time must still follow the stored
// value: each row on exactly one page, waitlist places and selection ties in stored-time order.

let t: TestApp;
let admin: TestUser;
let officer: TestUser;
let counter = 0;

const base = '2026-03-01 10:00:00.000+00';

// Spreads the rows over one millisecond, the first id-sorted row last: an order that falls
// back to the id (as a millisecond cursor does) gives a different sequence.
async function shareOneMillisecond(
  table: 'applications' | 'aid_allocations' | 'exclusion_lists' | 'jobs',
  ids: string[],
) {
  const byIdDesc = [...ids].sort().reverse();
  for (const [k, id] of byIdDesc.entries()) {
    await t.ctx.db.execute(
      sql`update ${sql.identifier(table)} set created_at = ${base}::timestamptz + ${k + 1} * interval '1 microsecond' where id = ${id}::uuid`,
    );
  }
  return byIdDesc;
}

async function pageThrough(url: string, cookie: string) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const sep = url.includes('?') ? '&' : '?';
    const res = await t.app.inject({
      url: `${url}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
    seen.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

const programBody = (overrides: Record<string, unknown> = {}) => ({
  name: `Pelatihan Rotan ${++counter}`,
  type: 'training',
  capacity: 30,
  selection: 'first_come',
  startDate: '2020-08-24',
  endDate: '2020-08-28',
  venue: 'Aula Kecamatan Bukit Batu',
  eligibility: rattanTrainingRule,
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

describe('keyset cursors and time comparisons to the microsecond', () => {
  it('pages through applications of one millisecond, in applied and rank order, each once', async () => {
    const program = await createProgramAs(t, officer.cookie, programBody());
    const owned = await bulkBusinesses(t.ctx.db, 7);
    const ids = await bulkApplications(
      t.ctx.db,
      program.id,
      owned.map((b) => b.id),
    );
    const expected = await shareOneMillisecond('applications', ids);
    const applied = await pageThrough(`/api/v1/programs/${program.id}/applications`, officer.cookie);
    expect(applied).toEqual(expected);
    const ranked = await pageThrough(
      `/api/v1/programs/${program.id}/applications?order=rank`,
      officer.cookie,
    );
    expect(ranked).toEqual(expected);
  });

  it('pages through aid allocations of one millisecond, each once', async () => {
    const owned = await bulkBusinesses(t.ctx.db, 7);
    const [stock] = await t.ctx.db
      .insert(aidStock)
      .values({
        organisationId: admin.organisationId ?? '',
        budgetYear: 2026,
        item: `Mesin jahit ${++counter}`,
        unit: 'unit',
        unitValue: 1_500_000,
        quantity: 100,
        allocated: 7,
      })
      .returning();
    const rows = await t.ctx.db
      .insert(aidAllocations)
      .values(owned.map((b) => ({ stockId: stock?.id ?? '', businessId: b.id, quantity: 1 })))
      .returning({ id: aidAllocations.id });
    const expected = await shareOneMillisecond(
      'aid_allocations',
      rows.map((r) => r.id),
    );
    // Newest first: the reverse of the stored-time order.
    const seen = await pageThrough(`/api/v1/aid/allocations?stockId=${stock?.id}`, admin.cookie);
    expect(seen).toEqual([...expected].reverse());
  });

  it('pages through exclusion lists of one millisecond, each once', async () => {
    await t.ctx.db.delete(exclusionLists);
    const rows = await t.ctx.db
      .insert(exclusionLists)
      .values(
        Array.from({ length: 7 }, (_, k) => ({ name: `Daftar ASN ${counter}-${k}`, kind: 'asn' as const })),
      )
      .returning({ id: exclusionLists.id });
    const expected = await shareOneMillisecond(
      'exclusion_lists',
      rows.map((r) => r.id),
    );
    const seen = await pageThrough('/api/v1/exclusion-lists', admin.cookie);
    expect(seen).toEqual([...expected].reverse());
  });

  it('pages through the jobs list (imports) of one millisecond, each once', async () => {
    await t.ctx.db.delete(jobs).where(eq(jobs.kind, 'import'));
    const rows = await t.ctx.db
      .insert(jobs)
      .values(
        Array.from({ length: 7 }, (_, k) => ({
          kind: 'import',
          status: 'succeeded' as const,
          createdBy: admin.id,
          payload: { dryRun: true, fileName: `registri-${k}.csv` },
        })),
      )
      .returning({ id: jobs.id });
    const expected = await shareOneMillisecond(
      'jobs',
      rows.map((r) => r.id),
    );
    const seen = await pageThrough('/api/v1/imports', admin.cookie);
    expect(seen).toEqual([...expected].reverse());
  });

  it('places waitlisted applications of one millisecond by their stored time', async () => {
    const program = await createProgramAs(t, officer.cookie, programBody());
    const owned = await bulkBusinesses(t.ctx.db, 5);
    const ids = await bulkApplications(
      t.ctx.db,
      program.id,
      owned.map((b) => b.id),
      'waitlisted',
    );
    const expected = await shareOneMillisecond('applications', ids);
    const rows = await t.ctx.db.select().from(applications).where(eq(applications.programId, program.id));
    const places = new Map<string, number>();
    for (const row of rows) places.set(row.id, await waitlistPosition(t.ctx.db, row));
    expect(expected.map((id) => places.get(id))).toEqual([1, 2, 3, 4, 5]);
  });

  it('breaks selection ties by the stored application time', async () => {
    const program = await createProgramAs(
      t,
      officer.cookie,
      programBody({ selection: 'priority', capacity: 1, eligibility: null }),
    );
    const owned = await bulkBusinesses(t.ctx.db, 4);
    const ids = await bulkApplications(
      t.ctx.db,
      program.id,
      owned.map((b) => b.id),
    );
    const expected = await shareOneMillisecond('applications', ids);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/selection`,
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.ctx.db.select().from(applications).where(eq(applications.programId, program.id));
    const rankOf = new Map(rows.map((r) => [r.id, r.score]));
    const enrolled = rows.filter((r) => r.status === 'enrolled').map((r) => r.id);
    expect(enrolled).toEqual([expected[0]]);
    expect(expected.map((id) => rankOf.get(id))).toEqual([1, 2, 3, 4]);
  });
});
