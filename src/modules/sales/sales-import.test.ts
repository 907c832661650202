import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sales } from '../../db/schema.ts';
import { type BulkBusiness, bulkBusinesses } from '../../testing/bulk.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let kecamatan: TestUser;

const as = (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: user.cookie },
    ...(payload ? { payload } : {}),
  });

// An event with three participants: booths 1 and 2, and one without a booth (found by name).
async function bazaar(): Promise<{ id: string; sellers: BulkBusiness[] }> {
  const event = await as(officer, 'POST', '/events', {
    name: 'Bazar UMKM Bukit Batu',
    kind: 'bazaar',
    startDate: '2026-08-17',
    endDate: '2026-08-18',
    venue: 'Lapangan Tangkiling',
  });
  const id = event.json().id as string;
  const stamp = id.slice(0, 6);
  const sellers = await bulkBusinesses(t.ctx.db, 3, {
    regionCodes: ['62.71.02.1004'],
    businessName: (i) => [`Anyaman Rotan ${stamp}`, `Kue Bingka ${stamp}`, `Madu Kelulut ${stamp}`][i] ?? 'x',
  });
  const booths = ['1', '2', null];
  for (const [i, s] of sellers.entries()) {
    const res = await as(officer, 'POST', `/events/${id}/participants`, {
      businessId: s.id,
      booth: booths[i],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return { id, sellers };
}

function upload(user: TestUser, eventId: string, file: Buffer, fileName: string, dryRun = false) {
  const boundary = `----pulih${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/events/${eventId}/sales/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Kas');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const salesOf = (eventId: string) => t.ctx.db.select().from(sales).where(eq(sales.eventId, eventId));

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});
afterAll(async () => t?.close());

describe('importing an event’s cash book', () => {
  it('records every row of a good CSV (semicolons, rupiah with dots, booth or name)', async () => {
    const { id, sellers } = await bazaar();
    const csv = [
      'Tanggal;Stan;Nama Usaha;Jumlah;Catatan',
      '17/08/2026;1;;Rp 150.000;tas kecil',
      '2026-08-17;2;;45000;',
      '2026-08-18;;MADU KELULUT ' + id.slice(0, 6) + ';1.200.000;grosir',
      '',
    ].join('\r\n');
    const res = await upload(officer, id, Buffer.from(csv), 'kas-bazar.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 3, inserted: 3, rejected: 0, total: 1395000, errors: [] });
    const stored = await salesOf(id);
    expect(stored).toHaveLength(3);
    expect(stored.every((s) => s.source === 'import' && s.channel === 'acara')).toBe(true);
    const third = stored.find((s) => s.amount === 1200000);
    expect(third).toMatchObject({ businessId: sellers[2]?.id, date: '2026-08-18', note: 'grosir' });
    const totals = await as(officer, 'GET', `/events/${id}/sales`);
    expect(totals.json()).toMatchObject({ total: 1395000, count: 3 });
  });

  it('records a good XLSX with dates and numbers as cells', async () => {
    const { id } = await bazaar();
    const file = await xlsx([
      ['tanggal', 'stan', 'jumlah', 'saluran'],
      [new Date(Date.UTC(2026, 7, 18)), 1, 80000, 'acara'],
      [new Date(Date.UTC(2026, 7, 18)), '2', 20000, 'langsung'],
    ]);
    const res = await upload(officer, id, file, 'kas.xlsx');
    expect(res.json()).toMatchObject({ rows: 2, inserted: 2, total: 100000 });
    expect((await salesOf(id)).map((s) => s.channel).sort()).toEqual(['acara', 'langsung']);
  });

  it('records nothing when any row is wrong, and names every wrong row and column', async () => {
    const { id } = await bazaar();
    const csv = [
      'tanggal,stan,jumlah',
      '2026-08-17,1,150000',
      '2026-08-20,2,45000',
      '2026-08-17,9,10000',
      '2026-08-17,1,-5',
      ',2,1000',
    ].join('\n');
    const res = await upload(officer, id, Buffer.from(csv), 'kas.csv');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rows: 5, inserted: 0, rejected: 4 });
    expect(res.json().errors).toEqual([
      expect.objectContaining({ row: 3, column: 'tanggal', code: 'date_outside_event' }),
      expect.objectContaining({ row: 4, column: 'stan', code: 'booth_unknown' }),
      expect.objectContaining({ row: 5, column: 'jumlah', code: 'number_invalid' }),
      expect.objectContaining({ row: 6, column: 'tanggal', code: 'required' }),
    ]);
    expect(await salesOf(id)).toEqual([]);
  });

  it('refuses a file without the required columns, and records nothing on a dry run', async () => {
    const { id } = await bazaar();
    const noAmount = await upload(officer, id, Buffer.from('tanggal,stan\n2026-08-17,1\n'), 'kas.csv');
    expect(noAmount.json()).toMatchObject({
      inserted: 0,
      errors: [expect.objectContaining({ code: 'header_missing' })],
    });
    const dry = await upload(
      officer,
      id,
      Buffer.from('tanggal,stan,jumlah\n2026-08-17,1,5000\n'),
      'kas.csv',
      true,
    );
    expect(dry.json()).toMatchObject({ rows: 1, inserted: 0, dryRun: true, total: 5000, errors: [] });
    expect(await salesOf(id)).toEqual([]);
    const xls = await upload(officer, id, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'kas.xls');
    expect(xls.statusCode).toBe(422);
  });

  it('is for the offices that run events', async () => {
    const { id } = await bazaar();
    const res = await upload(
      kecamatan,
      id,
      Buffer.from('tanggal,stan,jumlah\n2026-08-17,1,5000\n'),
      'kas.csv',
    );
    expect(res.statusCode).toBe(403);
    expect(await salesOf(id)).toEqual([]);
  });
});
