// Issue 3 in a real browser: a program officer imports a registry file (good rows, bad rows and
// one person written twice), reads the summary and the errors, follows the notice to the review
// queue of possible duplicates, and merges (desktop) or dismisses (phone) the pair the file made.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateNik, type Sex } from '../../src/domain/nik.ts';
import {
  chooseSegment,
  launchBrowser,
  login,
  navigate,
  newContext,
  type Running,
  shot,
  startServer,
  type Viewport,
  viewports,
  watchPage,
} from './helpers.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The template's Indonesian headers, the region by name (kelurahan and kecamatan).
const header = [
  'nik',
  'nama',
  'jenis_kelamin',
  'tanggal_lahir',
  'telepon',
  'alamat',
  'kelurahan',
  'kecamatan',
  'nama_usaha',
  'kbli',
  'omzet_tahunan',
  'terdampak_covid',
] as const;
type Row = Record<(typeof header)[number], string>;

const dmy = (iso: string) => iso.split('-').reverse().join('/');

function owner(name: string, sex: Sex, birthDate: string, serial: number, kecamatanCode = '62.71.02') {
  return { name, sex, birthDate, nik: generateNik({ kecamatanCode, birthDate, sex, serial }) };
}

function row(person: ReturnType<typeof owner>, business: string, values: Partial<Row> = {}): Row {
  return {
    nik: person.nik,
    nama: person.name,
    jenis_kelamin: person.sex,
    tanggal_lahir: dmy(person.birthDate),
    telepon: `0813${person.nik.slice(-8)}`,
    alamat: `Jl. Tjilik Riwut Km ${person.nik.slice(-2)}`,
    kelurahan: 'Tangkiling',
    kecamatan: 'Bukit Batu',
    nama_usaha: business,
    kbli: '16291',
    omzet_tahunan: '60.000.000',
    terdampak_covid: 'ya',
    ...values,
  };
}

