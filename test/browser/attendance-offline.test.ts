// Attendance at a venue with no signal, on a 360 px phone in a real browser: the service
// worker opens the page, check-ins wait on the phone (IndexedDB) and reach the server once
// each when the signal returns. And the QR path, without a camera: the code typed in.
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  request,
} from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { attendance } from '../../src/db/schema.ts';
import { bulkBusinesses } from '../../src/testing/bulk.ts';
import { officeDay } from '../../src/testing/cohort.ts';
import {
  chooseSegment,
  demoPassword,
  launchBrowser,
  login,
  newContext,
  type Running,
  screenshotDir,
  shot,
  startServer,
  viewports,
  watchPage,
} from './helpers.ts';

type Participant = {
  applicationId: string;
  ownerName: string;
  checkedInAt: string | null;
  method: string | null;
};
type Detail = { id: string; participants: Participant[] };

const phone = viewports.find((v) => v.name === 'phone');
if (!phone) throw new Error('no phone viewport');

let server: Running;
let browser: Browser;
let officer: APIRequestContext;
let programId = '';
let sessionId = '';
// Checked out again before the tests, so that they can be checked in: two by tapping with no
// signal, one by a code typed in, one by a code typed in with no signal, one forged code, one
// scanned by the camera.
let absent: Participant[] = [];

async function signedIn(username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: server.baseUrl });
  const res = await api.post('/api/v1/auth/login', { data: { username, password: demoPassword } });
  expect(res.status()).toBe(200);
  return api;
}

