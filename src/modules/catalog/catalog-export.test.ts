import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { marketplaceExportColumns } from './catalog.export.ts';

// The products export for e-Katalog / Toko Daring onboarding: listed products only, in the
// fields the Dinas fills in, within the caller's scope, marked as an export.
let t: TestApp;
let officer: TestUser;
let kecamatanOfficer: TestUser;
let owner: TestUser;

const call = (method: 'POST' | 'GET', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function registerBusiness(name: string, regionCode: string, nib: string | null) {
  const res = await call('POST', '/businesses', officer.cookie, {
    ...businessBody({ name, regionCode }),
    nib,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; owner: { id: string } };
}

// An officer's product is approved at once; an owner's stays a draft until it is submitted
// and approved.
async function product(businessId: string, name: string, by: TestUser) {
  const res = await call('POST', '/products', by.cookie, {
    businessId,
    name,
    description: `${name}, anyaman tangan`,
    price: 125_000,
    unit: 'buah',
    category: 'kerajinan',
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

async function readExport(cookie: string) {
  const res = await call('GET', '/products/export', cookie);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-disposition']).toMatch(
    /^attachment; filename="ekspor-produk-ekatalog-\d{4}-\d{2}-\d{2}\.xlsx"$/,
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  return { name: sheet.name, rows };
}

let bukitBatuProduct = '';

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  const bukitBatu = await registerBusiness('Anyaman Ekspor Bukit', '62.71.02.1004', '1234567890123');
  const rakumpit = await registerBusiness('Rotan Ekspor Rakumpit', '62.71.05.1001', null);
  owner = await createUser(t, 'owner', { personId: bukitBatu.owner.id });
  bukitBatuProduct = await product(bukitBatu.id, 'Tas Rotan Ekspor', officer);
  await product(bukitBatu.id, 'Tikar Belum Tayang', owner);
  await product(rakumpit.id, 'Keranjang Ekspor', officer);
});
afterAll(async () => t?.close());

describe('products export for e-Katalog / Toko Daring', () => {
  it('lists the listed products in the onboarding fields, marked as an export', async () => {
    const { name, rows } = await readExport(officer.cookie);
    expect(name).toBe('Ekspor e-Katalog');
    expect(rows[0]).toEqual(marketplaceExportColumns);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect([...byName.keys()].sort()).toEqual(['Keranjang Ekspor', 'Tas Rotan Ekspor']);
    const tas = byName.get('Tas Rotan Ekspor')!;
    expect(tas.slice(0, 8)).toEqual([
      'Tas Rotan Ekspor',
      'Tas Rotan Ekspor, anyaman tangan',
      '125000',
      'buah',
      'kerajinan',
      'Anyaman Ekspor Bukit',
      '1234567890123',
      'Bukit Batu',
    ]);
    expect(tas[11]).toMatch(new RegExp(`/katalog/${bukitBatuProduct}$`));
    expect(byName.get('Keranjang Ekspor')![6]).toBe('');
  });

  it('gives a kecamatan officer the products of their kecamatan only, and an owner nothing', async () => {
    const { rows } = await readExport(kecamatanOfficer.cookie);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['Tas Rotan Ekspor']);
    const denied = await call('GET', '/products/export', owner.cookie);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
  });
});
