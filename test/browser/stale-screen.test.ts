import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  launchBrowser,
  login,
  navigate,
  newContext,
  type Running,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

// A screen the visitor has left must not move them anywhere. An owner lands on their business
// list, which sends them on to their one business once the list has come (RegistryPage); on a
// slow phone they tap "Penjualan" before it has. The next screen's code is still downloading
// when the list arrives: the list's redirect, fired from the screen left behind, took the
// visitor to their business instead of the sales screen they had asked for (docs/testing.md,
// "Ninth stop"). The test holds the list and then the sales screen's code, so that the answer
// comes between the tap and the next screen, every run.

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

// A request held until `release()`; `reached` resolves once the page has asked for it.
async function hold(page: Page, pattern: string | RegExp) {
  let release = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  let reached = () => {};
  const asked = new Promise<void>((done) => {
    reached = done;
  });
  const held = async (route: Route) => {
    reached();
    await released;
    // The page may have given the request up meanwhile.
    await route.continue().catch(() => undefined);
  };
  await page.route(pattern, held);
  return { reached: asked, release: () => release() };
}

// Records, in the page, every request to `path` that has settled: its answer read by the app,
// or given up (a screen that goes away cancels its requests). Recorded on a timer that runs
// after the page's own reaction to the answer: TanStack Query tells the screens on a timer of its
// own, set before this one, and React runs the effects of that update before that timer returns.
const watchSettled = (page: Page, path: string) =>
  page.addInitScript(`(() => {
    const settled = (window.settledRequests = []);
    const fetchOriginal = window.fetch;
    const mark = (url) => setTimeout(() => setTimeout(() => settled.push(url), 0), 0);
    window.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!new URL(url, location.href).pathname.endsWith(${JSON.stringify(path)})) return fetchOriginal(input, init);
      try {
        const response = await fetchOriginal(input, init);
        const read = response.text.bind(response);
        response.text = () => read().finally(() => mark(url));
        return response;
      } catch (error) {
        mark(url);
        throw error;
      }
    };
  })();`);

const settled = (page: Page, pattern: RegExp) =>
  page.evaluate(`window.settledRequests.some((url) => ${pattern}.test(url))`) as Promise<boolean>;

// Where the page is, from the page itself.
const pathname = (page: Page) => page.evaluate('location.pathname') as Promise<string>;

// The registry's list (25 a page), not the sales screen's own (20).
const registryList = /\/api\/v1\/businesses\?(.*&)?limit=25(&|$)/;

describe('a screen left while the next one loads', () => {
  test("the owner's business list, answered after the tap on Penjualan, does not take them elsewhere", async () => {
    const context = await newContext(browser, server.baseUrl, phone);
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await watchSettled(page, '/api/v1/businesses');
      const list = await hold(page, registryList);
      await login(page, 'pemilik');
      await page.waitForURL((url) => url.pathname === '/registry');
      await list.reached;
      const code = await hold(page, /\/assets\/SalesPage-[^/]*\.js$/);
      await navigate(page, phone, 'Penjualan');
      await page.waitForURL((url) => url.pathname === '/sales');
      await code.reached;
      list.release();
      await expect.poll(() => settled(page, registryList)).toBe(true);
      expect(await pathname(page)).toBe('/sales');
      code.release();
      await page.getByLabel('Jumlah (Rp)').waitFor();
      expect(await pathname(page)).toBe('/sales');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
