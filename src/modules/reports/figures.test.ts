import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, certificates } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { figureNames } from './figures.ts';

// Dashboard figures that add up (issue 10, point 5): on data with several programs, businesses
// in more than one, withdrawn, dropped and waitlisted applications, and revoked certificates,
// every figure's per-kecamatan rows sum to its total, and a program's figures are the same on
// the dashboard and on the program's own page.

type Summary = {
  totals: Record<string, number>;
  programs: { id: string; enrolled: number; waitlisted: number; completed: number; certificates: number }[];
  byKecamatan: (Record<string, number> & { kecamatan: string })[];
};

let t: TestApp;
let officer: TestUser;
const programIds: string[] = [];

const regions = ['62.71.02.1004', '62.71.05.1001', '62.71.01.1001'];

async function bulk(programId: string, businessIds: string[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications/bulk`,
    headers: { cookie: officer.cookie },
    payload: { businessIds },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { results: { businessId: string; status: string; applicationId: string }[] }).results;
}

async function post(url: string) {
  const res = await t.app.inject({ method: 'POST', url, headers: { cookie: officer.cookie } });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const crowd = (await bulkBusinesses(t.ctx.db, 24, { regionCodes: regions })).map((b) => b.id);
  // Two training programs and an aid program; the first twelve businesses apply to the first
  // two, so they count once as businesses and twice as applications.
  for (const [i, type] of (['training', 'training', 'aid'] as const).entries()) {
    const program = await createProgramAs(t, officer.cookie, {
      name: `Program Angka ${i + 1}`,
      type,
      capacity: 6,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      eligibility: { '!=': [{ var: 'kecamatan' }, '62.71.01'] },
    });
    programIds.push(program.id);
    const results = await bulk(program.id, i === 2 ? crowd.slice(12) : crowd.slice(0, 12));
    const enrolled = results.filter((r) => r.status === 'enrolled');
    // One enrolled withdraws (a waitlisted one moves up), one is dropped as a no-show.
    await post(`/api/v1/applications/${enrolled[0]!.applicationId}/withdraw`);
    await post(`/api/v1/applications/${enrolled[1]!.applicationId}/no-show`);
    // Three complete; each gets a certificate, and one of them is revoked.
    const completing = enrolled.slice(2, 5).map((r) => r.applicationId);
    for (const id of completing)
      await t.ctx.db.update(applications).set({ status: 'completed' }).where(sql`id = ${id}`);
    await t.ctx.db.insert(certificates).values(
      completing.map((applicationId, k) => ({
        applicationId,
        code: `FIG-${i}-${k}-${applicationId.slice(0, 8)}`,
        ...(k === 0 ? { revokedAt: new Date(), revokedReason: 'Kehadiran dikoreksi' } : {}),
      })),
    );
  }
}, 180_000);
afterAll(async () => t?.close());

async function summary(cookie = officer.cookie) {
  const res = await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Summary;
}

describe('dashboard figures', () => {
  it('every figure: the per-kecamatan rows sum to the total', async () => {
    const s = await summary();
    expect(s.byKecamatan.length).toBeGreaterThan(1);
    for (const name of figureNames) {
      const sum = s.byKecamatan.reduce((n, row) => n + row[name]!, 0);
      expect({ name, sum }).toEqual({ name, sum: s.totals[name] });
    }
    expect(Object.keys(s.totals).sort()).toEqual([...figureNames].sort());
  });

  it('counts businesses, not applications, as enrolled, trained and certified', async () => {
    const s = await summary();
    const [row] = await queryRows<Record<string, number>>(
      t.ctx.db,
      sql`select
        (select count(distinct business_id) from applications where status in ('enrolled', 'completed'))::int as enrolled,
        (select count(*) from applications where status in ('enrolled', 'completed'))::int as seats,
        (select count(distinct a.business_id) from certificates c join applications a on a.id = c.application_id
          where c.revoked_at is null)::int as certified,
        (select count(*) from certificates where revoked_at is null)::int as certificates`,
    );
    expect(s.totals.enrolled).toBe(Number(row!.enrolled));
    // The fixture makes businesses in two programs: seats outnumber businesses.
    expect(Number(row!.seats)).toBeGreaterThan(s.totals.enrolled!);
    expect(s.totals.certified).toBe(Number(row!.certified));
    expect(s.totals.certificates).toBe(Number(row!.certificates));
    // A revoked certificate counts nowhere; a business trained twice counts once.
    expect(s.totals.certified).toBeLessThanOrEqual(s.totals.trained! + 2);
    expect(s.totals.trained).toBeLessThanOrEqual(s.totals.enrolled!);
  });

  it('a kecamatan officer sees the same row for its kecamatan as the whole city does', async () => {
    const kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const [city, own] = await Promise.all([summary(), summary(kecamatanOfficer.cookie)]);
    const row = city.byKecamatan.find((r) => r.kecamatan === '62.71.02')!;
    expect(own.byKecamatan).toEqual([row]);
    const { kecamatan: _k, kecamatanName: _n, ...figures } = row as Record<string, unknown>;
    expect(own.totals).toEqual(figures);
  });

  it('shows a program’s figures on the dashboard as on the program’s page', async () => {
    const s = await summary();
    for (const id of programIds) {
      const res = await t.app.inject({ url: `/api/v1/programs/${id}`, headers: { cookie: officer.cookie } });
      const page = res.json() as { enrolled: number; waitlisted: number; completed: number };
      const card = s.programs.find((p) => p.id === id)!;
      expect({ enrolled: card.enrolled, waitlisted: card.waitlisted, completed: card.completed }).toEqual({
        enrolled: page.enrolled,
        waitlisted: page.waitlisted,
        completed: page.completed,
      });
      // Seats are held by enrolled and completed applications, and the seat counter says so.
      const [row] = await queryRows<{ n: number }>(
        t.ctx.db,
        sql`select count(*)::int as n from applications where program_id = ${id} and status in ('enrolled', 'completed')`,
      );
      expect(page.enrolled).toBe(Number(row!.n));
      expect(card.certificates).toBe(2);
    }
  });
});
