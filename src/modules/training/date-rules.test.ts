import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import { createClass, officeDay } from '../../testing/cohort.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// Dates hold: check-in on the session's day (late entries with a reason), certificates only
// after the last session, undoing a certified participant's attendance revokes or is refused,
// the public form closes at the start or at the deadline.

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

const call = (cookie: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: cookie ? { cookie } : {},
    ...(payload ? { payload } : {}),
  });

async function sessionsOn(
  programId: string,
  dates: string[],
  times = { startsAt: '08:00', endsAt: '16:00' },
) {
  const res = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
    dates,
    ...times,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json().items as { id: string; date: string }[]).map((s) => s.id);
}

const checkIn = (cookie: string, sessionId: string, body: Record<string, unknown>) =>
  call(cookie, 'POST', `/sessions/${sessionId}/attendance`, { method: 'manual', ...body });

describe('check-in on the session’s day', () => {
  it('refuses tomorrow’s session, takes today’s', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 1 });
    const [today, tomorrow] = await sessionsOn(programId, [officeDay(0), officeDay(1)], {
      startsAt: '00:00',
      endsAt: '23:59',
    });
    const applicationId = members[0]!.applicationId;
    const early = await checkIn(officer.cookie, tomorrow!, { applicationId });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('session_in_future');
    // Not even as a late entry.
    const lateFuture = await checkIn(officer.cookie, tomorrow!, {
      applicationId,
      lateReason: 'Dicatat lebih awal',
    });
    expect(lateFuture.json().error.code).toBe('session_in_future');
    const now = await checkIn(officer.cookie, today!, { applicationId });
    expect(now.statusCode, now.body).toBe(201);
    expect(now.json().lateReason).toBeNull();
  });

  it('takes a past day only as a late entry with a reason, by an officer who may, audited and shown', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 2 });
    const [past] = await sessionsOn(programId, [officeDay(-2)]);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    const plain = await checkIn(officer.cookie, past!, { applicationId: a.applicationId });
    expect(plain.statusCode).toBe(409);
    expect(plain.json().error.code).toBe('attendance_not_today');
    // A kecamatan officer records attendance on the day, not late entries.
    const notAllowed = await checkIn(kecamatan.cookie, past!, {
      applicationId: a.applicationId,
      lateReason: 'Dari daftar hadir kertas',
    });
    expect(notAllowed.statusCode).toBe(403);
    const late = await checkIn(officer.cookie, past!, {
      applicationId: a.applicationId,
      lateReason: 'Dari daftar hadir kertas',
    });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().lateReason).toBe('Dari daftar hadir kertas');
    // The day it stands for, 08:00 WIB.
    expect(new Date(late.json().checkedInAt).toISOString()).toBe(
      new Date(`${officeDay(-2)}T08:00:00+07:00`).toISOString(),
    );
    // A phone that was offline on the day sends the time it recorded then: that still holds.
    const offline = await checkIn(officer.cookie, past!, {
      applicationId: b.applicationId,
      checkedInAt: `${officeDay(-2)}T08:12:00+07:00`,
    });
    expect(offline.statusCode, offline.body).toBe(201);
    expect(offline.json().lateReason).toBeNull();
    const audited = await t.ctx.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'late_check_in'),
          sql`${auditLog.after}->>'applicationId' = ${a.applicationId}`,
        ),
      );
    expect(audited).toHaveLength(1);
    expect(audited[0]!.after).toMatchObject({ lateReason: 'Dari daftar hadir kertas' });
    const detail = (await call(officer.cookie, 'GET', `/sessions/${past}`)).json();
    const row = detail.participants.find(
      (p: { applicationId: string }) => p.applicationId === a.applicationId,
    );
    expect(row.lateReason).toBe('Dari daftar hadir kertas');
  });
});

describe('certificates after the last session', () => {
  it('answers 409 program_not_ended while a session is still ahead, and the preview says so', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 1 });
    const [past] = await sessionsOn(programId, [officeDay(-1), officeDay(2)]);
    await checkIn(officer.cookie, past!, {
      applicationId: members[0]!.applicationId,
      checkedInAt: `${officeDay(-1)}T08:00:00+07:00`,
    });
    const issue = await call(officer.cookie, 'POST', `/programs/${programId}/certificates`);
    expect(issue.statusCode).toBe(409);
    expect(issue.json().error.code).toBe('program_not_ended');
    const preview = (await call(officer.cookie, 'GET', `/programs/${programId}/certificates/preview`)).json();
    expect(preview.open).toBe(false);
  });

  it('issues after the last session, skipping cancelled days, and the preview says who gets one and why', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 3 });
    const days = [officeDay(-5), officeDay(-4), officeDay(-3), officeDay(-2), officeDay(-1)];
    const sessions = await sessionsOn(programId, days.slice(0, 4));
    // The last day is tomorrow, but it was cancelled: the program has ended.
    const [ahead] = await sessionsOn(programId, [officeDay(2)]);
    expect(
      (await call(officer.cookie, 'POST', `/sessions/${ahead}/cancel`, { reason: 'Narasumber berhalangan' }))
        .statusCode,
    ).toBe(200);
    // A: 4 of 4; B: 3 of 4 (75% < 80%); C: 4 of 4 but day 3 was a late entry.
    const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    for (const [i, id] of sessions.entries()) {
      const at = `${days[i]}T08:0${i}:00+07:00`;
      await checkIn(officer.cookie, id, { applicationId: a.applicationId, checkedInAt: at });
      if (i !== 1) await checkIn(officer.cookie, id, { applicationId: b.applicationId, checkedInAt: at });
      const late = i === 2 ? { lateReason: 'Dari daftar hadir kertas' } : { checkedInAt: at };
      expect(
        (await checkIn(officer.cookie, id, { applicationId: c.applicationId, ...late })).statusCode,
      ).toBe(201);
    }
    const preview = (await call(officer.cookie, 'GET', `/programs/${programId}/certificates/preview`)).json();
    expect(preview).toMatchObject({ open: true, sessions: 4 });
    const outcome = (id: string) =>
      preview.items.find((i: { applicationId: string }) => i.applicationId === id);
    expect(outcome(a.applicationId)).toMatchObject({ outcome: 'issue', attended: 4 });
    expect(outcome(b.applicationId)).toMatchObject({ outcome: 'below_rule', attended: 3, sessions: 4 });
    expect(outcome(c.applicationId)).toMatchObject({ outcome: 'issue', attended: 4 });
    const issue = await call(officer.cookie, 'POST', `/programs/${programId}/certificates`);
    expect(issue.statusCode, issue.body).toBe(200);
    expect(issue.json()).toMatchObject({ completed: 2, issued: 2 });
    const after = (await call(officer.cookie, 'GET', `/programs/${programId}/certificates/preview`)).json();
    expect(after.items.filter((i: { outcome: string }) => i.outcome === 'has_certificate')).toHaveLength(2);
  });
});