// As Excel saves "CSV UTF-8" on an Indonesian Windows: BOM, semicolons, CRLF.
function csv(rows: Row[]): Buffer {
  const lines = [header.join(';'), ...rows.map((r) => header.map((h) => r[h]).join(';'))];
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

// One file per viewport, with its own people, so the two walks do not depend on each other.
// Rows 2..8 of the file (row 1 is the header); rows 4 and 6 are rejected.
function plan(viewport: Viewport) {
  const desktop = viewport.name === 'desktop';
  const base = desktop ? 9700 : 9800;
  const twin = desktop
    ? { first: 'Muhammad Rizki Saputra', second: 'H. M. Rizki Saputra', sex: 'L' as const }
    : { first: 'Siti Rahmawati Lestari', second: 'Hj. Siti Rahmawati Lestari', sex: 'P' as const };
  const birthDate = desktop ? '1984-06-17' : '1979-11-03';
  const original = owner(twin.first, twin.sex, birthDate, base + 31);
  // The same person again, the last NIK digit mistyped (…31 → …32).
  const again = owner(twin.second, twin.sex, birthDate, base + 32);
  if (again.nik.slice(0, 15) !== original.nik.slice(0, 15)) throw new Error('not one digit apart');
  const good = [
    owner(desktop ? 'Yuliana Dewi' : 'Rusmini Harahap', 'P', '1988-02-09', base + 1),
    owner(desktop ? 'Bambang Sugiarto' : 'Darmansyah Putra', 'L', '1975-09-21', base + 2),
    owner(desktop ? 'Nurul Aini' : 'Fitriani Kurnia', 'P', '1991-12-30', base + 3, '62.71.05'),
  ] as const;
  const badNik = owner(desktop ? 'Agus Salim' : 'Kartini Wulandari', 'L', '1982-04-04', base + 4);
  const unknownPlace = owner(desktop ? 'Dedi Kurniawan' : 'Hendra Gunawan', 'L', '1986-07-15', base + 5);
  const tag = desktop ? 'A' : 'B';
  const businesses = {
    original: desktop ? 'Warung Makan Rizki' : 'Kue Basah Siti',
    again: desktop ? 'Kios Pulsa Saputra' : 'Jahit Rahma',
  };
  const rows = [
    row(good[0], `Anyaman Rotan Dewi ${tag}`),
    row(original, businesses.original),
    row(badNik, `Bengkel Agus ${tag}`, { nik: badNik.nik.slice(0, 15) }),
    row(good[1], `Kerajinan Bambu Sugiarto ${tag}`),
    row(unknownPlace, `Toko Kelontong Dedi ${tag}`, { kelurahan: 'Sukamaju' }),
    row(good[2], `Tikar Purun Aini ${tag}`, { kelurahan: 'Petuk Bukit', kecamatan: 'Rakumpit' }),
    row(again, businesses.again),
  ];
  return {
    fileName: `usaha-kecamatan-${viewport.name}.csv`,
    file: csv(rows),
    twin: { original, again },
    businesses,
    errors: [
      { row: 4, column: 'nik', message: 'NIK harus 16 digit angka' },
      {
        row: 6,
        column: 'kelurahan',
        message: 'Kelurahan "Sukamaju" tidak ditemukan di Kecamatan Bukit Batu',
      },
    ],
    // Desktop merges its pair, the phone says they are not the same person.
    action: desktop ? ('merge' as const) : ('dismiss' as const),
  };
}

type Candidate = {
  a: { id: string; name: string; businesses: { name: string }[] };
  b: { id: string; name: string; businesses: { name: string }[] };
  score: number;
  reasons: string[];
};

// Every pair in the review queue, through the API with the officer's session.
async function allCandidates(page: Page): Promise<Candidate[]> {
  const items: Candidate[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/dedup/candidates?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await page.request.get(url);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { items: Candidate[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

const isPair = (pair: Candidate, x: string, y: string) =>
  (pair.a.name === x && pair.b.name === y) || (pair.a.name === y && pair.b.name === x);

// A stat of the summary reads "<label><value>".
async function stat(page: Page, label: string): Promise<string> {
  const card = page.getByTestId('import-stat').filter({ has: page.getByText(label, { exact: true }) });
  return ((await card.textContent()) ?? '').slice(label.length);
}

// The table row (desktop) or card (phone) of one issue.
function issueRow(panel: Locator, message: string): Locator {
  return panel.locator('tr, .mantine-Card-root').filter({ hasText: message });
}

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

for (const viewport of viewports) {
  describe(`registry import on ${viewport.name} (${viewport.width}×${viewport.height})`, () => {
    const steps = plan(viewport);
    const problems: string[] = [];
    let context: BrowserContext;
    let page: Page;
    let importUrl = '';

    beforeAll(async () => {
      context = await newContext(browser, server.baseUrl, viewport);
      page = await context.newPage();
      watchPage(page, problems);
    });

    afterAll(async () => {
      await context?.close();
    });

    test('the officer opens the import page from the registry; the template downloads', async () => {
      await login(page, 'dinas');
      await navigate(page, viewport, 'Data usaha');
      await page.waitForURL(/\/registry$/);
      await page.getByRole('link', { name: 'Impor berkas' }).click();
      await page.waitForURL(/\/registry\/import$/);
      await page.getByRole('heading', { name: 'Impor registri' }).waitFor();
      const template = page.getByRole('link', { name: 'Unduh templat XLSX' });
      const href = (await template.getAttribute('href')) ?? '';
      expect(href).toMatch(/\/imports\/template\.xlsx\?lang=id$/);
      const response = await page.request.get(href);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(xlsxType);
      expect((await response.body()).subarray(0, 2).toString()).toBe('PK');
      await shot(page, viewport, 'imp-01-import-page');
    });

    test('a semicolon CSV with a BOM is imported: good rows land, two bad rows are rejected', async () => {
      await page.getByTestId('import-file').setInputFiles({
        name: steps.fileName,
        mimeType: 'text/csv',
        buffer: steps.file,
      });
      await page.getByText(`Berkas: ${steps.fileName}`).waitFor();
      await page.getByRole('button', { name: 'Mulai impor' }).click();
      await page.waitForURL(/\/registry\/import\?id=[0-9a-f-]{36}$/);
      importUrl = new URL(page.url()).pathname + new URL(page.url()).search;
      await expect
        .poll(() => page.getByTestId('import-status').textContent(), { timeout: 30_000 })
        .toBe('Selesai');
      await page.getByTestId('import-rows').getByText('7 dari 7 baris').waitFor();
      expect(await stat(page, 'Baris')).toBe('7');
      expect(await stat(page, 'Baru')).toBe('5');
      expect(await stat(page, 'Diperbarui')).toBe('0');
      expect(await stat(page, 'Tidak berubah')).toBe('0');
      expect(await stat(page, 'Ditolak')).toBe('2');

      await page.getByRole('tab', { name: 'Kesalahan (2)' }).waitFor();
      const errors = page.getByTestId('import-errors');
      for (const error of steps.errors) {
        const line = issueRow(errors, error.message);
        await expect.poll(() => line.count()).toBe(1);
        // The table's first column is the row; a phone card is headed by the message, with the
        // row and column labelled below it.
        const text = (await line.textContent())?.trim() ?? '';
        if (viewport.mobile) {
          expect(text.startsWith(error.message)).toBe(true);
          expect(text).toContain(`Baris${error.row}`);
          expect(text).toContain(`Kolom${error.column}`);
        } else {
          expect(text).toMatch(new RegExp(`^${error.row}\\D`));
          expect(text).toContain(error.column);
        }
      }
      expect(await issueRow(errors, 'Tidak ada kesalahan.').count()).toBe(0);

      const report = page.getByRole('link', { name: 'Unduh laporan kesalahan (XLSX)' });
      const reportHref = (await report.getAttribute('href')) ?? '';
      expect(reportHref).toMatch(/\/imports\/[0-9a-f-]{36}\/errors\.xlsx\?lang=id$/);
      const response = await page.request.get(reportHref);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(xlsxType);
      expect((await response.body()).subarray(0, 2).toString()).toBe('PK');

      const queued = page.getByTestId('dedup-queued');
      await queued
        .getByText('Calon data ganda di antara pemilik usaha sedang dihitung ulang di latar belakang.', {
          exact: false,
        })
        .waitFor();
      await shot(page, viewport, 'imp-02-import-summary');
    });

    test('the notice leads to the review queue, where the person written twice shows as a pair', async () => {
      await page.getByTestId('dedup-queued').getByRole('link', { name: 'Tinjau calon data ganda' }).click();
      await page.waitForURL(/\/registry\/duplicates$/);
      await page.getByRole('heading', { name: 'Data ganda' }).waitFor();
      const { original, again } = steps.twin;
      const card = page
        .getByTestId('dedup-pair')
        .filter({ hasText: original.name })
        .filter({ hasText: again.name });
      // The job worker computes the queue in the background; the page picks it up when it is done.
      await expect.poll(() => card.count(), { timeout: 30_000, interval: 500 }).toBe(1);
      const names = card.locator('tbody tr').first().locator('td');
      expect((await names.allTextContents()).sort()).toEqual([again.name, original.name].sort());
      const reasons = card.getByLabel('Alasan');
      for (const reason of ['NIK beda satu digit', 'Tanggal lahir sama', 'Kelurahan usaha sama']) {
        await reasons.getByText(reason, { exact: true }).waitFor();
      }
      const score = Number(
        ((await card.getByLabel('Skor kemiripan').textContent()) ?? '').replace(/^Skor\s*/, ''),
      );
      expect(score).toBeGreaterThanOrEqual(0.7);
      expect(score).toBeLessThanOrEqual(1);
      // Both businesses, one on each side; the NIKs masked with the differing digit marked.
      await card.getByText(steps.businesses.original).waitFor();
      await card.getByText(steps.businesses.again).waitFor();
      expect(await card.textContent()).not.toContain(original.nik);
      expect(await card.locator('mark').count()).toBeGreaterThan(0);
      await card.scrollIntoViewIfNeeded();
      await shot(page, viewport, 'imp-03-dedup-pair');

      if (steps.action === 'merge') {
        // Keep the record with the full name.
        const side = (await names.first().textContent()) === original.name ? 'A' : 'B';
        const keep = card.getByRole('radio', { name: `Pertahankan ${side}`, exact: true });
        await card.locator(`label[for="${await keep.getAttribute('id')}"]`).click();
        await keep.and(page.locator(':checked')).waitFor({ state: 'attached' });
        await card.getByRole('button', { name: 'Gabungkan' }).click();
        const dialog = page.getByRole('dialog', { name: 'Gabungkan data?' });
        await dialog
          .getByText(
            `Usaha milik ${again.name} (beserta pendaftaran program dan bantuannya) dipindahkan ke ${original.name}.`,
            {
              exact: false,
            },
          )
          .waitFor();
        await shot(page, viewport, 'imp-04-merge-confirm');
        await dialog.getByTestId('dedup-confirm-merge').click();
        await page.getByText(`Data digabungkan: 1 usaha dipindahkan ke ${original.name}.`).waitFor();
        await dialog.waitFor({ state: 'hidden' });
      } else {
        await card.getByRole('button', { name: 'Bukan orang yang sama' }).click();
        await page
          .getByText('Ditandai bukan orang yang sama. Pasangan ini tidak akan diusulkan lagi.')
          .waitFor();
      }
      await expect.poll(() => card.count()).toBe(0);
      await shot(page, viewport, 'imp-05-dedup-done');

      // Not just hidden on this page: the server's queue no longer holds the pair.
      const left = await allCandidates(page);
      expect(left.filter((p) => isPair(p, original.name, again.name))).toEqual([]);
      await page.reload();
      await page.getByTestId('dedup-status').waitFor();
      await expect.poll(() => card.count()).toBe(0);
    });

    if (steps.action === 'merge') {
      test('after the merge both businesses belong to the kept person', async () => {
        const { original, again } = steps.twin;
        await navigate(page, viewport, 'Data usaha');
        await page.waitForURL(/\/registry(\?.*)?$/);
        await page.getByTestId('registry-search').fill('Rizki Saputra');
        const first = page.getByRole('link', { name: steps.businesses.original, exact: true });
        const second = page.getByRole('link', { name: steps.businesses.again, exact: true });
        await first.waitFor();
        await second.waitFor();
        expect(await page.locator('main').textContent()).not.toContain(again.name);
        await shot(page, viewport, 'imp-06-registry-after-merge');

        const response = await page.request.post('/api/v1/businesses/lookup', { data: { q: original.nik } });
        expect(response.status()).toBe(200);
        const { items } = (await response.json()) as {
          items: { name: string; owner: { id: string; name: string } }[];
        };
        expect(items.map((b) => b.name).sort()).toEqual(
          [steps.businesses.again, steps.businesses.original].sort(),
        );
        expect(new Set(items.map((b) => b.owner.id)).size).toBe(1);
        expect(items.every((b) => b.owner.name === original.name)).toBe(true);
      });

      test('one click shows the import in English (issues translated), and back', async () => {
        await page.goto(importUrl);
        await page.getByRole('heading', { name: 'Impor registri' }).waitFor();
        await page.getByTestId('import-status').getByText('Selesai').waitFor();
        await chooseSegment(page, 'EN');
        await page.getByRole('heading', { name: 'Registry import' }).waitFor();
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
        await page.getByTestId('import-status').getByText('Finished').waitFor();
        expect(await stat(page, 'New')).toBe('5');
        const errors = page.getByTestId('import-errors');
        await expect.poll(() => issueRow(errors, 'The NIK must be 16 digits').count()).toBe(1);
        await expect.poll(() => issueRow(errors, 'Kelurahan not found').count()).toBe(1);
        await page
          .getByTestId('dedup-queued')
          .getByText('Possible duplicates among owners are being recomputed in the background.', {
            exact: false,
          })
          .waitFor();
        const report = page.getByRole('link', { name: 'Download the error report (XLSX)' });
        expect(await report.getAttribute('href')).toMatch(/errors\.xlsx\?lang=en$/);
        await shot(page, viewport, 'imp-07-english');
        await chooseSegment(page, 'ID');
        await page.getByRole('heading', { name: 'Impor registri' }).waitFor();
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('id');
        await expect.poll(() => issueRow(errors, 'NIK harus 16 digit angka').count()).toBe(1);
      });
    }

    test('no script errors along the way', () => {
      expect(problems, problems.join('\n')).toEqual([]);
    });
  });
}
