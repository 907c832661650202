import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendance } from '../../db/schema.ts';
import {
  businessBody,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';

// Attendance, invitation cards, the session view, completion and the daftar hadir are scoped like
// the program's applications: a kecamatan officer acts on and sees only the participants whose
// business is in the kecamatan.

let t: TestApp;
let officer: TestUser;
let jekanRaya: TestUser;
let programId: string;
let sessionId: string;
const inside = { applicationId: '', ownerName: 'Siti Jekan Raya' };
const outside = { applicationId: '', ownerName: 'Bambang Rakumpit' };

async function enrol(regionCode: string, ownerName: string) {
  const business = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie: officer.cookie },
    payload: businessBody({ regionCode, ownerName }),
  });
  expect(business.statusCode, business.body).toBe(201);
  const application = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications`,
    headers: { cookie: officer.cookie },
    payload: { businessId: business.json().id },
  });
  expect(application.statusCode, application.body).toBe(201);
  return application.json().id as string;
}

// The sessions are in August 2020: a check-in carries the time recorded on the day, as an
// offline phone sends it (check-ins hold on the session's day only).
const sessionDates = new Map<string, string>();
const as = (user: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
  const date = sessionDates.get(url.match(/sessions\/([^/]+)\/attendance$/)?.[1] ?? '');
  const body =
    payload && date && method === 'POST' ? { checkedInAt: `${date}T08:30:00+07:00`, ...payload } : payload;
  return t.app.inject({ method, url, headers: { cookie: user.cookie }, ...(body ? { payload: body } : {}) });
};

async function checkedIn(applicationId: string, session = sessionId) {
  const [row] = await t.ctx.db
    .select({ n: count() })
    .from(attendance)
    .where(and(eq(attendance.sessionId, session), eq(attendance.applicationId, applicationId)));
  return row?.n ?? 0;
}

async function addSession(day: number, date: string) {
  const session = await as(officer, 'POST', `/api/v1/programs/${programId}/sessions`, {
    day,
    date,
    startsAt: '08:00',
    endsAt: '16:00',
  });
  expect(session.statusCode, session.body).toBe(201);
  sessionDates.set(session.json().id, date);
  return session.json().id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  jekanRaya = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Anyaman Rotan',
      type: 'training',
      capacity: 10,
      selection: 'first_come',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Jekan Raya',
      eligibility: null,
      hours: 16,
    })
  ).id;
  inside.applicationId = await enrol('62.71.02.1004', inside.ownerName);
  outside.applicationId = await enrol('62.71.05.1001', outside.ownerName);
  // No `it` checks anyone in to this session; those that do add a day of their own.
  sessionId = await addSession(1, '2020-08-24');
});
afterAll(async () => t?.close());

describe('attendance scoped like applications', () => {
  it('checks in only the participants of the kecamatan, and says nothing of the others', async () => {
    const day = await addSession(2, '2020-08-25');
    const url = `/api/v1/sessions/${day}/attendance`;
    const own = await as(jekanRaya, 'POST', url, { applicationId: inside.applicationId, method: 'manual' });
    expect(own.statusCode, own.body).toBe(201);
    const other = await as(jekanRaya, 'POST', url, {
      applicationId: outside.applicationId,
      method: 'manual',
    });
    // Answered as for an application that is not in the program: nothing about that person.
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json().error.code).toBe('not_enrolled');
    expect(other.body).not.toContain(outside.ownerName);
    expect(await checkedIn(outside.applicationId, day)).toBe(0);
  });

  it('undoes only the check-ins of the kecamatan', async () => {
    const day = await addSession(3, '2020-08-26');
    const checkIn = await as(officer, 'POST', `/api/v1/sessions/${day}/attendance`, {
      applicationId: outside.applicationId,
      method: 'manual',
    });
    expect([200, 201]).toContain(checkIn.statusCode);
    const undo = await as(jekanRaya, 'DELETE', `/api/v1/sessions/${day}/attendance/${outside.applicationId}`);
    expect(undo.statusCode).toBe(404);
    expect(await checkedIn(outside.applicationId, day)).toBe(1);
  });

  it('shows the session and the completion with the participants of the kecamatan only', async () => {
    const session = await as(jekanRaya, 'GET', `/api/v1/sessions/${sessionId}`);
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json().participants.map((p: { applicationId: string }) => p.applicationId)).toEqual([
      inside.applicationId,
    ]);
    const completion = await as(jekanRaya, 'GET', `/api/v1/programs/${programId}/completion`);
    expect(completion.statusCode, completion.body).toBe(200);
    expect(completion.json().items.map((p: { applicationId: string }) => p.applicationId)).toEqual([
      inside.applicationId,
    ]);
    // The program officer still sees everyone.
    const all = await as(officer, 'GET', `/api/v1/sessions/${sessionId}`);
    expect(all.json().participants).toHaveLength(2);
  });

  it('prints cards and the daftar hadir with the participants of the kecamatan only', async () => {
    const cards = await as(jekanRaya, 'GET', `/api/v1/programs/${programId}/invitation-cards.pdf`);
    expect(cards.statusCode, cards.body).toBe(200);
    const cardText = (await pdfPages(cards.rawPayload)).join(' ');
    expect(cardText).toContain(inside.ownerName);
    expect(cardText).not.toContain(outside.ownerName);
    const one = await as(
      jekanRaya,
      'GET',
      `/api/v1/programs/${programId}/invitation-cards.pdf?applicationId=${outside.applicationId}`,
    );
    expect(one.statusCode).toBe(404);
    const list = await as(jekanRaya, 'GET', `/api/v1/sessions/${sessionId}/daftar-hadir.pdf`);
    expect(list.statusCode, list.body).toBe(200);
    const listText = (await pdfPages(list.rawPayload)).join(' ');
    expect(listText).toContain(inside.ownerName);
    expect(listText).not.toContain(outside.ownerName);
  });
});
