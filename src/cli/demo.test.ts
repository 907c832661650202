import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/sql-rows.ts';
import { createTestApp, login, type TestApp } from '../testing/harness.ts';
import { loadDemo, programName } from './demo.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

async function countAudit() {
  const result = await queryRows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log`);
  return result[0]?.n ?? 0;
}

describe('pulih demo', () => {
  it('loads the founding scenario end to end, and a second run changes nothing', async () => {
    const first = await loadDemo(t.ctx, { password: 'demo-pass-123' });
    expect(first.users.map((u) => u.username)).toEqual([
      'dinas',
      'kec.bukitbatu',
      'kec.rakumpit',
      'sopd',
      'pemilik',
    ]);
    const cookie = await login(t, 'dinas', 'demo-pass-123');
    const summary = (await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } })).json();
    const program = summary.programs.find((p: { name: string }) => p.name === programName);
    expect(program).toMatchObject({ capacity: 30, enrolled: 30 });
    expect(program.waitlisted).toBeGreaterThan(0);
    expect(program.completed).toBeGreaterThan(20);
    expect(program.certificates).toBe(program.completed);
    expect(summary.totals.businesses).toBe(80);
    expect(summary.totals.equipped).toBe(program.completed);
    expect(summary.totals.listedProducts).toBe(program.completed);

    const applications = (
      await t.app.inject({
        url: `/api/v1/programs/${program.id}/applications?limit=200`,
        headers: { cookie },
      })
    ).json().items as { status: string; reasons: unknown[] }[];
    const ineligible = applications.filter((a) => a.status === 'ineligible');
    expect(ineligible.length).toBeGreaterThan(0);
    expect(ineligible.every((a) => a.reasons.length > 0)).toBe(true);

    const audited = await countAudit();
    const second = await loadDemo(t.ctx, { password: 'demo-pass-123' });
    expect(second.users.every((u) => u.password === null)).toBe(true);
    expect(await countAudit()).toBe(audited);
    const again = (await t.app.inject({ url: '/api/v1/reports/summary', headers: { cookie } })).json();
    expect(again.totals).toEqual(summary.totals);

    const catalogue = await t.app.inject({ url: '/katalog' });
    expect(catalogue.statusCode).toBe(200);
    expect(catalogue.body).toContain('https://wa.me/62');
  });
});
