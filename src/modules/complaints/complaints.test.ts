import { asc, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, complaintNotes, complaints, notificationOutbox } from '../../db/schema.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
  withOfficeTimeZone,
} from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let otherKecamatan: TestUser;
let sopd: TestUser;
let inKec: BulkBusiness;
let outKec: BulkBusiness;
let programId: string;
let ip = 0;
// Each test speaks from its own address so that the per-IP limit stays out of its way.
const nextIp = () => `10.13.${Math.floor(++ip / 250)}.${ip % 250}`;

const complainant = {
  name: 'Siti Rahmawati',
  phone: '0812 3456 7890',
  message: 'Bantuan alat belum diterima.',
};

const fileJson = (payload: Record<string, unknown>, remoteAddress = nextIp()) =>
  t.app.inject({ method: 'POST', url: '/api/v1/public/complaints', remoteAddress, payload });

const as = (user: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: user.cookie },
    ...(payload ? { payload } : {}),
  });

async function enter(user: TestUser, body: Record<string, unknown> = {}) {
  const res = await as(user, 'POST', '/complaints', {
    name: 'Budi Santoso',
    phone: '0813 1111 2222',
    message: 'Nama saya tidak ada di daftar peserta.',
    channel: 'phone',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: string;
    code: string;
    status: string;
    dueDate: string;
    kecamatanCode: string | null;
  };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  otherKecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  sopd = await createUser(t, 'sopd_officer');
  [inKec, outKec] = (await bulkBusinesses(t.ctx.db, 2, {
    regionCodes: ['62.71.02.1004', '62.71.05.1001'],
  })) as [BulkBusiness, BulkBusiness];
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Anyaman Rotan',
      type: 'training',
      capacity: 10,
      selection: 'first_come',
      startDate: '2026-08-24',
      endDate: '2026-08-28',
    })
  ).id;
});
afterAll(async () => t?.close());

describe('public complaints (JSON)', () => {
  it('files a complaint, answers a readable code, and the status shows no personal data', async () => {
    const res = await fileJson({ ...complainant, programId });
    expect(res.statusCode, res.body).toBe(201);
    const { code } = res.json() as { code: string };
    expect(code).toMatch(/^PGD-[2-9A-HJ-NP-Z]{6}$/);
    const status = await t.app.inject({
      url: `/api/v1/public/complaints/${code.toLowerCase()}`,
      remoteAddress: nextIp(),
    });
    expect(status.statusCode).toBe(200);
    expect(Object.keys(status.json()).sort()).toEqual(['status', 'updatedAt']);
    expect(status.json().status).toBe('baru');
    const [row] = await t.ctx.db.select().from(complaints).where(eq(complaints.code, code));
    expect(row).toMatchObject({ phone: '+6281234567890', channel: 'web', programId, status: 'baru' });
  });

  it('refuses a bad phone and an unknown program, and an unknown code is 404', async () => {
    expect((await fileJson({ ...complainant, phone: '12' })).statusCode).toBe(400);
    const unknown = await fileJson({ ...complainant, programId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: '/api/v1/public/complaints/PGD-222222', remoteAddress: nextIp() }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ url: '/api/v1/public/complaints/abc', remoteAddress: nextIp() })).statusCode,
    ).toBe(400);
  });

  it('limits filing per IP', async () => {
    const address = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await fileJson(complainant, address)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await fileJson(complainant, address);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    // another address is not held back
    expect((await fileJson(complainant)).statusCode).toBe(201);
  });

  it('limits code look-ups per IP (trying codes)', async () => {
    const address = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 31; i++)
      codes.push(
        (await t.app.inject({ url: '/api/v1/public/complaints/PGD-222222', remoteAddress: address }))
          .statusCode,
      );
    expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});

