import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';
import { seedReportProgram, tinyPng } from '../../testing/report-fixture.ts';

// The Laporan Kegiatan (PDF, its texts and photos) and the annual recap (XLSX), read back.

let t: TestApp;
let admin: TestUser;
let officer: TestUser;
let kecamatanOfficer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
  officer = await createUser(t, 'program_officer');
  kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: { cookie: admin.cookie },
    payload: {
      regionCode: '62.71',
      officeName: 'Dinas Perdagangan, Koperasi, UKM dan Perindustrian',
      officeAddress: 'Jl. Tjilik Riwut Km. 5',
      headName: 'Ir. Kepala Dinas Laporan',
      headNip: '197001011995031001',
      headPosition: 'Kepala Dinas',
      placeName: 'Palangka Raya',
      timeZone: 'Asia/Jakarta',
      publicUrl: null,
    },
  });
  expect(res.statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('Laporan Kegiatan', () => {
  it('prints background, legal basis, schedule, participants per kecamatan, attendance, aid, outcomes, photos and the signatory', async () => {
    const { programId, owners, sopdName } = await seedReportProgram(t, officer.cookie);
    const texts = await api('PUT', `/programs/${programId}/report-texts`, officer.cookie, {
      background: 'Pandemi Covid-19 menurunkan omzet perajin rotan di Bukit Batu.',
      legalBasis:
        'Peraturan Pemerintah Nomor 7 Tahun 2021\nPeraturan Wali Kota Palangka Raya Nomor 12 Tahun 2020',
    });
    expect(texts.statusCode).toBe(200);
    const photo = await api('POST', `/programs/${programId}/photos`, officer.cookie, {
      photo: { contentType: 'image/png', dataBase64: tinyPng.toString('base64') },
      caption: 'Pembukaan oleh Wakil Wali Kota',
    });
    expect(photo.statusCode).toBe(201);

    const res = await api('GET', `/programs/${programId}/laporan-kegiatan.pdf`, officer.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join(' ');
    expect(text).toContain('LAPORAN KEGIATAN');
    expect(text).toContain('DINAS PERDAGANGAN, KOPERASI, UKM DAN PERINDUSTRIAN');
    expect(text).toContain('menurunkan omzet perajin rotan');
    expect(text).toMatch(/1\.\s*Peraturan Pemerintah Nomor 7 Tahun 2021\s*2\.\s*Peraturan Wali Kota/);
    expect(text).toContain('Pengenalan bahan rotan');
    expect(text).toContain('Teknik anyaman');
    // participants per kecamatan: 6 in Bukit Batu (5 graduates, 1 dropped), 1 in Rakumpit
    expect(text).toMatch(/Bukit Batu 6 5 1 3/);
    expect(text).toMatch(/Rakumpit 1 1 0 0/);
    expect(text).toMatch(/Jumlah 7 6 1 3/);
    // attendance: all 7 on day 1, 4 on day 2
    expect(text).toMatch(/24 Agustus 2020 7 7 100%/);
    expect(text).toMatch(/25 Agustus 2020 4 7 57,1%/);
    expect(text).toContain(sopdName);
    expect(text).toContain('7.500.000');
    expect(text).toContain('Wirausaha baru : 3 dari 3 (100%)');
    expect(text).toContain('Lulusan yang menjawab tindak lanjut : 3 dari 3 (100%)');
    expect(text).toContain('Pembukaan oleh Wakil Wali Kota');
    expect(text).toContain('Penyerahan bantuan');
    expect(text).toContain('Ir. Kepala Dinas Laporan');
    expect(text).toContain('NIP. 197001011995031001');
    // aggregate only: no participant's name or NIK
    for (const o of owners) {
      expect(text).not.toContain(o.name);
      expect(text).not.toContain(o.nik);
    }
  });

  it('prints what is missing as missing, and answers 404 for an unknown program', async () => {
    const { programId } = await seedReportProgram(t, officer.cookie);
    const res = await api('GET', `/programs/${programId}/laporan-kegiatan.pdf`, officer.cookie);
    const text = (await pdfPages(res.rawPayload)).join(' ');
    expect(text).toContain('Dasar hukum belum diisi.');
    const unknown = await api(
      'GET',
      '/programs/00000000-0000-4000-8000-000000000000/laporan-kegiatan.pdf',
      officer.cookie,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps the texts, lists and removes photos, and refuses a photo that is not what it claims', async () => {
    const { programId } = await seedReportProgram(t, officer.cookie);
    await api('PUT', `/programs/${programId}/report-texts`, officer.cookie, {
      background: 'Latar',
      legalBasis: null,
    });
    const texts = await api('GET', `/programs/${programId}/report-texts`, kecamatanOfficer.cookie);
    expect(texts.json()).toMatchObject({ background: 'Latar', legalBasis: null });
    const denied = await api('PUT', `/programs/${programId}/report-texts`, kecamatanOfficer.cookie, {
      background: 'x',
      legalBasis: null,
    });
    expect(denied.statusCode).toBe(403);

    const bad = await api('POST', `/programs/${programId}/photos`, officer.cookie, {
      photo: { contentType: 'image/jpeg', dataBase64: tinyPng.toString('base64') },
    });
    expect(bad.statusCode).toBe(415);
    const added = await api('POST', `/programs/${programId}/photos`, officer.cookie, {
      photo: { contentType: 'image/png', dataBase64: tinyPng.toString('base64') },
      caption: 'Praktik menganyam',
    });
    const photoId = added.json().id as string;
    const list = await api('GET', `/programs/${programId}/photos`, officer.cookie);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: photoId, caption: 'Praktik menganyam' }),
    ]);
    expect((await api('DELETE', `/programs/${programId}/photos/${photoId}`, officer.cookie)).statusCode).toBe(
      204,
    );
    expect((await api('DELETE', `/programs/${programId}/photos/${photoId}`, officer.cookie)).statusCode).toBe(
      404,
    );
  });
});

