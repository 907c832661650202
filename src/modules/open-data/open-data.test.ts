import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../db/schema.ts';
import { createTestApp, createUser, type TestApp } from '../../testing/harness.ts';
import { seedReportProgram } from '../../testing/report-fixture.ts';

// Open data and the transparency page: figures per program and kecamatan, never a person, and
// small counts suppressed.

let t: TestApp;
let registry: { nik: string; name: string; phone: string | null; address: string | null; business: string }[];
let programId: string;

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const seeded = await seedReportProgram(t, officer.cookie, { year: 2020 });
  programId = seeded.programId;
  await seedReportProgram(t, officer.cookie, { year: 2021 });
  const all = await t.ctx.db
    .select({ nik: people.nik, name: people.name, phone: people.phone, address: people.address })
    .from(people);
  registry = [...all.map((p) => ({ ...p, business: '' })), ...seeded.owners];
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

// Every personal value of the registry (NIK, name, phone in both notations, address, business
// name), each checked against every cell.
function personalValues() {
  return registry.flatMap((p) =>
    [
      p.nik,
      p.name,
      p.phone,
      p.phone?.replace(/^\+62/, '0'),
      p.phone?.replace(/^\+/, ''),
      p.address,
      p.business,
    ].filter((v): v is string => Boolean(v)),
  );
}

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted && c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += c;
      }
      cells.push(cell);
      return cells;
    });
}

describe('open data', () => {
  it('publishes per program and kecamatan, with counts of 1 and 2 suppressed', async () => {
    const res = await get('/api/v1/open-data/programs.json?year=2020');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { suppressedBelow: number; items: Record<string, unknown>[] };
    expect(body.suppressedBelow).toBe(3);
    const rows = body.items.filter((r) => r.programId === programId);
    expect(rows.map((r) => [r.level, r.kecamatan])).toEqual([
      ['program', null],
      ['kecamatan', 'Bukit Batu'],
      ['kecamatan', 'Rakumpit'],
    ]);
    expect(rows[0]).toMatchObject({
      participants: 7,
      completed: 6,
      equipped: 3,
      aidValue: 7_500_000,
      newEntrepreneurs: 3,
    });
    expect(rows[1]).toMatchObject({
      participants: 6,
      completed: 5,
      equipped: 3,
      newEntrepreneurs: 3,
      answered: 3,
    });
    // Rakumpit: one participant, one graduate: suppressed; none equipped: 0
    expect(rows[2]).toMatchObject({ participants: null, completed: null, equipped: 0, aidValue: 0 });
    expect(body.items.every((r) => r.year === 2020)).toBe(true);
  });

  it('holds no NIK, name, phone, address or business name of anyone in the registry, in JSON or CSV', async () => {
    const json = await get('/api/v1/open-data/programs.json');
    const csv = await get('/api/v1/open-data/programs.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const jsonCells = (json.json() as { items: Record<string, unknown>[] }).items.flatMap((r) =>
      Object.values(r),
    );
    const csvRows = parseCsv(csv.body);
    expect(csvRows[0]).toContain('newEntrepreneurs');
    expect(csvRows.length - 1).toBe(jsonCells.length / csvRows[0]!.length);
    const cells = [...jsonCells.map((v) => String(v ?? '')), ...csvRows.flat()];
    const personal = personalValues();
    expect(personal.length).toBeGreaterThan(20);
    const leaks = cells.filter((cell) => personal.some((value) => cell.includes(value)));
    expect(leaks).toEqual([]);
    // and nothing shaped like a NIK or a phone number at all
    expect(cells.filter((cell) => /\d{16}|(\+62|08)\d{8,}/.test(cell))).toEqual([]);
  });

  it('describes the dataset as a CKAN package', async () => {
    const res = await get('/api/v1/open-data/package.json');
    expect(res.statusCode).toBe(200);
    const pkg = res.json();
    expect(pkg).toMatchObject({
      license_id: 'cc-by-4.0',
      organization: { name: expect.any(String), title: expect.any(String) },
      temporal_coverage: { start: '2020-01-01', end: '2021-12-31' },
      frequency: 'monthly',
    });
    expect(pkg.name).toMatch(/^[a-z0-9-_]{2,100}$/);
    expect(pkg.title.length).toBeGreaterThan(0);
    expect(pkg.notes.length).toBeGreaterThan(0);
    expect(pkg.tags.length).toBeGreaterThan(0);
    expect(pkg.resources.map((r: { format: string }) => r.format)).toEqual(['CSV', 'JSON', 'HTML']);
    for (const r of pkg.resources) expect(r.url).toMatch(/^https?:\/\/.+/);
    expect(pkg.extras).toContainEqual({ key: 'temporal_start', value: '2020-01-01' });
  });
});

describe('transparency page', () => {
  it('serves the figures as plain HTML without scripts, and suppresses small cells', async () => {
    const res = await get('/transparansi?tahun=2020');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('name="viewport"');
    expect(html).toContain('Transparansi program pemulihan UMKM');
    expect(html).toMatch(/Pelatihan Rotan Laporan \d+/);
    expect(html).toContain('Bukit Batu');
    // Rakumpit's single participant is "< 3"
    expect(html).toMatch(/Rakumpit<\/th><td class="n">&lt; 3<\/td>/);
    expect(html).toContain('Rp7.500.000');
    // the year choice is a plain GET form
    expect(html).toMatch(/<form[^>]*action="\/transparansi"[^>]*method="get"/);
    for (const value of personalValues()) expect(html).not.toContain(value);
  });

  it('speaks English when asked, and links the open data page', async () => {
    const res = await get('/transparansi?lang=en');
    expect(res.body).toContain('Transparency of the small business recovery programs');
    expect(res.body).toContain('href="/open-data?lang=en"');
    const page = await get('/open-data?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/api/v1/open-data/package.json');
    expect(page.body).not.toMatch(/<script/i);
  });
});
