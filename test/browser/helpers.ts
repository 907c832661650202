import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { expect, inject } from 'vitest';
import { createAppContext } from '../../src/app/app-context.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import type { AppContext } from '../../src/lib/context.ts';
import { startJobWorker } from '../../src/modules/jobs/jobs.service.ts';
import { buildServer, webDist } from '../../src/server.ts';
import { testDatabaseUrl } from '../../src/testing/harness.ts';
import { copyPostgresDatabase } from '../../src/testing/template.ts';

export const demoPassword = 'demo-pass-123';
export const adminPassword = 'admin-pass-123';
// The engine the browser files' servers run on (test/browser/global-setup.ts).
export const browserEngine = () =>
  process.env.PULIH_TEST_ENGINE === 'pglite' ? ('pglite' as const) : ('postgres' as const);
export const screenshotDir = resolve(import.meta.dirname, '../../test-output/screenshots');

export type Viewport = { name: 'desktop' | 'phone'; width: number; height: number; mobile: boolean };
export const viewports: Viewport[] = [
  { name: 'desktop', width: 1366, height: 800, mobile: false },
  { name: 'phone', width: 360, height: 740, mobile: true },
];

export type Running = { ctx: AppContext; app: FastifyInstance; baseUrl: string; close: () => Promise<void> };

// The real server, in this process, on a free port, over a fresh database holding the
// founding scenario: a copy of the one global-setup.ts loaded for this run.
export async function startServer(): Promise<Running> {
  if (!existsSync(resolve(webDist, 'index.html'))) {
    throw new Error(`${webDist}/index.html is missing: run \`npm run build\` first (npm test does).`);
  }
  const demo = inject('browserDemo');
  await demoLoaded();
  let drop = async () => {};
  let database: Database;
  if (demo.engine === 'postgres') {
    const copy = await copyPostgresDatabase(testDatabaseUrl(), demo.template, 'pulih_browser');
    database = openDatabase({ databaseUrl: copy.url });
    drop = copy.drop;
  } else {
    database = openDatabase({ memory: true, loadDataDir: readFileSync(demo.dataDir) });
  }
  // The demo's photo files are only read (names are never reused), so files may share them.
  const ctx = await createAppContext(database, { dataDir: inject('browserDemoFolder') });
  const app = await buildServer(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  // As `pulih serve` does: imports and duplicate detection run in the background.
  const stopWorker = startJobWorker(ctx, { pollMs: 250, log: () => {} });
  return {
    ctx,
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await stopWorker();
      await app.close();
      await database.close();
      await drop();
    },
  };
}

// One Chromium per test worker, shared by the files the worker runs one after another (the
// browser project runs with `isolate: false`, so this module's state outlives a file). What a
// file gets is its own handle on it: the contexts it opens are its own (cookies, storage,
// IndexedDB, service workers and cache are per context in Playwright), and its `close()`
// closes those contexts, not the browser. Starting Chromium (its browser, zygote, GPU and
// network processes) once per file cost more than the contexts themselves
// (docs/testing.md, "Sixth stop"). A browser that died is started again for the next file.
// Playwright kills the Chromium it started when the worker process exits.
let shared: Promise<Browser> | undefined;

export async function launchBrowser(): Promise<Browser> {
  // PULIH_TEST_SHARED_CHROMIUM=off starts one per file, as before (to compare).
  if (process.env.PULIH_TEST_SHARED_CHROMIUM === 'off') return startChromium();
  let browser = await shared?.catch(() => undefined);
  if (!browser?.isConnected()) {
    shared = startChromium();
    browser = await shared;
  }
  const running = browser;
  const contexts = new Set<BrowserContext>();
  let closed = false;
  return new Proxy(running, {
    get(target, property) {
      if (property === 'newContext') {
        return async (...args: Parameters<Browser['newContext']>) => {
          if (closed) throw new Error('this browser handle was closed');
          const context = await target.newContext(...args);
          contexts.add(context);
          context.once('close', () => contexts.delete(context));
          return context;
        };
      }
      if (property === 'close') {
        return async () => {
          closed = true;
          await Promise.all([...contexts].map((context) => context.close().catch(() => undefined)));
        };
      }
      if (property === 'newPage' || property === 'newBrowserCDPSession') {
        // Both would open what close() does not know of; the files open contexts.
        throw new Error(`browser.${String(property)} is not shared: open a context`);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// Written by global-setup.ts once the demo is loaded (or failed to load) in the background.
export const demoStatusFile = (folder: string) => join(folder, 'demo-status.json');

// Waits on that file, polling; the bound is the project's hook bound, for a loaded machine.
async function demoLoaded() {
  const file = demoStatusFile(inject('browserDemoFolder'));
  const giveUp = Date.now() + 500_000;
  while (!existsSync(file)) {
    if (Date.now() > giveUp) throw new Error(`the browser demo was not loaded within 500 s (${file})`);
    await delay(200);
  }
  const status = JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; error?: string };
  if (!status.ok) throw new Error(`the browser demo failed to load in the global setup: ${status.error}`);
}

// Debian's Chromium; never a downloaded browser.
function startChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PULIH_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// Whether a context's pages install the app's service worker (web/src/service-worker/sw.ts).
// Installing it fetches every file of the build (over a hundred) into the context's cache, and a
// context is new for each test: about 0.8 s of CPU a context, a fifth of a context's
// sign-in and first screens (docs/testing.md, "Eighth stop"). The files about offline use,
// sign-in, the content security policy and the founding walk (the officer's and the owner's
// contexts) keep it (`serviceWorker: true`):
// there the worker is part of what is tested (it opens pages with no signal, remembers who signed
// in, forgets them at logout). The other files test screens the network serves either way.
// PULIH_TEST_SERVICE_WORKER=all installs it in every context (to compare).
export type ContextOptions = { serviceWorker?: boolean };

export async function newContext(
  browser: Browser,
  baseUrl: string,
  viewport: Viewport,
  options: ContextOptions = {},
): Promise<BrowserContext> {
  const serviceWorker = options.serviceWorker || process.env.PULIH_TEST_SERVICE_WORKER === 'all';
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: viewport.mobile ? 2 : 1,
    isMobile: viewport.mobile,
    hasTouch: viewport.mobile,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    serviceWorkers: serviceWorker ? 'allow' : 'block',
  });
  // A bound for a loaded machine (every wait is on a condition), not an expected duration.
  context.setDefaultTimeout(60_000);
  return context;
}

// A session cookie (`pulih_session=…`) for `username`, signed in through the API.
export async function sessionOf(baseUrl: string, username: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^pulih_session=/);
  return cookie;
}

// A context that starts signed in as `username`, without going through the sign-in screen.
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  viewport: Viewport,
  username: string,
): Promise<BrowserContext> {
  const context = await newContext(browser, baseUrl, viewport);
  const [name, value] = (await sessionOf(baseUrl, username)).split('=') as [string, string];
  await context.addCookies([{ name, value, url: baseUrl, httpOnly: true }]);
  return context;
}