describe('public complaint pages (no JavaScript)', () => {
  it('a form post answers with a redirect to the code page, which shows no personal data', async () => {
    const form = await t.app.inject({ url: '/pengaduan', remoteAddress: nextIp() });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('action="/pengaduan" method="post"');
    expect(form.body).toContain('UU Pelindungan Data Pribadi');
    const address = nextIp();
    const posted = await t.app.inject({
      method: 'POST',
      url: '/pengaduan',
      remoteAddress: address,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...complainant, name: 'Rahmat Hidayat Unik' }).toString(),
    });
    expect(posted.statusCode).toBe(303);
    const location = posted.headers.location as string;
    expect(location).toMatch(/^\/pengaduan\/PGD-[2-9A-HJ-NP-Z]{6}\?baru=1$/);
    const page = await t.app.inject({ url: location, remoteAddress: address });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(location.slice(10, 20));
    expect(page.body).toContain('Baru');
    for (const secret of ['Rahmat Hidayat Unik', '3456', 'Bantuan alat'])
      expect(page.body).not.toContain(secret);
  });

  it('shows the form again with the error when a field is wrong', async () => {
    const posted = await t.app.inject({
      method: 'POST',
      url: '/pengaduan?lang=en',
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'Siti', phone: '0812 3456 7890', message: 'short' }).toString(),
    });
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('role="alert"');
    expect(posted.body).toContain('at least 10 letters');
    expect(posted.body).toContain('value="Siti"');
  });

  it('the lookup form leads to the code page; an unknown code is a 404 page', async () => {
    const { code } = (await fileJson(complainant)).json() as { code: string };
    const lookup = await t.app.inject({
      url: `/pengaduan/cek?code=${code.slice(4).toLowerCase()}`,
      remoteAddress: nextIp(),
    });
    expect(lookup.statusCode).toBe(303);
    expect(lookup.headers.location).toBe(`/pengaduan/${code}`);
    const missing = await t.app.inject({ url: '/pengaduan/PGD-222222', remoteAddress: nextIp() });
    expect(missing.statusCode).toBe(404);
  });

  it("shows when the complaint came in on the office's clock (WIT), not Jakarta's", async () => {
    const { code } = (await fileJson(complainant)).json() as { code: string };
    // 16:30 UTC on 14 March 2025 is 23:30 WIB the same day, but 01:30 WIT on the 15th.
    await t.ctx.db.execute(
      sql`update complaints set created_at = '2025-03-14T16:30:00Z', updated_at = '2025-03-14T16:30:00Z'
          where code = ${code}`,
    );
    const page = await withOfficeTimeZone(t, 'Asia/Jayapura', () =>
      t.app.inject({ url: `/pengaduan/${code}`, remoteAddress: nextIp() }),
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('15 Maret 2025');
    expect(page.body).not.toContain('14 Maret 2025');
  });
});

