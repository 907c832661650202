import { and, count, eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendance, auditLog, personalDataAccess, settings } from '../../db/schema.ts';
import { rattanTrainingRule } from '../../domain/eligibility.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  businessBody,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
  withOfficeTimeZone,
} from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';
import { attendanceToken } from './attendance-token.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let sopd: TestUser;
let owner: TestUser;

type Participant = {
  applicationId: string;
  businessId: string;
  ownerId: string;
  nik: string;
  ownerName: string;
};

// 35 participants: enough for the daftar hadir to run over two pages.
const participantCount = 35;
// The file's fixture, built in beforeAll and only read by the `it`s: the program of 35, its
// five sessions, the check-ins of A, B and C (day 1: A by QR, B offline at 08.12, C by the
// kecamatan officer; then A every day, B four days, C three) and the certificates of A and B.
// An `it` that writes attendance or certificates makes its own program (`cohort`), so that
// none depends on another's writes and each passes alone or shuffled.
let programId: string;
let people: Participant[] = [];
let sessionIds: string[] = [];
let otherProgramApplication: string;
let withdrawnApplication: string;

const json = (cookie: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function createProgram(overrides: Record<string, unknown> = {}) {
  const program = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
    type: 'training',
    capacity: 40,
    selection: 'first_come',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: rattanTrainingRule,
    hours: 40,
    ...overrides,
  });
  return program.id;
}

async function apply(program: string, b: { id: string; personId: string; nik: string }) {
  const application = await json(officer.cookie, 'POST', `/api/v1/programs/${program}/applications`, {
    businessId: b.id,
  });
  expect(application.statusCode, application.body).toBe(201);
  expect(application.json().status).toBe('enrolled');
  return { applicationId: application.json().id, businessId: b.id, ownerId: b.personId, nik: b.nik };
}

async function enrol(program: string, ownerName: string): Promise<Participant> {
  const body = businessBody({ ownerName, name: `Anyaman ${ownerName}` });
  const business = await json(officer.cookie, 'POST', '/api/v1/businesses', body);
  expect(business.statusCode, business.body).toBe(201);
  const { id: businessId, owner: o } = business.json() as { id: string; owner: { id: string } };
  return { ...(await apply(program, { id: businessId, personId: o.id, nik: body.owner.nik })), ownerName };
}

// The sessions of these programs are in August 2020: a check-in is sent as a phone that was
// offline on the day sends it, with the time it recorded then (check-ins hold on the day only).
const sessionDates = new Map<string, string>();
const checkIn = (sessionId: string, payload: Record<string, unknown>, cookie = officer.cookie) => {
  const date = sessionDates.get(sessionId);
  const onTheDay = date && payload.checkedInAt === undefined ? { checkedInAt: `${date}T08:30:00+07:00` } : {};
  return json(cookie, 'POST', `/api/v1/sessions/${sessionId}/attendance`, { ...payload, ...onTheDay });
};

async function attendanceRows(sessionId: string, applicationId: string) {
  const [row] = await t.ctx.db
    .select({ n: count() })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.applicationId, applicationId)));
  return row?.n ?? 0;
}

const nameOf = (i: number) => `Peserta ${String(i + 1).padStart(2, '0')}`;

const sessionBody = (day: number) => ({
  day,
  date: `2020-08-${23 + day}`,
  startsAt: '08:00',
  endsAt: '16:00',
  topic: day === 1 ? 'Pembukaan dan pengenalan bahan rotan' : null,
});

async function createSessions(program: string) {
  const ids: string[] = [];
  for (let day = 1; day <= 5; day++) {
    const res = await json(officer.cookie, 'POST', `/api/v1/programs/${program}/sessions`, sessionBody(day));
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
    sessionDates.set(res.json().id, sessionBody(day).date);
  }
  return ids;
}

let cohorts = 0;
// A program of its own with `size` enrolled participants and its five sessions.
async function cohort(size: number) {
  const n = ++cohorts;
  const program = await createProgram({ name: `Pelatihan Rotan Angkatan ${n}` });
  const members: Participant[] = [];
  for (let i = 0; i < size; i++) members.push(await enrol(program, `Peserta Angkatan ${n}-${i + 1}`));
  return { programId: program, people: members, sessionIds: await createSessions(program) };
}

