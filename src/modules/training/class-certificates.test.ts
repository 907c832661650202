import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClass, officeDay } from '../../testing/cohort.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';

// The whole class's certificates: one PDF with a page each, and a ZIP of single PDFs.

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;
let programId: string;
let certified: string[];
let notCertified: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
  const made = await createClass(t, officer.cookie, { size: 4 });
  programId = made.programId;
  const day = officeDay(-1);
  const series = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/sessions/series`,
    headers: { cookie: officer.cookie },
    payload: { dates: [day], startsAt: '08:00', endsAt: '16:00', lessonHours: 8 },
  });
  const sessionId = series.json().items[0].id as string;
  // Three of four attend; the fourth gets no certificate.
  for (const m of made.members.slice(0, 3)) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sessions/${sessionId}/attendance`,
      headers: { cookie: officer.cookie },
      payload: { applicationId: m.applicationId, method: 'manual', checkedInAt: `${day}T08:30:00+07:00` },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const issued = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/certificates`,
    headers: { cookie: officer.cookie },
  });
  expect(issued.json(), issued.body).toMatchObject({ issued: 3 });
  certified = made.members.slice(0, 3).map((m) => m.ownerName);
  notCertified = made.members[3]!.ownerName;
});
afterAll(async () => t?.close());

describe('certificates of the whole class', () => {
  it('prints one PDF with one page per certified participant, with their names and the total JP', async () => {
    const res = await t.app.inject({
      url: `/api/v1/programs/${programId}/certificates.pdf`,
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const pages = await pdfPages(res.rawPayload);
    expect(pages).toHaveLength(3);
    for (const [i, name] of certified.entries()) {
      expect(pages[i]).toContain('SERTIFIKAT PELATIHAN');
      expect(pages[i]).toContain(name);
      expect(pages[i]).toContain('8 jam pelajaran (JP)');
    }
    expect(pages.join(' ')).not.toContain(notCertified);
  });

  it('downloads a ZIP with one PDF per certified participant', async () => {
    const res = await t.app.inject({
      url: `/api/v1/programs/${programId}/certificates.zip`,
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/zip');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const files = Object.keys(zip.files).sort();
    expect(files).toHaveLength(3);
    const names: string[] = [];
    for (const file of files) {
      expect(file).toMatch(/^sertifikat-.+\.pdf$/);
      const pages = await pdfPages(Buffer.from(await zip.file(file)!.async('uint8array')));
      expect(pages).toHaveLength(1);
      names.push(certified.find((n) => pages[0]!.includes(n)) ?? '');
    }
    expect(names.sort()).toEqual([...certified].sort());
  });

  it('gives a kecamatan officer only the certificates of their kecamatan, and refuses those who may not', async () => {
    // Everyone in this class lives in 62.71.02; the officer of 62.71.05 gets an empty class.
    const pdf = await t.app.inject({
      url: `/api/v1/programs/${programId}/certificates.pdf`,
      headers: { cookie: kecamatan.cookie },
    });
    expect(pdf.statusCode).toBe(200);
    const pages = await pdfPages(pdf.rawPayload);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Belum ada sertifikat');
    const anonymous = await t.app.inject({ url: `/api/v1/programs/${programId}/certificates.zip` });
    expect(anonymous.statusCode).toBe(401);
  });
});
