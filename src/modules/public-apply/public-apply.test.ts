import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskNik } from '../../domain/nik.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let ip = 0;
// Each test speaks from its own address so that the per-IP limit stays out of its way.
const nextIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;

const createProgram = (overrides: Record<string, unknown> = {}) =>
  createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
    type: 'training',
    capacity: 1,
    selection: 'first_come',
    // Ahead of today: the form closes once a program has started.
    startDate: '2099-08-24',
    endDate: '2099-08-28',
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
    ...overrides,
  });

const applyJson = (programId: string, payload: Record<string, unknown>, remoteAddress = nextIp()) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/public/programs/${programId}/applications`,
    remoteAddress,
    payload,
  });

// The national form of a stored +62 number, written the way people type it.
const typed = (e164: string) => `0${e164.slice(3, 6)} ${e164.slice(6, 10)} ${e164.slice(10)}`;

let one: BulkBusiness;
let two: BulkBusiness;
let other: BulkBusiness;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const made = await bulkBusinesses(t.ctx.db, 3, { regionCodes: ['62.71.02.1004', '62.71.05.1001'] });
  [one, two, other] = made as [BulkBusiness, BulkBusiness, BulkBusiness];
});
afterAll(async () => t?.close());

describe('public application (JSON)', () => {
  it('applies with NIK and phone, answers a status link, and the status page shows no personal data', async () => {
    const program = await createProgram();
    const res = await applyJson(program.id, {
      nik: one.nik.replace(/(\d{4})/g, '$1 ').trim(),
      phone: typed(one.phone),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.outcome).toBe('applied');
    expect(body.status).toBe('enrolled');
    expect(body.statusPath).toMatch(/^\/status\/[A-Za-z0-9_-]{24}$/);
    expect(JSON.stringify(body)).not.toContain(one.nik);

    const page = await t.app.inject({ url: body.statusPath });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('lang="id"');
    expect(page.body).toContain('Diterima');
    expect(page.body).toContain('Pelatihan Proses Produksi Berbahan Dasar Rotan');
    for (const secret of [
      one.nik,
      maskNik(one.nik),
      one.phone,
      one.phone.slice(3),
      one.name,
      `Pemilik Massal`,
    ]) {
      expect(page.body).not.toContain(secret);
    }
    const english = await t.app.inject({ url: `${body.statusPath}?lang=en` });
    expect(english.body).toContain('Accepted');

    const json = await t.app.inject({ url: `/api/v1/public${body.statusPath}` });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    expect(Object.keys(json.json()).sort()).toEqual(
      ['appliedAt', 'events', 'failedCriteria', 'program', 'sessions', 'status', 'waitlistPosition'].sort(),
    );

    // Applying again answers the same link; the officer sees the application as public.
    const again = await applyJson(program.id, { nik: one.nik, phone: one.phone });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({
      outcome: 'already_applied',
      status: 'enrolled',
      statusPath: body.statusPath,
    });
    const list = await t.app.inject({
      url: `/api/v1/programs/${program.id}/applications`,
      headers: { cookie: officer.cookie },
    });
    expect(list.json().items[0]).toMatchObject({ source: 'public', statusPath: body.statusPath });
    expect((await t.app.inject({ url: '/status/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/public/status/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(
      404,
    );
  });

  it('answers an unknown NIK and a wrong phone alike, and validates the input', async () => {
    const program = await createProgram();
    const wrongPhone = await applyJson(program.id, { nik: two.nik, phone: '0813 9999 0000' });
    const unknownNik = await applyJson(program.id, { nik: '6271024108800999', phone: typed(two.phone) });
    expect(wrongPhone.statusCode).toBe(404);
    expect(unknownNik.statusCode).toBe(404);
    expect(wrongPhone.json()).toEqual(unknownNik.json());
    expect(wrongPhone.json().error.code).toBe('applicant_not_matched');
    // Another person's business with a right NIK and phone answers the same.
    const foreign = await applyJson(program.id, { nik: two.nik, phone: two.phone, businessId: other.id });
    expect(foreign.json()).toEqual(wrongPhone.json());

    const shortNik = await applyJson(program.id, { nik: '6271', phone: two.phone });
    expect(shortNik.statusCode).toBe(400);
    expect(shortNik.json().error.code).toBe('validation_failed');
    const letters = await applyJson(program.id, { nik: 'abc', phone: two.phone });
    expect(letters.statusCode).toBe(400);
    const badPhone = await applyJson(program.id, { nik: two.nik, phone: '12345678' });
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.json().error.code).toBe('invalid_phone');
    const noProgram = await applyJson('00000000-0000-4000-8000-000000000000', {
      nik: two.nik,
      phone: two.phone,
    });
    expect(noProgram.statusCode).toBe(404);
    expect(noProgram.json().error.code).toBe('not_found');
  });

  it('asks which business when the owner has several, by name only', async () => {
    const program = await createProgram({ capacity: 5 });
    const [first, second] = await bulkBusinesses(t.ctx.db, 2, {
      regionCodes: ['62.71.05.1001'],
      businessesPerOwner: 2,
    });
    expect(first!.nik).toBe(second!.nik);
    const ask = await applyJson(program.id, { nik: first!.nik, phone: first!.phone });
    expect(ask.statusCode).toBe(200);
    expect(ask.json()).toEqual({
      outcome: 'choose_business',
      businesses: [
        { id: first!.id, name: first!.name },
        { id: second!.id, name: second!.name },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    });
    const chosen = await applyJson(program.id, {
      nik: first!.nik,
      phone: first!.phone,
      businessId: second!.id,
    });
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json().status).toBe('enrolled');
  });

  it('limits attempts per IP and per NIK', async () => {
    const program = await createProgram();
    const address = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push(
        (await applyJson(program.id, { nik: `627102410880${1000 + i}`, phone: '0813 1111 2222' }, address))
          .statusCode,
      );
    }
    expect(codes).toEqual([404, 404, 404, 404, 404, 429]);
    const limited = await applyJson(program.id, { nik: two.nik, phone: two.phone }, address);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // One NIK tried from six addresses.
    const target = other.nik;
    const perNik: number[] = [];
    for (let i = 0; i < 6; i++)
      perNik.push((await applyJson(program.id, { nik: target, phone: '0813 1111 2222' })).statusCode);
    expect(perNik).toEqual([404, 404, 404, 404, 404, 429]);
  });

  it("shows the day of the application on the office's clock, not UTC's", async () => {
    const program = await createProgram();
    const [applicant] = (await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] })) as [
      BulkBusiness,
    ];
    const res = await applyJson(program.id, { nik: applicant.nik, phone: applicant.phone });
    expect(res.statusCode, res.body).toBe(201);
    // 18:18 UTC on 7 December is 01:18 WIB on the 8th, the day the applicant sent it
    await t.ctx.db.execute(
      sql`update applications set created_at = '2026-12-07T18:18:00Z' where program_id = ${program.id}`,
    );
    const page = await t.app.inject({ url: res.json().statusPath });
    expect(page.body).toContain('Didaftarkan pada 8 Desember 2026');
  });

  it('shows the waitlist place and the promotion on the status page', async () => {
    const program = await createProgram({ capacity: 1 });
    const [first, second] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004'] });
    const a = (await applyJson(program.id, { nik: first!.nik, phone: first!.phone })).json();
    const b = (await applyJson(program.id, { nik: second!.nik, phone: second!.phone })).json();
    expect([a.status, b.status]).toEqual(['enrolled', 'waitlisted']);
    const waiting = await t.app.inject({ url: `/api/v1/public${b.statusPath}` });
    expect(waiting.json().waitlistPosition).toBe(1);
    expect((await t.app.inject({ url: b.statusPath })).body).toContain('Urutan di daftar tunggu: 1');

    const list = await t.app.inject({
      url: `/api/v1/programs/${program.id}/applications?status=enrolled`,
      headers: { cookie: officer.cookie },
    });
    const enrolledId = list.json().items[0].id as string;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${enrolledId}/no-show`,
      headers: { cookie: officer.cookie },
    });
    const promoted = await t.app.inject({ url: `/api/v1/public${b.statusPath}` });
    expect(promoted.json().status).toBe('enrolled');
    expect(promoted.json().events.map((e: { kind: string }) => e.kind)).toEqual(['waitlisted', 'promoted']);
    expect(promoted.json().events[1].note).toBe('no_show');
    expect(JSON.stringify(promoted.json())).not.toContain('actor');
    const page = await t.app.inject({ url: `${b.statusPath}?lang=en` });
    expect(page.body).toContain('Moved up from the waitlist to participant');
    expect(page.body).toContain('a participant did not attend');
  });

  it('shows which criteria failed, without values', async () => {
    const program = await createProgram({ eligibility: { '==': [{ var: 'kecamatan' }, '62.71.01'] } });
    const res = await applyJson(program.id, { nik: two.nik, phone: two.phone });
    expect(res.json().status).toBe('ineligible');
    const status = await t.app.inject({ url: `/api/v1/public${res.json().statusPath}` });
    expect(status.json().failedCriteria).toEqual(['kecamatan']);
    expect(JSON.stringify(status.json())).not.toContain('62.71.05');
  });
});

