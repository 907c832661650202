import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { createClass, officeDay } from '../../testing/cohort.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

// After a correction (a certified participant's attendance undone, the certificate revoked) the
// application is enrolled again, and once it completes again it gets a new certificate; the
// revoked one stays on record and its verification still says revoked.

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
}, 120_000);
afterAll(async () => t?.close());

const call = (cookie: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: cookie ? { cookie } : {},
    ...(payload ? { payload } : {}),
  });

describe('re-certification after a correction', () => {
  it('moves the application back to enrolled, then issues a new certificate once it completes again', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 1 });
    const day = officeDay(-1);
    const series = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
      dates: [day],
      startsAt: '08:00',
      endsAt: '16:00',
    });
    expect(series.statusCode, series.body).toBe(201);
    const sessionId = series.json().items[0].id as string;
    const applicationId = members[0]!.applicationId;
    const checkIn = async () => {
      const res = await call(officer.cookie, 'POST', `/sessions/${sessionId}/attendance`, {
        method: 'manual',
        applicationId,
        checkedInAt: `${day}T08:00:00+07:00`,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    const statusOf = async () =>
      (
        await queryRows<{ status: string }>(
          t.ctx.db,
          sql`select status from applications where id = ${applicationId}`,
        )
      )[0]?.status;

    await checkIn();
    expect((await call(officer.cookie, 'POST', `/programs/${programId}/certificates`)).json().issued).toBe(1);
    const first = (await call(officer.cookie, 'GET', `/programs/${programId}/completion`)).json().items[0]
      .certificateCode as string;
    expect(await statusOf()).toBe('completed');

    const undone = await call(
      officer.cookie,
      'DELETE',
      `/sessions/${sessionId}/attendance/${applicationId}?revokeCertificate=true&reason=Salah%20catat`,
    );
    expect(undone.statusCode, undone.body).toBe(204);
    expect(await statusOf()).toBe('enrolled');
    const events = await queryRows<{ kind: string; from_status: string; to_status: string; note: string }>(
      t.ctx.db,
      sql`select kind, from_status, to_status, note from application_events
        where application_id = ${applicationId} order by id desc limit 1`,
    );
    expect(events).toEqual([
      { kind: 'completion_undone', from_status: 'completed', to_status: 'enrolled', note: 'Salah catat' },
    ]);
    const audited = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from audit_log where action = 'undo_completion' and entity_id = ${applicationId}`,
    );
    expect(Number(audited[0]?.n)).toBe(1);

    // Not completed: nothing to issue.
    expect((await call(officer.cookie, 'POST', `/programs/${programId}/certificates`)).json()).toMatchObject({
      completed: 0,
      issued: 0,
    });
    // The corrected attendance meets the rule again: completed, and a new certificate.
    await checkIn();
    expect((await call(officer.cookie, 'POST', `/programs/${programId}/certificates`)).json()).toMatchObject({
      completed: 1,
      issued: 1,
    });
    const now = (await call(officer.cookie, 'GET', `/programs/${programId}/completion`)).json().items[0];
    expect(now).toMatchObject({ completed: true, certificateStatus: 'valid' });
    expect(now.certificateCode).not.toBe(first);
    expect((await call(null, 'GET', `/certificates/${first}`)).json()).toMatchObject({
      status: 'revoked',
      revokedReason: 'Salah catat',
    });
    expect((await call(null, 'GET', `/certificates/${now.certificateCode}`)).json().status).toBe('valid');
    // Issuing again gives nothing more; both certificates are on record, one valid.
    expect((await call(officer.cookie, 'POST', `/programs/${programId}/certificates`)).json().issued).toBe(0);
    const kept = await queryRows<{ valid: boolean }>(
      t.ctx.db,
      sql`select revoked_at is null as valid from certificates where application_id = ${applicationId} order by issued_at`,
    );
    expect(kept).toEqual([{ valid: false }, { valid: true }]);
  });
});
