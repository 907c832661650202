import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, exclusionEntries } from '../../db/schema.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  businessBody,
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { exclusionFactsFor, exclusionFactsForNiks } from './exclusions.service.ts';

let t: TestApp;
let officer: TestUser;
let admin: TestUser;
let kecamatan: TestUser;
let sopd: TestUser;
let owner: TestUser;

const nik = (serial: number, sex: 'L' | 'P' = 'L') =>
  generateNik({ kecamatanCode: '62.71.02', birthDate: '1985-03-12', sex, serial });

const post = (cookie: string | null, payload: unknown, on: TestApp = t) =>
  on.app.inject({
    method: 'POST',
    url: '/api/v1/exclusion-lists',
    headers: cookie ? { cookie } : {},
    payload: payload as object,
  });

function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string }) {
  const boundary = `----pulih${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const upload = (
  cookie: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string },
) => {
  const body = multipart(fields, file);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/exclusion-lists',
    headers: { cookie, 'content-type': body.contentType },
    payload: body.payload,
  });
};

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  admin = await createUser(t, 'admin');
  kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  sopd = await createUser(t, 'sopd_officer');
  const business = await createBusiness(t, officer.cookie);
  owner = await createUser(t, 'owner', { personId: business.owner.id });
});
afterAll(async () => t?.close());

describe('importing an exclusion list', () => {
  it('stores the valid NIKs and reports the invalid ones by line', async () => {
    const res = await post(officer.cookie, {
      name: 'ASN Kota Palangka Raya 2020',
      kind: 'asn',
      source: 'BKPSDM, Desember 2020',
      niks: [
        nik(1),
        '6271 0212 0385 0002',
        nik(1),
        '12345',
        '6271021203850000',
        nik(3, 'P'),
        '9971021203850001',
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      created: true,
      lines: 7,
      added: 3,
      alreadyListed: 1,
      invalid: 3,
      list: { name: 'ASN Kota Palangka Raya 2020', kind: 'asn', source: 'BKPSDM, Desember 2020', entries: 3 },
    });
    expect(body.list.createdBy).toBe(officer.username);
    expect(body.issues).toEqual([
      { line: 4, code: 'nik_format', message: expect.any(String), value: '12345' },
      { line: 5, code: 'nik_serial_zero', message: expect.any(String), value: '6271********0000' },
      { line: 7, code: 'nik_province_unknown', message: expect.any(String), value: '9971********0001' },
    ]);
    const stored = await t.ctx.db.$count(exclusionEntries, eq(exclusionEntries.listId, body.list.id));
    expect(stored).toBe(3);
  });

  it('changes nothing when the same NIKs come again, and adds only new ones', async () => {
    const name = 'ASN Dinas Pendidikan 2021';
    const first = await post(officer.cookie, { name, kind: 'asn', niks: [nik(1), nik(2), nik(3, 'P')] });
    expect(first.json()).toMatchObject({ created: true, added: 3, list: { entries: 3 } });
    const asnListId = first.json().list.id as string;
    const again = await post(officer.cookie, { name, kind: 'asn', niks: [nik(1), nik(2)] });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ created: false, added: 0, alreadyListed: 2, list: { entries: 3 } });
    const more = await post(officer.cookie, { name, kind: 'asn', niks: [nik(4)] });
    expect(more.json()).toMatchObject({ created: false, added: 1, list: { id: asnListId, entries: 4 } });
  });

  it('refuses a second kind under one name, and a list without one valid NIK', async () => {
    const asn = await post(officer.cookie, { name: 'ASN Dinas Kesehatan 2021', kind: 'asn', niks: [nik(5)] });
    expect(asn.statusCode, asn.body).toBe(201);
    const clash = await post(officer.cookie, {
      name: 'ASN Dinas Kesehatan 2021',
      kind: 'deceased',
      niks: [nik(5)],
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({
      code: 'conflict',
      details: { field: 'kind', existingKind: 'asn' },
    });
    const empty = await post(officer.cookie, { name: 'Kosong', kind: 'other', niks: ['abc'] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'niks' } });
    const badKind = await post(officer.cookie, { name: 'Jenis salah', kind: 'pns', niks: [nik(5)] });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.code).toBe('validation_failed');
  });

  it('reads a CSV with a nik column, semicolons and a byte-order mark', async () => {
    const csv = `\uFEFFno;nama;nik;keterangan\r\n1;"Siti; S.Pd";${nik(10, 'P')};meninggal 2020\r\n\r\n2;Yanto;${nik(11)};\r\n3;Dedi;62710212038;\r\n`;
    const res = await upload(
      officer.cookie,
      { name: 'Penduduk meninggal 2020', kind: 'deceased', source: 'Disdukcapil' },
      {
        name: 'meninggal.csv',
        content: csv,
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      created: true,
      lines: 3,
      added: 2,
      invalid: 1,
      list: { kind: 'deceased', source: 'Disdukcapil', entries: 2 },
      issues: [{ line: 5, code: 'nik_format' }],
    });
  });

  it('reads a plain list, one NIK per line, and an XLSX workbook', async () => {
    const txt = `${nik(20)}\n\n${nik(21)}\n${nik(20)}\n`;
    const plain = await upload(
      officer.cookie,
      { name: 'BPUM 2020', kind: 'already_aided' },
      { name: 'bpum.txt', content: txt },
    );
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ lines: 3, added: 2, alreadyListed: 1, invalid: 0 });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Daftar');
    sheet.addRow(['Nama', 'NIK']);
    sheet.addRow(['Siti', nik(30, 'P')]);
    sheet.addRow(['Yanto', nik(31)]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(
      officer.cookie,
      { name: 'BPUM 2020', kind: 'already_aided' },
      { name: 'bpum.xlsx', content: xlsx },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ created: false, lines: 2, added: 2, list: { entries: 4 } });
  });

  it('answers 400 without a file or a name, and 415 for an old Excel file', async () => {
    const noFile = await upload(officer.cookie, { name: 'Tanpa berkas', kind: 'other' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'file' } });
    const noName = await upload(officer.cookie, { kind: 'other' }, { name: 'a.txt', content: nik(40) });
    expect(noName.statusCode).toBe(400);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(64)]);
    const old = await upload(
      officer.cookie,
      { name: 'Excel lama', kind: 'other' },
      { name: 'a.xls', content: xls },
    );
    expect(old.statusCode).toBe(415);
    expect(old.json().error.code).toBe('unsupported_media');
  });

  it('gives the kinds an owner is listed under, as eligibility facts', async () => {
    const body = businessBody();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/businesses',
      headers: { cookie: officer.cookie },
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const businessId = created.json().id as string;
    const ownerNik = body.owner.nik;
    expect(await exclusionFactsFor(t.ctx, businessId)).toEqual([]);
    await post(officer.cookie, { name: 'ASN Dinas Perhubungan 2021', kind: 'asn', niks: [ownerNik] });
    await post(officer.cookie, { name: 'BPUM 2021', kind: 'already_aided', niks: [ownerNik] });
    await post(officer.cookie, { name: 'Penduduk meninggal 2021', kind: 'deceased', niks: [nik(12, 'P')] });
    expect(await exclusionFactsFor(t.ctx, businessId)).toEqual(['already_aided', 'asn']);
    const byNik = await exclusionFactsForNiks(t.ctx, [ownerNik, nik(12, 'P'), nik(99)]);
    expect(Object.fromEntries(byNik)).toEqual({
      [ownerNik]: ['already_aided', 'asn'],
      [nik(12, 'P')]: ['deceased'],
      [nik(99)]: [],
    });
  });
});

describe('listing exclusion lists', () => {
  // The listing reads every list in the database, so it gets a database of its own holding
  // exactly these three lists, which the other `it`s of this file cannot add to.
  let listing: TestApp;
  let listingOfficer: TestUser;
  let listingAdmin: TestUser;
  beforeAll(async () => {
    listing = await createTestApp();
    listingOfficer = await createUser(listing, 'program_officer');
    listingAdmin = await createUser(listing, 'admin');
    for (const payload of [
      { name: 'ASN Kota Palangka Raya 2020', kind: 'asn', niks: [1, 2, 3, 4, 5].map((s) => nik(s)) },
      { name: 'Penduduk meninggal 2020', kind: 'deceased', niks: [nik(10, 'P'), nik(11)] },
      { name: 'BPUM 2020', kind: 'already_aided', niks: [nik(20), nik(21)] },
    ]) {
      const res = await post(listingOfficer.cookie, payload, listing);
      if (res.statusCode !== 201) throw new Error(`listing fixture: ${res.statusCode} ${res.body}`);
    }
  });
  afterAll(async () => listing?.close());

  it('lists them, newest first, by kind, with their counts', async () => {
    const res = await listing.app.inject({
      method: 'GET',
      url: '/api/v1/exclusion-lists',
      headers: { cookie: listingOfficer.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const names = res.json().items.map((l: { name: string }) => l.name);
    expect(names).toEqual(['BPUM 2020', 'Penduduk meninggal 2020', 'ASN Kota Palangka Raya 2020']);
    const asn = await listing.app.inject({
      method: 'GET',
      url: '/api/v1/exclusion-lists?kind=asn',
      headers: { cookie: listingAdmin.cookie },
    });
    expect(asn.json().items).toEqual([
      expect.objectContaining({ name: 'ASN Kota Palangka Raya 2020', entries: 5 }),
    ]);
    const paged = await listing.app.inject({
      method: 'GET',
      url: '/api/v1/exclusion-lists?limit=2',
      headers: { cookie: listingOfficer.cookie },
    });
    expect(paged.json().items).toHaveLength(2);
    const rest = await listing.app.inject({
      method: 'GET',
      url: `/api/v1/exclusion-lists?limit=2&cursor=${paged.json().nextCursor}`,
      headers: { cookie: listingOfficer.cookie },
    });
    expect(rest.json()).toMatchObject({ items: [{ name: 'ASN Kota Palangka Raya 2020' }], nextCursor: null });
  });
});

describe('exclusion lists', () => {
  it('deletes a list with its NIKs, in the audit log', async () => {
    const list = await post(officer.cookie, {
      name: 'Salah unggah',
      kind: 'other',
      niks: [nik(50), nik(51)],
    });
    const id = list.json().list.id as string;
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/exclusion-lists/${id}`,
      headers: { cookie: officer.cookie },
    });
    expect(one.json()).toMatchObject({ id, name: 'Salah unggah', entries: 2 });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/exclusion-lists/${id}`,
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.ctx.db.$count(exclusionEntries, eq(exclusionEntries.listId, id))).toBe(0);
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/v1/exclusion-lists/${id}`,
      headers: { cookie: officer.cookie },
    });
    expect(gone.statusCode).toBe(404);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/exclusion-lists/${id}`,
      headers: { cookie: officer.cookie },
    });
    expect(again.statusCode).toBe(404);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'exclusion_list'), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(audit[1]?.before).toMatchObject({ name: 'Salah unggah', entries: 2 });
    // The NIKs stay out of the log.
    expect(JSON.stringify(audit)).not.toContain(nik(50));
  });

  it('is for program officers and admins only', async () => {
    for (const user of [kecamatan, sopd, owner]) {
      expect(
        (await post(user.cookie, { name: 'Tidak boleh', kind: 'asn', niks: [nik(60)] })).statusCode,
      ).toBe(403);
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/exclusion-lists',
        headers: { cookie: user.cookie },
      });
      expect(list.statusCode).toBe(403);
    }
    expect((await post(null, { name: 'Tidak boleh', kind: 'asn', niks: [nik(60)] })).statusCode).toBe(401);
    const byAdmin = await post(admin.cookie, { name: 'Lain-lain', kind: 'other', niks: [nik(61)] });
    expect(byAdmin.statusCode).toBe(201);
  });
});