it('is described in the OpenAPI document, without a login', async () => {
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  const operation = doc.paths['/public/programs/{id}/applications'].post;
  expect(operation.security).toEqual([]);
  expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '404', '429']));
  expect(doc.paths['/applications/{id}/no-show']).toBeDefined();
  expect(doc.components.schemas.Program.properties.quotas).toBeDefined();
});

describe('public application (HTML form, no JavaScript)', () => {
  it('renders the form in Indonesian first, English on request, and 404 for an unknown program', async () => {
    const program = await createProgram();
    const page = await t.app.inject({ url: `/daftar/${program.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form action="/daftar/${program.id}" method="post">`);
    expect(page.body).toContain('name="nik"');
    expect(page.body).toContain('name="phone"');
    expect(page.body).toContain('Daftar program');
    expect(page.headers['cache-control']).toBe('no-store');
    const english = await t.app.inject({ url: `/daftar/${program.id}?lang=en` });
    expect(english.body).toContain('Apply to a program');
    expect(english.body).toContain(`action="/daftar/${program.id}?lang=en"`);
    expect((await t.app.inject({ url: '/daftar/not-a-program' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/daftar/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(
      404,
    );
  });

  it('posts as a plain form and redirects to the status page', async () => {
    const program = await createProgram();
    const [owner] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
    const form = (fields: Record<string, string>, url = `/daftar/${program.id}`) =>
      t.app.inject({
        method: 'POST',
        url,
        remoteAddress: nextIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const wrong = await form({ nik: owner!.nik, phone: '0813 0000 0000' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('tidak cocok');
    expect(wrong.body).toContain('role="alert"');
    const bad = await form({ nik: '12', phone: '0813 0000 0000' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('NIK harus 16 angka');

    const ok = await form({ nik: owner!.nik, phone: typed(owner!.phone) }, `/daftar/${program.id}?lang=en`);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/status\/[A-Za-z0-9_-]{24}\?lang=en$/);
    const status = await t.app.inject({ url: String(ok.headers.location) });
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('Accepted');

    const [several] = await bulkBusinesses(t.ctx.db, 2, {
      regionCodes: ['62.71.05.1001'],
      businessesPerOwner: 2,
    });
    const choose = await form({ nik: several!.nik, phone: several!.phone });
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('type="radio"');
    expect(choose.body).toContain(several!.name);
    const chosen = await form({ nik: several!.nik, phone: several!.phone, businessId: several!.id });
    expect(chosen.statusCode).toBe(303);
  });
});
