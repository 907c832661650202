import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGraduates, programWithGraduates } from '../../testing/graduates.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import { pdfPages } from '../../testing/pdf.ts';

let t: TestApp;
let dinas: TestUser;
let otherSopd: TestUser;

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
const api = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Res> =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
function sheetOf(book: ExcelJS.Workbook, name: string) {
  const sheet = book.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}
const codeOf = (res: Res) => (res.json() as { error: { code: string } }).error.code;

function drawnSignature() {
  const png = new PNG({ width: 60, height: 20 });
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = i % 12 === 0 ? 255 : 0;
  return { contentType: 'image/png', dataBase64: PNG.sync.write(png).toString('base64') };
}

let counter = 0;
// An SOPD of its own (BAST numbers count per SOPD), three stock lines, a class of `graduates`,
// and each line allocated to the whole class.
async function setUp(graduates = 2, regionCodes?: string[]) {
  const sopd = await createUser(t, 'sopd_officer');
  const { programId, businessIds } = await programWithGraduates(t, dinas.cookie, graduates, regionCodes);
  const items = [
    {
      item: `Pisau raut ${++counter}`,
      unitValue: 75_000,
      quantity: 5,
      source: 'APBD',
      dpaCode: '2.17.02.1.01.0015',
    },
    { item: `Mesin serut ${++counter}`, unitValue: 1_250_000, quantity: 5, source: 'DAK' },
    { item: `Pewarna ${++counter}`, unitValue: 40_000, quantity: 5, source: 'APBN' },
  ];
  const stockIds: string[] = [];
  for (const item of items) {
    const res = await api(sopd.cookie, 'POST', '/aid/stock', {
      budgetYear: 2021,
      unit: 'buah',
      spec: 'Standar',
      ...item,
    });
    expect(res.statusCode, res.body).toBe(201);
    stockIds.push(res.json().id);
    const bulk = await api(sopd.cookie, 'POST', '/aid/allocations/bulk', {
      stockId: res.json().id,
      programId,
    });
    expect(bulk.json().allocated, bulk.body).toBe(graduates);
  }
  const allocationsOf = async (businessId: string) =>
    (
      (await api(sopd.cookie, 'GET', `/aid/allocations?businessId=${businessId}&limit=50`)).json()
        .items as Array<{
        id: string;
        stock: { id: string };
      }>
    )
      .sort((a, b) => stockIds.indexOf(a.stock.id) - stockIds.indexOf(b.stock.id))
      .map((a) => a.id);
  return { sopd, programId, businessIds, stockIds, items, allocationsOf };
}

const stockOf = async (cookie: string, id: string) =>
  (await api(cookie, 'GET', `/aid/stock/${id}`)).json() as { allocated: number; remaining: number };

