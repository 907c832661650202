// Complaints (pengaduan): a citizen files one on a 360 px phone with JavaScript off and gets a
// tracking code; an officer finds it on a desktop and answers; the citizen's status page shows
// the answer and nothing of who complained.
import { asc } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { businesses } from '../../src/db/schema.ts';
import {
  launchBrowser,
  login,
  navigate,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

let server: Running;
let browser: Browser;
const [desktop, phone] = viewports as [(typeof viewports)[0], (typeof viewports)[0]];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('complaints', () => {
  test('a citizen complains on a phone, an officer answers on a desktop, the status page shows it', async () => {
    const citizen = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: phone.width, height: phone.height },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      // the form is plain HTML: a cheap phone with no JavaScript files it just the same
      javaScriptEnabled: false,
    });
    citizen.setDefaultTimeout(15_000);
    const office = await newContext(browser, server.baseUrl, desktop);
    const problems: string[] = [];
    const answer = 'Bantuan alat Anda dijadwalkan diserahkan hari Senin di kantor kecamatan.';
    try {
      const page = await citizen.newPage();
      await page.goto('/pengaduan');
      await page.getByLabel('Nama').fill('Rahmawati Pengadu');
      await page.getByLabel('Nomor HP / WhatsApp').fill('0812 9876 5432');
      await page.getByLabel('Isi pengaduan').fill('Sudah dua bulan bantuan alat belum saya terima.');
      await page.getByText(/UU Pelindungan Data Pribadi/).waitFor();
      await shot(page, phone, 'complaint-form');
      await page.getByRole('button', { name: 'Kirim pengaduan' }).click();
      await page.waitForURL(/\/pengaduan\/PGD-[2-9A-HJ-NP-Z]{6}/);
      const code = ((await page.locator('.code').first().textContent()) ?? '').trim();
      expect(code).toMatch(/^PGD-[2-9A-HJ-NP-Z]{6}$/);
      await page.getByText('Baru', { exact: true }).waitFor();
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, phone, 'complaint-code');

      const officer = await office.newPage();
      watchPage(officer, problems);
      await login(officer, 'dinas');
      await navigate(officer, desktop, 'Pengaduan');
      await officer.getByPlaceholder('Cari kode, nama atau no. LAPOR!').fill(code);
      await officer.getByTestId('complaint-card').filter({ hasText: code }).click();
      await officer.getByTestId('complaint-message').filter({ hasText: 'dua bulan' }).waitFor();
      await officer.getByLabel('Jawaban untuk pengadu').fill(answer);
      await officer.getByRole('button', { name: 'Kirim jawaban' }).click();
      await officer.getByText('Selesai', { exact: true }).first().waitFor();
      // no channel configured: the message waits to be sent by hand
      const chat = officer.getByRole('link', { name: 'Kirim lewat WhatsApp' });
      await chat.waitFor();
      expect(new URL((await chat.getAttribute('href')) ?? '').pathname).toBe('/6281298765432');
      await shot(officer, desktop, 'complaint-answered');

      await page.goto(`/pengaduan/${code}`);
      await page.getByText(answer).waitFor();
      await page.getByText('Selesai', { exact: true }).waitFor();
      const body = (await page.locator('main').textContent()) ?? '';
      for (const secret of ['Rahmawati', '9876', 'dua bulan']) expect(body).not.toContain(secret);
      await shot(page, phone, 'complaint-status');
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await citizen.close();
      await office.close();
    }
  });

  test('on a 360 px phone an officer records a call linked to a business; the list and filters fit', async () => {
    const [business] = await server.ctx.db
      .select({ id: businesses.id, name: businesses.name })
      .from(businesses)
      .orderBy(asc(businesses.name))
      .limit(1);
    if (!business) throw new Error('the demo has no business');
    const context = await newContext(browser, server.baseUrl, phone);
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
      await navigate(page, phone, 'Pengaduan');
      await page.getByRole('heading', { name: 'Pengaduan' }).waitFor();
      await page.getByLabel('Hanya yang lewat batas').waitFor();
      await page.getByRole('link', { name: 'Catat pengaduan' }).click();
      await page.getByLabel('Nama pengadu').fill('Pak Darmawan');
      await page.getByLabel('Isi pengaduan').fill('Menelepon: jadwal pelatihan tidak diumumkan.');
      await page.locator('input').and(page.getByLabel('Usaha (opsional)')).fill(business.name.slice(0, 12));
      await page.getByRole('option', { name: business.name }).first().click();
      await page.getByRole('button', { name: 'Simpan' }).click();
      await page.getByRole('heading', { name: /Pengaduan PGD-/ }).waitFor();
      await page.getByRole('link', { name: business.name }).waitFor();
      await page.getByText('Telepon', { exact: true }).waitFor();
      await shot(page, phone, 'complaint-entered');
      await page.getByRole('link', { name: 'Kembali ke daftar' }).click();
      await page.getByLabel('Hanya yang lewat batas').waitFor();
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, phone, 'complaints-list');
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