async function detail(): Promise<Detail> {
  const res = await officer.get(`/api/v1/sessions/${sessionId}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Detail;
}

async function rows(applicationId: string): Promise<number> {
  const [row] = await server.ctx.db
    .select({ n: count() })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.applicationId, applicationId)));
  return row?.n ?? 0;
}

// The code printed on the participant's invitation card, read from the PDF.
async function cardCode(applicationId: string): Promise<string> {
  const res = await officer.get(
    `/api/v1/programs/${programId}/invitation-cards.pdf?applicationId=${applicationId}`,
  );
  expect(res.status()).toBe(200);
  const doc = await getDocument({
    data: new Uint8Array(await res.body()),
    verbosity: 0,
    isEvalSupported: false,
  }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  await doc.destroy();
  const code = /PLH1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{16}/.exec(text)?.[0];
  if (!code) throw new Error(`no code on the card: ${text}`);
  return code;
}

// Messages fade after a few seconds; screenshots are taken without them. Each is closed
// until none is left, however long a busy machine takes to show or animate one: a message
// that appears while others close is closed too. The pointer leaves them first, because a
// message under the pointer (where the last close button was) never closes by itself.
async function settle(page: Page) {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.mouse.move(0, 0);
  const messages = page.locator('.mantine-Notification-root');
  await expect
    .poll(
      async () => {
        const close = page.locator('.mantine-Notification-closeButton').first();
        if ((await close.count()) > 0) await close.click({ timeout: 5_000 }).catch(() => undefined);
        await page.mouse.move(0, 0);
        return messages.count();
      },
      // A bound for a loaded machine, not an expected duration.
      { timeout: 90_000 },
    )
    .toBe(0);
}

// What the phone's screen shows (a dialog, or the page scrolled): not the whole page.
async function screen(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: resolve(screenshotDir, `phone-${name}.png`), animations: 'disabled' });
}

const unsynced = (page: Page) => page.getByTestId('unsynced-count');
const unsyncedCount = async (page: Page) => Number(await unsynced(page).getAttribute('data-count'));
const row = (page: Page, name: string) => page.locator('[data-testid=participant]').filter({ hasText: name });

// Requests that reach the server from the page (not from this test's own API calls). The
// browser's own check for a new service worker escapes the emulated offline mode; on a phone
// with no signal it fails like everything else.
function watchServer(): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const listener = (req: IncomingMessage) => {
    if (String(req.headers['user-agent'] ?? '').includes('Playwright') || req.url === '/sw.js') return;
    seen.push(`${req.method} ${req.url}`);
  };
  server.app.server.on('request', listener);
  return { seen, stop: () => server.app.server.off('request', listener) };
}

// With no signal the browser logs every request it could not make; that is the point here.
// And the forged code is refused (422) on purpose.
const realProblems = (problems: string[]) =>
  problems.filter(
    (p) =>
      !/ERR_INTERNET_DISCONNECTED|Failed to fetch|ERR_FAILED/.test(p) &&
      !/status of 422 .*\/api\/v1\/sessions\/[0-9a-f-]{36}\/attendance\)$/.test(p),
  );

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  officer = await signedIn('dinas');
  // Check-ins hold on the session's day only: a class of its own with a session today (the
  // founding program's days are in 2020). A class of 30: 24 in Bukit Batu, 6 in Rakumpit.
  const program = await officer.post('/api/v1/programs', {
    data: {
      name: 'Pelatihan Anyaman Hari Ini',
      type: 'training',
      capacity: 40,
      selection: 'first_come',
      startDate: officeDay(-1),
      endDate: officeDay(1),
      venue: 'Aula Kecamatan Bukit Batu',
      eligibility: true,
    },
  });
  expect(program.status(), await program.text()).toBe(201);
  programId = ((await program.json()) as { id: string }).id;
  const made = await bulkBusinesses(server.ctx.db, 30, {
    regionCodes: ['62.71.02.1004', '62.71.02.1004', '62.71.02.1004', '62.71.02.1004', '62.71.05.1001'],
    ownerName: (i) => `Peserta Luring ${String(i + 1).padStart(2, '0')}`,
  });
  for (const b of made) {
    const res = await officer.post(`/api/v1/programs/${programId}/applications`, {
      data: { businessId: b.id },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  const session = await officer.post(`/api/v1/programs/${programId}/sessions`, {
    data: { day: 1, date: officeDay(0), startsAt: '00:00', endsAt: '23:59' },
  });
  expect(session.status(), await session.text()).toBe(201);
  sessionId = ((await session.json()) as { id: string }).id;
  // The phone is the Bukit Batu officer's, who sees the participants of that kecamatan only.
  const kecamatan = await signedIn('kec.bukitbatu');
  const seen = await kecamatan.get(`/api/v1/sessions/${sessionId}`);
  expect(seen.status()).toBe(200);
  const all = ((await seen.json()) as Detail).participants;
  await kecamatan.dispose();
  expect(all.length).toBeLessThan((await detail()).participants.length);
  absent = all.filter((p) => !p.checkedInAt).slice(0, 6);
  expect(absent).toHaveLength(6);
});

afterAll(async () => {
  await officer?.dispose();
  await browser?.close();
  await server?.close();
});

describe('attendance on a phone with no signal (360×740)', () => {
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

  test('the session page, once opened, works with no signal and sends its check-ins once when it returns', async () => {
    const [first, second] = absent;
    if (!first || !second) throw new Error('participants');
    await login(page, 'kec.bukitbatu');
    await page.goto(`/sessions/${sessionId}`);
    await page.getByTestId('attendance-count').waitFor();
    // The worker keeps the app and the list is saved on the phone: ready for the venue.
    await page.locator('[data-testid=offline-ready][data-ready=true]').waitFor({ timeout: 45_000 });
    expect(await page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    expect(await unsyncedCount(page)).toBe(0);
    await shot(page, phone, '30-attendance-online');

    const traffic = watchServer();
    await context.setOffline(true);
    try {
      const reopened = await page.reload();
      // The page itself came from the service worker's cache: the network is cut.
      expect(reopened?.fromServiceWorker()).toBe(true);
      await page.locator('[data-testid=connection][data-online=false]').waitFor();
      await page.getByTestId('saved-copy').waitFor();
      await chooseSegment(page, 'Belum hadir');
      for (const p of [first, second]) {
        await row(page, p.ownerName).click();
        await page.getByText(`Tidak ada sinyal: kehadiran ${p.ownerName} disimpan di HP`).first().waitFor();
      }
      await chooseSegment(page, 'Semua');
      await expect.poll(() => unsyncedCount(page)).toBe(2);
      expect(await unsynced(page).textContent()).toContain('2 belum terkirim');
      for (const p of [first, second]) {
        const r = row(page, p.ownerName);
        expect(await r.getAttribute('data-present')).toBe('true');
        expect(await r.getAttribute('data-sync')).toBe('pending');
      }
      await settle(page);
      await shot(page, phone, '31-attendance-offline-waiting');

      // Still there after the page is reopened with no signal.
      await page.reload();
      await page.getByTestId('attendance-count').waitFor();
      await expect.poll(() => unsyncedCount(page)).toBe(2);

      // Nothing reached the server while the phone had no signal.
      expect(traffic.seen).toEqual([]);
    } finally {
      traffic.stop();
    }
    const before = await detail();
    for (const p of [first, second]) {
      expect(before.participants.find((x) => x.applicationId === p.applicationId)?.checkedInAt).toBeNull();
      expect(await rows(p.applicationId)).toBe(0);
    }

    const reconnectedAt = Date.now();
    await context.setOffline(false);
    await expect.poll(() => unsyncedCount(page), { timeout: 20_000 }).toBe(0);
    await page.locator('[data-testid=connection][data-online=true]').waitFor();
    expect(await unsynced(page).textContent()).toContain('Semua terkirim');
    await page.getByText('2 kehadiran terkirim.').first().waitFor();
    for (const p of [first, second]) {
      expect(await row(page, p.ownerName).getAttribute('data-sync')).toBe('synced');
    }
    // The list is fetched again now that there is signal: no longer the saved copy.
    await page.getByTestId('saved-copy').waitFor({ state: 'detached' });
    await settle(page);
    await shot(page, phone, '32-attendance-synced');

    // Once each, at the time of the tap (before the signal returned), recorded as manual.
    const after = await detail();
    for (const p of [first, second]) {
      const record = after.participants.find((x) => x.applicationId === p.applicationId);
      expect(record?.method).toBe('manual');
      expect(new Date(record?.checkedInAt ?? 0).getTime()).toBeLessThan(reconnectedAt);
      expect(await rows(p.applicationId)).toBe(1);
      // A phone resending it (an answer lost on the way) changes nothing.
      const resend = await officer.post(`/api/v1/sessions/${sessionId}/attendance`, {
        data: { applicationId: p.applicationId, method: 'manual', checkedInAt: record?.checkedInAt },
      });
      expect(resend.status()).toBe(200);
      expect(await resend.json()).toMatchObject({ duplicate: true, checkedInAt: record?.checkedInAt });
      expect(await rows(p.applicationId)).toBe(1);
    }
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });

  test('without a camera, the code on the invitation card is typed in, also with no signal', async () => {
    const [, , online, offline, forged] = absent;
    if (!online || !offline || !forged) throw new Error('participants');
    await page.getByTestId('scan-open').click();
    const dialog = page.getByRole('dialog');
    // Headless Chromium has no camera: the page says so and offers the typed code.
    await dialog.getByTestId('camera-unavailable').waitFor();
    await dialog.getByTestId('manual-code').fill(await cardCode(online.applicationId));
    await dialog.getByTestId('manual-submit').click();
    const result = dialog.getByTestId('scan-result');
    await result.filter({ hasText: online.ownerName }).waitFor();
    expect(await result.getAttribute('data-tone')).toBe('success');
    expect(await result.textContent()).toContain(`${online.ownerName} tercatat hadir.`);
    await screen(page, '33-attendance-qr-typed');

    // Not a card of this session.
    await dialog.getByTestId('manual-code').fill('PLH1.bukan-kode');
    await dialog.getByTestId('manual-submit').click();
    await result.filter({ hasText: 'Kode ini bukan kode kartu undangan.' }).waitFor();
    expect(await result.getAttribute('data-tone')).toBe('error');

    // With no signal: the code names the participant in the saved list; it waits, and a
    // forged code (right form, wrong signature) waits too until the server can judge it.
    await context.setOffline(true);
    const genuine = await cardCode(offline.applicationId);
    const fake = (await cardCode(forged.applicationId)).replace(/.{4}$/, 'AAAA');
    await dialog.getByTestId('manual-code').fill(genuine);
    await dialog.getByTestId('manual-submit').click();
    await result.filter({ hasText: offline.ownerName }).waitFor();
    expect(await result.textContent()).toContain('disimpan di HP');
    await dialog.getByTestId('manual-code').fill(fake);
    await dialog.getByTestId('manual-submit').click();
    await result.filter({ hasText: forged.ownerName }).waitFor();
    await screen(page, '34-attendance-qr-offline');
    await dialog.getByRole('button', { name: 'Selesai' }).click();
    await expect.poll(() => unsyncedCount(page)).toBe(2);
    expect(await rows(offline.applicationId)).toBe(0);

    await context.setOffline(false);
    await expect.poll(() => unsyncedCount(page), { timeout: 20_000 }).toBe(0);
    // The forged code is refused, and the officer sees why.
    const refused = row(page, forged.ownerName);
    await expect.poll(() => refused.getAttribute('data-sync')).toBe('failed');
    await page.getByTestId('failed-count').waitFor();
    await page.getByText(/Ditolak server: Kode kartu undangan ini tidak sah/).waitFor();
    expect(await refused.getAttribute('data-present')).toBe('false');
    await settle(page);
    await page.getByTestId('participant-card').filter({ hasText: forged.ownerName }).scrollIntoViewIfNeeded();
    await screen(page, '35-attendance-refused');

    const after = await detail();
    const byId = (id: string) => after.participants.find((x) => x.applicationId === id);
    expect(byId(online.applicationId)?.method).toBe('qr');
    expect(byId(offline.applicationId)?.method).toBe('qr');
    expect(byId(forged.applicationId)?.checkedInAt).toBeNull();
    expect(await rows(online.applicationId)).toBe(1);
    expect(await rows(offline.applicationId)).toBe(1);
    expect(await rows(forged.applicationId)).toBe(0);

    // The officer removes the refused check-in from the phone.
    await page
      .getByTestId('participant-card')
      .filter({ hasText: forged.ownerName })
      .getByRole('button', { name: 'Hapus', exact: true })
      .first()
      .click();
    await page.getByTestId('failed-count').waitFor({ state: 'detached' });
    expect(await unsyncedCount(page)).toBe(0);
    expect(await row(page, forged.ownerName).getAttribute('data-present')).toBe('false');
    expect(await row(page, forged.ownerName).getAttribute('data-sync')).toBe('none');
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });

  test('the camera reads the QR code on the card', async () => {
    const scanned = absent[5];
    if (!scanned) throw new Error('participants');
    // A stand-in camera: a canvas showing the printed card's QR code, as a video stream.
    const qr = await QRCode.toDataURL(await cardCode(scanned.applicationId), { margin: 2, width: 300 });
    const cameraPage = await context.newPage();
    watchPage(cameraPage, problems);
    await cameraPage.addInitScript({
      content: `(() => {
        const picture = new Image();
        picture.src = ${JSON.stringify(qr)};
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 480;
        const draw = () => {
          const g = canvas.getContext('2d');
          g.fillStyle = '#6b5b45';
          g.fillRect(0, 0, 640, 480);
          if (picture.complete) g.drawImage(picture, 170, 90, 300, 300);
          requestAnimationFrame(draw);
        };
        draw();
        navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
      })();`,
    });
    await cameraPage.goto(`/sessions/${sessionId}`);
    await cameraPage.getByTestId('scan-open').click();
    const result = cameraPage.getByRole('dialog').getByTestId('scan-result');
    await result.filter({ hasText: `${scanned.ownerName} tercatat hadir.` }).waitFor();
    expect(await result.getAttribute('data-tone')).toBe('success');
    expect(await cameraPage.getByTestId('camera-unavailable').count()).toBe(0);
    await screen(cameraPage, '36-attendance-qr-camera');
    await cameraPage.getByRole('dialog').getByRole('button', { name: 'Selesai' }).click();
    await cameraPage.close();
    const record = (await detail()).participants.find((p) => p.applicationId === scanned.applicationId);
    expect(record?.method).toBe('qr');
    expect(await rows(scanned.applicationId)).toBe(1);
  });

  test('logging out takes the saved names and the kept sign-in off the phone', async () => {
    const savedSessions = `new Promise((done) => {
      const open = indexedDB.open('pulih-offline');
      open.onsuccess = () => {
        const request = open.result.transaction('sessions').objectStore('sessions').count();
        request.onsuccess = () => { done(request.result); open.result.close(); };
      };
    })`;
    expect(await page.evaluate(savedSessions)).toBe(1);
    expect(await page.evaluate("caches.has('pulih-user')")).toBe(true);
    await page.getByTestId('account-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.evaluate(savedSessions)).toBe(0);
    await expect.poll(() => page.evaluate("caches.has('pulih-user')")).toBe(false);
    // With no signal now, the app no longer opens as signed in.
    await context.setOffline(true);
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('heading', { name: 'Server tidak dapat dihubungi' }).waitFor();
    await context.setOffline(false);
    expect(realProblems(problems), problems.join('\n')).toEqual([]);
  });
});
