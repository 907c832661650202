import { eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, users } from '../../db/schema.ts';
import {
  businessBody,
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

let t: TestApp;
let admin: TestUser;
let dinas: TestUser;
let sopd: TestUser;
let otherSopd: TestUser;
let kecamatan: TestUser;

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

const api = (
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
): Promise<Res> =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const codeOf = (res: Res) => (res.json() as { error: { code: string } }).error.code;

let itemCounter = 0;
async function createStock(cookie: string, overrides: Record<string, unknown> = {}) {
  const res = await api(cookie, 'POST', '/aid/stock', {
    budgetYear: 2020,
    item: `Mesin jahit ${++itemCounter}`,
    spec: 'Singer 4423 Heavy Duty',
    unit: 'unit',
    unitValue: 3_500_000,
    quantity: 10,
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; item: string; quantity: number; allocated: number; remaining: number };
}

async function allocate(
  cookie: string,
  stockId: string,
  businessId: string,
  extra: Record<string, unknown> = {},
) {
  return api(cookie, 'POST', '/aid/allocations', { stockId, businessId, quantity: 1, ...extra });
}

async function allocated(cookie: string, stockId: string, businessId: string) {
  const res = await allocate(cookie, stockId, businessId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

const newBusiness = () => createBusiness(t, dinas.cookie);

function smallPng() {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 200;
    png.data[i + 1] = 120;
    png.data[i + 2] = 40;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

async function pdfText(data: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return { pages: pdf.numPages, text: pages.join('\n') };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, 'admin');
  dinas = await createUser(t, 'program_officer');
  sopd = await createUser(t, 'sopd_officer');
  otherSopd = await createUser(t, 'sopd_officer');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
});

// BAST numbers count per SOPD and year, so an `it` that asserts them hands over as an SOPD of
// its own, whose numbers no other `it` has taken. The number carries the SOPD's organisation
// code; the BAST prints the giver's NIP and position, which come from the user record.
async function sopdOfItsOwn() {
  const user = await createUser(t, 'sopd_officer');
  await t.ctx.db
    .update(users)
    .set({ displayName: 'Drs. Yusuf Pratama', nip: '197001012000031001', position: 'Kepala Bidang Industri' })
    .where(eq(users.id, user.id));
  const [org] = await t.ctx.db
    .select({ code: organisations.code })
    .from(organisations)
    .where(eq(organisations.id, user.organisationId ?? ''));
  return { giver: user, sopdCode: org?.code ?? '' };
}
afterAll(async () => t?.close());

describe('aid stock and allocations', () => {
  it('lets an SOPD officer record stock and allocate it to a business', async () => {
    const stock = await createStock(sopd.cookie);
    expect(stock).toMatchObject({ quantity: 10, allocated: 0, remaining: 10 });
    const same = await api(sopd.cookie, 'POST', '/aid/stock', {
      budgetYear: 2020,
      item: stock.item,
      unit: 'unit',
      unitValue: 1,
      quantity: 1,
    });
    expect(same.statusCode).toBe(409);
    expect(codeOf(same)).toBe('conflict');
    const business = await newBusiness();

    const res = await allocate(sopd.cookie, stock.id, business.id, { quantity: 2 });
    expect(res.statusCode, res.body).toBe(201);
    const allocation = res.json();
    expect(allocation.status).toBe('planned');
    expect(allocation.sopd.id).toBe(sopd.organisationId);
    expect(allocation.business.kecamatanName).toBe('Bukit Batu');
    expect(allocation.business.ownerNik).toMatch(/^\d{4}\*+\d{4}$/);
    expect(allocation.handover).toBeNull();

    const after = await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`);
    expect(after.json()).toMatchObject({ allocated: 2, remaining: 8 });

    const list = await api(sopd.cookie, 'GET', `/aid/allocations?businessId=${business.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([allocation.id]);
    expect(list.json().nextCursor).toBeNull();

    // The business detail lists its aid through listAidOfBusiness.
    const detail = await api(dinas.cookie, 'GET', `/businesses/${business.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().aid).toEqual([
      expect.objectContaining({
        id: allocation.id,
        quantity: 2,
        status: 'planned',
        item: expect.any(String),
      }),
    ]);

    const audit = await api(admin.cookie, 'GET', `/audit?entity=aid_allocation&entityId=${allocation.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['create']);
  });

  it('keeps one SOPD out of another SOPD’s stock and allocations', async () => {
    const stock = await createStock(sopd.cookie);
    const business = await newBusiness();
    const allocation = await allocated(sopd.cookie, stock.id, business.id);

    const list = await api(otherSopd.cookie, 'GET', '/aid/stock');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((s: { id: string }) => s.id)).not.toContain(stock.id);
    expect((await api(otherSopd.cookie, 'GET', `/aid/stock/${stock.id}`)).statusCode).toBe(404);
    expect(
      (await api(otherSopd.cookie, 'PATCH', `/aid/stock/${stock.id}`, { quantity: 50 })).statusCode,
    ).toBe(404);

    const other = await newBusiness();
    const stolen = await allocate(otherSopd.cookie, stock.id, other.id);
    expect(stolen.statusCode).toBe(404);
    expect((await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`)).json().allocated).toBe(1);

    const allocations = await api(otherSopd.cookie, 'GET', '/aid/allocations');
    expect(allocations.json().items.map((a: { id: string }) => a.id)).not.toContain(allocation.id);
    expect((await api(otherSopd.cookie, 'GET', `/aid/allocations/${allocation.id}`)).statusCode).toBe(404);
    const cancel = await api(otherSopd.cookie, 'POST', `/aid/allocations/${allocation.id}/cancel`);
    expect(cancel.statusCode).toBe(404);
    const handover = await api(otherSopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-01',
    });
    expect(handover.statusCode).toBe(404);

    const foreign = await api(otherSopd.cookie, 'POST', '/aid/stock', {
      budgetYear: 2020,
      item: 'Gergaji',
      unit: 'buah',
      unitValue: 100_000,
      quantity: 5,
      organisationId: sopd.organisationId,
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('lets the program officer read but not write, and keeps owners and kecamatan officers out', async () => {
    const stock = await createStock(sopd.cookie);
    const business = await newBusiness();
    await allocated(sopd.cookie, stock.id, business.id);

    const read = await api(dinas.cookie, 'GET', '/aid/stock');
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((s: { id: string }) => s.id)).toContain(stock.id);
    expect(
      (await api(dinas.cookie, 'GET', `/aid/allocations?businessId=${business.id}`)).json().items,
    ).toHaveLength(1);

    const write = await api(dinas.cookie, 'POST', '/aid/stock', {
      budgetYear: 2020,
      item: 'Bor listrik',
      unit: 'unit',
      unitValue: 750_000,
      quantity: 3,
    });
    expect(write.statusCode).toBe(403);
    expect(codeOf(write)).toBe('forbidden');
    const other = await newBusiness();
    expect((await allocate(dinas.cookie, stock.id, other.id)).statusCode).toBe(403);
    expect((await api(dinas.cookie, 'PATCH', `/aid/stock/${stock.id}`, { quantity: 20 })).statusCode).toBe(
      403,
    );

    const owner = await createUser(t, 'owner', { personId: business.owner.id });
    expect((await api(owner.cookie, 'GET', '/aid/stock')).statusCode).toBe(403);
    expect((await api(owner.cookie, 'GET', '/aid/allocations')).statusCode).toBe(403);
    expect((await api(kecamatan.cookie, 'GET', '/aid/stock')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/aid/stock' })).statusCode).toBe(401);
  });

  it('lets the admin record stock for a named SOPD only', async () => {
    const unnamed = await api(admin.cookie, 'POST', '/aid/stock', {
      budgetYear: 2021,
      item: 'Kompor gas',
      unit: 'unit',
      unitValue: 400_000,
      quantity: 4,
    });
    expect(unnamed.statusCode).toBe(400);
    expect(codeOf(unnamed)).toBe('validation_failed');
    const named = await createStock(admin.cookie, { organisationId: otherSopd.organisationId });
    const seen = await api(otherSopd.cookie, 'GET', `/aid/stock/${named.id}`);
    expect(seen.statusCode).toBe(200);
    const missing = await api(admin.cookie, 'POST', '/aid/stock', {
      budgetYear: 2021,
      item: 'Kompor gas',
      unit: 'unit',
      unitValue: 400_000,
      quantity: 4,
      organisationId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('answers 400 validation_failed for bad bodies', async () => {
    const stock = await api(sopd.cookie, 'POST', '/aid/stock', {
      budgetYear: 20,
      item: '',
      unit: 'unit',
      quantity: -1,
    });
    expect(stock.statusCode).toBe(400);
    expect(codeOf(stock)).toBe('validation_failed');
    const allocation = await api(sopd.cookie, 'POST', '/aid/allocations', {
      stockId: 'not-a-uuid',
      businessId: '00000000-0000-4000-8000-000000000000',
      quantity: 0,
    });
    expect(allocation.statusCode).toBe(400);
    expect(codeOf(allocation)).toBe('validation_failed');
    const handover = await api(
      sopd.cookie,
      'POST',
      '/aid/allocations/00000000-0000-4000-8000-000000000000/handover',
      {
        handedOverAt: '24/08/2020',
      },
    );
    expect(handover.statusCode).toBe(400);
    expect(codeOf(handover)).toBe('validation_failed');
  });

  it('never lets stock go negative, even under 60 concurrent allocations', async () => {
    const stock = await createStock(sopd.cookie, { quantity: 10 });
    const businesses: string[] = [];
    for (let i = 0; i < 60; i++) businesses.push((await newBusiness()).id);

    const results = await Promise.all(businesses.map((id) => allocate(sopd.cookie, stock.id, id)));
    const created = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(50);
    expect(refused.every((r) => codeOf(r) === 'stock_insufficient')).toBe(true);

    const after = await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`);
    expect(after.json()).toMatchObject({ quantity: 10, allocated: 10, remaining: 0 });
    const list = await api(sopd.cookie, 'GET', `/aid/allocations?stockId=${stock.id}&limit=7`);
    const next = await api(
      sopd.cookie,
      'GET',
      `/aid/allocations?stockId=${stock.id}&limit=7&cursor=${list.json().nextCursor}`,
    );
    const ids = [...list.json().items, ...next.json().items].map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(10);
    expect(next.json().nextCursor).toBeNull();

    // Quantity may not drop below what is allocated; it may grow.
    const shrink = await api(sopd.cookie, 'PATCH', `/aid/stock/${stock.id}`, { quantity: 9 });
    expect(shrink.statusCode).toBe(409);
    expect(codeOf(shrink)).toBe('stock_insufficient');
    const grow = await api(sopd.cookie, 'PATCH', `/aid/stock/${stock.id}`, {
      quantity: 12,
      spec: 'Singer 4432',
    });
    expect(grow.statusCode, grow.body).toBe(200);
    expect(grow.json()).toMatchObject({ quantity: 12, allocated: 10, remaining: 2, spec: 'Singer 4432' });
  });

  it('refuses one item twice to the same business, and more than remains', async () => {
    const stock = await createStock(sopd.cookie, { quantity: 3 });
    const business = await newBusiness();
    await allocated(sopd.cookie, stock.id, business.id);
    const twice = await allocate(sopd.cookie, stock.id, business.id);
    expect(twice.statusCode).toBe(409);
    expect(codeOf(twice)).toBe('already_allocated');
    const tooMany = await allocate(sopd.cookie, stock.id, (await newBusiness()).id, { quantity: 3 });
    expect(tooMany.statusCode).toBe(409);
    expect(codeOf(tooMany)).toBe('stock_insufficient');
    expect((await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`)).json().allocated).toBe(1);
  });

  it('returns the quantity to stock when a planned allocation is cancelled', async () => {
    const stock = await createStock(sopd.cookie, { quantity: 5 });
    const business = await newBusiness();
    const res = await allocate(sopd.cookie, stock.id, business.id, { quantity: 3 });
    const allocation = res.json();
    expect((await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`)).json().remaining).toBe(2);

    const cancel = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect((await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`)).json()).toMatchObject({
      allocated: 0,
      remaining: 5,
    });

    const again = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/cancel`);
    expect(codeOf(again)).toBe('allocation_cancelled');
    const handover = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-01',
    });
    expect(codeOf(handover)).toBe('allocation_cancelled');
    // A cancelled allocation no longer blocks the item for that business.
    expect((await allocate(sopd.cookie, stock.id, business.id)).statusCode).toBe(201);
  });
});

describe('handover (BAST)', () => {
  it('records the handover with a photo and prints the BAST with the full NIK, logged as an export', async () => {
    const { giver, sopdCode } = await sopdOfItsOwn();
    const stock = await createStock(giver.cookie, { item: 'Mesin pembelah rotan', unitValue: 4_250_000 });
    const body = {
      ...businessBody({ name: 'Anyaman Rotan Ibu Siti' }),
      owner: {} as Record<string, unknown>,
    };
    body.owner = { ...businessBody().owner, name: 'Siti Aminah', address: 'Jl. Tjilik Riwut Km 34 No. 7' };
    const created = await api(dinas.cookie, 'POST', '/businesses', body);
    expect(created.statusCode, created.body).toBe(201);
    const business = created.json() as { id: string; owner: { id: string } };
    const nik = body.owner.nik as string;
    const allocation = await allocated(giver.cookie, stock.id, business.id);

    const photo = smallPng();
    const res = await api(giver.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-08-24',
      place: 'Aula Kecamatan Bukit Batu',
      legalBasis: 'Keputusan Kepala Dinas Nomor 510/123/DPKUKMP/2020',
      photo: { contentType: 'image/png', dataBase64: photo.toString('base64') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const handover = res.json();
    expect(handover.number).toBe(`BAST/${sopdCode}/2020/0001`);
    expect(handover).toMatchObject({
      condition: 'baik',
      photoType: 'image/png',
      giver: { name: 'Drs. Yusuf Pratama', nip: '197001012000031001', position: 'Kepala Bidang Industri' },
    });
    const state = await api(giver.cookie, 'GET', `/aid/allocations/${allocation.id}`);
    expect(state.json().status).toBe('handed_over');
    expect(state.json().handover).toMatchObject({
      id: handover.id,
      number: handover.number,
      handedOverAt: '2020-08-24',
    });

    const twice = await api(giver.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-08-25',
    });
    expect(twice.statusCode).toBe(409);
    expect(codeOf(twice)).toBe('already_handed_over');
    expect(codeOf(await api(giver.cookie, 'POST', `/aid/allocations/${allocation.id}/cancel`))).toBe(
      'already_handed_over',
    );

    const pdf = await api(dinas.cookie, 'GET', `/aid/handovers/${handover.id}/bast.pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { pages, text } = await pdfText(pdf.rawPayload);
    expect(pages).toBe(2);
    expect(text).toContain('BERITA ACARA SERAH TERIMA BARANG');
    expect(text).toContain(handover.number);
    expect(text).toContain('PIHAK PERTAMA');
    expect(text).toContain('PIHAK KEDUA');
    expect(text).toContain(nik);
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('197001012000031001');
    expect(text).toContain('Pada hari ini Senin, tanggal 24 bulan Agustus tahun 2020');
    expect(text).toContain('4.250.000');
    expect(text).toContain('Mengetahui');

    const log = await api(admin.cookie, 'GET', '/audit/personal-data?limit=20');
    expect(log.json().items).toContainEqual(
      expect.objectContaining({
        kind: 'export',
        subject: `person:${business.owner.id}`,
        actor: dinas.username,
      }),
    );

    const image = await api(giver.cookie, 'GET', `/aid/handovers/${handover.id}/photo`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(photo)).toBe(true);

    expect((await api(otherSopd.cookie, 'GET', `/aid/handovers/${handover.id}/bast.pdf`)).statusCode).toBe(
      404,
    );
    expect((await api(kecamatan.cookie, 'GET', `/aid/handovers/${handover.id}/bast.pdf`)).statusCode).toBe(
      403,
    );
  });

  it('numbers concurrent handovers of one SOPD without gaps or clashes', async () => {
    const { giver, sopdCode } = await sopdOfItsOwn();
    const stock = await createStock(giver.cookie, { budgetYear: 2021 });
    const allocations = [];
    for (let i = 0; i < 5; i++)
      allocations.push(await allocated(giver.cookie, stock.id, (await newBusiness()).id));
    const results = await Promise.all(
      allocations.map((a) =>
        api(giver.cookie, 'POST', `/aid/allocations/${a.id}/handover`, { handedOverAt: '2021-03-01' }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = results.map((r) => r.json().number as string).sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => `BAST/${sopdCode}/2021/000${n}`));

    // Without a photo the BAST has one page.
    const pdf = await api(giver.cookie, 'GET', `/aid/handovers/${results[0]?.json().id}/bast.pdf`);
    expect((await pdfText(pdf.rawPayload)).pages).toBe(1);
    expect((await api(giver.cookie, 'GET', `/aid/handovers/${results[0]?.json().id}/photo`)).statusCode).toBe(
      404,
    );
  });

  it('refuses photos that are too large or not what they claim', async () => {
    const stock = await createStock(sopd.cookie);
    const allocation = await allocated(sopd.cookie, stock.id, (await newBusiness()).id);
    const big = Buffer.alloc(3 * 1024 * 1024 + 1);
    smallPng().copy(big);
    const tooLarge = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-01',
      photo: { contentType: 'image/png', dataBase64: big.toString('base64') },
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(codeOf(tooLarge)).toBe('photo_too_large');
    const mislabelled = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-01',
      photo: { contentType: 'image/jpeg', dataBase64: smallPng().toString('base64') },
    });
    expect(mislabelled.statusCode).toBe(415);
    expect((await api(sopd.cookie, 'GET', `/aid/allocations/${allocation.id}`)).json().status).toBe(
      'planned',
    );

    const webp = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.alloc(4),
      Buffer.from('WEBPVP8 '),
      Buffer.alloc(16),
    ]);
    const withWebp = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-01',
      photo: { contentType: 'image/webp', dataBase64: webp.toString('base64') },
    });
    expect(withWebp.statusCode, withWebp.body).toBe(201);
    const pdf = await api(sopd.cookie, 'GET', `/aid/handovers/${withWebp.json().id}/bast.pdf`);
    const { pages, text } = await pdfText(pdf.rawPayload);
    expect(pages).toBe(2);
    expect(text).toContain('WebP');
  });

  it('lets the SOPD or the business owner confirm receipt after the handover', async () => {
    const stock = await createStock(sopd.cookie);
    const business = await newBusiness();
    const allocation = await allocated(sopd.cookie, stock.id, business.id);
    const owner = await createUser(t, 'owner', { personId: business.owner.id });
    const stranger = await createUser(t, 'owner', { personId: (await newBusiness()).owner.id });

    const early = await api(owner.cookie, 'POST', `/aid/allocations/${allocation.id}/received`);
    expect(early.statusCode).toBe(409);
    expect(codeOf(early)).toBe('not_handed_over');
    await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/handover`, {
      handedOverAt: '2020-09-02',
    });

    expect(
      (await api(stranger.cookie, 'POST', `/aid/allocations/${allocation.id}/received`)).statusCode,
    ).toBe(404);
    expect((await api(dinas.cookie, 'POST', `/aid/allocations/${allocation.id}/received`)).statusCode).toBe(
      403,
    );
    expect(
      (await api(otherSopd.cookie, 'POST', `/aid/allocations/${allocation.id}/received`)).statusCode,
    ).toBe(404);
    const received = await api(owner.cookie, 'POST', `/aid/allocations/${allocation.id}/received`);
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().status).toBe('received');
    const again = await api(sopd.cookie, 'POST', `/aid/allocations/${allocation.id}/received`);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('received');
  });
});

describe('aid API description', () => {
  it('publishes the aid schemas in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    for (const id of [
      'AidStock',
      'CreateAidStockInput',
      'AidAllocation',
      'CreateAidAllocationInput',
      'AidHandover',
      'CreateAidHandoverInput',
    ]) {
      expect(doc.components.schemas).toHaveProperty(id);
    }
    expect(doc.paths).toHaveProperty(['/aid/handovers/{id}/bast.pdf']);
  });
});

