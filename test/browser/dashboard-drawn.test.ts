import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  sessionOf as helperSessionOf,
  signedInContext as helperSignedInContext,
  holdApp,
  hydrated,
  launchBrowser,
  login,
  newContext,
  type Running,
  screenshotDir,
  startServer,
  type Viewport,
  watchPage,
} from './helpers.ts';

// The dashboard comes drawn by the server, per request, with the signed-in visitor's own
// figures (web/src/ssr.tsx): a phone shows it before the app's JavaScript has arrived; the app
// then takes that very markup over, its cache started from the page's data block, so it asks
// the API for nothing it was drawn from.

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

const sessionOf = (username: string) => helperSessionOf(server.baseUrl, username);

async function page(cookie: string, path = '/', lang?: 'en'): Promise<string> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    headers: { cookie: lang ? `${cookie}; pulih_lang=${lang}` : cookie },
  });
  expect(response.status).toBe(200);
  return response.text();
}

async function api(cookie: string, path: string): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}/api/v1${path}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return response.json();
}

type Seed = { key: unknown[]; data: unknown };
function seedsOf(html: string): Seed[] {
  const block = /<script type="application\/json" id="pulih-data">([^<]*)<\/script>/.exec(html)?.[1];
  if (!block) throw new Error('no data block in the page');
  return JSON.parse(block) as Seed[];
}
const seeded = (html: string, key: string) => seedsOf(html).find((s) => JSON.stringify(s.key) === key)?.data;

const signedInContext = (viewport: Viewport, username: string) =>
  helperSignedInContext(browser, server.baseUrl, viewport, username);

const phone: Viewport = { name: 'phone', width: 360, height: 740, mobile: true };
const desktop: Viewport = { name: 'desktop', width: 1280, height: 800, mobile: false };

