import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../db/schema.ts';
import { createClass, officeDay } from '../../testing/cohort.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';

// Sessions from a form: a series of days at once, then edit, move and cancel a day.

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

const call = (cookie: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: cookie ? { cookie } : {},
    ...(payload ? { payload } : {}),
  });

async function august2020Program() {
  return (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
      type: 'training',
      capacity: 30,
      selection: 'first_come',
      startDate: '2020-08-20',
      endDate: '2020-08-31',
      venue: 'Aula Kecamatan Bukit Batu',
      eligibility: true,
    })
  ).id;
}

const series = {
  from: '2020-08-24',
  to: '2020-08-28',
  startsAt: '08:00',
  endsAt: '16:00',
  venue: 'Aula Kecamatan Bukit Batu',
  lessonHours: 8,
  trainers: [
    { name: 'Dr. Hendra Saputra', role: 'narasumber' },
    { name: 'Ibu Rusmini', role: 'instruktur' },
  ],
};

describe('a series of sessions', () => {
  it('makes five days from "every day from 24 to 28 August, 08:00–16:00", in the office’s time zone', async () => {
    const programId = await august2020Program();
    const res = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, series);
    expect(res.statusCode, res.body).toBe(201);
    const items = res.json().items as { day: number; date: string; startsAt: string; trainers: unknown[] }[];
    expect(items.map((s) => [s.day, s.date, s.startsAt])).toEqual([
      [1, '2020-08-24', '08:00'],
      [2, '2020-08-25', '08:00'],
      [3, '2020-08-26', '08:00'],
      [4, '2020-08-27', '08:00'],
      [5, '2020-08-28', '08:00'],
    ]);
    const list = (await call(officer.cookie, 'GET', `/programs/${programId}/sessions`)).json().items;
    expect(list).toHaveLength(5);
    expect(list[0]).toMatchObject({ lessonHours: 8, venue: 'Aula Kecamatan Bukit Batu', cancelledAt: null });
    expect(list[0].trainers).toEqual(series.trainers);
    // 08:00 at the venue is 08:00 WIB: a check-in recorded at 07:55 WIB that day belongs to day 1.
    const program = await createClass(t, officer.cookie, { size: 1, startOffset: -3, endOffset: 3 });
    const today = officeDay(0);
    const made = await call(officer.cookie, 'POST', `/programs/${program.programId}/sessions/series`, {
      dates: [today],
      startsAt: '00:00',
      endsAt: '23:59',
    });
    const sessionId = made.json().items[0].id;
    const checkIn = await call(officer.cookie, 'POST', `/sessions/${sessionId}/attendance`, {
      applicationId: program.members[0]!.applicationId,
      method: 'manual',
      checkedInAt: `${today}T00:05:00+07:00`,
    });
    expect(checkIn.statusCode, checkIn.body).toBe(201);
  });

  it('keeps only the chosen weekdays, and numbers days by date among those already there', async () => {
    const programId = await august2020Program();
    const single = await call(officer.cookie, 'POST', `/programs/${programId}/sessions`, {
      day: 1,
      date: '2020-08-31',
      startsAt: '08:00',
      endsAt: '12:00',
    });
    expect(single.statusCode, single.body).toBe(201);
    // 20–30 August 2020, Mondays and Wednesdays only: 24, 26 (Mon 24, Wed 26).
    const res = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
      from: '2020-08-22',
      to: '2020-08-30',
      weekdays: [1, 3],
      startsAt: '13:00',
      endsAt: '15:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items.map((s: { date: string }) => s.date)).toEqual(['2020-08-24', '2020-08-26']);
    const list = (await call(officer.cookie, 'GET', `/programs/${programId}/sessions`)).json().items;
    expect(list.map((s: { day: number; date: string }) => [s.day, s.date])).toEqual([
      [1, '2020-08-24'],
      [2, '2020-08-26'],
      [3, '2020-08-31'],
    ]);
  });

  it('refuses a series outside the program’s dates, with no day, or for a role that may not', async () => {
    const programId = await august2020Program();
    const outside = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
      ...series,
      to: '2020-09-02',
    });
    expect(outside.statusCode).toBe(400);
    const none = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
      ...series,
      from: '2020-08-29',
      to: '2020-08-30',
      weekdays: [1],
    });
    expect(none.statusCode).toBe(400);
    const both = await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
      ...series,
      dates: ['2020-08-24'],
    });
    expect(both.statusCode).toBe(400);
    const denied = await call(kecamatan.cookie, 'POST', `/programs/${programId}/sessions/series`, series);
    expect(denied.statusCode).toBe(403);
    const list = (await call(officer.cookie, 'GET', `/programs/${programId}/sessions`)).json().items;
    expect(list).toHaveLength(0);
  });
});

