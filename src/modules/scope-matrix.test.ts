import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exclusionLists, jobs, registrations } from '../db/schema.ts';

import {
  businessBody,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../testing/harness.ts';
import { tinyPng } from '../testing/report-fixture.ts';

// The route × role matrix: every route of the OpenAPI document with an id in its path, asked by
// every role (and no one) for a resource in the asker's scope and one outside it, against one
// seeded fixture. The scope is the kecamatan 62.71.02 (the kecamatan officer's, where the owner's
// business is); "out" is a resource of another kecamatan, another user or no resource at all.
// Each cell's expected answer is declared below: 'ok' is any answer past authorisation and scope
// (not 401, 403 or 404); a number is that exact status. Cells that must be refused run first, so
// that no permitted change made by another cell can answer for them.

const roles = ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'] as const;
type Asker = (typeof roles)[number] | 'anonymous';
type Outcome = 'ok' | number;
type Cell = readonly [inScope: Outcome, outOfScope: Outcome];
type Expectations = Record<(typeof roles)[number], Cell>;

// Shorthands for the common patterns, in role order: admin, program officer, kecamatan officer,
// SOPD officer, owner.
const cells = (admin: Cell, program: Cell, kecamatan: Cell, sopd: Cell, owner: Cell): Expectations => ({
  admin,
  program_officer: program,
  kecamatan_officer: kecamatan,
  sopd_officer: sopd,
  owner,
});
const ok: Cell = ['ok', 404];
const scoped: Cell = ['ok', 404];
const hidden: Cell = [404, 404];
const denied: Cell = [403, 403];
const everywhere: Cell = ['ok', 'ok'];

type Fixture = {
  businessIn: string;
  businessOut: string;
  program: string;
  applicationIn: string;
  applicationOut: string;
  // applications of a second program, for the routes that end one (withdraw, no-show)
  leavingIn: string;
  leavingOut: string;
  session: string;
  review: string;
  job: string;
  exclusionList: string;
  // a staff user who asks nothing here, and an organisation: the admin's alone to manage
  user: string;
  organisation: string;
  // complaints linked to a business inside and outside the kecamatan (entered by the program officer)
  complaintIn: string;
  complaintOut: string;
  // self-registrations waiting in the kecamatan and in another (registrations module)
  registrationIn: string;
  registrationOut: string;
};

type Route = {
  // which fixture ids go into the path (and body) for the in-scope and the out-of-scope cell
  ids: (f: Fixture) => { in: Record<string, string>; out: Record<string, string> };
  body?: (f: Fixture, scope: 'in' | 'out') => object;
  // run before each cell, so that a permitted change by an earlier cell does not answer for it
  prepare?: (f: Fixture) => Promise<void>;
  expect: Expectations;
  anonymous?: Outcome;
};

const unknown = '00000000-0000-4000-8000-000000000000';
const byBusiness = (f: Fixture) => ({ in: { id: f.businessIn }, out: { id: f.businessOut } });
const byApplication = (f: Fixture) => ({ in: { id: f.applicationIn }, out: { id: f.applicationOut } });
const byProgram = (f: Fixture) => ({ in: { id: f.program }, out: { id: unknown } });
const bySession = (f: Fixture) => ({ in: { id: f.session }, out: { id: unknown } });
const byLeaving = (f: Fixture) => ({ in: { id: f.leavingIn }, out: { id: f.leavingOut } });
const byParticipant = (f: Fixture) => ({
  in: { id: f.session, applicationId: f.applicationIn },
  out: { id: f.session, applicationId: f.applicationOut },
});

const byUser = (f: Fixture) => ({ in: { id: f.user }, out: { id: unknown } });
const adminOnly = cells(ok, denied, denied, denied, denied);

const byComplaint = (f: Fixture) => ({ in: { id: f.complaintIn }, out: { id: f.complaintOut } });
// Complaints: the offices that answer them, a kecamatan office its kecamatan's (and the ones it
// entered or holds: complaints.test.ts); SOPD officers and owners not at all.
const complaintCells = cells(everywhere, everywhere, scoped, denied, denied);

const byRegistration = (f: Fixture) => ({ in: { id: f.registrationIn }, out: { id: f.registrationOut } });
// Self-registrations: the offices that verify them, a kecamatan office its kecamatan's.
const registrationCells = cells(everywhere, everywhere, scoped, denied, denied);
let visitKeys = 0;

const matrix: Record<string, Route> = {
  'GET /registrations/{id}': { ids: byRegistration, expect: registrationCells },
  'GET /registrations/{id}/photo': { ids: byRegistration, expect: registrationCells },
  'POST /registrations/{id}/visits': {
    ids: byRegistration,
    body: () => ({
      clientKey: `matrix-visit-${++visitKeys}`,
      visitedAt: new Date().toISOString(),
      outcome: 'perlu_perbaikan',
      businessExists: true,
      ownerMet: false,
      nikSeen: false,
      note: 'Pemilik tidak di tempat',
    }),
    expect: registrationCells,
  },
  'GET /complaints/{id}': { ids: byComplaint, expect: complaintCells },
  'PATCH /complaints/{id}': {
    ids: byComplaint,
    body: () => ({ laporRef: 'LAPOR-0001' }),
    expect: complaintCells,
  },
  'POST /complaints/{id}/notes': {
    ids: byComplaint,
    body: () => ({ text: 'Catatan matriks' }),
    expect: complaintCells,
  },
  'GET /users/{id}': { ids: byUser, expect: adminOnly },
  'PATCH /users/{id}': { ids: byUser, body: () => ({ position: 'Penyuluh' }), expect: adminOnly },
  'POST /users/{id}/reset-password': { ids: byUser, expect: adminOnly },
  'POST /users/{id}/invite': { ids: byUser, expect: adminOnly },
  'PATCH /organisations/{id}': {
    ids: (f) => ({ in: { id: f.organisation }, out: { id: unknown } }),
    body: () => ({ name: 'Dinas Koperasi dan UKM' }),
    expect: adminOnly,
  },
  'GET /businesses/{id}': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, everywhere, scoped),
  },
  'PATCH /businesses/{id}': {
    ids: byBusiness,
    body: () => ({ workers: 3 }),
    expect: cells(everywhere, everywhere, scoped, denied, scoped),
  },
  // Market access (issue 11): a storefront and sales hang off their business.
  'GET /businesses/{id}/storefront': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, denied, scoped),
  },
  'PUT /businesses/{id}/storefront': {
    ids: byBusiness,
    body: () => ({ instagramUrl: 'instagram.com/matriks.akses' }),
    expect: cells(everywhere, everywhere, scoped, denied, scoped),
  },
  'POST /businesses/{id}/sales': {
    ids: byBusiness,
    body: () => ({ date: '2026-11-02', amount: 25000, channel: 'langsung' }),
    expect: cells(everywhere, everywhere, scoped, denied, scoped),
  },
  'GET /businesses/{id}/sales': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, everywhere, scoped),
  },
  'GET /businesses/{id}/sales/summary': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, everywhere, scoped),
  },
  'GET /businesses/{id}/events': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, everywhere, scoped),
  },
  // The cohort's figures: each office within its scope (a kecamatan office its own graduates).
  'GET /programs/{id}/sales': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'GET /businesses/{id}/personal-data': {
    ids: byBusiness,
    expect: cells(everywhere, everywhere, scoped, denied, denied),
  },
  'POST /identity-reviews/{id}/link': {
    ids: (f) => ({ in: { id: f.review }, out: { id: unknown } }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'POST /identity-reviews/{id}/dismiss': {
    ids: (f) => ({ in: { id: f.review }, out: { id: unknown } }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  // An import of the program officer's: the officers who see every job, and no one else.
  'GET /imports/{id}': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, denied, denied),
  },
  'GET /imports/{id}/issues': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, denied, denied),
  },
  'GET /imports/{id}/errors.xlsx': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, denied, denied),
  },
  'POST /imports/{id}/run': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, denied, denied),
  },
  'POST /imports/{id}/cancel': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, denied, denied),
  },
  'GET /jobs/{id}': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, hidden, hidden),
  },
  'POST /jobs/{id}/retry': {
    ids: (f) => ({ in: { id: f.job }, out: { id: unknown } }),
    expect: cells(ok, ok, hidden, hidden, hidden),
  },
  'GET /programs/{id}': { ids: byProgram, expect: cells(ok, ok, ok, ok, ok) },
  'PATCH /programs/{id}': {
    ids: byProgram,
    body: () => ({ venue: 'Aula Kecamatan Jekan Raya' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'POST /programs/{id}/copy': {
    ids: byProgram,
    body: () => ({ startDate: '2021-08-24' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'GET /programs/{id}/feedback': { ids: byProgram, expect: cells(ok, ok, ok, ok, ok) },
  'PUT /applications/{id}/scores': {
    ids: byApplication,
    body: () => ({ preTestScore: 40 }),
    expect: cells(everywhere, everywhere, scoped, denied, denied),
  },
  'POST /programs/{id}/eligibility': {
    ids: byProgram,
    body: (f) => ({ businessId: f.businessIn }),
    expect: cells(ok, ok, ok, ok, ok),
  },
  'POST /programs/{id}/applications': {
    ids: byProgram,
    body: (f) => ({ businessId: f.businessIn }),
    expect: cells(ok, ok, ok, denied, ok),
  },
  // A business out of the asker's reach is answered per item (not_found, bulk-enrolment.test.ts).
  'POST /programs/{id}/applications/bulk': {
    ids: byProgram,
    body: (f) => ({ businessIds: [f.businessIn] }),
    expect: cells(ok, ok, ok, denied, ok),
  },
  // Lines out of the asker's reach resolve to not_found (resolve-list.test.ts).
  'POST /programs/{id}/applications/resolve': {
    ids: byProgram,
    body: () => ({ lines: ['REF-1'] }),
    expect: cells(ok, ok, ok, denied, ok),
  },
  'GET /programs/{id}/applications': { ids: byProgram, expect: cells(ok, ok, ok, ok, ok) },
  'POST /programs/{id}/selection': { ids: byProgram, expect: cells(ok, ok, denied, denied, denied) },
  'POST /applications/{id}/withdraw': {
    ids: byLeaving,
    expect: cells(everywhere, everywhere, scoped, denied, scoped),
  },
  'POST /applications/{id}/no-show': {
    ids: byLeaving,
    expect: cells(everywhere, everywhere, denied, denied, denied),
  },
  'GET /applications/{id}/events': {
    ids: byApplication,
    expect: cells(everywhere, everywhere, scoped, everywhere, scoped),
  },
  'POST /programs/{id}/sessions': {
    ids: byProgram,
    body: () => ({ day: 2, date: '2020-08-25', startsAt: '08:00', endsAt: '16:00' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'POST /programs/{id}/sessions/series': {
    ids: byProgram,
    body: () => ({ dates: ['2020-08-26'], startsAt: '08:00', endsAt: '16:00' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'PATCH /sessions/{id}': {
    ids: bySession,
    body: () => ({ topic: 'Pengenalan bahan rotan' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'GET /programs/{id}/certificates/preview': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'GET /programs/{id}/certificates.pdf': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'GET /programs/{id}/certificates.zip': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'GET /programs/{id}/sessions': { ids: byProgram, expect: cells(ok, ok, ok, ok, ok) },
  // The Laporan Kegiatan: figures only, for every staff role; its texts and photos by writers.
  'GET /programs/{id}/laporan-kegiatan.pdf': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'GET /programs/{id}/report-texts': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'PUT /programs/{id}/report-texts': {
    ids: byProgram,
    body: () => ({ background: 'Latar belakang', legalBasis: null }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'GET /programs/{id}/photos': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'POST /programs/{id}/photos': {
    ids: byProgram,
    body: () => ({ photo: { contentType: 'image/png', dataBase64: tinyPng.toString('base64') } }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'GET /sessions/{id}': { ids: bySession, expect: cells(ok, ok, ok, ok, denied) },
  // The participant is in the body: out of the kecamatan officer's scope it is answered as for an
  // application that is not in the program.
  'POST /sessions/{id}/attendance': {
    ids: (f) => ({ in: { id: f.session }, out: { id: f.session } }),
    body: (f, scope) => ({
      applicationId: scope === 'in' ? f.applicationIn : f.applicationOut,
      method: 'manual',
      // The fixture's session was on 24 August 2020: sent as a phone that was offline that day.
      checkedInAt: '2020-08-24T08:30:00+07:00',
    }),
    expect: cells(everywhere, everywhere, ['ok', 409], denied, denied),
  },
  'DELETE /sessions/{id}/attendance/{applicationId}': {
    ids: byParticipant,
    prepare: (f) => checkInBoth(f),
    expect: cells(everywhere, everywhere, scoped, denied, denied),
  },
  'GET /sessions/{id}/daftar-hadir.pdf': { ids: bySession, expect: cells(ok, ok, ok, ok, denied) },
  'GET /programs/{id}/invitation-cards.pdf': { ids: byProgram, expect: cells(ok, ok, ok, denied, denied) },
  'GET /programs/{id}/completion': { ids: byProgram, expect: cells(ok, ok, ok, ok, denied) },
  'POST /programs/{id}/certificates': { ids: byProgram, expect: cells(ok, ok, denied, denied, denied) },
  'POST /programs/{id}/screening': { ids: byProgram, expect: cells(ok, ok, ok, denied, denied) },
  'GET /programs/{id}/screening/eligible': { ids: byProgram, expect: cells(ok, ok, ok, denied, denied) },
  'GET /programs/{id}/screening/invitations.pdf': {
    ids: byProgram,
    expect: cells(ok, ok, ok, denied, denied),
  },
  // Follow-ups: the fixture's program has no graduates, so opening opens none; listing is scoped
  // to the kecamatan inside (follow-ups.test.ts).
  'POST /programs/{id}/follow-ups': {
    ids: byProgram,
    body: () => ({ dueAt: '2020-11-28' }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'GET /programs/{id}/follow-ups': { ids: byProgram, expect: cells(ok, ok, ok, denied, denied) },
  'GET /exclusion-lists/{id}': {
    ids: (f) => ({ in: { id: f.exclusionList }, out: { id: unknown } }),
    expect: cells(ok, ok, denied, denied, denied),
  },
  'DELETE /exclusion-lists/{id}': {
    ids: (f) => ({ in: { id: f.exclusionList }, out: { id: unknown } }),
    prepare: (f) => listExclusions(f.exclusionList),
    expect: cells(ok, ok, denied, denied, denied),
  },
};

// Routes with an id that this matrix does not ask, each with where its access is tested instead.
// Listed so that a new route with an id must be placed in one table or the other.
const elsewhere: Record<string, string> = {
  'DELETE /auth/sessions/{id}': "one's own sessions only, whatever the role (users.test.ts)",
  'DELETE /auth/tokens/{id}': "one's own API tokens only, whatever the role (users.test.ts)",
  'GET /certificates/{code}': 'public by an unguessable code (training.test.ts)',
  'GET /certificates/{code}/pdf': 'public by an unguessable code (training.test.ts)',
  'POST /certificates/{code}/revoke': 'training.test.ts',
  // it would cancel the fixture's one session for the other cells
  'POST /sessions/{id}/cancel': 'writers only (training/session-series.test.ts)',
  'DELETE /programs/{id}/photos/{photoId}': 'writers only (reports/activity-report.test.ts)',
  'GET /aid/stock/{id}': 'SOPD-scoped stock (aid.test.ts)',
  'PATCH /aid/stock/{id}': 'SOPD-scoped stock (aid.test.ts)',
  'GET /aid/allocations/{id}': 'aid.test.ts',
  'POST /aid/allocations/{id}/cancel': 'aid.test.ts',
  'POST /aid/allocations/{id}/schedule': 'SOPD-scoped (aid/handover-schedule.test.ts)',
  'POST /programs/{id}/applications/resolve-file':
    'multipart; the same scoped resolver as /resolve (programs/list-file.test.ts)',
  // each changes the shared program of the fixture (archived) for the other cells
  'POST /programs/{id}/archive': 'writers only (screening/rule-limits.test.ts)',
  'POST /programs/{id}/unarchive': 'writers only (screening/rule-limits.test.ts)',
  'POST /aid/allocations/{id}/handover': 'aid.test.ts',
  'POST /aid/allocations/{id}/received': 'aid.test.ts',
  'GET /aid/handovers/{id}': 'aid.test.ts',
  'GET /aid/handovers/{id}/bast.pdf': 'aid.test.ts',
  'GET /aid/handovers/{id}/photo': 'aid.test.ts',
  'GET /aid/packages/{id}': 'SOPD-scoped packages (aid-cohort.test.ts)',
  'GET /aid/handovers/{id}/returns': 'SOPD-scoped through the handover (aid-handover-returns.test.ts)',
  'POST /aid/handovers/{id}/returns': 'SOPD-scoped through the handover (aid-handover-returns.test.ts)',
  'POST /aid/returns/{id}/reallocate': 'SOPD-scoped through the handover (aid-handover-returns.test.ts)',
  'POST /aid/handovers/{id}/visits': 'SOPD-scoped through the handover (aid-handover-returns.test.ts)',
  'GET /catalog/products/{id}': 'public catalogue (catalog.test.ts)',
  'GET /catalog/products/{id}/photo': 'public catalogue (catalog.test.ts)',
  'GET /products/{id}': 'catalog.test.ts',
  'PATCH /products/{id}': 'catalog.test.ts',
  'PUT /products/{id}/photo': 'catalog.test.ts',
  'GET /products/{id}/photo': 'catalog.test.ts',
  'POST /products/{id}/photos': 'owners reach only their own products (catalog-curation.test.ts)',
  'DELETE /products/{id}/photos/{key}': 'owners reach only their own products (catalog-curation.test.ts)',
  'POST /products/{id}/submit': 'owners reach only their own products (catalog-curation.test.ts)',
  'POST /products/{id}/approve': 'curators only (catalog-curation.test.ts)',
  'POST /products/{id}/return': 'curators only (catalog-curation.test.ts)',
  'POST /public/programs/{id}/applications': 'public form by NIK and phone (public-apply.test.ts)',
  'GET /public/status/{token}': 'public by an unguessable token (public-apply.test.ts)',
  'GET /public/complaints/{code}': 'public by a random tracking code, no personal data (complaints.test.ts)',
  // Promotion events are the kabupaten's, not held to a kecamatan: the role decides (events.test.ts).
  'GET /events/{id}': 'offices read, the dinas manages; no record scope (events/events.test.ts)',
  'PATCH /events/{id}': 'the dinas only; no record scope (events/events.test.ts)',
  'POST /events/{id}/participants': 'the dinas only; no record scope (events/events.test.ts)',
  'PATCH /events/{id}/participants/{businessId}': 'the dinas only (events/events.test.ts)',
  'DELETE /events/{id}/participants/{businessId}': 'the dinas only (events/events.test.ts)',
  'GET /events/{id}/booths.pdf': 'offices; no personal data beyond owner names (events/events.test.ts)',
  'GET /events/{id}/attendance.pdf': 'offices (events/events.test.ts)',
  'GET /events/{id}/sales': 'offices (sales/sales.test.ts)',
  'POST /events/{id}/sales/import': 'the dinas only, multipart (sales/sales-import.test.ts)',
  'POST /follow-ups/{id}/answers': 'a kecamatan office within its kecamatan (outcomes/follow-ups.test.ts)',
  'PUT /notification-templates/{key}/{language}':
    'admin only, names no record (notifications.test.ts); GET /notifications?applicationId= is scoped there too',
};

let t: TestApp;
let officerCookie = '';
const askers = new Map<Asker, string | null>();
let fixture: Fixture;

const post = (cookie: string, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload });

async function checkInBoth(f: Fixture) {
  for (const applicationId of [f.applicationIn, f.applicationOut]) {
    const res = await post(officerCookie, `/sessions/${f.session}/attendance`, {
      applicationId,
      method: 'manual',
      checkedInAt: '2020-08-24T08:30:00+07:00',
    });
    expect([200, 201], res.body).toContain(res.statusCode);
  }
}

async function listExclusions(id: string) {
  await t.ctx.db
    .insert(exclusionLists)
    .values({ id, name: 'Daftar ASN Matriks', kind: 'asn' })
    .onConflictDoNothing();
}

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  officerCookie = officer.cookie;
  const kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  const created = async (body: object) => {
    const res = await post(officer.cookie, '/businesses', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; owner: { id: string } };
  };
  const inside = await created(businessBody({ regionCode: '62.71.02.1004' }));
  const outsideBody = businessBody({ regionCode: '62.71.05.1001' });
  const outside = await created(outsideBody);
  const program = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Matriks Akses',
    type: 'training',
    capacity: 10,
    selection: 'first_come',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    venue: 'Aula',
    eligibility: null,
  });
  const second = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Matriks Kedua',
    type: 'training',
    capacity: 10,
    selection: 'first_come',
    startDate: '2020-08-24',
    endDate: '2020-08-28',
    venue: 'Aula',
    eligibility: null,
  });
  const apply = async (businessId: string, programId = program.id) => {
    const res = await post(officer.cookie, `/programs/${programId}/applications`, { businessId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const session = await post(officer.cookie, `/programs/${program.id}/sessions`, {
    day: 1,
    date: '2020-08-24',
    startsAt: '08:00',
    endsAt: '16:00',
  });
  const again = businessBody({ regionCode: '62.71.02.1004' });
  const attempt = await post(kecamatan.cookie, '/businesses', {
    ...again,
    owner: { ...again.owner, nik: outsideBody.owner.nik },
  });
  expect(attempt.statusCode, attempt.body).toBe(409);
  const [job] = await t.ctx.db
    .insert(jobs)
    .values({
      kind: 'import',
      status: 'failed',
      createdBy: officer.id,
      payload: { dryRun: true, fileName: 'a.csv' },
    })
    .returning();
  const [list] = await t.ctx.db
    .insert(exclusionLists)
    .values({ name: 'Daftar ASN Matriks', kind: 'asn' })
    .returning();
  const bystander = await createUser(t, 'program_officer');
  const complaint = async (businessId: string) => {
    const res = await post(officer.cookie, '/complaints', {
      name: 'Pengadu Matriks',
      message: 'Pengaduan untuk matriks akses.',
      channel: 'phone',
      businessId,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const registration = async (regionCode: string, serial: number) => {
    const [row] = await t.ctx.db
      .insert(registrations)
      .values({
        tokenHash: `matrix-token-${serial}`,
        source: 'public',
        nik: `${regionCode.slice(0, 8).replace(/\./g, '')}0304850${serial}`,
        name: 'Pendaftar Matriks',
        sex: 'L',
        birthDate: '1985-04-03',
        phone: '+6281300000000',
        address: 'Jl. Matriks',
        regionCode,
        kecamatanCode: regionCode.slice(0, 8),
        businessName: 'Usaha Matriks',
        photo: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        photoType: 'image/png',
        consentVersion: 'matrix',
        consentAt: new Date(),
      })
      .returning({ id: registrations.id });
    return row?.id ?? unknown;
  };
  fixture = {
    registrationIn: await registration('62.71.02.1004', 101),
    registrationOut: await registration('62.71.05.1001', 102),
    complaintIn: await complaint(inside.id),
    complaintOut: await complaint(outside.id),
    businessIn: inside.id,
    businessOut: outside.id,
    program: program.id,
    applicationIn: await apply(inside.id),
    applicationOut: await apply(outside.id),
    leavingIn: await apply(inside.id, second.id),
    leavingOut: await apply(outside.id, second.id),
    session: session.json().id,
    review: attempt.json().error.details.reviewId,
    job: job?.id ?? unknown,
    exclusionList: list?.id ?? unknown,
    user: bystander.id,
    organisation: bystander.organisationId ?? unknown,
  };
  askers.set('admin', (await createUser(t, 'admin')).cookie);
  askers.set('program_officer', officer.cookie);
  askers.set('kecamatan_officer', kecamatan.cookie);
  askers.set('sopd_officer', (await createUser(t, 'sopd_officer')).cookie);
  askers.set('owner', (await createUser(t, 'owner', { personId: inside.owner.id })).cookie);
  askers.set('anonymous', null);
});
afterAll(async () => t?.close());

function routesWithId() {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    path.includes('{')
      ? Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`)
      : [],
  );
}

const refused = (outcome: Outcome) => outcome !== 'ok';

describe('route × role matrix', () => {
  it('declares every route of the OpenAPI document that has an id', () => {
    const declared = new Set([...Object.keys(matrix), ...Object.keys(elsewhere)]);
    const found = routesWithId();
    expect(found.length).toBeGreaterThan(30);
    expect(found.filter((route) => !declared.has(route))).toEqual([]);
    expect([...declared].filter((route) => !found.includes(route))).toEqual([]);
  });

  it('answers every cell as declared', async () => {
    type Planned = { route: string; asker: Asker; scope: 'in' | 'out'; expected: Outcome };
    const planned: Planned[] = [];
    for (const [route, spec] of Object.entries(matrix)) {
      for (const scope of ['in', 'out'] as const) {
        planned.push({ route, asker: 'anonymous', scope, expected: spec.anonymous ?? 401 });
        for (const role of roles) {
          planned.push({ route, asker: role, scope, expected: spec.expect[role][scope === 'in' ? 0 : 1] });
        }
      }
    }
    // Refusals first: a permitted change (a withdrawal, a dismissal) must not answer for them.
    planned.sort((a, b) => Number(refused(b.expected)) - Number(refused(a.expected)));
    const wrong: string[] = [];
    for (const cell of planned) {
      const spec = matrix[cell.route] as Route;
      const [method = 'GET', template = ''] = cell.route.split(' ');
      const ids = spec.ids(fixture)[cell.scope];
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? unknown);
      await spec.prepare?.(fixture);
      const cookie = askers.get(cell.asker) ?? null;
      const res = await t.app.inject({
        method: method as 'GET',
        url: `/api/v1${url}`,
        headers: cookie ? { cookie } : {},
        ...(spec.body ? { payload: spec.body(fixture, cell.scope) } : {}),
      });
      const status = res.statusCode;
      const fine =
        cell.expected === 'ok' ? ![401, 403, 404].includes(status) && status < 500 : status === cell.expected;
      if (!fine)
        wrong.push(`${cell.route} as ${cell.asker} (${cell.scope}): ${status}, expected ${cell.expected}`);
    }
    expect(wrong).toEqual([]);
  });
});
