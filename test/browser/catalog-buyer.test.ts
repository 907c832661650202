import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  launchBrowser,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

// A buyer on a cheap phone (360 px) who opened the catalogue from a WhatsApp link: searches
// with a typo, is offered the right word, opens a product and finds the WhatsApp order link.
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

describe('a buyer on a phone', () => {
  test('searches with a typo, opens a product and sees the WhatsApp link', async () => {
    const phone = viewports.find((v) => v.name === 'phone')!;
    const context = await newContext(browser, server.baseUrl, phone);
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);

    await page.goto('/katalog');
    await page.getByLabel('Cari produk').fill('tas rottan');
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.waitForURL(/q=tas\+rottan/);
    await expect.poll(() => page.locator('.card').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.suggest').textContent()).toContain('tas rotan');
    // Nothing sticks out sideways on a 360 px screen.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      phone.width,
    );
    // The first card's photo is a small variant that actually loads.
    const photo = page.locator('.card img').first();
    const loaded =
      "(() => { const i = document.querySelector('.card img'); return i && i.complete ? i.naturalWidth : 0 })()";
    await expect.poll(async () => Number(await page.evaluate(loaded))).toBeGreaterThan(0);
    expect(await photo.getAttribute('srcset')).toMatch(/-card\.webp 320w, .*-card2x\.webp 640w/);
    await shot(page, phone, 'catalog-search-typo');

    const firstName = (await page.locator('.card h2').first().textContent())?.trim() ?? '';
    expect(firstName.toLowerCase()).toContain('rotan');
    await page.locator('.card h2 a').first().click();
    await page.waitForURL(/\/katalog\/[0-9a-f-]{36}/);
    await expect.poll(() => page.locator('h1').textContent()).toBe(firstName);

    const order = page.getByRole('link', { name: 'Pesan lewat WhatsApp' });
    expect(await order.getAttribute('href')).toMatch(/^https:\/\/wa\.me\/62\d+\?text=/);
    expect(await order.isVisible()).toBe(true);
    // The share preview a WhatsApp chat shows for this page.
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(/-og\.jpg$/);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      phone.width,
    );
    await shot(page, phone, 'catalog-product');
    expect(problems).toEqual([]);
    await context.close();
  });
});