describe('the dashboard drawn by the server', () => {
  test("is in the HTML with the API's own answers for that user, in the language of the cookie", async () => {
    const dinas = await sessionOf('dinas');
    const id = await page(dinas);
    expect(id).toContain('data-prerendered="/" data-lang="id"');
    expect(id).toMatch(/<h2[^>]*>Dasbor</);
    const summary = (await api(dinas, '/reports/summary')) as { totals: { businesses: number } };
    expect(seeded(id, '["reports","summary"]')).toEqual(summary);
    expect(seeded(id, '["auth","me"]')).toEqual(await api(dinas, '/auth/me'));
    expect(id).toContain(`data-testid="stat-value">${summary.totals.businesses}<`);
    // No script runs from the page itself (the CSP allows none inline): the block is data.
    expect(id).not.toMatch(/<script(?![^>]*(type="application\/json"|src=))[^>]*>/);

    const en = await page(dinas, '/', 'en');
    expect(en).toContain('data-lang="en"');
    expect(en).toMatch(/<h2[^>]*>Dashboard</);

    // Without a session, or at another address, the page the app draws, as before.
    const anonymous = await (await fetch(`${server.baseUrl}/`)).text();
    expect(anonymous).toContain('<div id="root"></div>');
    expect(anonymous).not.toContain('pulih-data');
    expect(await page(dinas, '/programs')).toContain('<div id="root"></div>');
    const stale = await fetch(`${server.baseUrl}/`, { headers: { cookie: 'pulih_session=not-a-session' } });
    expect(await stale.text()).toContain('<div id="root"></div>');
  });

  test("a kecamatan officer's page holds their kecamatan only, as the API gives it them", async () => {
    const officer = await sessionOf('kec.bukitbatu');
    const html = await page(officer);
    expect(html).toContain('data-prerendered="/"');
    const summary = (await api(officer, '/reports/summary')) as {
      byKecamatan: { kecamatanName: string | null }[];
    };
    expect(seeded(html, '["reports","summary"]')).toEqual(summary);
    expect(summary.byKecamatan.map((k) => k.kecamatanName)).toEqual(['Bukit Batu']);
    expect(html).toContain('Bukit Batu');
    expect(html).not.toContain('Rakumpit');
    // The whole dinas sees every kecamatan.
    expect(await page(await sessionOf('dinas'))).toContain('Rakumpit');
  });

  test('shows the figures before the app runs; the app takes the same elements over without asking again', async () => {
    const context = await signedInContext(phone, 'dinas');
    const target = await context.newPage();
    const problems: string[] = [];
    watchPage(target, problems);
    const asked: string[] = [];
    target.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) asked.push(url.pathname);
    });
    const release = await holdApp(target);
    await target.goto('/', { waitUntil: 'domcontentloaded' });
    const stat = target.locator('[data-testid=stat-value]').first();
    await expect.poll(() => stat.textContent()).toBe('80');
    await target.getByRole('heading', { name: 'Per kecamatan' }).waitFor();
    expect(await hydrated(target, '[data-testid=stat-value]')).toBe(false);
    await target.evaluate(`(() => {
      for (const el of document.querySelectorAll('[data-testid=stat-value], header a')) el.setAttribute('data-drawn', 'server');
      window.shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.shifts += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    })()`);
    const drawnCount = await target.locator('[data-drawn=server]').count();
    release();
    await expect.poll(() => hydrated(target, '[data-testid=stat-value]'), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => hydrated(target, 'header a'), { timeout: 60_000 }).toBe(true);
    await target.locator('html[data-app="running"]').waitFor({ state: 'attached' });
    expect(await target.locator('[data-drawn=server]').count()).toBe(drawnCount);
    expect(await stat.textContent()).toBe('80');
    expect(await target.evaluate('window.shifts')).toBe(0);
    // The frame works: the menu opens.
    await target.getByRole('button', { name: /Buka menu/ }).click();
    await target.getByRole('navigation').getByRole('link', { name: 'Program', exact: true }).waitFor();
    expect(asked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('looks the same as the dashboard the app draws itself, at 360 px and 1280 px', async () => {
    for (const viewport of [phone, desktop]) {
      const context = await newContext(browser, server.baseUrl, viewport);
      const target = await context.newPage();
      const problems: string[] = [];
      watchPage(target, problems);
      // Drawn by the app: signed in through the app, which then opens the dashboard itself.
      await login(target, 'dinas');
      await target.getByRole('heading', { name: 'Per kecamatan' }).waitFor();
      const byApp = await screenshot(target, viewport);
      // Drawn by the server, before the app runs and after it has taken the page over.
      const release = await holdApp(target);
      await target.goto('/', { waitUntil: 'domcontentloaded' });
      await target.getByRole('heading', { name: 'Per kecamatan' }).waitFor();
      const byServer = await screenshot(target, viewport);
      release();
      await expect.poll(() => hydrated(target, '[data-testid=stat-value]'), { timeout: 60_000 }).toBe(true);
      await target.locator('html[data-app="running"]').waitFor({ state: 'attached' });
      const afterApp = await screenshot(target, viewport);
      save(byApp, `${viewport.name}-dashboard-by-app`);
      save(byServer, `${viewport.name}-dashboard-by-server`);
      save(afterApp, `${viewport.name}-dashboard-hydrated`);
      expect(differingPixels(byServer, byApp), `${viewport.name}: server against app`).toBe(0);
      expect(differingPixels(afterApp, byApp), `${viewport.name}: hydrated against app`).toBe(0);
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});

// The page once it has settled: fonts loaded, no caret or hover, and two shots in a row the same
// (a colour transition still running, such as a menu item's after the click that signed in,
// would otherwise be caught half-way).
async function screenshot(target: Page, viewport: Viewport): Promise<PNG> {
  await target.evaluate('document.fonts.ready');
  // Whatever sign-in or a click left focused would otherwise wear its focus ring in one shot only.
  await target.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  await target.mouse.move(viewport.width - 1, viewport.height - 1);
  const shoot = async () =>
    PNG.sync.read(await target.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' }));
  let previous = await shoot();
  for (let tries = 0; tries < 20; tries++) {
    const next = await shoot();
    if (differingPixels(next, previous) === 0) return next;
    previous = next;
  }
  throw new Error('the page did not settle');
}

function save(png: PNG, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(resolve(screenshotDir, `${name}.png`), PNG.sync.write(png));
}

// Pixels that differ by more than the shading of an edge: an icon's anti-aliased edge drawn a
// fraction of a pixel apart differs by up to about 20 levels (seen on the desktop menu's
// icons, one run in two), a different text, colour or position by far more.
const edgeShading = 32;
function differingPixels(a: PNG, b: PNG): number | string {
  if (a.width !== b.width || a.height !== b.height)
    return `${a.width}×${a.height} against ${b.width}×${b.height}`;
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let channel = 0; channel < 4; channel++) {
      if (Math.abs((a.data[i + channel] ?? 0) - (b.data[i + channel] ?? 0)) > edgeShading) {
        count++;
        break;
      }
    }
  }
  return count;
}
