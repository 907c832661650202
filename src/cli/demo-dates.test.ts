import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../testing/harness.ts';
import { foundingDates, loadDemo, programName } from './demo.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Application = { id: string; status: string; createdAt: string; certificateCode: string | null };

describe('pulih demo dates the founding program in 2020', () => {
  it('applications before the training, attendance on each day, certificates on 28 August 2020, handovers after', async () => {
    await loadDemo(t.ctx, { password: 'demo-pass-123' });
    // A second run leaves the dates as they are.
    await loadDemo(t.ctx, { password: 'demo-pass-123' });
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
