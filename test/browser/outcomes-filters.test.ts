// The outcomes page's kecamatan filter, its funnel per program and per kecamatan, and the annual
// recap download, on a 360 px phone; a kecamatan office gets no kecamatan choice (the server
// holds it to its own).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  launchBrowser,
  login,
  newContext,
  type Running,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

let server: Running;
let browser: Browser;
const phone = viewports[1] as (typeof viewports)[0];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('outcomes filters', () => {
  test('the dinas narrows the funnel to one kecamatan and downloads the annual recap', async () => {
    const context = await newContext(browser, server.baseUrl, phone);
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
      await page.goto('/outcomes');
      await page.getByRole('heading', { name: 'Alur peserta per kecamatan' }).waitFor();
      await page.getByRole('heading', { name: 'Alur peserta per program' }).waitFor();
      await page.getByLabel('Tampilkan tabel angka').check();
      // on a phone the table's rows are cards
      const kecamatanRows = page.locator('[aria-label="Alur peserta per kecamatan"] > *');
      await kecamatanRows.first().waitFor();
      const before = await kecamatanRows.count();
      expect(before).toBeGreaterThan(1);

      const name = (await kecamatanRows.first().innerText()).split('\n')[0]?.trim() ?? '';
      await page.getByTestId('outcomes-kecamatan').click();
      await page.getByRole('option', { name, exact: true }).click();
      await expect.poll(() => kecamatanRows.count()).toBe(1);
      expect(await kecamatanRows.first().innerText()).toContain(name);

      const href = await page.getByTestId('annual-recap').getAttribute('href');
      // the latest year that has programs: the demo's founding program ended in 2020
      expect(href).toBe('/api/v1/reports/annual.xlsx?year=2020');
      const response = await page.request.get(href ?? '');
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('spreadsheetml');

      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a kecamatan office sees no kecamatan choice', async () => {
    const context = await newContext(browser, server.baseUrl, phone);
    try {
      const page = await context.newPage();
      await login(page, 'kec.bukitbatu');
      await page.goto('/outcomes');
      await page.getByRole('heading', { name: 'Alur peserta per kecamatan' }).waitFor();
      expect(await page.getByTestId('outcomes-kecamatan').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
