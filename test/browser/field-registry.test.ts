// Self-registration on a phone with JavaScript (the KBLI found as the owner types, kelurahan
// narrowed by kecamatan), and the kecamatan officer's verification visit with no signal: the list
// opened at the office stays on the phone, the visit waits there and reaches the server once when
// the signal returns.
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registrations, registrationVisits } from '../../src/db/schema.ts';
import { generateNik } from '../../src/domain/nik.ts';
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

const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');

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

// With no signal the browser logs every request it could not make; that is the point here.
const realProblems = (problems: string[]) =>
  problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|ERR_FAILED/.test(p));

async function fillOwner(page: Page, nik: string, businessName: string) {
  await page.getByLabel('NIK (16 angka)').fill(nik);
  await page.getByLabel('Nama lengkap').fill('Rahmawati');
  await page.getByText('Perempuan', { exact: true }).click();
  await page.getByLabel('Tanggal lahir').fill('1988-02-14');
  await page.getByLabel('Nomor HP / WhatsApp').fill('0813 5252 1188');
  await page.getByLabel('Alamat (jalan, RT/RW)').fill('Jl. Tangkiling RT 03');
  await page.getByLabel('Nama usaha').fill(businessName);
}

describe('self-registration with JavaScript (360×740)', () => {
  let context: BrowserContext;
  const problems: string[] = [];

  afterAll(async () => context?.close());

  test('finds KBLI as the owner types, narrows kelurahan by kecamatan, and answers a status link', async () => {
    context = await newContext(browser, server.baseUrl, phone);
    const page = await context.newPage();
    watchPage(page, problems);
    await page.goto('/daftar-usaha');
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1988-02-14', sex: 'P', serial: 7701 });
    await fillOwner(page, nik, 'Anyaman Rahma');
    // The enhancement adds the kecamatan filter; Rakumpit's villages leave the list.
    await page.locator('#kecamatanFilter').selectOption({ label: 'Bukit Batu' });
    expect(
      await page.locator('#regionCode optgroup[label="Rakumpit"]').getAttribute('hidden'),
    ).not.toBeNull();
    await page.locator('#regionCode').selectOption({ label: 'Tangkiling' });
    // No "Cari" press: the codes arrive as the words are typed.
    await page.getByLabel('Jenis usaha (kata kunci)').pressSequentially('anyaman rotan', { delay: 20 });
    await expect.poll(() => page.locator('#kbli').inputValue()).toBe('16291');
    await page.getByLabel('Omzet setahun (Rp)').fill('30000000');
    await page.getByLabel('Jumlah tenaga kerja').fill('2');
    await page.getByText('Ya', { exact: true }).click();
    await page.locator('input[name=consent]').check();
    // Nothing sticks out at 360 px.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
    await shot(page, phone, '60-self-registration');
    await page.getByRole('button', { name: 'Kirim pendaftaran' }).click();
    await page.waitForURL(/\/daftar-usaha\/status\//);
    await page.getByText('Menunggu verifikasi').first().waitFor();
    expect(await page.content()).not.toContain(nik);
    const [row] = await server.ctx.db.select().from(registrations).where(eq(registrations.nik, nik));
    expect(row).toMatchObject({ status: 'menunggu_verifikasi', kbli: '16291', regionCode: '62.71.02.1004' });
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });
});

describe('verification visit on a phone with no signal (360×740)', () => {
  let context: BrowserContext;
  const problems: string[] = [];

  afterAll(async () => context?.close());

  test('the day’s list stays on the phone, the visit waits there and is recorded once when the signal returns', async () => {
    // An owner's registration in Bukit Batu, sent as the form sends it.
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1975-09-01', sex: 'L', serial: 7702 });
    const res = await fetch(`${server.baseUrl}/daftar-usaha`, {
      method: 'POST',
      redirect: 'manual',
      body: (() => {
        const form = new FormData();
        for (const [k, v] of Object.entries({
          nik,
          name: 'Bahrudin',
          sex: 'L',
          birthDate: '1975-09-01',
          phone: '0852 4900 7702',
          address: 'Jl. Banturung RT 01',
          regionCode: '62.71.02.1003',
          businessName: 'Rotan Bahrudin',
          kbli: '16291',
          consent: 'yes',
          action: 'send',
        }))
          form.set(k, v);
        return form;
      })(),
    });
    expect(res.status).toBe(303);
    const [registration] = await server.ctx.db.select().from(registrations).where(eq(registrations.nik, nik));
    if (!registration) throw new Error('registration');

    context = await newContext(browser, server.baseUrl, phone, { serviceWorker: true });
    const page = await context.newPage();
    watchPage(page, problems);
    await login(page, 'kec.bukitbatu');
    await page.goto('/registry/registrations');
    const card = page.locator('[data-testid=registration]').filter({ hasText: 'Rotan Bahrudin' });
    await card.waitFor();
    // The worker keeps the app once it controls the page; the list is then saved on the phone.
    await expect
      .poll(() => page.evaluate('navigator.serviceWorker.controller !== null'), { timeout: 45_000 })
      .toBe(true);
    await page.reload();
    await card.waitFor();

    await context.setOffline(true);
    const reopened = await page.reload();
    expect(reopened?.fromServiceWorker()).toBe(true);
    await page.locator('[data-testid=connection][data-online=false]').waitFor();
    await page.getByTestId('field-saved-copy').waitFor();
    await card.getByRole('button', { name: 'Catat kunjungan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Usaha ada di alamat ini').check();
    await dialog.getByLabel('Bertemu pemilik').check();
    await dialog.getByLabel(/NIK dilihat pada KTP/).check();
    await dialog.getByRole('button', { name: 'Simpan kunjungan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('field-unsynced').getAttribute('data-count')).toBe('1');
    expect(await card.getAttribute('data-sync')).toBe('pending');
    await shot(page, phone, '61-visit-offline-waiting');
    // Still there after the page is reopened with no signal, and nothing reached the server.
    await page.reload();
    await expect.poll(() => page.getByTestId('field-unsynced').getAttribute('data-count')).toBe('1');
    const visits = () =>
      server.ctx.db
        .select({ id: registrationVisits.id })
        .from(registrationVisits)
        .where(eq(registrationVisits.registrationId, registration.id));
    expect(await visits()).toHaveLength(0);

    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('field-unsynced').getAttribute('data-count'), { timeout: 30_000 })
      .toBe('0');
    expect(await visits()).toHaveLength(1);
    const [after] = await server.ctx.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, registration.id));
    expect(after?.status).toBe('terverifikasi');
    expect(after?.businessId).not.toBeNull();
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });
});

describe('a business found on a walk, registered with no signal (360×740)', () => {
  let context: BrowserContext;
  const problems: string[] = [];

  afterAll(async () => context?.close());

  test('the form works with no signal, and the registration reaches the registry once when the signal returns', async () => {
    context = await newContext(browser, server.baseUrl, phone, { serviceWorker: true });
    const page = await context.newPage();
    watchPage(page, problems);
    await login(page, 'kec.bukitbatu');
    // Opened once with signal: the app, the kelurahan and KBLI lists are kept on the phone.
    await page.goto('/registry/registrations/new');
    await page.getByTestId('walk-form').waitFor();
    await expect
      .poll(() => page.evaluate('navigator.serviceWorker.controller !== null'), { timeout: 45_000 })
      .toBe(true);
    await page.reload();
    await page.getByTestId('walk-form').waitFor();
    await page.getByRole('combobox', { name: 'Kelurahan' }).click();
    await page.getByRole('option', { name: 'Banturung' }).waitFor();
    await page.keyboard.press('Escape');

    await context.setOffline(true);
    const reopened = await page.reload();
    expect(reopened?.fromServiceWorker()).toBe(true);
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1990-05-20', sex: 'P', serial: 7703 });
    await page.getByLabel('NIK pemilik').fill(nik);
    await page.getByLabel('Nama pemilik').fill('Yuliana');
    await page.getByLabel('Tanggal lahir').fill('1990-05-20');
    await page.getByLabel('Nomor HP').fill('0813 4900 7703');
    await page.getByLabel('Alamat').fill('Pasar Tangkiling, los 12');
    await page.getByRole('combobox', { name: 'Kelurahan' }).click();
    await page.getByRole('option', { name: 'Banturung' }).click();
    await page.getByLabel('Nama usaha').fill('Tikar Purun Yuli');
    await page.getByLabel(/Pemilik setuju/).check();
    await page.getByRole('button', { name: 'Simpan pendaftaran' }).click();
    await page.waitForURL(/\/registry\/registrations$/);
    await page.getByTestId('walks-waiting').filter({ hasText: 'Tikar Purun Yuli' }).waitFor();
    await expect.poll(() => page.getByTestId('field-unsynced').getAttribute('data-count')).toBe('1');
    const stored = () => server.ctx.db.select().from(registrations).where(eq(registrations.nik, nik));
    expect(await stored()).toHaveLength(0);

    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('field-unsynced').getAttribute('data-count'), { timeout: 30_000 })
      .toBe('0');
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: 'officer',
      status: 'terverifikasi',
      regionCode: '62.71.02.1003',
    });
    expect(rows[0]?.businessId).not.toBeNull();
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });
});