async function handOver(cookie: string, allocationIds: string[], extra: Record<string, unknown> = {}) {
  const res = await api(cookie, 'POST', '/aid/handovers', {
    allocationIds,
    handedOverAt: '2021-09-01',
    place: 'Balai Kelurahan Kalampangan',
    recipientSignature: drawnSignature(),
    officerSignature: drawnSignature(),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string; allocationIds: string[]; signed: unknown };
}

beforeAll(async () => {
  t = await createTestApp();
  dinas = await createUser(t, 'program_officer');
  otherSopd = await createUser(t, 'sopd_officer');
});
afterAll(async () => t?.close());

describe('handover of several items on one BAST', () => {
  it('lists every item with its source, value and the drawn signatures', async () => {
    const { sopd, businessIds, items, allocationsOf } = await setUp(1);
    const allocationIds = await allocationsOf(businessIds[0] ?? '');
    const handover = await handOver(sopd.cookie, allocationIds, {
      location: { latitude: -2.2161, longitude: 113.9135 },
      legalBasis: 'Keputusan Kepala Dinas Nomor 500/12/2021',
    });
    expect(handover.allocationIds).toEqual(allocationIds);
    expect(handover.signed).toEqual({ recipient: true, officer: true });
    const pdf = await api(sopd.cookie, 'GET', `/aid/handovers/${handover.id}/bast.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfPages(pdf.rawPayload)).join(' ');
    expect(text).toContain(handover.number);
    for (const item of items) expect(text).toContain(item.item);
    expect(text).toContain('2.17.02.1.01.0015');
    expect(text).toContain('DAK');
    expect(text).toContain('TA 2021');
    expect(text).toContain('1.365.000'); // 75.000 + 1.250.000 + 40.000
    expect(text).toContain('-2.216100, 113.913500');
    // both drawn signatures are embedded as images
    expect(pdf.rawPayload.toString('latin1').match(/\/Subtype \/Image/g)?.length ?? 0).toBeGreaterThanOrEqual(
      2,
    );
    const allocations = await api(sopd.cookie, 'GET', `/aid/allocations?businessId=${businessIds[0]}`);
    expect(
      allocations
        .json()
        .items.every(
          (a: { status: string; handover: { number: string } }) =>
            a.status === 'handed_over' && a.handover.number === handover.number,
        ),
    ).toBe(true);
  });

  it('records a resent handover once', async () => {
    const { sopd, businessIds, allocationsOf } = await setUp(1);
    const allocationIds = await allocationsOf(businessIds[0] ?? '');
    const body = {
      allocationIds,
      handedOverAt: '2021-09-01',
      place: 'Balai Kelurahan Kalampangan',
      clientKey: `phone-${++counter}-abcdef`,
    };
    const [first, second] = await Promise.all([
      api(sopd.cookie, 'POST', '/aid/handovers', body),
      api(sopd.cookie, 'POST', '/aid/handovers', body),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    expect(first.json().id).toBe(second.json().id);
    const third = await api(sopd.cookie, 'POST', '/aid/handovers', body);
    expect(third.statusCode).toBe(200);
    expect(third.json().id).toBe(first.json().id);
    const list = await api(sopd.cookie, 'GET', `/aid/handovers?businessId=${businessIds[0]}`);
    expect(list.json().items).toHaveLength(1);
  });

  it('refuses items of two businesses on one BAST, and another SOPD’s items', async () => {
    const { sopd, businessIds, allocationsOf } = await setUp(2);
    const mine = await allocationsOf(businessIds[0] ?? '');
    const theirs = await allocationsOf(businessIds[1] ?? '');
    const mixed = await api(sopd.cookie, 'POST', '/aid/handovers', {
      allocationIds: [mine[0], theirs[0]],
      handedOverAt: '2021-09-01',
      place: 'Balai',
    });
    expect(mixed.statusCode).toBe(409);
    expect(codeOf(mixed)).toBe('handover_mixed');
    const foreign = await api(otherSopd.cookie, 'POST', '/aid/handovers', {
      allocationIds: mine,
      handedOverAt: '2021-09-01',
      place: 'Balai',
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('returns, write-offs and reallocation', () => {
  it('puts a returned item back in stock exactly once, also when asked twice at once', async () => {
    const { sopd, businessIds, stockIds, allocationsOf } = await setUp(1);
    const allocationIds = await allocationsOf(businessIds[0] ?? '');
    const handover = await handOver(sopd.cookie, allocationIds);
    expect(await stockOf(sopd.cookie, stockIds[0] ?? '')).toMatchObject({ allocated: 1 });
    const body = { allocationId: allocationIds[0], reason: 'Usaha berhenti', condition: 'baik' };
    const [a, b] = await Promise.all([
      api(sopd.cookie, 'POST', `/aid/handovers/${handover.id}/returns`, body),
      api(sopd.cookie, 'POST', `/aid/handovers/${handover.id}/returns`, body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const made = (a.statusCode === 201 ? a : b).json();
    expect(made).toMatchObject({
      kind: 'return',
      bastNumber: handover.number,
      number: `${handover.number}/PENGEMBALIAN/1`,
    });
    const again = await api(sopd.cookie, 'POST', `/aid/handovers/${handover.id}/returns`, body);
    expect(codeOf(again)).toBe('already_returned');
    expect(await stockOf(sopd.cookie, stockIds[0] ?? '')).toMatchObject({ allocated: 0, remaining: 5 });
  });

  it('writes off a lost item without putting it back in stock', async () => {
    const { sopd, businessIds, stockIds, allocationsOf } = await setUp(1);
    const allocationIds = await allocationsOf(businessIds[0] ?? '');
    const handover = await handOver(sopd.cookie, allocationIds);
    const res = await api(sopd.cookie, 'POST', `/aid/handovers/${handover.id}/returns`, {
      allocationId: allocationIds[1],
      reason: 'Hilang karena banjir',
      condition: 'hilang',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'write_off', number: `${handover.number}/PENGHAPUSAN/1` });
    expect(await stockOf(sopd.cookie, stockIds[1] ?? '')).toMatchObject({ allocated: 1, remaining: 4 });
    const reallocate = await api(sopd.cookie, 'POST', `/aid/returns/${res.json().id}/reallocate`, {
      businessId: businessIds[0],
    });
    expect(codeOf(reallocate)).toBe('not_returned');
  });

  it('gives a returned item to another graduate once, with its own number', async () => {
    const { sopd, programId, businessIds, stockIds, allocationsOf } = await setUp(1);
    const other = await programWithGraduates(t, dinas.cookie, 1);
    const allocationIds = await allocationsOf(businessIds[0] ?? '');
    const handover = await handOver(sopd.cookie, allocationIds);
    const ret = await api(sopd.cookie, 'POST', `/aid/handovers/${handover.id}/returns`, {
      allocationId: allocationIds[0],
      reason: 'Tidak dipakai',
      condition: 'rusak_ringan',
    });
    expect(ret.statusCode, ret.body).toBe(201);
    // not a graduate of the program the item was given under
    const stranger = await api(sopd.cookie, 'POST', `/aid/returns/${ret.json().id}/reallocate`, {
      businessId: other.businessIds[0],
    });
    expect(codeOf(stranger)).toBe('not_a_graduate');
    const [classmate] = await addGraduates(t, programId, 1);
    const moved = await api(sopd.cookie, 'POST', `/aid/returns/${ret.json().id}/reallocate`, {
      businessId: classmate,
    });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json().number).toBe(`${handover.number}/REALOKASI/1`);
    const twice = await api(sopd.cookie, 'POST', `/aid/returns/${ret.json().id}/reallocate`, {
      businessId: classmate,
    });
    expect(codeOf(twice)).toBe('already_reallocated');
    expect(await stockOf(sopd.cookie, stockIds[0] ?? '')).toMatchObject({ allocated: 1 });
    const listed = await api(sopd.cookie, 'GET', `/aid/handovers/${handover.id}/returns`);
    expect(listed.json().items).toMatchObject([
      { reallocation: { number: `${handover.number}/REALOKASI/1` } },
    ]);
  });
});

describe('monitoring visits and the rekap', () => {
  it('lists visits per handover and business, and the rekap adds up', async () => {
    const { sopd, businessIds, items, allocationsOf } = await setUp(2, ['62.71.02.1004', '62.71.01.1001']);
    const first = await allocationsOf(businessIds[0] ?? '');
    const second = await allocationsOf(businessIds[1] ?? '');
    const h1 = await handOver(sopd.cookie, first);
    const h2 = await handOver(sopd.cookie, second.slice(0, 2));
    const visit = await api(sopd.cookie, 'POST', `/aid/handovers/${h1.id}/visits`, {
      visitedAt: '2021-12-01',
      inUse: true,
      condition: 'baik',
      note: 'Dipakai setiap hari',
      allocationId: first[1],
    });
    expect(visit.statusCode, visit.body).toBe(201);
    const visits = await api(sopd.cookie, 'GET', `/aid/visits?businessId=${businessIds[0]}`);
    expect(visits.json().items).toMatchObject([{ handoverId: h1.id, bastNumber: h1.number, inUse: true }]);
    expect((await api(sopd.cookie, 'GET', `/aid/visits?handoverId=${h2.id}`)).json().items).toHaveLength(0);
    expect((await api(otherSopd.cookie, 'GET', `/aid/visits?handoverId=${h1.id}`)).json().items).toHaveLength(
      0,
    );

    const written = await api(sopd.cookie, 'POST', `/aid/handovers/${h2.id}/returns`, {
      allocationId: second[0],
      reason: 'Rusak berat',
      condition: 'rusak_berat',
    });
    expect(written.statusCode, written.body).toBe(201);

    const xlsx = await api(sopd.cookie, 'GET', '/aid/rekap.xlsx?budgetYear=2021');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = sheetOf(book, 'Barang');
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    const byItem = new Map(rows.map((r) => [r[1], r]));
    // columns: 1 item … 9 handed over, 10 returned, 11 written off, 13 value
    expect(byItem.get(items[0]?.item)?.[9]).toBe(2);
    expect(byItem.get(items[0]?.item)?.[11]).toBe(1);
    expect(byItem.get(items[2]?.item)?.[9]).toBe(1);
    const total = byItem.get('JUMLAH') ?? [];
    expect(total[9]).toBe(5);
    expect(total[11]).toBe(1);
    // 2 × 75.000 + 1.250.000×2 + 40.000 minus the written-off knife
    expect(total[13]).toBe(75_000 + 2 * 1_250_000 + 40_000);
    const kec = sheetOf(book, 'Per kecamatan').getSheetValues().slice(2) as unknown[][];
    expect(kec).toHaveLength(3);
    expect(kec.at(-1)).toEqual(expect.arrayContaining(['JUMLAH', 2, 4]));
    const ret = sheetOf(book, 'Pengembalian').getSheetValues().slice(2) as unknown[][];
    expect(ret[0]?.[1]).toBe(`${h2.number}/PENGHAPUSAN/1`);

    const pdf = await api(sopd.cookie, 'GET', '/aid/rekap.pdf?budgetYear=2021');
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfPages(pdf.rawPayload)).join(' ');
    expect(text).toContain('REKAP PENYALURAN BANTUAN');
    expect(text).toContain(items[1]?.item);
    expect(text).toContain(`${h2.number}/PENGHAPUSAN/1`);
    expect(text).toContain('2.615.000');

    const foreign = await api(
      otherSopd.cookie,
      'GET',
      `/aid/rekap.xlsx?budgetYear=2021&organisationId=${sopd.organisationId}`,
    );
    expect(foreign.statusCode).toBe(404);
  });
});