describe('officers', () => {
  it('enters a complaint from a call, linked to a business, with a LAPOR! reference and a due date', async () => {
    const made = await enter(kecamatan, { channel: 'lapor', businessId: inKec.id, laporRef: 'LAPOR-123456' });
    expect(made).toMatchObject({ status: 'baru', kecamatanCode: '62.71.02', laporRef: 'LAPOR-123456' });
    expect(made.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(made.dueDate > new Date().toISOString().slice(0, 10)).toBe(true);
    // a kecamatan office links only what it may see
    const refused = await as(kecamatan, 'POST', '/complaints', {
      name: 'X Y',
      message: 'Tentang usaha lain.',
      channel: 'whatsapp',
      businessId: outKec.id,
    });
    expect(refused.statusCode).toBe(404);
  });

  it('assigns, notes internally, answers: the answer is queued for the complainant and published', async () => {
    const { id, code } = await enter(officer, { programId });
    const assigned = await as(officer, 'PATCH', `/complaints/${id}`, { assignedTo: kecamatan.id });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'diproses', assignedTo: kecamatan.id });
    // the assignee sees it although it has no kecamatan link
    expect((await as(kecamatan, 'GET', `/complaints/${id}`)).statusCode).toBe(200);
    expect((await as(otherKecamatan, 'GET', `/complaints/${id}`)).statusCode).toBe(404);

    const noted = await as(kecamatan, 'POST', `/complaints/${id}/notes`, {
      text: 'Sudah ditelepon, catatan rahasia.',
    });
    expect(noted.statusCode).toBe(201);
    expect(noted.json().notes).toHaveLength(1);

    // closing needs an answer
    const bare = await as(officer, 'PATCH', `/complaints/${id}`, { status: 'selesai' });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.code).toBe('complaint_answer_required');

    const answer = 'Nama Anda sudah kami tambahkan ke daftar peserta.';
    const answered = await as(kecamatan, 'PATCH', `/complaints/${id}`, { answer });
    expect(answered.statusCode, answered.body).toBe(200);
    const detail = answered.json();
    expect(detail).toMatchObject({ status: 'selesai', answer });
    expect(detail.answeredAt).not.toBeNull();

    const queued = await t.ctx.db
      .select()
      .from(notificationOutbox)
      .where(like(notificationOutbox.eventKey, `complaint:${id}:%`));
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      template: 'complaint_answered',
      recipient: '6281311112222',
      programId,
    });
    expect(queued[0]?.body).toContain(code);
    expect(queued[0]?.body).toContain(`/pengaduan/${code}`);
    // with no channel configured the officer gets the click-to-chat link with the same text
    expect(detail.messages).toHaveLength(1);
    if (queued[0]?.status === 'not_sent')
      expect(detail.messages[0].clickToChatUrl).toMatch(/^https:\/\/wa\.me\/6281311112222\?text=/);

    // every change is in the audit log, without the complainant's name, phone or message
    const notes = await t.ctx.db
      .select({ id: complaintNotes.id })
      .from(complaintNotes)
      .where(eq(complaintNotes.complaintId, id));
    const trail = await t.ctx.db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.entityId, [id, ...notes.map((n) => n.id)]))
      .orderBy(asc(auditLog.id));
    expect(trail.map((e) => `${e.action} ${e.entity}`)).toEqual([
      'create complaint',
      'update complaint',
      'create complaint_note',
      'answer complaint',
    ]);
    expect(trail.at(-1)?.actorId).toBe(kecamatan.id);
    expect(JSON.stringify(trail)).not.toContain('Budi Santoso');
    expect(JSON.stringify(trail)).not.toContain('1111');

    const page = await t.app.inject({ url: `/pengaduan/${code}`, remoteAddress: nextIp() });
    expect(page.body).toContain(answer);
    expect(page.body).toContain('Selesai');
    for (const secret of ['Budi Santoso', 'catatan rahasia', 'tidak ada di daftar'])
      expect(page.body).not.toContain(secret);
  });

  it('rejects an assignee who does not handle complaints', async () => {
    const { id } = await enter(officer);
    const res = await as(officer, 'PATCH', `/complaints/${id}`, { assignedTo: sopd.id });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('complaint_assignee_invalid');
  });

  it('lists with filters: status, overdue, program, assigned to me; phones masked', async () => {
    const late = await enter(officer, { programId, name: 'Terlambat Sekali' });
    await t.ctx.db.update(complaints).set({ dueDate: '2020-01-06' }).where(eq(complaints.id, late.id));
    const mine = await enter(officer, { assignedTo: officer.id, name: 'Milik Saya' });
    const list = async (query: string) =>
      (
        (await as(officer, 'GET', `/complaints?limit=200&${query}`)).json() as {
          items: {
            id: string;
            overdue: boolean;
            phone: string | null;
            status: string;
            programId: string | null;
          }[];
        }
      ).items;

    const overdue = await list('overdue=true');
    expect(overdue.map((c) => c.id)).toContain(late.id);
    expect(overdue.every((c) => c.overdue)).toBe(true);
    expect(overdue.map((c) => c.id)).not.toContain(mine.id);
    expect((await list('assignedToMe=true')).map((c) => c.id)).toEqual([mine.id]);
    const byProgram = await list(`programId=${programId}`);
    expect(byProgram.every((c) => c.programId === programId)).toBe(true);
    expect(byProgram.map((c) => c.id)).toContain(late.id);
    const diproses = await list('status=diproses');
    expect(diproses.map((c) => c.id)).toContain(mine.id);
    expect(diproses.every((c) => c.status === 'diproses')).toBe(true);
    const found = await list('q=Terlambat');
    expect(found.map((c) => c.id)).toEqual([late.id]);
    expect(found[0]?.phone).not.toContain('1111');

    // answered, it is no longer overdue
    await as(officer, 'PATCH', `/complaints/${late.id}`, { answer: 'Sudah kami tindak lanjuti.' });
    expect((await list('overdue=true')).map((c) => c.id)).not.toContain(late.id);
  });

  it('counts per program and status for the dashboard, within scope', async () => {
    await enter(kecamatan, { businessId: inKec.id, programId });
    const all = (await as(officer, 'GET', '/complaints/counts')).json() as {
      items: { programId: string | null; status: string; count: number }[];
      overdue: number;
    };
    const forProgram = all.items.filter((i) => i.programId === programId);
    expect(forProgram.reduce((n, i) => n + i.count, 0)).toBeGreaterThanOrEqual(1);
    const other = (await as(otherKecamatan, 'GET', '/complaints/counts')).json() as typeof all;
    expect(other.items.filter((i) => i.programId === programId)).toEqual([]);
  });

  it('scope: a kecamatan office sees its kecamatan’s complaints and the ones it entered or holds', async () => {
    const linked = await enter(officer, { businessId: inKec.id });
    const elsewhere = await enter(officer, { businessId: outKec.id });
    const unlinked = await enter(officer);
    const own = await enter(otherKecamatan);
    const ids = async (user: TestUser) =>
      ((await as(user, 'GET', '/complaints?limit=200')).json() as { items: { id: string }[] }).items.map(
        (c) => c.id,
      );
    const seen = await ids(kecamatan);
    expect(seen).toContain(linked.id);
    expect(seen).not.toContain(elsewhere.id);
    expect(seen).not.toContain(unlinked.id);
    expect(seen).not.toContain(own.id);
    expect(await ids(otherKecamatan)).toEqual(expect.arrayContaining([elsewhere.id, own.id]));
    expect(
      (await as(kecamatan, 'PATCH', `/complaints/${elsewhere.id}`, { status: 'diproses' })).statusCode,
    ).toBe(404);
    expect((await as(sopd, 'GET', '/complaints')).statusCode).toBe(403);
  });
});
