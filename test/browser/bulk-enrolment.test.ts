// Bulk enrolment from the screening list (issue 10, point 2), on a desktop and on a 360 px
// phone: select all eligible → "Daftarkan" → a confirmation that says how many → the result per
// business with counts (enrolled up to capacity, the rest on the waitlist).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  demoPassword,
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
let cookie: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'dinas', password: demoPassword },
  });
  const session = res.cookies.find((c) => c.name === 'pulih_session');
  cookie = `pulih_session=${session?.value}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newProgram(name: string) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/programs',
    headers: { cookie },
    payload: {
      name,
      type: 'training',
      capacity: 4,
      startDate: '2030-08-24',
      endDate: '2030-08-28',
      eligibility: { '==': [{ var: 'kecamatan' }, '62.71.02'] },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

describe('bulk enrolment from the screening list', () => {
  for (const viewport of viewports) {
    test(`on ${viewport.name}: select all eligible, enrol, the result per business`, async () => {
      const program = await newProgram(`Pelatihan Massal Bukit Batu (${viewport.name})`);
      const context = await newContext(browser, server.baseUrl, viewport);
      const problems: string[] = [];
      try {
        const page = await context.newPage();
        watchPage(page, problems);
        await login(page, 'dinas');
        await page.goto(`/programs/${program.id}/screening`);
        const selectAll = page.getByTestId('bulk-select-all');
        await selectAll.waitFor();
        await expect.poll(() => selectAll.isEnabled(), { timeout: 30_000 }).toBe(true);
        const label = await selectAll.innerText();
        const eligible = Number(/\((\d+)\)/.exec(label)?.[1]);
        expect(eligible).toBeGreaterThan(4);
        await selectAll.click();
        await page.getByRole('button', { name: `Daftarkan (${eligible})` }).click();
        await page.getByTestId('bulk-confirm-text').waitFor();
        expect(await page.getByTestId('bulk-confirm-text').innerText()).toContain(
          `Daftarkan ${eligible} usaha`,
        );
        await page.getByTestId('bulk-confirm').click();
        const results = page.getByTestId('bulk-results');
        await results.waitFor({ timeout: 60_000 });
        expect(await results.innerText()).toContain(`Hasil untuk ${eligible} usaha`);
        expect(await page.getByTestId('bulk-count-enrolled').innerText()).toMatch(/Terdaftar\s+4/);
        expect(await page.getByTestId('bulk-count-waitlisted').innerText()).toMatch(
          new RegExp(`Daftar tunggu\\s+${eligible - 4}`),
        );
        if (viewport.mobile) {
          const overflow = Number(
            await page.evaluate(
              'document.documentElement.scrollWidth - document.documentElement.clientWidth',
            ),
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
        await shot(page, viewport, 'bulk-enrolment-results');
        // The program holds what the table says.
        const after = await server.app.inject({ url: `/api/v1/programs/${program.id}`, headers: { cookie } });
        expect(after.json()).toMatchObject({ enrolled: 4, waitlisted: eligible - 4 });
        expect(problems, problems.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
