import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrationVisits } from '../../db/schema.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

// The kecamatan officer's side of self-registration: the queue of the kecamatan, the visit's
// outcomes (and what the owner then sees), scope, a resent sync recorded once, a business found on
// a walk, and the kecamatan's registry page.

let t: TestApp;
let bukitBatu: TestUser;
let rakumpit: TestUser;
let program: TestUser;
let ip = 0;
const nextIp = () => `10.17.${Math.floor(++ip / 250)}.${ip % 250}`;
let serial = 2000;
let keys = 0;
const clientKey = () => `visit-key-${++keys}-${Date.now()}`;

function form(fields: Record<string, string>) {
  const boundary = '----pulihvisit';
  const body = Object.entries(fields)
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join('');
  return {
    payload: `${body}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const owner = (regionCode = '62.71.02.1004') => {
  const birthDate = '1979-11-03';
  const n = ++serial;
  return {
    nik: generateNik({ kecamatanCode: regionCode.slice(0, 8), birthDate, sex: 'L', serial: n }),
    name: `Pemilik Baru ${n}`,
    sex: 'L',
    birthDate,
    phone: `0852 ${String(n).padStart(4, '0')} ${String(n).padStart(4, '0')}`,
    address: 'Jl. Mahir Mahar RT 01',
    regionCode,
    businessName: `Kerajinan Rotan ${n}`,
    kbli: '16291',
    annualTurnover: '12000000',
    workers: '1',
    covidImpacted: 'ya',
    consent: 'yes',
    action: 'send',
  };
};

// An owner registers through the form; answers the registration's id (from the officer's queue)
// and the status link.
async function register(regionCode = '62.71.02.1004') {
  const fields = owner(regionCode);
  const res = await t.app.inject({
    method: 'POST',
    url: '/daftar-usaha',
    remoteAddress: nextIp(),
    ...form(fields),
  });
  expect(res.statusCode).toBe(303);
  const queue = await t.app.inject({
    method: 'GET',
    url: '/api/v1/registrations?status=menunggu_verifikasi&limit=200',
    headers: { cookie: program.cookie },
  });
  const item = (queue.json().items as { id: string; business: { name: string } }[]).find(
    (i) => i.business.name === fields.businessName,
  );
  return { id: item!.id, statusPath: res.headers.location as string, fields };
}

const visit = (cookie: string, id: string, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/registrations/${id}/visits`,
    headers: { cookie },
    payload: {
      clientKey: clientKey(),
      visitedAt: new Date().toISOString(),
      businessExists: true,
      ownerMet: true,
      nikSeen: true,
      ...body,
    },
  });