describe('undoing the attendance of a certified participant', () => {
  it('is refused without revoking, and with revoke the public verification says revoked', async () => {
    const { programId, members } = await createClass(t, officer.cookie, { size: 1 });
    const day = officeDay(-1);
    const [session] = await sessionsOn(programId, [day]);
    const applicationId = members[0]!.applicationId;
    await checkIn(officer.cookie, session!, { applicationId, checkedInAt: `${day}T08:00:00+07:00` });
    expect((await call(officer.cookie, 'POST', `/programs/${programId}/certificates`)).json().issued).toBe(1);
    const completion = (await call(officer.cookie, 'GET', `/programs/${programId}/completion`)).json();
    const code = completion.items[0].certificateCode as string;
    const url = `/sessions/${session}/attendance/${applicationId}`;
    const refused = await call(officer.cookie, 'DELETE', url);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('certificate_exists');
    expect((await call(null, 'GET', `/certificates/${code}`)).json().status).toBe('valid');
    // Revoking a certificate is for those who issue them.
    const kecamatanTry = await call(kecamatan.cookie, 'DELETE', `${url}?revokeCertificate=true`);
    expect([403, 404]).toContain(kecamatanTry.statusCode);
    const undone = await call(officer.cookie, 'DELETE', `${url}?revokeCertificate=true&reason=Salah%20catat`);
    expect(undone.statusCode, undone.body).toBe(204);
    const verified = (await call(null, 'GET', `/certificates/${code}`)).json();
    expect(verified).toMatchObject({ status: 'revoked', revokedReason: 'Salah catat' });
    const page = await t.app.inject({ url: `/sertifikat/${code}` });
    expect(page.body).toContain('Dicabut');
    // No "not yet" beside a valid certificate.
    const now = (await call(officer.cookie, 'GET', `/programs/${programId}/completion`)).json().items[0];
    expect(now).toMatchObject({ completed: false, certificateStatus: 'revoked' });
  });
});

describe('the public form closes', () => {
  async function person() {
    const [b] = await bulkBusinesses(t.ctx.db, 1);
    return { nik: b!.nik, phone: `0${b!.phone.slice(3)}` };
  }
  const program = (overrides: Record<string, unknown>) =>
    createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Pemasaran Digital',
      type: 'training',
      capacity: 10,
      selection: 'first_come',
      eligibility: true,
      ...overrides,
    });

  it('once the program has started: 409 program_closed, and /daftar/{id} shows a closed message, not a form', async () => {
    const started = await program({ startDate: officeDay(0), endDate: officeDay(4) });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${started.id}/applications`,
      remoteAddress: '10.77.0.1',
      payload: await person(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('program_closed');
    const page = await t.app.inject({ url: `/daftar/${started.id}` });
    expect(page.statusCode).toBe(409);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Pendaftaran ditutup');
    expect(page.body).not.toContain('name="nik"');
    // The finished, full 2020 program of waitlist #7.
    const old = await program({ startDate: '2020-08-24', endDate: '2020-08-28', capacity: 1 });
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${old.id}/applications`,
      remoteAddress: '10.77.0.2',
      payload: await person(),
    });
    expect(late.json().error.code).toBe('program_closed');
  });

  it('past its applicationDeadline, and stays open before it', async () => {
    const closed = await program({
      startDate: officeDay(10),
      endDate: officeDay(14),
      applicationDeadline: officeDay(-1),
    });
    expect((await call(officer.cookie, 'GET', `/programs/${closed.id}`)).json().applicationDeadline).toBe(
      officeDay(-1),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${closed.id}/applications`,
      remoteAddress: '10.77.0.3',
      payload: await person(),
    });
    expect(res.json().error.code).toBe('program_closed');
    const page = await t.app.inject({ url: `/daftar/${closed.id}?lang=en` });
    expect(page.body).toContain('The deadline for applications was');
    const open = await program({
      startDate: officeDay(10),
      endDate: officeDay(14),
      applicationDeadline: officeDay(0),
    });
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/programs/${open.id}/applications`,
      remoteAddress: '10.77.0.4',
      payload: await person(),
    });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
    expect((await t.app.inject({ url: `/daftar/${open.id}` })).body).toContain('name="nik"');
  });
});
