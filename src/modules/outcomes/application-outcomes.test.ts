import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { programWithGraduates } from '../../testing/graduates.ts';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

// application_outcomes is kept by triggers: after any change to what it is computed from, its
// rows are the ones a full recomputation gives. The figures' own tests check the definitions.

let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp();
  cookie = (await createUser(t, 'program_officer')).cookie;
});
afterAll(async () => t?.close());

const snapshot = async () =>
  queryRows<Record<string, unknown>>(
    t.ctx.db,
    sql`select o.*, (select count(*) from business_counts) as kecamatan_rows from application_outcomes o order by application_id`,
  );
const counts = async () =>
  queryRows<Record<string, unknown>>(
    t.ctx.db,
    sql`select * from business_counts where businesses > 0 order by 1`,
  );
const recountedBusinesses = async () =>
  queryRows<Record<string, unknown>>(
    t.ctx.db,
    sql`select kecamatan_code, count(*)::int as businesses, (count(*) filter (where covid_impacted))::int as covid_impacted
    from businesses group by 1 order by 1`,
  );

describe('application_outcomes and business_counts stay in step', () => {
  it('after follow-ups, answers, and changes to the business and the program', async () => {
    const { programId, businessIds } = await programWithGraduates(t, cookie, 4, [
      '62.71.02.1004',
      '62.71.05.2001',
    ]);
    const opened = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programId}/follow-ups`,
      headers: { cookie },
      payload: { dueAt: '2020-11-28' },
    });
    expect(opened.statusCode).toBe(200);
    const list = (
      await t.app.inject({ url: `/api/v1/programs/${programId}/follow-ups`, headers: { cookie } })
    ).json().items as { id: string }[];
    for (const f of list.slice(0, 3))
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/follow-ups/${f.id}/answers`,
        headers: { cookie },
        payload: {
          salesLastMonth: 2_000_000,
          workers: 2,
          stillProducing: true,
          source: 'phone',
          confirmed: true,
        },
      });
    await t.ctx.db.execute(
      sql`update businesses set annual_turnover = 0, covid_impacted = true where id = ${businessIds[0]}`,
    );
    await t.ctx.db.execute(
      sql`update businesses set kecamatan_code = '62.71.01' where id = ${businessIds[1]}`,
    );
    await t.ctx.db.execute(sql`update programs set end_date = '2020-09-30' where id = ${programId}`);
    await t.ctx.db.execute(sql`delete from follow_up_answers where follow_up_id = ${list[2]!.id}`);

    const kept = await snapshot();
    expect(kept.filter((r) => r.program_id === programId)).toHaveLength(4);
    expect(kept.some((r) => r.answered === 1 && r.kecamatan_code === '62.71.01')).toBe(true);
    await t.ctx.db.execute(sql`select refresh_application_outcomes(array(select id from applications))`);
    expect(await snapshot()).toEqual(kept);
    expect(await counts()).toEqual(await recountedBusinesses());
  });

  it('the annual recap offers the years that have programs, latest first', async () => {
    await programWithGraduates(t, cookie, 1);
    const res = await t.app.inject({ url: '/api/v1/reports/annual/years', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().years[0]).toBe(2020);
  });
});
