// Equipment handed over at the recipient's place on a 360 px phone with no signal: several items
// on one BAST, both signatures drawn on the screen, kept on the phone and sent once when the
// signal returns; the BAST lists every item.
import { and, count, eq, inArray } from 'drizzle-orm';
import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aidHandoverItems, aidHandovers, businesses } from '../../src/db/schema.ts';
import { pdfPages } from '../../src/testing/pdf.ts';
import {
  demoPassword,
  handoverPng,
  launchBrowser,
  login,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');

let server: Running;
let browser: Browser;
let sopd: APIRequestContext;
let businessId = '';
const items = ['Pisau raut (uji serah terima)', 'Mesin serut (uji serah terima)'];
const allocationIds: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  sopd = await request.newContext({ baseURL: server.baseUrl });
  const res = await sopd.post('/api/v1/auth/login', { data: { username: 'sopd', password: demoPassword } });
  expect(res.status()).toBe(200);
  const [business] = await server.ctx.db.select({ id: businesses.id }).from(businesses).limit(1);
  businessId = business?.id ?? '';
  for (const [i, item] of items.entries()) {
    const stock = await sopd.post('/api/v1/aid/stock', {
      data: {
        budgetYear: 2021,
        item,
        spec: 'Standar',
        unit: 'buah',
        unitValue: 100_000 * (i + 1),
        quantity: 3,
        source: 'APBD',
        dpaCode: '2.17.02.1.01.0015',
      },
    });
    expect(stock.status(), await stock.text()).toBe(201);
    const allocation = await sopd.post('/api/v1/aid/allocations', {
      data: { stockId: (await stock.json()).id, businessId, quantity: 1 },
    });
    expect(allocation.status(), await allocation.text()).toBe(201);
    allocationIds.push((await allocation.json()).id);
  }
});

afterAll(async () => {
  await sopd?.dispose();
  await browser?.close();
  await server?.close();
});

// A few strokes with the mouse across the pad, as a finger would sign.
async function sign(page: Page, pad: Locator) {
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) {
    await page.mouse.move(box.x + 20 + k * 18, box.y + box.height / 2 + (k % 2 ? -25 : 25));
  }
  await page.mouse.up();
}

const recorded = async () => {
  const [row] = await server.ctx.db
    .select({ n: count() })
    .from(aidHandoverItems)
    .where(inArray(aidHandoverItems.allocationId, allocationIds));
  return row?.n ?? 0;
};

describe('aid handover on a phone with no signal (360×740)', () => {
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    context = await newContext(browser, server.baseUrl, phone, { serviceWorker: true });
    page = await context.newPage();
    watchPage(page, problems);
  });

  afterAll(async () => {
    await context?.close();
  });

  test('several items, drawn signatures, saved offline and sent once when the signal returns', async () => {
    await login(page, 'sopd');
    await page.goto(`/aid/handover/${businessId}`);
    for (const item of items) await page.getByText(item, { exact: false }).first().waitFor();
    await page.getByTestId('handover-place').fill('Rumah produksi penerima, Kel. Kalampangan');
    await page.getByTestId('multi-handover-photo').setInputFiles({
      name: 'serah-terima.png',
      mimeType: 'image/png',
      buffer: handoverPng(),
    });
    await sign(page, page.getByTestId('signature-recipient'));
    await sign(page, page.getByTestId('signature-officer'));
    await page.getByText('Sudah ditandatangani').nth(1).waitFor();
    await shot(page, phone, '60-aid-handover-form');

    await context.setOffline(true);
    await page.getByTestId('handover-offline').waitFor();
    await page.getByTestId('multi-handover-submit').click();
    await page.getByTestId('handover-queued').waitFor();
    await shot(page, phone, '61-aid-handover-waiting');
    expect(await recorded()).toBe(0);

    await context.setOffline(false);
    await page.getByTestId('handover-saved').waitFor({ timeout: 30_000 });
    await shot(page, phone, '62-aid-handover-sent');
    expect(await recorded()).toBe(2);
    const rows = await server.ctx.db
      .select({ id: aidHandovers.id, clientKey: aidHandovers.clientKey })
      .from(aidHandovers)
      .innerJoin(aidHandoverItems, eq(aidHandoverItems.handoverId, aidHandovers.id))
      .where(and(inArray(aidHandoverItems.allocationId, allocationIds)));
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    expect(rows[0]?.clientKey).toBeTruthy();

    const href = await page.getByTestId('bast-pdf').getAttribute('href');
    const pdf = await page.request.get(href ?? '');
    expect(pdf.status()).toBe(200);
    const text = (await pdfPages(await pdf.body())).join(' ');
    for (const item of items) expect(text).toContain(item);
    expect(text).toContain('2.17.02.1.01.0015');
    expect(text).toContain('300.000');
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|ERR_FAILED/.test(p))).toEqual(
      [],
    );
  });
});

describe('the aid screens on a desktop', () => {
  const desktop = viewports.find((v) => v.name === 'desktop');
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!desktop) throw new Error('no desktop viewport');
    context = await newContext(browser, server.baseUrl, desktop);
    page = await context.newPage();
    watchPage(page, problems);
  });

  afterAll(async () => {
    await context?.close();
  });

  test('stock totals with the rekap, and a monitoring visit recorded on a BAST', async () => {
    if (!desktop) throw new Error('no desktop viewport');
    await login(page, 'sopd');
    await page.goto('/aid/totals');
    const xlsx = page.getByTestId('rekap-xlsx').first();
    await xlsx.waitFor();
    const file = await page.request.get((await xlsx.getAttribute('href')) ?? '');
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 2).toString()).toBe('PK');
    await shot(page, desktop, '60-aid-totals');

    // A handover of its own, made through the API: the visit below is this test's alone.
    const stock = await sopd.post('/api/v1/aid/stock', {
      data: {
        budgetYear: 2021,
        item: 'Pewarna (uji kunjungan)',
        unit: 'botol',
        unitValue: 40_000,
        quantity: 2,
      },
    });
    const allocation = await sopd.post('/api/v1/aid/allocations', {
      data: { stockId: (await stock.json()).id, businessId, quantity: 1 },
    });
    const allocationId = (await allocation.json()).id as string;
    const handover = await sopd.post('/api/v1/aid/handovers', {
      data: { allocationIds: [allocationId], handedOverAt: '2021-09-02', place: 'Balai Kelurahan' },
    });
    expect(handover.status()).toBe(201);
    const { id: handoverId, number } = (await handover.json()) as { id: string; number: string };

    await page.goto('/aid');
    const row = page.locator('tr').filter({ hasText: number });
    await row.getByTestId('handover-details').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Pewarna (uji kunjungan)').first().waitFor();
    await dialog.getByLabel('Catatan').fill('Dipakai setiap hari untuk mewarnai rotan');
    await dialog.getByRole('button', { name: 'Catat kunjungan' }).click();
    await dialog.getByText('Kunjungan tercatat.').waitFor();
    await shot(page, desktop, '61-aid-handover-details');
    const visits = await sopd.get(`/api/v1/aid/visits?handoverId=${handoverId}`);
    expect((await visits.json()).items).toMatchObject([{ inUse: true, condition: 'baik' }]);
    expect(problems).toEqual([]);
  });
});
