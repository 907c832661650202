// The audit trail as an auditor reads it, on a desktop and on a 360 px phone: Indonesian
// actions and names, filters by user and period, the download links carrying the filter.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  adminPassword,
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

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('audit page', () => {
  for (const viewport of viewports) {
    test(`on ${viewport.name}: names, Indonesian actions, filters and export`, async () => {
      const context = await newContext(browser, server.baseUrl, viewport);
      const problems: string[] = [];
      try {
        const page = await context.newPage();
        watchPage(page, problems);
        await login(page, 'admin', adminPassword);
        await navigate(page, viewport, 'Jejak audit');
        await page.getByRole('heading', { name: 'Jejak audit' }).waitFor();
        await page.getByText(/zona waktu kantor \(Asia\/Jakarta\)/).waitFor();

        const byUser = page.waitForResponse((r) => r.url().includes('/api/v1/audit?actorId='));
        await page
          .locator('input')
          .and(page.getByLabel('Pengguna', { exact: true }))
          .fill('Rina');
        await page.getByRole('option', { name: 'Rina Kartika, S.E. (dinas)' }).click();
        await byUser;
        await page.getByText('Membuat').first().waitFor();
        // The officer's products (the demo's bazaar and sales come after them in the log).
        const byEntity = page.waitForResponse((r) => r.url().includes('entity=product'));
        await page
          .locator('input')
          .and(page.getByLabel('Jenis data', { exact: true }))
          .fill('Produk');
        await page.getByRole('option', { name: 'Produk', exact: true }).click();
        await byEntity;
        // The graduates' products, named as in the catalogue.
        const product = /^(Tas Anyaman|Tikar|Keranjang|Lampit|Bakul|Topi) Rotan /;
        await page.getByText(product).first().waitFor();
        await page.getByText('Produk', { exact: true }).first().waitFor();
        const table = await page.locator('main').innerText();
        expect(table).toContain('Rina Kartika, S.E.');
        expect(table).not.toMatch(/\bcreate\b|\bproduct\b|\bupdate_photo\b/);

        const xlsx = page.getByRole('link', { name: 'Unduh Excel' });
        expect(await xlsx.getAttribute('href')).toMatch(
          /^\/api\/v1\/audit\/export\?actorId=[0-9a-f-]{36}&.*format=xlsx/,
        );
        if (viewport.mobile) {
          const overflow = Number(
            await page.evaluate(
              'document.documentElement.scrollWidth - document.documentElement.clientWidth',
            ),
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await shot(page, viewport, 'audit-by-user');

        // The demo's log was written today: nothing in 2020.
        const period = page.waitForResponse((r) => r.url().includes('to=2020-12-31'));
        await page.getByLabel('Dari tanggal').fill('2020-01-01');
        await page.getByLabel('Sampai tanggal').fill('2020-12-31');
        await period;
        await page.getByText('Tidak ada catatan untuk filter ini.').waitFor();
        expect(problems, problems.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
