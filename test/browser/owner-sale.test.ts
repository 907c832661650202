// An owner records a sale on a 360 px phone in a few seconds (amount typed freely, the thousands
// separators appear, date today); the owner's storefront then works on the same phone without
// JavaScript and its order button goes through the click counter to WhatsApp.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { orderClicks, sales, users } from '../../src/db/schema.ts';
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
const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('owner on a phone', () => {
  test('records a sale and sees it; the storefront works without JavaScript', async () => {
    const context = await newContext(browser, server.baseUrl, phone);
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'pemilik');
      await navigate(page, phone, 'Penjualan');
      await page.waitForURL((url) => url.pathname === '/sales');
      const amount = page.getByLabel('Jumlah (Rp)');
      await amount.fill('137500');
      await expect.poll(() => amount.inputValue()).toBe('Rp 137.500');
      await page.getByRole('button', { name: 'Simpan penjualan' }).click();
      await page.getByText('Penjualan Rp 137.500 tercatat.', { exact: false }).waitFor();
      await page.getByRole('heading', { name: 'Penjualan terakhir' }).waitFor();
      await shot(page, phone, 'owner-sale');
      const [owner] = await server.ctx.db
        .select({ personId: users.personId })
        .from(users)
        .where(eq(users.username, 'pemilik'));
      expect(owner?.personId).toBeTruthy();
      const stored = await server.ctx.db.select().from(sales).where(eq(sales.amount, 137500));
      expect(stored).toHaveLength(1);
      const businessId = stored[0]?.businessId ?? '';

      // The storefront's address, from the settings page the owner opens from their business.
      const settings = await page.request.get(`/api/v1/businesses/${businessId}/storefront`);
      expect(settings.status()).toBe(200);
      const { url } = (await settings.json()) as { url: string };
      const noJs = await browser.newContext({
        baseURL: server.baseUrl,
        viewport: { width: phone.width, height: phone.height },
        isMobile: true,
        javaScriptEnabled: false,
        locale: 'id-ID',
      });
      try {
        const store = await noJs.newPage();
        await store.goto(new URL(url).pathname);
        await store.getByRole('heading', { level: 1 }).waitFor();
        const overflow = await store.evaluate('document.documentElement.scrollWidth');
        expect(Number(overflow)).toBeLessThanOrEqual(phone.width);
        await shot(store, phone, 'storefront');
        const order = store.getByRole('link', { name: 'Pesan lewat WhatsApp' }).first();
        if ((await order.count()) > 0) {
          const href = (await order.getAttribute('href')) ?? '';
          expect(href).toMatch(/\/toko\/[a-z0-9-]+\/pesan\//);
          const res = await store.request.get(href, { maxRedirects: 0 });
          expect(res.status()).toBe(302);
          expect(res.headers().location).toMatch(/^https:\/\/wa\.me\//);
          expect((await server.ctx.db.select().from(orderClicks)).length).toBeGreaterThan(0);
        }
      } finally {
        await noJs.close();
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