describe('edit, move and cancel a day', () => {
  it('edits the times, trainers and JP, and moves a day to another date (renumbered)', async () => {
    const programId = await august2020Program();
    const made = (await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, series)).json()
      .items as { id: string }[];
    const edit = await call(officer.cookie, 'PATCH', `/sessions/${made[1]!.id}`, {
      startsAt: '09:00',
      endsAt: '15:00',
      lessonHours: 6,
      trainers: [{ name: 'Pak Yusuf', role: 'instruktur' }],
      topic: 'Anyaman motif Dayak',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({
      startsAt: '09:00',
      endsAt: '15:00',
      lessonHours: 6,
      topic: 'Anyaman motif Dayak',
    });
    // Day 1 (24 Aug) moves to 29 Aug: it becomes day 5.
    const move = await call(officer.cookie, 'PATCH', `/sessions/${made[0]!.id}`, { date: '2020-08-29' });
    expect(move.statusCode, move.body).toBe(200);
    expect(move.json()).toMatchObject({ date: '2020-08-29', day: 5 });
    const list = (await call(officer.cookie, 'GET', `/programs/${programId}/sessions`)).json().items;
    expect(list.map((s: { day: number; date: string }) => [s.day, s.date])).toEqual([
      [1, '2020-08-25'],
      [2, '2020-08-26'],
      [3, '2020-08-27'],
      [4, '2020-08-28'],
      [5, '2020-08-29'],
    ]);
    const bad = await call(officer.cookie, 'PATCH', `/sessions/${made[2]!.id}`, { endsAt: '07:00' });
    expect(bad.statusCode).toBe(400);
    const outside = await call(officer.cookie, 'PATCH', `/sessions/${made[2]!.id}`, { date: '2020-09-05' });
    expect(outside.statusCode).toBe(400);
  });

  it('cancels a day with a reason: listed as cancelled, on the daftar hadir, not counted, no check-ins', async () => {
    const { programId, members } = await createClass(t, officer.cookie, {
      size: 2,
      startOffset: -5,
      endOffset: 5,
    });
    const made = (
      await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
        dates: [officeDay(-2), officeDay(-1)],
        startsAt: '08:00',
        endsAt: '16:00',
      })
    ).json().items as { id: string; date: string }[];
    // Writers of programs only.
    for (const cookie of [kecamatan.cookie, null]) {
      const denied = await call(cookie, 'POST', `/sessions/${made[1]!.id}/cancel`, { reason: 'Tidak boleh' });
      expect([401, 403]).toContain(denied.statusCode);
      const edit = await call(cookie, 'PATCH', `/sessions/${made[1]!.id}`, { topic: 'Tidak boleh' });
      expect([401, 403]).toContain(edit.statusCode);
    }
    const cancel = await call(officer.cookie, 'POST', `/sessions/${made[1]!.id}/cancel`, {
      reason: 'Banjir di jalan menuju aula',
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().cancelledAt).not.toBeNull();
    expect(cancel.json().cancelReason).toBe('Banjir di jalan menuju aula');
    const list = (await call(officer.cookie, 'GET', `/programs/${programId}/sessions`)).json().items;
    expect(list).toHaveLength(2);
    expect(list[1].cancelReason).toBe('Banjir di jalan menuju aula');
    const completion = (await call(officer.cookie, 'GET', `/programs/${programId}/completion`)).json();
    expect(completion.sessions).toBe(1);
    const refused = await call(officer.cookie, 'POST', `/sessions/${made[1]!.id}/attendance`, {
      applicationId: members[0]!.applicationId,
      method: 'manual',
      lateReason: 'Dicatat dari daftar hadir kertas',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('session_cancelled');
    const edit = await call(officer.cookie, 'PATCH', `/sessions/${made[1]!.id}`, { startsAt: '09:00' });
    expect(edit.json().error.code).toBe('session_cancelled');
    // The participant's status page lists the days, the cancelled one marked with its reason.
    const [application] = await t.ctx.db
      .select({ token: applications.statusToken })
      .from(applications)
      .where(eq(applications.id, members[0]!.applicationId));
    const status = await call(null, 'GET', `/public/status/${application!.token}`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json().sessions.map((x: { cancelled: boolean }) => x.cancelled)).toEqual([false, true]);
    const page = await t.app.inject({ url: `/status/${application!.token}` });
    expect(page.body).toContain('Jadwal pelatihan');
    expect(page.body).toContain('Dibatalkan');
    expect(page.body).toContain('Banjir di jalan menuju aula');
    const pdf = await t.app.inject({
      url: `/api/v1/sessions/${made[1]!.id}/daftar-hadir.pdf`,
      headers: { cookie: officer.cookie },
    });
    expect(pdf.statusCode).toBe(200);
    expect((await pdfPages(pdf.rawPayload))[0]).toContain('DIBATALKAN');
  });

  it('keeps a day with check-ins on its date', async () => {
    const { programId, members } = await createClass(t, officer.cookie, {
      size: 1,
      startOffset: -5,
      endOffset: 5,
    });
    const day = officeDay(-1);
    const [made] = (
      await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, {
        dates: [day],
        startsAt: '08:00',
        endsAt: '16:00',
      })
    ).json().items as { id: string }[];
    const checkIn = await call(officer.cookie, 'POST', `/sessions/${made!.id}/attendance`, {
      applicationId: members[0]!.applicationId,
      method: 'manual',
      checkedInAt: `${day}T08:10:00+07:00`,
    });
    expect(checkIn.statusCode, checkIn.body).toBe(201);
    const move = await call(officer.cookie, 'PATCH', `/sessions/${made!.id}`, { date: officeDay(-2) });
    expect(move.statusCode).toBe(409);
    expect(move.json().error.code).toBe('session_has_attendance');
  });

  it('shows the daftar hadir with the trainers and JP of the day', async () => {
    const programId = await august2020Program();
    const [made] = (
      await call(officer.cookie, 'POST', `/programs/${programId}/sessions/series`, series)
    ).json().items as { id: string }[];
    const pdf = await t.app.inject({
      url: `/api/v1/sessions/${made!.id}/daftar-hadir.pdf`,
      headers: { cookie: officer.cookie },
    });
    const [first] = await pdfPages(pdf.rawPayload);
    expect(first).toContain('Dr. Hendra Saputra (Narasumber)');
    expect(first).toContain('Ibu Rusmini (Instruktur)');
    expect(first).toContain('8 JP');
  });
});