describe('aid tied to a program', () => {
  it('goes only to the program’s graduates', async () => {
    const program = await api(dinas.cookie, 'POST', '/programs', {
      name: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
      type: 'training',
      capacity: 5,
      selection: 'first_come',
      startDate: '2020-08-24',
      endDate: '2020-08-24',
      venue: 'Aula Kecamatan Bukit Batu',
      eligibility: true,
    });
    expect(program.statusCode, program.body).toBe(201);
    const programId = program.json().id as string;
    const graduate = await newBusiness();
    const dropout = await newBusiness();
    const applications: string[] = [];
    for (const business of [graduate, dropout]) {
      const res = await api(dinas.cookie, 'POST', `/programs/${programId}/applications`, {
        businessId: business.id,
      });
      expect(res.json().status, res.body).toBe('enrolled');
      applications.push(res.json().id);
    }
    const session = await api(dinas.cookie, 'POST', `/programs/${programId}/sessions`, {
      day: 1,
      date: '2020-08-24',
      startsAt: '08:00',
      endsAt: '16:00',
    });
    expect(session.statusCode, session.body).toBe(201);
    const checkIn = await api(dinas.cookie, 'POST', `/sessions/${session.json().id}/attendance`, {
      applicationId: applications[0],
      method: 'manual',
      checkedInAt: '2020-08-24T08:05:00+07:00',
    });
    expect(checkIn.statusCode, checkIn.body).toBeLessThan(300);
    const issued = await api(dinas.cookie, 'POST', `/programs/${programId}/certificates`);
    expect(issued.json(), issued.body).toMatchObject({ completed: 1 });

    const stock = await createStock(sopd.cookie);
    const refused = await allocate(sopd.cookie, stock.id, dropout.id, { programId });
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('not_a_graduate');
    const unknown = await allocate(sopd.cookie, stock.id, dropout.id, {
      programId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);

    const given = await allocate(sopd.cookie, stock.id, graduate.id, { programId });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().programId).toBe(programId);
    const listed = await api(dinas.cookie, 'GET', `/aid/allocations?programId=${programId}`);
    expect(listed.json().items.map((a: { id: string }) => a.id)).toEqual([given.json().id]);
    expect((await api(sopd.cookie, 'GET', `/aid/stock/${stock.id}`)).json().allocated).toBe(1);
  });
});
