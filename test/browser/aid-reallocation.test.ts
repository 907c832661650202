// A returned item given to another graduate of the same program from the aid page's "Rincian"
// dialog on a 360 px phone: the list offers only graduates not yet given that item, and the new
// document number (<BAST>/REALOKASI/<n>) is shown after.
import { sql } from 'drizzle-orm';
import type { APIRequestContext, Browser } from 'playwright-core';
import { request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../../src/db/sql-rows.ts';
import {
  demoPassword,
  launchBrowser,
  login,
  newContext,
  type Running,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');

let server: Running;
let browser: Browser;
let sopd: APIRequestContext;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  sopd = await request.newContext({ baseURL: server.baseUrl });
  const res = await sopd.post('/api/v1/auth/login', { data: { username: 'sopd', password: demoPassword } });
  expect(res.status()).toBe(200);
});

afterAll(async () => {
  await sopd?.dispose();
  await browser?.close();
  await server?.close();
});

describe('reallocating a returned item on a phone (360×740)', () => {
  test('offers the other graduates and shows the new document number', async () => {
    // A program of the demo data with at least two graduates.
    const [program] = await queryRows<{ program_id: string }>(
      server.ctx.db,
      sql`select program_id from applications where status = 'completed'
        group by program_id having count(*) >= 2 order by count(*) desc limit 1`,
    );
    expect(program, 'the demo data has a program with two graduates').toBeTruthy();
    const programId = program!.program_id;
    const graduates = await queryRows<{ business_id: string }>(
      server.ctx.db,
      sql`select business_id from applications where program_id = ${programId} and status = 'completed'
        order by business_id limit 2`,
    );
    const stock = await sopd.post('/api/v1/aid/stock', {
      data: {
        budgetYear: 2021,
        item: 'Kompor (uji realokasi)',
        unit: 'buah',
        unitValue: 300_000,
        quantity: 2,
      },
    });
    expect(stock.status(), await stock.text()).toBe(201);
    const allocation = await sopd.post('/api/v1/aid/allocations', {
      data: {
        stockId: (await stock.json()).id,
        businessId: graduates[0]!.business_id,
        programId,
        quantity: 1,
      },
    });
    expect(allocation.status(), await allocation.text()).toBe(201);
    const handover = await sopd.post('/api/v1/aid/handovers', {
      data: {
        allocationIds: [(await allocation.json()).id],
        handedOverAt: '2021-09-02',
        place: 'Balai Kelurahan',
      },
    });
    expect(handover.status(), await handover.text()).toBe(201);
    const { id: handoverId, number } = (await handover.json()) as { id: string; number: string };
    const returned = await sopd.post(`/api/v1/aid/handovers/${handoverId}/returns`, {
      data: { allocationId: (await allocation.json()).id, reason: 'Usaha berhenti', condition: 'baik' },
    });
    expect(returned.status(), await returned.text()).toBe(201);

    const context = await newContext(browser, server.baseUrl, phone);
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    try {
      await login(page, 'sopd');
      await page.goto('/aid');
      await page
        .locator('.mantine-Card-root, tr')
        .filter({ hasText: number })
        .last()
        .getByTestId('handover-details')
        .click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('aid-reallocate').click();
      await dialog.getByTestId('aid-reallocate-to').click();
      const options = page.getByRole('option');
      await options.first().waitFor();
      // The first graduate holds the item already (returned): not offered.
      expect(await options.count()).toBeGreaterThan(0);
      await options.first().click();
      await dialog.getByRole('button', { name: 'Alokasikan', exact: true }).click();
      await dialog.getByTestId('aid-reallocated').waitFor();
      expect(await dialog.getByTestId('aid-reallocated').textContent()).toContain(`${number}/REALOKASI/1`);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
