// Outcomes on a 360 px phone: the officer opens the 3-month follow-up of the founding program and
// sees its graduates' links; a graduate answers on the public page; the outcomes page shows the
// funnel and the figures with their denominators, its tables on request, without sideways
// scrolling.
import { eq, sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { programName } from '../../src/cli/demo.ts';
import { programs } from '../../src/db/schema.ts';
import { queryRows } from '../../src/db/sql-rows.ts';
import {
  launchBrowser,
  login,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

let server: Running;
let browser: Browser;
const phone = viewports[1] as (typeof viewports)[0];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('outcomes', () => {
  test('follow-ups are opened and answered, and the outcomes page reads on a phone', async () => {
    const [program] = await server.ctx.db
      .select({ id: programs.id })
      .from(programs)
      .where(eq(programs.name, programName));
    const context = await newContext(browser, server.baseUrl, phone);
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      watchPage(page, problems);
      await login(page, 'dinas');
      await page.goto(`/programs/${program?.id}/followUps`);
      await page.getByRole('button', { name: 'Buka dan kirim tautan' }).click();
      await page.getByText(/tindak lanjut baru untuk \d+ lulusan/).waitFor();
      await expect.poll(() => page.getByRole('link', { name: 'Kirim WhatsApp' }).count()).toBeGreaterThan(20);
      await shot(page, phone, 'follow-ups');
      const href = await page.getByRole('link', { name: 'Kirim WhatsApp' }).first().getAttribute('href');
      expect(decodeURIComponent(href ?? '')).toMatch(/^https:\/\/wa\.me\/628\d+\?text=.*\/tindak-lanjut\//);
      // The demo has answers of its own: the graduate who answers here is one who has answered
      // no follow-up yet, so "Menjawab" grows by exactly one.
      const [one] = await queryRows<{ token: string }>(
        server.ctx.db,
        sql`select f.token from follow_ups f where f.program_id = ${program?.id ?? ''}
          and not exists (select 1 from follow_ups g join follow_up_answers a on a.follow_up_id = g.id
            where g.application_id = f.application_id)
          order by f.created_at desc limit 1`,
      );
      await page.goto('/outcomes');
      await page.getByTestId('figure-answered').getByText('dari').waitFor();
      const answeredBefore = Number.parseInt(await page.getByTestId('figure-answered').innerText(), 10);
      const link = `/tindak-lanjut/${one?.token}`;

      const graduate = await browser.newContext({
        baseURL: server.baseUrl,
        viewport: { width: phone.width, height: phone.height },
        isMobile: true,
        locale: 'id-ID',
        javaScriptEnabled: false,
      });
      const form = await graduate.newPage();
      await form.goto(link);
      await shot(form, phone, 'follow-up-form');
      await form.getByLabel('Omzet (penjualan) bulan lalu, dalam rupiah').fill('2.500.000');
      await form.getByLabel('Jumlah pekerja sekarang (termasuk Anda)').fill('2');
      await form.getByLabel('Ya', { exact: true }).check();
      await form.getByLabel('Pasar').check();
      await form.getByRole('button', { name: 'Kirim jawaban' }).click();
      await form.getByText('Terima kasih, jawaban Anda tersimpan.').waitFor();
      await graduate.close();

      await page.goto('/outcomes');
      await page.getByTestId('figure-answered').getByText('dari').waitFor();
      await expect
        .poll(async () => Number.parseInt(await page.getByTestId('figure-answered').innerText(), 10))
        .toBe(answeredBefore + 1);
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByLabel('Tampilkan tabel angka').check();
      await page.getByText('Wirausaha baru').first().waitFor();
      await shot(page, phone, 'outcomes');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
