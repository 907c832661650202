import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../db/schema.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
  withOfficeTimeZone,
} from '../../testing/harness.ts';

// Self-registration at /daftar-usaha as a phone without JavaScript sends it: a multipart form
// post, a 303 to the status link, and the status link's correction form.

let t: TestApp;
let officer: TestUser;
let ip = 0;
// Each test speaks from its own address so that the per-IP limit stays out of its way.
const nextIp = () => `10.16.${Math.floor(++ip / 250)}.${ip % 250}`;
let serial = 100;

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function multipart(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
  const boundary = '----pulihtest';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const newOwner = (overrides: Record<string, string> = {}) => {
  const birthDate = '1985-04-12';
  return {
    nik: generateNik({ kecamatanCode: '62.71.02', birthDate, sex: 'P', serial: ++serial }),
    name: 'Siti Aminah',
    sex: 'P',
    birthDate,
    phone: `0813 ${String(5000_0000 + serial).slice(0, 4)} ${String(serial).padStart(4, '0')}`,
    address: 'Jl. Tjilik Riwut Km 35 RT 02',
    regionCode: '62.71.02.1004',
    businessName: 'Anyaman Rotan Siti',
    kbliQuery: '',
    kbli: '16291',
    annualTurnover: '24000000',
    workers: '2',
    covidImpacted: 'ya',
    consent: 'yes',
    action: 'send',
    ...overrides,
  };
};

const post = (
  fields: Record<string, string>,
  file?: Parameters<typeof multipart>[1],
  url = '/daftar-usaha',
) => {
  const body = multipart(fields, file);
  return t.app.inject({ method: 'POST', url, remoteAddress: nextIp(), ...body });
};

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

describe('self-registration without JavaScript', () => {
  it('renders the form in Indonesian first (English on request) with kelurahan grouped by kecamatan', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/daftar-usaha' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<html lang="id">');
    expect(page.body).toMatch(/enctype="multipart\/form-data"/i);
    expect(page.body).toMatch(/<optgroup label="Bukit Batu"[^>]*><option value="62\.71\.02\.\d{4}">/);
    const english = await t.app.inject({ method: 'GET', url: '/daftar-usaha?lang=en' });
    expect(english.body).toContain('Register your business');
  });

  it('finds KBLI by words with the "Cari" button, keeping what was typed', async () => {
    const res = await post(newOwner({ action: 'search', kbli: '', kbliQuery: 'anyaman rotan' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /<option value="16291">16291 · Industri Barang Anyaman dari Rotan dan Bambu<\/option>/,
    );
    expect(res.body).toContain('value="Anyaman Rotan Siti"');
    const none = await post(newOwner({ action: 'search', kbli: '', kbliQuery: 'xyzzy' }));
    expect(none.body).toContain('data-testid="kbli-no-match"');
  });

  it('registers with a photo, answers a status link that waits for verification and shows no personal data', async () => {
    const owner = newOwner();
    const res = await post(owner, { name: 'usaha.png', type: 'image/png', data: png });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/daftar-usaha\/status\/[A-Za-z0-9_-]{32}$/);
    const status = await t.app.inject({ method: 'GET', url: location });
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('data-status="menunggu_verifikasi"');
    expect(status.body).toContain('Anyaman Rotan Siti');
    expect(status.body).not.toContain(owner.nik);
    expect(status.body).not.toContain('1985');
    // The registration is in the kecamatan's queue, not in the registry.
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations?status=menunggu_verifikasi&limit=200',
      headers: { cookie: officer.cookie },
    });
    const item = (queue.json().items as { business: { name: string }; hasPhoto: boolean; id: string }[]).find(
      (i) => i.business.name === 'Anyaman Rotan Siti' && i.hasPhoto,
    );
    expect(item).toBeDefined();
    const photo = await t.app.inject({
      method: 'GET',
      url: `/api/v1/registrations/${item!.id}/photo`,
      headers: { cookie: officer.cookie },
    });
    expect(photo.headers['content-type']).toBe('image/png');
  });

  it("shows the day of the registration on the office's clock (WIT), not Jakarta's", async () => {
    const owner = newOwner();
    const res = await post(owner);
    expect(res.statusCode, res.body).toBe(303);
    // 16:30 UTC on 14 March 2025 is 23:30 WIB the same day, but 01:30 WIT on the 15th.
    await t.ctx.db.execute(
      sql`update registrations set created_at = '2025-03-14T16:30:00Z' where nik = ${owner.nik}`,
    );
    const status = await withOfficeTimeZone(t, 'Asia/Jayapura', () =>
      t.app.inject({ method: 'GET', url: res.headers.location as string }),
    );
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('15 Maret 2025');
    expect(status.body).not.toContain('14 Maret 2025');
  });

  it('answers each bad field with the import’s rule, and refuses a photo that is not an image', async () => {
    const res = await post(
      newOwner({ nik: '1234', phone: '12345', regionCode: '62.72.01.1001', birthDate: '' }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('data-error="registration_invalid"');
    for (const code of ['nik_format', 'phone_invalid', 'required'])
      expect(res.body).toContain(`data-issue="${code}"`);
    expect(res.body).toMatch(/data-issue="region_(unknown|outside_office)"/);
    const notImage = await post(newOwner(), {
      name: 'x.png',
      type: 'image/png',
      data: Buffer.from('not a picture'),
    });
    expect(notImage.statusCode).toBe(415);
    const noConsent = await post(newOwner({ consent: '' }));
    expect(noConsent.body).toContain('data-error="consent_required"');
  });

  it('asks to confirm a birth date that disagrees with the NIK, then accepts it', async () => {
    const owner = newOwner({ birthDate: '1985-04-13' });
    const first = await post(owner);
    expect(first.statusCode).toBe(422);
    expect(first.body).toContain('data-error="confirm_required"');
    expect(first.body).toContain('data-issue="nik_birthdate_mismatch"');
    const confirmed = await post({ ...owner, confirmed: 'yes' });
    expect(confirmed.statusCode).toBe(303);
  });

  it('never reveals whether the NIK is registered: the same answer and the same status page', async () => {
    const kept = await createBusiness(t, officer.cookie, { kecamatan: '62.71.02' });
    const existing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/businesses/${kept.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(existing.statusCode).toBe(200);
    // Register the stored owner's NIK again (birth date and sex as the NIK says, the rest someone
    // else's), and a fresh NIK with the same details.
    const [registered] = await t.ctx.db
      .select({ nik: people.nik, phone: people.phone })
      .from(people)
      .where(eq(people.id, kept.owner.id));
    const fresh = newOwner();
    const known = { ...newOwner(), nik: registered!.nik };
    const parsedBirth = registered!.nik.slice(6, 12);
    const day = Number(parsedBirth.slice(0, 2));
    const sex = day > 40 ? 'P' : 'L';
    const birthDate = `19${parsedBirth.slice(4, 6)}-${parsedBirth.slice(2, 4)}-${String(day > 40 ? day - 40 : day).padStart(2, '0')}`;
    Object.assign(known, { sex, birthDate });
    const a = await post(known);
    const b = await post(fresh);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    const pageA = await t.app.inject({ method: 'GET', url: a.headers.location as string });
    const pageB = await t.app.inject({ method: 'GET', url: b.headers.location as string });
    const strip = (html: string) => html.replace(/\/daftar-usaha\/status\/[A-Za-z0-9_-]+/g, 'LINK');
    expect(strip(pageA.body)).toBe(strip(pageB.body));
    expect(pageA.body).not.toContain(registered!.phone!.slice(-6));
    // The officer, and only the officer, is told of the match.
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/registrations?status=menunggu_verifikasi&limit=200',
      headers: { cookie: officer.cookie },
    });
    const items = queue.json().items as { owner: { nik: string }; possibleDuplicate: boolean }[];
    const flagged = items.filter((i) => i.possibleDuplicate).map((i) => i.owner.nik);
    expect(flagged).toContain(`${registered!.nik.slice(0, 4)}********${registered!.nik.slice(12)}`);
    expect(
      items.find((i) => i.owner.nik.endsWith(fresh.nik.slice(12)) && !i.possibleDuplicate),
    ).toBeDefined();
  });

  it('limits registrations per NIK across addresses', async () => {
    const owner = newOwner({ kbli: '', consent: '' });
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await post(owner)).statusCode);
    expect(answers.slice(0, 5).every((s) => s === 422)).toBe(true);
    expect(answers.at(-1)).toBe(429);
  });
});
