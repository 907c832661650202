// Messages to participants with no channel configured: the officer sees each message of an
// application as "not sent" with a WhatsApp click-to-chat link carrying the same text; an
// admin edits a template with a preview. On a desktop and on a 360 px phone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  adminPassword,
  launchBrowser,
  login,
  navigate,
  newContext,
  type Running,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

let server: Running;
let browser: Browser;
const programName = 'Pelatihan Proses Produksi Berbahan Dasar Rotan';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('notifications', () => {
  for (const viewport of viewports) {
    test(`on ${viewport.name}: an officer sees a participant's messages with the click-to-chat link`, async () => {
      const context = await newContext(browser, server.baseUrl, viewport);
      const problems: string[] = [];
      try {
        const page = await context.newPage();
        watchPage(page, problems);
        await login(page, 'dinas');
        await navigate(page, viewport, /^Program$/);
        await page.getByRole('link', { name: programName }).click();
        await page.getByRole('heading', { name: programName }).waitFor();
        await page.getByRole('tab', { name: 'Pelamar' }).click();
        const row = page
          .locator('tr, .mantine-Card-root')
          .filter({ hasText: 'Daftar tunggu' })
          .filter({ has: page.getByRole('button', { name: 'Pesan', exact: true }) })
          .first();
        await row.getByRole('button', { name: 'Pesan', exact: true }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText(/Pesan ke peserta/).waitFor();
        const message = dialog.getByTestId('notification').filter({ hasText: 'Masuk daftar tunggu' }).first();
        await message.getByText('Tidak terkirim').waitFor();
        const link = message.getByTestId('click-to-chat');
        const href = (await link.getAttribute('href')) ?? '';
        const url = new URL(href);
        expect(url.host).toBe('wa.me');
        expect(url.pathname).toMatch(/^\/628\d{7,11}$/);
        const text = url.searchParams.get('text') ?? '';
        expect(text).toMatch(/daftar tunggu/);
        expect(await message.innerText()).toContain(text);
        await dialog.getByText(/Belum ada saluran pengiriman/).waitFor();
        if (viewport.mobile) {
          const overflow = Number(
            await page.evaluate(
              'document.documentElement.scrollWidth - document.documentElement.clientWidth',
            ),
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await shot(page, viewport, 'notifications-application');
        expect(problems, problems.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    });

    test(`on ${viewport.name}: an admin edits a template and previews it`, async () => {
      const context = await newContext(browser, server.baseUrl, viewport);
      const problems: string[] = [];
      try {
        const page = await context.newPage();
        watchPage(page, problems);
        await login(page, 'admin', adminPassword);
        await navigate(page, viewport, 'Templat pesan');
        await page.getByRole('heading', { name: 'Templat pesan' }).waitFor();
        const body = page.getByLabel('Teks', { exact: true });
        await expect.poll(() => body.inputValue()).toContain('{{program}}');
        const text = `Halo {{name}}, pendaftaran ${viewport.name} untuk {{program}} kami terima. {{link}}`;
        await body.fill(text);
        await page.getByRole('button', { name: 'Pratinjau' }).click();
        await page
          .getByTestId('template-preview')
          .getByText(`Halo Siti Aminah, pendaftaran ${viewport.name}`, { exact: false })
          .waitFor();
        await page.getByRole('button', { name: 'Simpan' }).click();
        await page.getByTestId('template-saved').waitFor();
        const saved = await page.evaluate(async () => {
          const res = await fetch('/api/v1/notification-templates');
          return (await res.json()) as { items: { key: string; language: string; body: string }[] };
        });
        expect(saved.items.find((x) => x.key === 'application_received' && x.language === 'id')?.body).toBe(
          text,
        );
        if (viewport.mobile) {
          const overflow = Number(
            await page.evaluate(
              'document.documentElement.scrollWidth - document.documentElement.clientWidth',
            ),
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await shot(page, viewport, 'notification-templates');
        expect(problems, problems.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