async function workbook(cookie: string, year: number) {
  const res = await api('GET', `/reports/annual.xlsx?year=${year}`, cookie);
  expect(res.statusCode).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return book;
}

function rowsOf(book: ExcelJS.Workbook, name: string) {
  const sheet = book.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, i) => {
    if (i === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, k) => [h, values[k] ?? null])));
  });
  return { sheet, rows };
}

describe('annual recap', () => {
  it('has every program of the year per program, per kecamatan, aid per SOPD and outcomes, as numbers', async () => {
    const { programId, sopdName } = await seedReportProgram(t, officer.cookie, { year: 2021 });
    await seedReportProgram(t, officer.cookie, { year: 2022 });
    const book = await workbook(officer.cookie, 2021);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Ringkasan',
      'Program',
      'Program per kecamatan',
      'Bantuan per SOPD',
      'Bantuan per kecamatan',
      'Capaian per kecamatan',
    ]);
    const programs = rowsOf(book, 'Program').rows;
    expect(programs).toHaveLength(2);
    expect(programs[0]).toMatchObject({
      Peserta: 7,
      Lulus: 6,
      'Penerima bantuan': 3,
      'Nilai bantuan (Rp)': 7_500_000,
    });
    expect(programs[0]).toMatchObject({
      'Wirausaha baru': 3,
      Menjawab: 3,
      '% aktif (dari yang menjawab)': 1,
    });
    expect(programs[1]).toMatchObject({ Program: 'JUMLAH', Peserta: 7 });

    const perKecamatan = rowsOf(book, 'Program per kecamatan').rows;
    expect(perKecamatan.map((r) => [r.Kecamatan, r.Peserta, r.Lulus, r['Wirausaha baru']])).toEqual([
      ['Bukit Batu', 6, 5, 3],
      ['Rakumpit', 1, 1, 0],
    ]);
    const aid = rowsOf(book, 'Bantuan per SOPD');
    expect(aid.rows[0]).toMatchObject({ SOPD: sopdName, Penerima: 3, Jumlah: 3, 'Nilai (Rp)': 7_500_000 });
    expect(aid.sheet.getColumn(6).numFmt).toBe('#,##0');
    const outcomes = rowsOf(book, 'Capaian per kecamatan').rows;
    expect(outcomes.at(-1)).toMatchObject({ Kecamatan: 'JUMLAH', Lulusan: 6, 'Wirausaha baru': 3 });
    const summary = rowsOf(book, 'Ringkasan').rows;
    expect(summary).toContainEqual({ Uraian: 'Jumlah program', Nilai: 1 });
    expect(programId).toBeTruthy();
  });

  it('gives a kecamatan office its own kecamatan only', async () => {
    await seedReportProgram(t, officer.cookie, { year: 2023 });
    const book = await workbook(kecamatanOfficer.cookie, 2023);
    const perKecamatan = rowsOf(book, 'Program per kecamatan').rows;
    expect(perKecamatan.map((r) => r.Kecamatan)).toEqual(['Rakumpit']);
    expect(rowsOf(book, 'Program').rows[0]).toMatchObject({ Peserta: 1 });
  });
});
