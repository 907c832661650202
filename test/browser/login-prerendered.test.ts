import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  demoPassword,
  holdApp,
  launchBrowser,
  newContext,
  type Running,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

// The sign-in screen comes drawn in the page the server sends (web/prerender.ts): a phone shows
// the real form before the JavaScript has arrived; the app then takes that very markup over
// (hydration) rather than drawing it again, and a form sent before that still signs in.

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

const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');
describe('the sign-in screen drawn by the server', () => {
  test('is in the HTML, in the language of the cookie', async () => {
    const id = await (await fetch(`${server.baseUrl}/login`)).text();
    expect(id).toContain('data-prerendered="/login" data-lang="id"');
    expect(id).toMatch(/<h1[^>]*id="login-title"[^>]*>Masuk<\/h1>/);
    expect(id).toMatch(/<form[^>]*method="post"/);
    const en = await (
      await fetch(`${server.baseUrl}/login`, { headers: { cookie: 'pulih_lang=en' } })
    ).text();
    expect(en).toContain('data-lang="en"');
    expect(en).toMatch(/<h1[^>]*>Log in<\/h1>/);
    // Other addresses are drawn by the app alone.
    expect(await (await fetch(`${server.baseUrl}/programs`)).text()).toContain('<div id="root"></div>');
  });

  test('shows before the app runs; the app takes the same elements over and keeps what was typed', async () => {
    const context = await newContext(browser, server.baseUrl, phone, { serviceWorker: true });
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    const release = await holdApp(page);
    await page.goto('/login', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Nama pengguna').fill('dinas');
    await page.getByLabel('Kata sandi').fill(demoPassword);
    // The elements as the server drew them, marked to be found again after the app has run,
    // and the page's layout shifts counted from here on.
    await page.evaluate(`(() => {
      for (const input of document.querySelectorAll('input[name=username], input[name=password]')) input.setAttribute('data-drawn', 'server');
      window.shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const moved = (entry.sources || []).map((s) => s.node ? s.node.nodeName + '.' + s.node.className : '?');
          window.shifts.push(entry.value.toFixed(3) + ' ' + moved.join(', '));
        }
      }).observe({ type: 'layout-shift', buffered: true });
    })()`);
    release();
    // Hydrated: React's own properties are on the element the server drew.
    await expect
      .poll(
        () =>
          page.evaluate(
            `Object.keys(document.querySelector('input[name="username"]') ?? {}).some((k) => k.startsWith('__react'))`,
          ),
        { timeout: 60_000 },
      )
      .toBe(true);
    expect(await page.locator('input[data-drawn="server"]').count()).toBe(2);
    expect(await page.getByLabel('Nama pengguna').inputValue()).toBe('dinas');
    // Each shift with what moved, so that a failure says which element it was.
    expect(await page.evaluate('window.shifts')).toEqual([]);
    const signIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: 'Masuk' }).click();
    expect((await signIn).status()).toBe(200);
    await page.waitForURL((url) => url.pathname === '/');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('sent before the app runs, the form signs in through the server, or comes back with the error', async () => {
    const context = await newContext(browser, server.baseUrl, phone, { serviceWorker: true });
    const page = await context.newPage();
    await holdApp(page);
    await page.goto('/login?next=%2Fprograms', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Nama pengguna').fill('dinas');
    await page.getByLabel('Kata sandi').fill('not-the-password');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((url) => url.searchParams.get('failed') === 'invalid_credentials');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/programs');
    expect((await context.cookies()).some((c) => c.name === 'pulih_session')).toBe(false);

    await page.unrouteAll();
    await page.goto(page.url());
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await holdApp(page);
    await page.goto('/login?next=%2Fprograms', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Nama pengguna').fill('dinas');
    await page.getByLabel('Kata sandi').fill(demoPassword);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/programs', { waitUntil: 'commit' }),
      page.getByRole('button', { name: 'Masuk' }).click(),
    ]);
    expect((await context.cookies()).some((c) => c.name === 'pulih_session')).toBe(true);
    await context.close();
  });
});
