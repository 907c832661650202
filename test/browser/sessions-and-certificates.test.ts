// Issue #10, points 1 and 3, in a real browser on a desktop and a 360 px phone: an officer
// gives a new training its days from one form, checks the whole class in for today's session
// with one tap, and issues certificates after a preview of who gets one and who does not.
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bulkBusinesses } from '../../src/testing/bulk.ts';
import { officeDay } from '../../src/testing/cohort.ts';
import {
  demoPassword,
  launchBrowser,
  login,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

let server: Running;
let browser: Browser;
let officer: APIRequestContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  officer = await request.newContext({ baseURL: server.baseUrl });
  const res = await officer.post('/api/v1/auth/login', {
    data: { username: 'dinas', password: demoPassword },
  });
  expect(res.status()).toBe(200);
});
afterAll(async () => {
  await officer?.dispose();
  await browser?.close();
  await server?.close();
});

// A training with `size` participants enrolled through the API, its dates around today.
async function trainingClass(name: string, size: number, start: number, end: number) {
  const program = await officer.post('/api/v1/programs', {
    data: {
      name,
      type: 'training',
      capacity: size + 5,
      selection: 'first_come',
      startDate: officeDay(start),
      endDate: officeDay(end),
      venue: 'Aula Kecamatan Bukit Batu',
      eligibility: true,
    },
  });
  expect(program.status(), await program.text()).toBe(201);
  const id = ((await program.json()) as { id: string }).id;
  const made = await bulkBusinesses(server.ctx.db, size, {
    ownerName: (i) => `${name.split(' ').at(-1)} Peserta ${String(i + 1).padStart(2, '0')}`,
  });
  const applications: { id: string; ownerName: string }[] = [];
  for (const [i, b] of made.entries()) {
    const res = await officer.post(`/api/v1/programs/${id}/applications`, { data: { businessId: b.id } });
    expect(res.status(), await res.text()).toBe(201);
    applications.push({
      id: ((await res.json()) as { id: string }).id,
      ownerName: `${name.split(' ').at(-1)} Peserta ${String(i + 1).padStart(2, '0')}`,
    });
  }
  return { id, applications };
}