// Of five sessions: A attends all, B four (80%: completes), C three (60%: does not).
const attendancePattern = [
  [1, 2, 3, 4, 5],
  [1, 2, 3, 5],
  [1, 3, 4],
] as const;

async function attend(sessions: string[], p: Participant, days: readonly number[]) {
  for (const day of days) {
    const res = await checkIn(sessions[day - 1]!, { applicationId: p.applicationId, method: 'qr' });
    expect([200, 201]).toContain(res.statusCode);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  // The officer of the participants' kecamatan (Jekan Raya); other kecamatan are in attendance-scope.test.ts.
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
  programId = await createProgram();
  // The 35 businesses in two inserts (src/testing/bulk.ts); each applies through the API.
  const registered = await bulkBusinesses(t.ctx.db, participantCount, {
    regionCodes: ['62.71.02.1004'],
    ownerName: nameOf,
    businessName: (i) => `Anyaman ${nameOf(i)}`,
  });
  people = [];
  for (const [i, b] of registered.entries()) {
    people.push({ ...(await apply(programId, b)), ownerName: nameOf(i) });
  }
  owner = await createUser(t, 'owner', { personId: people[0]!.ownerId });

  const other = await createProgram({ name: 'Pelatihan Lain', capacity: 5 });
  otherProgramApplication = (await enrol(other, 'Peserta Program Lain')).applicationId;
  const leaver = await enrol(programId, 'Peserta Mundur');
  const withdrawn = await json(
    officer.cookie,
    'POST',
    `/api/v1/applications/${leaver.applicationId}/withdraw`,
  );
  expect(withdrawn.statusCode, withdrawn.body).toBe(200);
  withdrawnApplication = leaver.applicationId;

  sessionIds = await createSessions(programId);
  const [a, b, c] = people;
  const day1 = [
    await checkIn(sessionIds[0]!, { applicationId: a!.applicationId, method: 'qr' }),
    await checkIn(sessionIds[0]!, {
      applicationId: b!.applicationId,
      method: 'qr',
      checkedInAt: '2020-08-24T08:12:00+07:00',
    }),
    await checkIn(sessionIds[0]!, { applicationId: c!.applicationId, method: 'manual' }, kecamatan.cookie),
  ];
  for (const res of day1) expect(res.statusCode, res.body).toBe(201);
  for (const [i, days] of attendancePattern.entries()) await attend(sessionIds, people[i]!, days);
  const issued = await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/certificates`);
  expect(issued.json()).toEqual({ completed: 2, issued: 2 });
  // About 120 requests: a bound for a loaded two-core machine, not the expected duration.
}, 300_000);
afterAll(async () => t?.close());

describe('sessions', () => {
  it('creates the five days of the program', async () => {
    const programId = await createProgram({ name: 'Pelatihan Rotan Tanpa Sesi' });
    for (let day = 1; day <= 5; day++) {
      const res = await json(
        officer.cookie,
        'POST',
        `/api/v1/programs/${programId}/sessions`,
        sessionBody(day),
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ day, programId, startsAt: '08:00' });
    }
    const list = await json(sopd.cookie, 'GET', `/api/v1/programs/${programId}/sessions`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((s: { day: number }) => s.day)).toEqual([1, 2, 3, 4, 5]);
    expect(list.json().items[0].attendedCount).toBe(0);
  });

  it('refuses a second session on the same day, a date outside the program and a bad body', async () => {
    const body = { day: 1, date: '2020-08-24', startsAt: '08:00', endsAt: '12:00' };
    const again = await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/sessions`, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('session_exists');

    const outside = await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/sessions`, {
      ...body,
      day: 6,
      date: '2020-08-29',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.code).toBe('validation_failed');

    for (const bad of [
      { ...body, day: 7, startsAt: '25:00' },
      { ...body, day: 7, endsAt: '07:00' },
      { ...body, day: 0 },
      { date: '2020-08-24' },
    ]) {
      const res = await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/sessions`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }

    const missing = await json(officer.cookie, 'POST', `/api/v1/programs/${crypto.randomUUID()}/sessions`, {
      ...body,
      day: 8,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('lets only program officers create sessions', async () => {
    const body = { day: 9, date: '2020-08-25', startsAt: '08:00', endsAt: '12:00' };
    for (const user of [kecamatan, sopd, owner]) {
      const res = await json(user.cookie, 'POST', `/api/v1/programs/${programId}/sessions`, body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const anonymous = await json(null, 'POST', `/api/v1/programs/${programId}/sessions`, body);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
  });
});

describe('attendance', () => {
  it('checks a participant in once; a resend answers the first check-in', async () => {
    const { people, sessionIds } = await cohort(1);
    const [a] = people;
    const first = await checkIn(sessionIds[0]!, { applicationId: a!.applicationId, method: 'qr' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      applicationId: a!.applicationId,
      sessionId: sessionIds[0],
      duplicate: false,
    });

    const resend = await checkIn(sessionIds[0]!, { applicationId: a!.applicationId, method: 'manual' });
    expect(resend.statusCode).toBe(200);
    expect(resend.json().duplicate).toBe(true);
    expect(resend.json().checkedInAt).toBe(first.json().checkedInAt);
    expect(resend.json().method).toBe('qr');
    expect(await attendanceRows(sessionIds[0]!, a!.applicationId)).toBe(1);
  });

  it('keeps one row when an offline phone resends the same check-in twenty times at once', async () => {
    const { people, sessionIds } = await cohort(1);
    const b = people[0]!;
    const offlineAt = '2020-08-24T08:12:00+07:00';
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        checkIn(sessionIds[0]!, { applicationId: b.applicationId, method: 'qr', checkedInAt: offlineAt }),
      ),
    );
    const statuses = replies.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const times = new Set(replies.map((r) => r.json().checkedInAt));
    expect([...times]).toEqual([new Date(offlineAt).toISOString()]);
    expect(await attendanceRows(sessionIds[0]!, b.applicationId)).toBe(1);
  });

  it('lets a kecamatan officer check in the participants of the kecamatan', async () => {
    const { people, sessionIds } = await cohort(1);
    const res = await checkIn(
      sessionIds[0]!,
      { applicationId: people[0]!.applicationId, method: 'manual' },
      kecamatan.cookie,
    );
    expect(res.statusCode, res.body).toBe(201);
  });

  it('checks in only enrolled participants of this program', async () => {
    for (const applicationId of [otherProgramApplication, withdrawnApplication, crypto.randomUUID()]) {
      const res = await checkIn(sessionIds[0]!, { applicationId, method: 'manual' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('not_enrolled');
    }
  });

  it('rejects a bad body, a future time, an unknown session and the wrong roles', async () => {
    const applicationId = people[3]!.applicationId;
    for (const bad of [
      { applicationId: 'nope', method: 'manual' },
      { applicationId, method: 'fax' },
      { applicationId, method: 'qr', checkedInAt: 'yesterday' },
      {},
    ]) {
      const res = await checkIn(sessionIds[0]!, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const future = await checkIn(sessionIds[0]!, {
      applicationId,
      method: 'qr',
      checkedInAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('validation_failed');

    const unknown = await checkIn(crypto.randomUUID(), { applicationId, method: 'qr' });
    expect(unknown.statusCode).toBe(404);

    for (const user of [owner, sopd]) {
      const res = await checkIn(sessionIds[0]!, { applicationId, method: 'qr' }, user.cookie);
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await json(null, 'POST', `/api/v1/sessions/${sessionIds[0]}/attendance`, {
      applicationId,
      method: 'qr',
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await attendanceRows(sessionIds[0]!, applicationId)).toBe(0);
  });

  it('undoes a mistaken check-in, and logs it', async () => {
    const { people, sessionIds } = await cohort(1);
    const d = people[0]!;
    expect(
      (await checkIn(sessionIds[0]!, { applicationId: d.applicationId, method: 'manual' })).statusCode,
    ).toBe(201);
    const url = `/api/v1/sessions/${sessionIds[0]}/attendance/${d.applicationId}`;
    expect((await json(owner.cookie, 'DELETE', url)).statusCode).toBe(403);
    const undo = await json(kecamatan.cookie, 'DELETE', url);
    expect(undo.statusCode, undo.body).toBe(204);
    expect(await attendanceRows(sessionIds[0]!, d.applicationId)).toBe(0);
    const again = await json(kecamatan.cookie, 'DELETE', url);
    expect(again.statusCode).toBe(404);
    const [logged] = await t.ctx.db
      .select({ n: count() })
      .from(auditLog)
      .where(eq(auditLog.action, 'undo_check_in'));
    expect(logged?.n).toBe(1);
  });

  it('shows the session with every participant, NIK masked, to the staff only', async () => {
    const res = await json(kecamatan.cookie, 'GET', `/api/v1/sessions/${sessionIds[0]}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.program).toMatchObject({ id: programId, venue: 'Aula Kecamatan Bukit Batu' });
    expect(body.participants).toHaveLength(participantCount);
    const a = body.participants.find(
      (p: { applicationId: string }) => p.applicationId === people[0]!.applicationId,
    );
    expect(a.method).toBe('qr');
    expect(a.checkedInAt).not.toBeNull();
    expect(a.ownerNik).toMatch(/^\d{4}\*{8}\d{4}$/);
    expect(a.kelurahanName).toBe('Tangkiling');
    const absent = body.participants.find(
      (p: { applicationId: string }) => p.applicationId === people[10]!.applicationId,
    );
    expect(absent.checkedInAt).toBeNull();
    for (const p of people) expect(res.body).not.toContain(p.nik);
    expect(
      body.participants.some((p: { applicationId: string }) => p.applicationId === withdrawnApplication),
    ).toBe(false);

    expect((await json(sopd.cookie, 'GET', `/api/v1/sessions/${sessionIds[0]}`)).statusCode).toBe(200);
    expect((await json(owner.cookie, 'GET', `/api/v1/sessions/${sessionIds[0]}`)).statusCode).toBe(403);
    expect((await json(null, 'GET', `/api/v1/sessions/${sessionIds[0]}`)).statusCode).toBe(401);

    const list = await json(owner.cookie, 'GET', `/api/v1/programs/${programId}/sessions`);
    expect(list.json().items[0].attendedCount).toBe(3);
  });
});

describe('completion and certificates', () => {
  // A, B and C as in attendancePattern, and D who attended nothing.
  async function attendedCohort() {
    const group = await cohort(4);
    for (const [i, days] of attendancePattern.entries())
      await attend(group.sessionIds, group.people[i]!, days);
    return group;
  }

  it('applies the 80% rule', async () => {
    const { programId, people } = await attendedCohort();
    const [a, b, c, d] = people;

    const res = await json(officer.cookie, 'GET', `/api/v1/programs/${programId}/completion`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.sessions).toBe(5);
    expect(body.minAttendanceRatio).toBe(0.8);
    const item = (p: Participant) =>
      body.items.find((i: { applicationId: string }) => i.applicationId === p.applicationId);
    expect(item(a!)).toMatchObject({ attended: 5, ratio: 1, completed: true, certificateCode: null });
    expect(item(b!)).toMatchObject({ attended: 4, ratio: 0.8, completed: true });
    expect(item(c!)).toMatchObject({ attended: 3, ratio: 0.6, completed: false });
    expect(item(d!)).toMatchObject({ attended: 0, completed: false });
    expect((await json(owner.cookie, 'GET', `/api/v1/programs/${programId}/completion`)).statusCode).toBe(
      403,
    );
  });

  it('issues certificates to those who complete, once', async () => {
    const { programId, people } = await attendedCohort();
    const url = `/api/v1/programs/${programId}/certificates`;
    for (const user of [kecamatan, sopd, owner])
      expect((await json(user.cookie, 'POST', url)).statusCode).toBe(403);
    expect((await json(null, 'POST', url)).statusCode).toBe(401);

    const first = await json(officer.cookie, 'POST', url);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ completed: 2, issued: 2 });
    const second = await json(officer.cookie, 'POST', url);
    expect(second.json()).toEqual({ completed: 0, issued: 0 });

    const completion = (await json(officer.cookie, 'GET', `/api/v1/programs/${programId}/completion`)).json();
    const codes = completion.items
      .filter((i: { certificateCode: string | null }) => i.certificateCode)
      .map((i: { applicationId: string; certificateCode: string }) => [i.applicationId, i.certificateCode]);
    expect(codes.map((c: string[]) => c[0]).sort()).toEqual(
      [people[0]!.applicationId, people[1]!.applicationId].sort(),
    );
    for (const [, code] of codes) expect(code).toMatch(/^PLH-2020-[0-9A-Z]{8}$/);

    // The programs module shows the application as completed, with its certificate.
    const applications = await json(
      officer.cookie,
      'GET',
      `/api/v1/programs/${programId}/applications?status=completed`,
    );
    expect(applications.statusCode, applications.body).toBe(200);
    expect(
      applications
        .json()
        .items.map((i: { certificateCode: string }) => i.certificateCode)
        .sort(),
    ).toEqual(codes.map((c: string[]) => c[1]).sort());
  });
});

describe('public verification', () => {
  let code: string;
  beforeAll(async () => {
    const completion = (await json(officer.cookie, 'GET', `/api/v1/programs/${programId}/completion`)).json();
    code = completion.items.find(
      (i: { applicationId: string }) => i.applicationId === people[0]!.applicationId,
    ).certificateCode;
  });

  it('verifies a certificate without login and without personal numbers', async () => {
    const res = await json(null, 'GET', `/api/v1/certificates/${code}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      code,
      status: 'valid',
      revokedReason: null,
      participantName: nameOf(0),
      businessName: `Anyaman ${nameOf(0)}`,
      programName: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      hours: 40,
    });
    expect(res.body).not.toContain(people[0]!.nik);
    expect(res.body).not.toMatch(/nik|phone|\+62/i);

    // Retyped from paper: lower case still verifies.
    expect((await json(null, 'GET', `/api/v1/certificates/${code.toLowerCase()}`)).json().code).toBe(code);
    const unknown = await json(null, 'GET', '/api/v1/certificates/PLH-2020-AAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('serves the verification page as HTML with a share preview', async () => {
    const res = await json(null, 'GET', `/sertifikat/${code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(/^<!doctype html><html lang="id">/);
    expect(res.body).toContain('<meta property="og:title"');
    expect(res.body).toContain('<meta property="og:description"');
    expect(res.body).toContain('name="viewport"');
    expect(res.body).toContain(nameOf(0));
    expect(res.body).toContain('Sah');
    expect(res.body).toContain(`/api/v1/certificates/${code}/pdf`);
    expect(res.body).not.toContain(people[0]!.nik);
    expect(res.body).not.toContain('<script');

    const english = await json(null, 'GET', `/sertifikat/${code}?lang=en`);
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Training certificate');

    const missing = await json(null, 'GET', '/sertifikat/PLH-2020-AAAAAAAA');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('Sertifikat tidak ditemukan');
    const junk = await json(null, 'GET', `/sertifikat/${'<b>'.repeat(5)}`);
    expect(junk.statusCode).toBe(404);
    expect(junk.body).not.toContain('<b>');
  });

  it('prints the certificate as a PDF with the name, the number and the QR target', async () => {
    const res = await json(null, 'GET', `/api/v1/certificates/${code}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const [page, ...rest] = await pdfPages(res.rawPayload);
    expect(rest).toHaveLength(0);
    expect(page).toContain('SERTIFIKAT PELATIHAN');
    expect(page).toContain(nameOf(0));
    expect(page).toContain(code);
    expect(page).toContain('24–28 Agustus 2020');
    expect(page).toContain('40 jam pelajaran (JP)');
    expect(page).toContain(`/sertifikat/${code}`);
    expect(page).not.toMatch(/kompetensi/i);
    expect(page).not.toContain('DICABUT');
    expect((await json(null, 'GET', '/api/v1/certificates/PLH-2020-AAAAAAAA/pdf')).statusCode).toBe(404);
  });

  it('revokes a certificate, which then verifies as revoked', async () => {
    // Its own certificate: the others verify the fixture's as valid.
    const { programId, people, sessionIds } = await cohort(1);
    await attend(sessionIds, people[0]!, [1, 2, 3, 4, 5]);
    expect((await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/certificates`)).json()).toEqual(
      {
        completed: 1,
        issued: 1,
      },
    );
    const code = (await json(officer.cookie, 'GET', `/api/v1/programs/${programId}/completion`))
      .json()
      .items.find(
        (i: { applicationId: string }) => i.applicationId === people[0]!.applicationId,
      ).certificateCode;
    const url = `/api/v1/certificates/${code}/revoke`;
    expect((await json(owner.cookie, 'POST', url, { reason: 'Data peserta keliru' })).statusCode).toBe(403);
    const bad = await json(officer.cookie, 'POST', url, { reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');

    const revoked = await json(officer.cookie, 'POST', url, { reason: 'Data peserta keliru' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedReason: 'Data peserta keliru' });

    const verify = await json(null, 'GET', `/api/v1/certificates/${code}`);
    expect(verify.json()).toMatchObject({ status: 'revoked', revokedReason: 'Data peserta keliru' });
    const html = await json(null, 'GET', `/sertifikat/${code}`);
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Dicabut');
    expect(html.body).toContain('Data peserta keliru');

    const pdf = await json(null, 'GET', `/api/v1/certificates/${code}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect((await pdfPages(pdf.rawPayload))[0]).toContain('DICABUT');

    // A revoked certificate is no longer the application's certificate, and is not reissued.
    const completion = (await json(officer.cookie, 'GET', `/api/v1/programs/${programId}/completion`)).json();
    const a = completion.items.find(
      (i: { applicationId: string }) => i.applicationId === people[0]!.applicationId,
    );
    expect(a.certificateCode).toBeNull();
    const rerun = await json(officer.cookie, 'POST', `/api/v1/programs/${programId}/certificates`);
    expect(rerun.json()).toEqual({ completed: 0, issued: 0 });
  });
});

describe('daftar hadir', () => {
  it('prints every participant across pages with the NIK masked', async () => {
    const res = await json(kecamatan.cookie, 'GET', `/api/v1/sessions/${sessionIds[0]}/daftar-hadir.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pages = await pdfPages(res.rawPayload);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const text = pages.join(' ');
    expect(pages[0]).toContain('DAFTAR HADIR');
    expect(text).toContain('Senin, 24 Agustus 2020');
    expect(text).toContain('08.00 – 16.00 WIB');
    expect(text).toContain('Aula Kecamatan Bukit Batu');
    expect(text).toContain('Pembukaan dan pengenalan bahan rotan');
    expect(text).toContain('Mengetahui');
    expect(text).toContain('NIP.');
    expect(text).not.toContain('Jam Hadir');
    for (let i = 0; i < participantCount; i++) expect(text).toContain(nameOf(i));
    // The table header is repeated on the second page.
    expect(pages[1]).toContain('Tanda Tangan');
    for (const p of people) {
      expect(text).toContain(`${p.nik.slice(0, 4)}********${p.nik.slice(12)}`);
      expect(text).not.toContain(p.nik);
    }
    expect(text).not.toContain('Peserta Mundur');
    expect(text).not.toMatch(/\+628\d{8,}/);
  });

  it('fills in the check-in times on request', async () => {
    const res = await json(
      officer.cookie,
      'GET',
      `/api/v1/sessions/${sessionIds[0]}/daftar-hadir.pdf?filled=true`,
    );
    expect(res.statusCode).toBe(200);
    const text = (await pdfPages(res.rawPayload)).join(' ');
    expect(text).toContain('Jam Hadir');
    // B checked in offline at 08.12 WIB.
    expect(text).toContain('08.12');
  });

  it("prints the times on the office's clock: WIT for an office in Jayapura", async () => {
    const res = await withOfficeTimeZone(t, 'Asia/Jayapura', () =>
      json(officer.cookie, 'GET', `/api/v1/sessions/${sessionIds[0]}/daftar-hadir.pdf?filled=true`),
    );
    expect(res.statusCode).toBe(200);
    const text = (await pdfPages(res.rawPayload)).join(' ');
    // The session's hours are the venue's wall clock, named after the office's zone.
    expect(text).toContain('08.00 – 16.00 WIT');
    // B's check-in at 08.12 WIB is 10.12 WIT.
    expect(text).toContain('10.12');
    expect(text).not.toContain('08.12');
  });

  it('is for the staff only', async () => {
    const url = `/api/v1/sessions/${sessionIds[0]}/daftar-hadir.pdf`;
    expect((await json(owner.cookie, 'GET', url)).statusCode).toBe(403);
    expect((await json(null, 'GET', url)).statusCode).toBe(401);
    expect((await json(officer.cookie, 'GET', `${url}?filled=maybe`)).json().error.code).toBe(
      'validation_failed',
    );
  });
});

describe('invitation cards and QR check-in', () => {
  const cardsUrl = () => `/api/v1/programs/${programId}/invitation-cards.pdf`;
  const tokenPattern = /PLH1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{16}/g;
  const printedTokens = async () => {
    const res = await json(officer.cookie, 'GET', cardsUrl());
    expect(res.statusCode, res.body).toBe(200);
    return (await pdfPages(res.rawPayload)).join(' ').match(tokenPattern) ?? [];
  };
  // One participant's code, from a reprint of that card alone.
  const cardToken = async (applicationId: string) => {
    const res = await json(officer.cookie, 'GET', `${cardsUrl()}?applicationId=${applicationId}`);
    expect(res.statusCode, res.body).toBe(200);
    const [token] = (await pdfPages(res.rawPayload)).join(' ').match(tokenPattern) ?? [];
    if (!token) throw new Error(`no code on the card of ${applicationId}`);
    return token;
  };
  const cardExports = async () => {
    const [logged] = await t.ctx.db
      .select({ n: count() })
      .from(personalDataAccess)
      .where(eq(personalDataAccess.subject, 'invitation_cards'));
    return logged?.n ?? 0;
  };

  // The QR images on the first page, decoded as a phone would.
  async function qrCodesOnFirstPage(body: Buffer): Promise<string[]> {
    const doc = await getDocument({
      data: new Uint8Array(body),
      verbosity: 0,
      isEvalSupported: false,
      isOffscreenCanvasSupported: false,
    }).promise;
    const page = await doc.getPage(1);
    const ops = await page.getOperatorList();
    const found: string[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
      const image = await new Promise<{ width: number; height: number; kind: number; data: Uint8Array }>(
        (resolve) => page.objs.get(ops.argsArray[i]![0] as string, resolve),
      );
      const channels = image.kind === 3 ? 4 : 3;
      const rgba = new Uint8ClampedArray(image.width * image.height * 4);
      for (let p = 0; p < image.width * image.height; p++) {
        for (let c = 0; c < 3; c++) rgba[p * 4 + c] = image.data[p * channels + c]!;
        rgba[p * 4 + 3] = 255;
      }
      const decoded = jsQR(rgba, image.width, image.height);
      if (decoded) found.push(decoded.data);
    }
    await doc.destroy();
    return found;
  }

  it('prints a card per participant, with name, program and QR code, and no NIK', async () => {
    const exportsBefore = await cardExports();
    const res = await json(kecamatan.cookie, 'GET', cardsUrl());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toContain('no-store');
    const pages = await pdfPages(res.rawPayload);
    // 35 participants, 8 to a page
    expect(pages).toHaveLength(5);
    const text = pages.join(' ');
    expect(pages[0]).toContain('KARTU UNDANGAN PESERTA');
    expect(pages[0]).toContain('Pelatihan Proses Produksi');
    expect(pages[0]).toContain('24–28 Agustus 2020');
    expect(pages[0]).toContain('Aula Kecamatan Bukit Batu');
    expect(pages[0]).toContain('Kel. Tangkiling');
    for (let i = 0; i < participantCount; i++) {
      expect(text).toContain(nameOf(i));
      expect(text).toContain(`Anyaman ${nameOf(i)}`);
    }
    for (const p of people) {
      expect(text).not.toContain(p.nik);
      expect(text).not.toContain(`${p.nik.slice(0, 4)}********`);
    }
    expect(text).not.toContain('Peserta Mundur');
    expect(text).not.toContain('Peserta Program Lain');

    const tokens = text.match(tokenPattern) ?? [];
    expect(tokens).toHaveLength(participantCount);
    const ids = tokens.map((token) => token.split('.')[1]);
    expect(new Set(ids)).toEqual(new Set(people.map((p) => p.applicationId)));
    // The printed code is what the QR holds.
    const scanned = await qrCodesOnFirstPage(res.rawPayload);
    expect(scanned).toHaveLength(8);
    for (const code of scanned) expect(tokens).toContain(code);

    // Printing names is logged as a personal-data export.
    expect(await cardExports()).toBe(exportsBefore + 1);
  });

  it('keeps one secret: a reprint carries the same codes; one card can be reprinted alone', async () => {
    const tokens = await printedTokens();
    const again = await json(officer.cookie, 'GET', cardsUrl());
    expect(again.statusCode).toBe(200);
    expect((await pdfPages(again.rawPayload)).join(' ').match(tokenPattern)).toEqual(tokens);
    const [secrets] = await t.ctx.db
      .select({ n: count() })
      .from(settings)
      .where(eq(settings.key, 'attendance_secret'));
    expect(secrets?.n).toBe(1);

    const one = await json(officer.cookie, 'GET', `${cardsUrl()}?applicationId=${people[30]!.applicationId}`);
    expect(one.statusCode).toBe(200);
    const [page, ...rest] = await pdfPages(one.rawPayload);
    expect(rest).toHaveLength(0);
    expect(page).toContain(nameOf(30));
    expect(page).not.toContain(nameOf(31));
    const stranger = await json(officer.cookie, 'GET', `${cardsUrl()}?applicationId=${withdrawnApplication}`);
    expect(stranger.statusCode).toBe(404);
  });

  it('is for those who take attendance or run programs', async () => {
    for (const user of [sopd, owner]) {
      const res = await json(user.cookie, 'GET', cardsUrl());
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect((await json(null, 'GET', cardsUrl())).statusCode).toBe(401);
    const missing = await json(
      officer.cookie,
      'GET',
      `/api/v1/programs/${crypto.randomUUID()}/invitation-cards.pdf`,
    );
    expect(missing.statusCode).toBe(404);
    const bad = await json(officer.cookie, 'GET', `${cardsUrl()}?applicationId=nope`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('checks in by the code on the card, once, including a code typed with spaces and capitals', async () => {
    const session = sessionIds[4]!;
    const p = people[30]!;
    const token = await cardToken(p.applicationId);
    const first = await checkIn(session, { token, method: 'qr' }, kecamatan.cookie);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ applicationId: p.applicationId, method: 'qr', duplicate: false });

    // Offline phones resend with the time of arrival; the first check-in stands.
    const typed = ` ${token.slice(0, 20).toUpperCase()} ${token.slice(20)} `;
    const resend = await checkIn(session, {
      token: typed,
      method: 'qr',
      checkedInAt: '2020-08-28T07:55:00+07:00',
    });
    expect(resend.statusCode, resend.body).toBe(200);
    expect(resend.json()).toMatchObject({ duplicate: true, checkedInAt: first.json().checkedInAt });
    expect(await attendanceRows(session, p.applicationId)).toBe(1);

    const offline = people[31]!;
    const later = await checkIn(session, {
      token: await cardToken(offline.applicationId),
      method: 'qr',
      checkedInAt: '2020-08-28T08:03:00+07:00',
    });
    expect(later.statusCode).toBe(201);
    expect(later.json().checkedInAt).toBe('2020-08-28T01:03:00.000Z');
  });

  it('refuses a forged, damaged or foreign code with invalid_attendance_token', async () => {
    const session = sessionIds[4]!;
    const p = people[32]!;
    const token = await cardToken(p.applicationId);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const [secret] = await t.ctx.db.select().from(settings).where(eq(settings.key, 'attendance_secret'));
    const key = Buffer.from(secret!.value as string, 'base64url');
    const cases: [string, string][] = [
      [`${token.slice(0, -1)}${last}`, 'signature'],
      // A well-formed code for another participant, made without the secret.
      [`PLH1.${people[33]!.applicationId}.${token.split('.')[2]}`, 'signature'],
      [attendanceToken(Buffer.alloc(32, 7), p.applicationId), 'signature'],
      ['PLH1.not-a-code', 'malformed'],
      [p.applicationId, 'malformed'],
      [attendanceToken(key, otherProgramApplication), 'other_program'],
    ];
    for (const [bad, reason] of cases) {
      const res = await checkIn(session, { token: bad, method: 'qr' });
      expect(res.statusCode, bad).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'invalid_attendance_token', details: { reason } });
    }
    // A genuine card of a participant who withdrew.
    const withdrawn = await checkIn(session, {
      token: attendanceToken(key, withdrawnApplication),
      method: 'qr',
    });
    expect(withdrawn.statusCode).toBe(409);
    expect(withdrawn.json().error.code).toBe('not_enrolled');
    expect(await attendanceRows(session, p.applicationId)).toBe(0);

    for (const body of [
      { token, applicationId: p.applicationId, method: 'qr' },
      { method: 'qr' },
      { token: '', method: 'qr' },
      { token, method: 'scan' },
    ]) {
      const res = await checkIn(session, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    for (const user of [sopd, owner]) {
      expect((await checkIn(session, { token, method: 'qr' }, user.cookie)).statusCode).toBe(403);
    }
    expect(await attendanceRows(session, p.applicationId)).toBe(0);
  });
});
