import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/sql-rows.ts';
import { createTestApp, login, type TestApp } from '../testing/harness.ts';
import { foundingDates, loadDemo, programName } from './demo.ts';

// `pulih demo` is run twice here, once for the whole file: the founding scenario goes through
// the API (a few hundred requests), and what both describes check is the state after a first
// run and after a second. Only reads follow. Two runs of a few hundred requests each (the
// follow-ups and answers included) outlast the default hook timeout on a loaded machine.

let t: TestApp;
let cookie: string;
let first: Awaited<ReturnType<typeof loadDemo>>;
let second: Awaited<ReturnType<typeof loadDemo>>;
// Read after the first run.
let summary: Summary;
let applicationsAfterFirst: { status: string; reasons: unknown[] }[];
let audited: number;
// Read after the second run.
let auditedAgain: number;

type Summary = {
  programs: {
    id: string;
    name: string;
    capacity: number;
    enrolled: number;
    waitlisted: number;
    completed: number;
    certificates: number;
  }[];
  totals: Record<string, number>;
  outcomes: Record<string, number>;
};

beforeAll(async () => {
  t = await createTestApp();
  first = await loadDemo(t.ctx, { password: 'demo-pass-123' });
  cookie = await login(t, 'dinas', 'demo-pass-123');
  summary = (await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } })).json();
  const program = summary.programs.find((p) => p.name === programName);
  applicationsAfterFirst = program
    ? (
        await t.app.inject({
          url: `/api/v1/programs/${program.id}/applications?limit=200`,
          headers: { cookie },
        })
      ).json().items
    : [];
  audited = await countAudit();
  second = await loadDemo(t.ctx, { password: 'demo-pass-123' });
  auditedAgain = await countAudit();
}, 600_000);
afterAll(async () => t?.close());

async function countAudit() {
  const result = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log`);
  return result[0]?.n ?? 0;
}

describe('pulih demo', () => {
  it('loads the founding scenario end to end, and a second run changes nothing', async () => {
    expect(first.users.map((u) => u.username)).toEqual([
      'dinas',
      'kec.bukitbatu',
      'kec.rakumpit',
      'sopd',
      'pemilik',
    ]);
    const program = summary.programs.find((p) => p.name === programName);
    if (!program) throw new Error(`no program named ${programName} in the summary`);
    expect(program).toMatchObject({ capacity: 30, enrolled: 30 });
    expect(program.waitlisted).toBeGreaterThan(0);
    expect(program.completed).toBeGreaterThan(20);
    expect(program.certificates).toBe(program.completed);
    expect(summary.totals.businesses).toBe(80);
    expect(summary.totals.equipped).toBe(program.completed);
    expect(summary.totals.listedProducts).toBe(program.completed);

    const ineligible = applicationsAfterFirst.filter((a) => a.status === 'ineligible');
    expect(ineligible.length).toBeGreaterThan(0);
    expect(ineligible.every((a) => a.reasons.length > 0)).toBe(true);

    expect(second.users.every((u) => u.password === null)).toBe(true);
    expect(auditedAgain).toBe(audited);
    const again = (await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } })).json();
    expect(again.totals).toEqual(summary.totals);
    // The founding cohort was followed up: some answered, some not, some are new entrepreneurs.
    const o = summary.outcomes;
    expect(o.graduates).toBe(program.completed);
    expect(o.asked).toBe(o.graduates);
    expect(o.answered).toBeGreaterThan(0);
    expect(o.answered).toBeLessThan(o.graduates ?? 0);
    expect(o.newEntrepreneurs).toBeGreaterThan(0);
    expect(o.activeAfterFollowUp).toBeGreaterThan(0);
    expect(again.outcomes).toEqual(o);

    const catalogue = await t.app.inject({ url: '/katalog' });
    expect(catalogue.statusCode).toBe(200);
    expect(catalogue.body).toContain('https://wa.me/62');
  });
});

type Application = { id: string; status: string; createdAt: string; certificateCode: string | null };

describe('pulih demo dates the founding program in 2020', () => {
  it('applications before the training, attendance on each day, certificates on 28 August 2020, handovers after', async () => {
    // After a second run (in beforeAll), which leaves the dates as they are.
    const cookie = await login(t, 'dinas', 'demo-pass-123');
    const get = async <T>(url: string) => {
      const res = await t.app.inject({ url: `/api/v1${url}`, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      return res.json() as T;
    };
    const programs = await get<{ items: { id: string; name: string }[] }>('/programs?limit=200');
    const programId = programs.items.find((p) => p.name === programName)!.id;

    const applications = (
      await get<{ items: Application[] }>(`/programs/${programId}/applications?limit=200`)
    ).items;
    expect(applications.length).toBe(39);
    for (const a of applications) {
      expect(a.createdAt >= '2020-08-01', a.createdAt).toBe(true);
      expect(a.createdAt < '2020-08-24', a.createdAt).toBe(true);
    }
    const events = await get<{ items: { at: string }[] }>(`/applications/${applications[0]!.id}/events`);
    expect(events.items.length).toBeGreaterThan(0);
    expect(events.items.every((e) => e.at.startsWith('2020-08'))).toBe(true);

    const sessions = await get<{ items: { id: string; day: number; date: string }[] }>(
      `/programs/${programId}/sessions`,
    );
    expect(sessions.items.map((s) => s.date).sort()).toEqual([
      '2020-08-24',
      '2020-08-25',
      '2020-08-26',
      '2020-08-27',
      '2020-08-28',
    ]);
    for (const s of sessions.items) {
      const detail = await get<{ participants: { checkedInAt: string | null }[] }>(`/sessions/${s.id}`);
      const present = detail.participants.filter((p) => p.checkedInAt !== null);
      expect(present.length).toBeGreaterThan(0);
      // Checked in on the session's own day in Palangka Raya (WIB, UTC+7), before 08:00.
      for (const p of present) expect(p.checkedInAt!.slice(0, 10)).toBe(s.date);
    }

    const completed = applications.filter((a) => a.status === 'completed');
    expect(completed.length).toBeGreaterThan(20);
    for (const a of completed) {
      const cert = await get<{ issuedAt: string }>(`/certificates/${a.certificateCode}`);
      expect(cert.issuedAt).toBe(foundingDates.certificatesIssued);
    }
    const page = await t.app.inject({ url: `/sertifikat/${completed[0]!.certificateCode}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('28 Agustus 2020');
    expect(page.body).not.toMatch(/Diterbitkan[^<]*<\/dt>\s*<dd>[^<]*202[1-9]/);

    const sopd = await login(t, 'sopd', 'demo-pass-123');
    const allocations = (
      await t.app.inject({ url: '/api/v1/aid/allocations?limit=200', headers: { cookie: sopd } })
    ).json().items as { handover: { handedOverAt: string } | null }[];
    const handed = allocations.filter((a) => a.handover);
    expect(handed.length).toBe(completed.length);
    for (const a of handed) expect(a.handover!.handedOverAt > '2020-08-28').toBe(true);
    for (const a of handed) expect(a.handover!.handedOverAt < '2021-01-01').toBe(true);
  });
});