for (const viewport of viewports) {
  describe(`sessions and certificates (${viewport.name})`, () => {
    let context: BrowserContext;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      context = await newContext(browser, server.baseUrl, viewport);
      page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
    });
    afterAll(async () => context?.close());

    test('creates the days of a new training from one form, and checks the whole class in today', async () => {
      const tag = viewport.name === 'phone' ? 'Ponsel' : 'Desktop';
      const { id, applications } = await trainingClass(`Pelatihan Anyaman Kelas ${tag}`, 8, -4, 4);
      await page.goto(`/programs/${id}/sessions`);
      await page.getByText('Belum ada sesi.').waitFor();
      await page.getByTestId('add-sessions').click();
      const form = page.getByTestId('session-series-form');
      await form.waitFor();
      // "Every day from two days ago to today, 08:00–16:00, at the hall", two trainers, 8 JP.
      await form.getByLabel('Dari tanggal').fill(officeDay(-2));
      await form.getByLabel('Sampai tanggal').fill(officeDay(0));
      await form.getByLabel('Mulai').fill('08:00');
      await form.getByLabel('Selesai').fill('16:00');
      await form.getByLabel('Tempat').fill('Aula Kecamatan Bukit Batu');
      await form.getByLabel('Jam pelajaran (JP)').fill('8');
      await form.getByRole('button', { name: 'Tambah narasumber' }).click();
      await form.getByRole('textbox', { name: 'Nama' }).first().fill('Dr. Hendra Saputra');
      await expect
        .poll(async () => form.getByTestId('series-count').textContent())
        .toBe('Akan dibuat 3 sesi.');
      await shot(page, viewport, 'sessions-01-series-form');
      await form.getByRole('button', { name: 'Buat sesi' }).click();
      await page.getByText('3 sesi dibuat.').waitFor();
      await expect.poll(async () => page.getByTestId('session-card').count()).toBe(3);
      expect(await page.getByTestId('session-card').first().textContent()).toContain('Dr. Hendra Saputra');
      expect(await page.getByTestId('session-card').first().textContent()).toContain('8 JP');
      await shot(page, viewport, 'sessions-02-list');

      // Today's session: the whole class present with one tap (a confirmation, accepted).
      await page.getByRole('link', { name: 'Hari ke-3' }).click();
      await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
      const count = page.getByTestId('attendance-count');
      await count.waitFor();
      await expect.poll(async () => count.textContent()).toBe('0 dari 8 hadir');
      await page.getByTestId('all-present').click();
      await expect.poll(async () => count.textContent(), { timeout: 30_000 }).toBe('8 dari 8 hadir');
      await page.getByText('8 peserta dicatat hadir.').waitFor();
      await shot(page, viewport, 'sessions-03-all-present');
      const detail = await officer.get(`/api/v1${new URL(page.url()).pathname}`);
      const participants = ((await detail.json()) as { participants: { checkedInAt: string | null }[] })
        .participants;
      expect(participants.filter((p) => p.checkedInAt)).toHaveLength(applications.length);

      // A past day takes a late entry with a reason, shown on the row.
      await page.goBack();
      await page.getByRole('link', { name: 'Hari ke-1' }).click();
      await page.getByTestId('session-past').waitFor();
      const first = page.locator('[data-testid=participant]').filter({ hasText: applications[0]!.ownerName });
      await first.click();
      await page.getByTestId('late-reason').fill('Dicatat dari daftar hadir kertas');
      await page.getByRole('button', { name: 'Catat susulan' }).click();
      await page.getByTestId('late-entry').filter({ hasText: 'Dicatat dari daftar hadir kertas' }).waitFor();
      expect(problems).toEqual([]);
    });

    test('issues the class certificates after a preview of who gets one and why not', async () => {
      const tag = viewport.name === 'phone' ? 'Ponsel' : 'Desktop';
      // A class that ended yesterday: three days, attendance as recorded on each day.
      const { id, applications } = await trainingClass(`Pelatihan Pemasaran Kelas ${tag}`, 5, -6, -1);
      const days = [officeDay(-3), officeDay(-2), officeDay(-1)];
      const series = await officer.post(`/api/v1/programs/${id}/sessions/series`, {
        data: { dates: days, startsAt: '08:00', endsAt: '16:00', lessonHours: 6 },
      });
      expect(series.status(), await series.text()).toBe(201);
      const sessions = ((await series.json()) as { items: { id: string }[] }).items;
      for (const [d, s] of sessions.entries()) {
        // The last participant came on the first day only.
        for (const a of d === 0 ? applications : applications.slice(0, -1)) {
          const res = await officer.post(`/api/v1/sessions/${s.id}/attendance`, {
            data: { applicationId: a.id, method: 'manual', checkedInAt: `${days[d]}T08:15:00+07:00` },
          });
          expect(res.status(), await res.text()).toBe(201);
        }
      }
      await page.goto(`/programs/${id}/completion`);
      await page
        .getByTestId('completion-summary')
        .getByText('4 dari 5 peserta memenuhi syarat kelulusan.')
        .waitFor();
      await page.getByTestId('issue-certificates').click();
      const preview = page.getByTestId('issue-preview');
      await preview.waitFor();
      const receive = preview.getByTestId('preview-receive');
      await expect.poll(async () => receive.locator('li').count()).toBe(4);
      const below = await preview.getByTestId('preview-below').textContent();
      expect(below).toContain(applications.at(-1)!.ownerName);
      expect(below).toContain('Hadir 1 dari 3 sesi');
      expect(await preview.textContent()).toContain('Total 18 JP');
      await shot(page, viewport, 'sessions-04-issue-preview');
      await page.getByTestId('confirm-issue').click();
      await page.getByText('Sertifikat diterbitkan').waitFor();
      await expect.poll(async () => page.getByTestId('certificate-link').count()).toBe(4);
      const pdfLink = page.getByTestId('all-certificates-pdf');
      await pdfLink.waitFor();
      const pdf = await officer.get((await pdfLink.getAttribute('href')) ?? '');
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      await shot(page, viewport, 'sessions-05-certificates');
      expect(problems).toEqual([]);
    });
  });
}