beforeAll(async () => {
  t = await createTestApp();
  bukitBatu = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  rakumpit = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  program = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

describe('verification visit', () => {
  it('verifies: the owner and business enter the registry and the status link says so', async () => {
    const reg = await register();
    const res = await visit(bukitBatu.cookie, reg.id, {
      outcome: 'terverifikasi',
      location: { latitude: -1.95, longitude: 113.85 },
    });
    expect(res.statusCode).toBe(201);
    const result = res.json();
    expect(result).toMatchObject({ status: 'terverifikasi', replayed: false });
    const business = await t.app.inject({
      method: 'GET',
      url: `/api/v1/businesses/${result.businessId}`,
      headers: { cookie: bukitBatu.cookie },
    });
    expect(business.json()).toMatchObject({
      name: reg.fields.businessName,
      kbli: '16291',
      kecamatan: '62.71.02',
    });
    const page = await t.app.inject({ method: 'GET', url: reg.statusPath });
    expect(page.body).toContain('data-status="terverifikasi"');
  });

  it('refuses to verify without the whole checklist', async () => {
    const reg = await register();
    const res = await visit(bukitBatu.cookie, reg.id, { outcome: 'terverifikasi', nikSeen: false });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('visit_checklist_incomplete');
  });

  it('asks for a fix: the owner reads the note, corrects through the status link, and it waits again', async () => {
    const reg = await register();
    const missing = await visit(bukitBatu.cookie, reg.id, { outcome: 'perlu_perbaikan' });
    expect(missing.statusCode).toBe(400);
    const res = await visit(bukitBatu.cookie, reg.id, {
      outcome: 'perlu_perbaikan',
      note: 'Nama usaha di papan berbeda: Rotan Jaya',
    });
    expect(res.json().status).toBe('perlu_perbaikan');
    const page = await t.app.inject({ method: 'GET', url: reg.statusPath });
    expect(page.body).toContain('data-status="perlu_perbaikan"');
    expect(page.body).toContain('Nama usaha di papan berbeda: Rotan Jaya');
    expect(page.body).not.toContain(reg.fields.nik);
    const fixed = await t.app.inject({
      method: 'POST',
      url: reg.statusPath,
      remoteAddress: nextIp(),
      ...form({ ...reg.fields, nik: '', businessName: 'Rotan Jaya' }),
    });
    expect(fixed.statusCode).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: fixed.headers.location as string });
    expect(after.body).toContain('data-status="menunggu_verifikasi"');
    expect(after.body).toContain('Rotan Jaya');
    // Once waiting again, the correction form is gone and a second post is refused.
    const again = await t.app.inject({
      method: 'POST',
      url: reg.statusPath,
      remoteAddress: nextIp(),
      ...form({ ...reg.fields, businessName: 'Rotan Jaya 2' }),
    });
    expect(again.statusCode).toBe(409);
  });

  it('refuses with a reason the owner sees, and a decided registration takes no second visit', async () => {
    const reg = await register();
    const res = await visit(bukitBatu.cookie, reg.id, {
      outcome: 'ditolak',
      note: 'Usaha tidak ditemukan di alamat',
    });
    expect(res.json().status).toBe('ditolak');
    const page = await t.app.inject({ method: 'GET', url: reg.statusPath });
    expect(page.body).toContain('Usaha tidak ditemukan di alamat');
    const second = await visit(bukitBatu.cookie, reg.id, { outcome: 'terverifikasi' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('registration_decided');
  });

  it('keeps another kecamatan’s officer out: not in their queue, not theirs to verify', async () => {
    const reg = await register();
    const res = await visit(rakumpit.cookie, reg.id, { outcome: 'terverifikasi' });
    expect(res.statusCode).toBe(404);
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations?limit=200',
      headers: { cookie: rakumpit.cookie },
    });
    expect((queue.json().items as { id: string }[]).some((i) => i.id === reg.id)).toBe(false);
    const asked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations?kecamatan=62.71.02',
      headers: { cookie: rakumpit.cookie },
    });
    expect(asked.statusCode).toBe(403);
    const owner = await createUser(t, 'sopd_officer');
    const denied = await visit(owner.cookie, reg.id, { outcome: 'terverifikasi' });
    expect(denied.statusCode).toBe(403);
  });

  it('records a resent visit once: the same client key answers the first result', async () => {
    const reg = await register();
    const key = clientKey();
    const body = { outcome: 'terverifikasi', clientKey: key };
    const [first, second] = await Promise.all([
      visit(bukitBatu.cookie, reg.id, body),
      visit(bukitBatu.cookie, reg.id, body),
    ]);
    const codes = [first.statusCode, second.statusCode].sort();
    // Both sent at once: one is recorded, the other answers it (or, in the race, is refused).
    expect(codes[0]).toBeLessThan(300);
    const third = await visit(bukitBatu.cookie, reg.id, body);
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ replayed: true, status: 'terverifikasi' });
    const recorded = await t.ctx.db
      .select({ id: registrationVisits.id })
      .from(registrationVisits)
      .where(eq(registrationVisits.clientKey, key));
    expect(recorded).toHaveLength(1);
  });
});

describe('registration on a walk', () => {
  it('enters the registry at once, once per client key, and holds the officer to the kecamatan', async () => {
    const fields = owner();
    const key = clientKey();
    const body = {
      ...fields,
      annualTurnover: 6_000_000,
      workers: 1,
      covidImpacted: true,
      clientKey: key,
      consent: true,
    };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        headers: { cookie: bukitBatu.cookie },
        payload: body,
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'terverifikasi', replayed: false });
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      id: first.json().id,
      businessId: first.json().businessId,
      replayed: true,
    });
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { cookie: rakumpit.cookie },
      payload: {
        ...owner(),
        clientKey: clientKey(),
        consent: true,
        annualTurnover: null,
        workers: null,
        covidImpacted: null,
      },
    });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().error.details.fields).toContainEqual({
      field: 'regionCode',
      code: 'outside_scope',
    });
  });
});

describe('registry page of a kecamatan', () => {
  it('counts new, waiting, verified this month and lists them, within the kecamatan', async () => {
    const before = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/registrations/overview',
        headers: { cookie: bukitBatu.cookie },
      })
    ).json();
    const waiting = await register();
    const verified = await register();
    await visit(bukitBatu.cookie, verified.id, { outcome: 'terverifikasi' });
    await register('62.71.05.1001');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations/overview',
      headers: { cookie: bukitBatu.cookie },
    });
    expect(res.statusCode).toBe(200);
    const overview = res.json();
    expect(overview.kecamatan).toBe('62.71.02');
    expect(overview.counts.newThisWeek - before.counts.newThisWeek).toBe(2);
    expect(overview.counts.awaitingVerification - before.counts.awaitingVerification).toBe(1);
    expect(overview.counts.verifiedThisMonth - before.counts.verifiedThisMonth).toBe(1);
    expect(typeof overview.counts.duplicatesToReview).toBe('number');
    expect(overview.newest.map((r: { id: string }) => r.id)).toContain(waiting.id);
    expect(overview.verifiedRecently.map((r: { id: string }) => r.id)).toContain(verified.id);
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations/overview?kecamatan=62.71.02',
      headers: { cookie: rakumpit.cookie },
    });
    expect(other.statusCode).toBe(403);
  });
});
