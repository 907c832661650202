import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  holdApp,
  hydrated,
  launchBrowser,
  type Running,
  signedInContext,
  startServer,
  type Viewport,
  watchPage,
} from './helpers.ts';

// The dashboard the server drew works before the app's JavaScript has arrived (the app starts
// at the first touch, or once the page has stayed idle: web/prerender.ts): on a phone the
// burger opens the menu and its links are links; the menu opened then stays open when the app
// takes the page over; the account menu, which needs the app, opens once the app has it; the
// language switch loads the page again in the chosen language.

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

const phone: Viewport = { name: 'phone', width: 360, height: 740, mobile: true };

const signedInPhone = () => signedInContext(browser, server.baseUrl, phone, 'dinas');

// The dashboard as the server draws it, on a signed-in phone, with the app held back until
// `release()`.
async function heldDashboard() {
  const context = await signedInPhone();
  const target = await context.newPage();
  const problems: string[] = [];
  watchPage(target, problems);
  const release = await holdApp(target);
  await target.goto('/', { waitUntil: 'domcontentloaded' });
  return { context, target, problems, release };
}

// Where the phone's menu is: 0 when open, off the screen to the left when closed.
const menuLeft = async (target: Page) =>
  (await target.getByRole('navigation', { name: /Menu utama|Main menu/ }).boundingBox())?.x;

describe('the server-drawn dashboard on a phone, before the app runs', () => {
  test('the burger opens the menu at the first tap and a link in it leads to its page', async () => {
    const { context, target, problems, release } = await heldDashboard();
    expect(await menuLeft(target)).toBeLessThan(0);
    await target.getByRole('button', { name: 'Buka menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBe(0);
    // Closes and opens again, still without the app.
    await target.getByRole('button', { name: 'Tutup menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBeLessThan(0);
    await target.getByRole('button', { name: 'Buka menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBe(0);
    expect(await hydrated(target, 'header button')).toBe(false);
    expect(await target.evaluate('document.documentElement.dataset.app ?? null')).toBe(null);
    await target.getByRole('navigation').getByRole('link', { name: 'Program', exact: true }).tap();
    // A full page load, whose app is still held back: its address, then its page once released.
    await target.waitForURL((url) => url.pathname === '/programs', { waitUntil: 'commit' });
    release();
    await target.getByRole('heading', { name: 'Program', level: 2 }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the menu opened before the app stays open when the app takes over, and the app then closes it', async () => {
    const { context, target, problems, release } = await heldDashboard();
    await target.getByRole('button', { name: 'Buka menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBe(0);
    release();
    await target.locator('html[data-frame="app"]').waitFor({ state: 'attached' });
    expect(await hydrated(target, 'header button')).toBe(true);
    expect(await menuLeft(target)).toBe(0);
    expect(await target.evaluate('document.documentElement.dataset.menu ?? null')).toBe(null);
    await target.getByRole('button', { name: 'Tutup menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBeLessThan(0);
    await target.getByRole('button', { name: 'Buka menu' }).tap();
    await expect.poll(() => menuLeft(target)).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the account menu tapped before the app opens once the app has it', async () => {
    const { context, target, problems, release } = await heldDashboard();
    const account = target.getByTestId('account-menu');
    await account.tap();
    await expect.poll(() => account.getAttribute('aria-busy')).toBe('true');
    release();
    await target.getByRole('menuitem', { name: 'Akun saya' }).waitFor();
    expect(await account.getAttribute('aria-busy')).toBe(null);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the language switch loads the page again in the language chosen', async () => {
    const { context, target, problems } = await heldDashboard();
    await target.getByRole('heading', { name: 'Dasbor' }).waitFor();
    await target.locator('label', { hasText: 'EN' }).tap();
    await target.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await target.locator('#root').getAttribute('data-lang')).toBe('en');
    expect(await target.evaluate('localStorage.getItem("pulih.lang")')).toBe('en');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the app starts by itself on a page nobody touches', async () => {
    const context = await signedInPhone();
    const target = await context.newPage();
    const problems: string[] = [];
    watchPage(target, problems);
    await target.goto('/');
    await target.locator('html[data-frame="app"]').waitFor({ state: 'attached' });
    await target.locator('html[data-app="running"]').waitFor({ state: 'attached' });
    expect(await hydrated(target, '[data-testid=stat-value]')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