// Whether React has taken over the element (its fiber keys are on the DOM node).
export const hydrated = (page: Page, selector: string) =>
  page.evaluate(
    `Object.keys(document.querySelector(${JSON.stringify(selector)}) ?? {}).some((k) => k.startsWith('__react'))`,
  ) as Promise<boolean>;

// Problems a user would not see but that mean something is broken.
export function watchPage(page: Page, problems: string[]) {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Restoring a session asks /auth/me first; a 401 there just means "log in".
    if (message.location().url.endsWith('/api/v1/auth/me') && message.text().includes('401')) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('dialog', (dialog) => void dialog.accept());
}

// The whole page, cut off after a few screens: long lists add nothing to look at.
export async function shot(page: Page, viewport: Viewport, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  const height = await page.evaluate('document.documentElement.scrollHeight');
  const maxHeight = viewport.height * (viewport.mobile ? 2 : 3);
  await page.screenshot({
    path: resolve(screenshotDir, `${viewport.name}-${name}.png`),
    fullPage: true,
    clip: {
      x: 0,
      y: 0,
      width: viewport.width,
      height: Math.min(Number(height) || viewport.height, maxHeight),
    },
    animations: 'disabled',
  });
}

// A small camera-like picture for the handover photo.
export function handoverPng(width = 640, height = 480): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (width * y + x) << 2;
      const band = Math.floor((x + y) / 24) % 2;
      png.data[i] = band ? 176 : 120;
      png.data[i + 1] = band ? 132 : 86;
      png.data[i + 2] = band ? 76 : 40;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

// On a phone the navigation sits behind the burger. On the dashboard the server drew, the burger
// works before the app runs too (the boot script's, web/prerender.ts), and a link followed then
// is a full page load.
export async function navigate(page: Page, viewport: Viewport, label: string | RegExp) {
  if (viewport.mobile) await page.getByRole('button', { name: /Buka menu|Open menu/ }).click();
  await page.getByRole('navigation').getByRole('link', { name: label }).click();
}

// Signs in through the app once it has taken the server-drawn form over; the form sent before
// that is test/browser/login-prerendered.test.ts's subject.
export async function login(page: Page, username: string, password = demoPassword) {
  await page.goto('/login');
  // The app takes the drawn form over at the first touch of the page (web/prerender.ts).
  await page.getByLabel('Nama pengguna').focus();
  await page.locator('html[data-app="running"]').waitFor({ state: 'attached' });
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

// Mantine's SegmentedControl hides its radio inputs; a user taps the label.
export async function chooseSegment(page: Page, name: string) {
  const radio = page.getByRole('radio', { name, exact: true });
  const id = await radio.getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
  await radio.and(page.locator(':checked')).waitFor({ state: 'attached' });
}

// The app's entry script, named in the built index.html.
function entryScript(): string {
  const name = /src="(\/assets\/index-[^"]+\.js)"/.exec(
    readFileSync(resolve(webDist, 'index.html'), 'utf8'),
  )?.[1];
  if (!name) throw new Error('no entry script in index.html');
  return name;
}

// The app's entry held back until the returned function is called: what a phone shows while
// the JavaScript downloads (the screens the server draws: sign-in, the dashboard).
export async function holdApp(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  await page.route(`**${entryScript()}`, async (route) => {
    await released;
    await route.continue();
  });
  return () => release();
}
