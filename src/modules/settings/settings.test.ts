import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { runNextJob } from '../jobs/jobs.service.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof createUser>>;

const bandung = {
  regionCode: '32.73',
  officeName: 'Dinas Koperasi dan Usaha Kecil',
  officeAddress: 'Jl. Kawaluyaan Indah Raya No. 4, Bandung',
  headName: 'Dr. Atet Dedi Handiman',
  headNip: '196801011990031001',
  headPosition: 'Kepala Dinas',
  placeName: '',
  timeZone: 'Asia/Jakarta',
  publicUrl: 'https://pulih.bandung.go.id/',
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
});
afterAll(async () => t?.close());

const put = (cookie: string, body: object) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: { cookie }, payload: body });

describe('settings', () => {
  it('only an administrator changes them; every signed-in user reads them', async () => {
    for (const role of ['program_officer', 'kecamatan_officer', 'sopd_officer'] as const) {
      const user = await createUser(t, role);
      const res = await put(user.cookie, bandung);
      expect(res.statusCode).toBe(403);
      expect(
        (await t.app.inject({ url: '/api/v1/settings', headers: { cookie: user.cookie } })).statusCode,
      ).toBe(200);
    }
    expect((await t.app.inject({ url: '/api/v1/settings' })).statusCode).toBe(401);
  });

  it('refuses a region that is not a kabupaten/kota or province, and a bad NIP', async () => {
    const kecamatan = await put(admin.cookie, { ...bandung, regionCode: '32.73.02' });
    expect(kecamatan.statusCode).toBe(400);
    const unknown = await put(admin.cookie, { ...bandung, regionCode: '32.99' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('invalid_region');
    expect((await put(admin.cookie, { ...bandung, headNip: '1234' })).statusCode).toBe(400);
    expect((await put(admin.cookie, { ...bandung, timeZone: 'Europe/Paris' })).statusCode).toBe(400);
  });

  it('runs Kota Bandung: pickers, import validation, letterhead line and public links follow', async () => {
    const saved = await put(admin.cookie, bandung);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      regionCode: '32.73',
      regionName: 'Kota Bandung',
      government: 'PEMERINTAH KOTA BANDUNG',
      place: 'Bandung',
    });
    // pickers: the kecamatan of Bandung by default, and the kelurahan of one of them
    const kecamatan = (await t.app.inject({ url: '/api/v1/regions' })).json().items as {
      code: string;
      name: string;
    }[];
    expect(kecamatan.map((k) => k.name)).toContain('Coblong');
    expect(kecamatan.every((k) => k.code.startsWith('32.73.'))).toBe(true);
    const kelurahan = (await t.app.inject({ url: '/api/v1/regions?parent=32.73.02' })).json().items;
    expect(kelurahan.map((k: { name: string }) => k.name)).toContain('Cipaganti');

    // import validation: a Bandung kelurahan by name is accepted, a Palangka Raya one is not
    const officer = await createUser(t, 'program_officer');
    const nik = (serial: number) =>
      generateNik({ kecamatanCode: '32.73.02', birthDate: '1980-05-17', sex: 'P', serial });
    const file = Buffer.from(
      [
        'nik,nama,kelurahan,kecamatan,nama_usaha',
        `${nik(1)},Siti Aminah,Cipaganti,Coblong,Kerajinan Bambu Siti`,
        `${nik(2)},Dewi Lestari,Tangkiling,Bukit Batu,Anyaman Dewi`,
      ].join('\n'),
    );
    const boundary = `----pulih${randomBytes(6).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="usaha.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(started.statusCode, started.body).toBe(202);
    while (await runNextJob(t.ctx)) {}
    const done = (
      await t.app.inject({ url: `/api/v1/imports/${started.json().id}`, headers: { cookie: officer.cookie } })
    ).json();
    expect(done.summary).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    expect(done.summary.errors[0]).toMatchObject({ row: 3 });
    const stored = (
      await t.app.inject({
        url: '/api/v1/businesses?q=Kerajinan%20Bambu%20Siti',
        headers: { cookie: officer.cookie },
      })
    ).json().items;
    expect(stored[0]).toMatchObject({ kecamatan: '32.73.02', kelurahan: '32.73.02.1001' });

    // public links use the configured address
    const owner = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin.cookie },
      payload: {
        username: 'kec.coblong',
        name: 'Petugas Coblong',
        role: 'kecamatan_officer',
        kecamatan: '32.73.02',
      },
    });
    const invite = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${owner.json().id}/invite`,
      headers: { cookie: admin.cookie },
    });
    expect(invite.json().link).toMatch(/^https:\/\/pulih\.bandung\.go\.id\/undangan\//);
  });

  it('names a province for a province office', async () => {
    const saved = await put(admin.cookie, { ...bandung, regionCode: '32', placeName: 'Jawa Barat' });
    expect(saved.json()).toMatchObject({
      regionName: 'Jawa Barat',
      government: 'PEMERINTAH PROVINSI JAWA BARAT',
    });
    const kabkota = (await t.app.inject({ url: '/api/v1/regions' })).json().items as { code: string }[];
    expect(kabkota.map((k) => k.code)).toContain('32.73');
    await put(admin.cookie, bandung);
  });

  it('keeps a PNG or JPEG emblem and refuses other bytes', async () => {
    const png = new PNG({ width: 8, height: 8 });
    const bytes = PNG.sync.write(png);
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/logo',
      headers: { cookie: admin.cookie },
      payload: { contentType: 'image/png', dataBase64: bytes.toString('base64') },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().hasLogo).toBe(true);
    const logo = await t.app.inject({ url: '/api/v1/settings/logo', headers: { cookie: admin.cookie } });
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.rawPayload.equals(bytes)).toBe(true);
    const fake = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/logo',
      headers: { cookie: admin.cookie },
      payload: { contentType: 'image/png', dataBase64: Buffer.from('not a png').toString('base64') },
    });
    expect(fake.statusCode).toBe(415);
  });
});
