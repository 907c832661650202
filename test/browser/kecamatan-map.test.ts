// The kecamatan map: the admin uploads a GeoJSON of the kecamatan (a hand-made fixture, not real
// boundaries) in the settings, picking the property that names them; the dinas then sees the
// choropleth on the outcomes page with its table beside it, on a 360 px phone, and can change
// the figure it shows. Before the upload there is no map and no placeholder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureKecamatan, kecamatanMapFixture } from '../../src/testing/kecamatan-map-fixture.ts';
import {
  adminPassword,
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
const file = join(mkdtempSync(join(tmpdir(), 'pulih-map-')), 'kecamatan.geojson');

beforeAll(async () => {
  writeFileSync(file, JSON.stringify(kecamatanMapFixture()));
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('kecamatan map', () => {
  test('the admin uploads a GeoJSON and the dinas sees the map with its table', async () => {
    const problems: string[] = [];
    const admin = await newContext(browser, server.baseUrl, phone);
    try {
      const page = await admin.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
      await page.goto('/outcomes');
      await page.getByRole('heading', { name: 'Alur peserta per kecamatan' }).waitFor();
      expect(await page.getByTestId('kecamatan-map').count()).toBe(0);
      await page.context().clearCookies();

      await login(page, 'admin', adminPassword);
      await page.goto('/settings');
      await page.getByRole('heading', { name: 'Peta kecamatan' }).waitFor();
      const input = page.locator('input[type="file"][accept*="geojson"]');
      await input.setInputFiles(file);
      // the first property of the features is offered first: here the code
      await expect.poll(() => page.getByTestId('kecamatan-map-property').inputValue()).toBe('KODE_KEC');
      await page.getByTestId('kecamatan-map-upload').click();
      await page.getByText('Peta disimpan: 5 kecamatan.').waitFor();
      await page.getByTestId('kecamatan-map-status').waitFor();
    } finally {
      await admin.close();
    }

    const context = await newContext(browser, server.baseUrl, phone);
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
      await page.goto('/outcomes');
      const map = page.getByTestId('kecamatan-map');
      await map.waitFor();
      await expect
        .poll(() => map.locator('[data-testid="kecamatan-map-svg"] path').count())
        .toBe(fixtureKecamatan.length);
      // The table beside it: one row (a card on a phone) per kecamatan, with its name.
      const table = map.locator('[aria-label^="Peta kecamatan"] > *');
      await expect.poll(() => table.count()).toBe(fixtureKecamatan.length);
      const text = await map.innerText();
      for (const k of fixtureKecamatan) expect(text).toContain(k.name);
      // The founding cohort trained in Bukit Batu and Rakumpit: coloured darker than the others.
      const fill = (code: string) => map.locator(`path[data-code="${code}"]`).getAttribute('fill');
      expect(await fill('62.71.02')).not.toBe(await fill('62.71.04'));

      await page.getByTestId('kecamatan-map-figure').click();
      await page.getByRole('option', { name: 'Wirausaha baru (% lulusan)' }).click();
      await expect.poll(() => map.innerText()).toContain('%');

      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
