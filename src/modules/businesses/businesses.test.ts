import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyBusinessSize } from '../../domain/business-size.ts';
import { rattanTrainingRule } from '../../domain/eligibility.ts';
import { nameSearchQuery } from '../../domain/name-search.ts';
import {
  businessBody,
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { csvExport, type RegistryRecord, xlsxExport } from './businesses.export.ts';
import { listBusinesses as listBusinessRows } from './businesses.queries.ts';

let t: TestApp;
let officer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  admin = await createUser(t, 'admin');
});
afterAll(async () => t?.close());

const post = (cookie: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses',
    headers: { cookie },
    payload: payload as object,
  });

describe('businesses', () => {
  it('registers a business with its owner and masks the NIK', async () => {
    const body = businessBody({ name: 'Anyaman Rotan Ibu Siti' });
    const res = await post(officer.cookie, body);
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item.kecamatan).toBe('62.71.02');
    expect(item.kecamatanName).toBe('Bukit Batu');
    expect(item.kelurahanName).toBe('Tangkiling');
    expect(item.size).toBe('mikro');
    expect(item.owner.nik).not.toBe(body.owner.nik);
    expect(item.owner.nik).toMatch(/^6271\*{8}\d{4}$/);
    expect(res.body).not.toContain(body.owner.nik);

    const detail = await t.app.inject({
      url: `/api/v1/businesses/${item.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(body.owner.nik);
    expect(detail.json().applications).toEqual([]);
  });

  it('rejects bad input with stable codes and keeps nothing', async () => {
    const badNik = await post(officer.cookie, {
      ...businessBody(),
      owner: { ...businessBody().owner, nik: '1234' },
    });
    expect(badNik.statusCode).toBe(422);
    expect(badNik.json().error.code).toBe('invalid_nik');
    const badRegion = await post(officer.cookie, { ...businessBody(), regionCode: '99.99.99' });
    expect(badRegion.json().error.code).toBe('invalid_region');
    const badPhone = await post(officer.cookie, {
      ...businessBody(),
      owner: { ...businessBody().owner, phone: '12345' },
    });
    expect(badPhone.json().error.code).toBe('invalid_phone');
    const missing = await post(officer.cookie, { name: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_failed');
    expect(missing.json().error.details.length).toBeGreaterThan(0);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/businesses',
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_json');
    expect(broken.body).not.toContain('at ');
  });

  it('reuses the person for a second business and refuses the same name twice', async () => {
    const body = businessBody();
    const first = await post(officer.cookie, body);
    const second = await post(officer.cookie, { ...body, name: `${body.name} Kedua` });
    expect(second.statusCode).toBe(201);
    expect(second.json().owner.id).toBe(first.json().owner.id);
    const again = await post(officer.cookie, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('business_exists');
  });

  it('scopes a kecamatan officer to its kecamatan and an owner to its own business', async () => {
    const inBukitBatu = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.02.1001',
      name: 'Rotan Marang',
    });
    const inRakumpit = await createBusiness(t, officer.cookie, {
      regionCode: '62.71.05.1001',
      name: 'Rotan Petuk',
    });
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const list = await t.app.inject({ url: '/api/v1/businesses?limit=200', headers: { cookie: kec.cookie } });
    const kecs = new Set(list.json().items.map((b: { kecamatan: string }) => b.kecamatan));
    expect([...kecs]).toEqual(['62.71.02']);
    expect(
      (await t.app.inject({ url: `/api/v1/businesses/${inRakumpit.id}`, headers: { cookie: kec.cookie } }))
        .statusCode,
    ).toBe(404);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${inRakumpit.id}`,
      headers: { cookie: kec.cookie },
      payload: { workers: 3 },
    });
    expect(patch.statusCode).toBe(404);
    const moveAway = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${inBukitBatu.id}`,
      headers: { cookie: kec.cookie },
      payload: { regionCode: '62.71.05.1002' },
    });
    expect(moveAway.statusCode).toBe(403);
    const create = await post(kec.cookie, businessBody({ regionCode: '62.71.05.1003' }));
    expect(create.statusCode).toBe(403);

    const owner = await createUser(t, 'owner', { personId: inBukitBatu.owner.id });
    const own = await t.app.inject({ url: '/api/v1/businesses', headers: { cookie: owner.cookie } });
    expect(own.json().items.map((b: { id: string }) => b.id)).toEqual([inBukitBatu.id]);
    expect((await post(owner.cookie, businessBody())).statusCode).toBe(403);
    const sopd = await createUser(t, 'sopd_officer');
    expect(
      (
        await t.app.inject({
          url: `/api/v1/businesses/${inBukitBatu.id}/personal-data`,
          headers: { cookie: sopd.cookie },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('searches by name, NIK and phone, and pages with a cursor', async () => {
    const body = businessBody({ name: 'Tikar Purun Unik Sekali' });
    await post(officer.cookie, body);
    const byName = await t.app.inject({
      url: '/api/v1/businesses?q=purun%20unik',
      headers: { cookie: officer.cookie },
    });
    expect(byName.json().items).toHaveLength(1);
    const byNik = await lookup(officer.cookie, body.owner.nik);
    expect(byNik.items[0]?.name).toBe('Tikar Purun Unik Sekali');
    const byPhone = await lookup(officer.cookie, body.owner.phone);
    expect(byPhone.items.map((b: { name: string }) => b.name)).toContain('Tikar Purun Unik Sekali');

    // Paged over businesses of this `it` only: how many the other `it`s made depends on their order.
    for (let i = 0; i < 7; i++) await post(officer.cookie, businessBody({ name: `Tanggui Sirap ${i}` }));
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.app.inject({
        url: `/api/v1/businesses?q=tanggui%20sirap&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie: officer.cookie },
      });
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      for (const b of body.items) seen.add(b.id);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const all = await t.app.inject({
      url: '/api/v1/businesses?q=tanggui%20sirap&limit=200',
      headers: { cookie: officer.cookie },
    });
    expect(all.json().items).toHaveLength(7);
    expect(seen.size).toBe(7);
    expect(pages).toBe(3);
    const badCursor = await t.app.inject({
      url: '/api/v1/businesses?cursor=zzz',
      headers: { cookie: officer.cookie },
    });
    expect(badCursor.json().error.code).toBe('validation_failed');
  });

  it('reveals personal data only to roles that need it, and logs every view', async () => {
    const body = businessBody();
    const created = (await post(officer.cookie, body)).json();
    const res = await t.app.inject({
      url: `/api/v1/businesses/${created.id}/personal-data`,
      headers: { cookie: officer.cookie },
    });
    expect(res.json().nik).toBe(body.owner.nik);
    const log = await t.app.inject({ url: '/api/v1/audit/personal-data', headers: { cookie: admin.cookie } });
    expect(log.json().items[0]).toMatchObject({
      actor: officer.username,
      kind: 'view',
      subject: `person:${created.owner.id}`,
    });
    expect(
      (await t.app.inject({ url: '/api/v1/audit/personal-data', headers: { cookie: officer.cookie } }))
        .statusCode,
    ).toBe(403);
  });

  it('writes every change to the audit log with before and after', async () => {
    const created = (await post(officer.cookie, businessBody())).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${created.id}`,
      headers: { cookie: officer.cookie },
      payload: { workers: 7, owner: { address: 'Jl. Tjilik Riwut Km 35' } },
    });
    const log = await t.app.inject({
      url: `/api/v1/audit?entity=business&entityId=${created.id}`,
      headers: { cookie: admin.cookie },
    });
    const [update, create] = log.json().items;
    expect(create.action).toBe('create');
    expect(update).toMatchObject({ action: 'update', actor: officer.username });
    expect(update.before.workers).toBe(2);
    expect(update.after.workers).toBe(7);
  });
});

// ---------------------------------------------------------------- registry at scale: filters, search, export

type Item = { id: string; name: string; size: string | null; kecamatan: string; kelurahan: string | null };
type Page = { items: Item[]; nextCursor: string | null };

const list = async (cookie: string, query: string) => {
  const limit = query.includes('limit=') ? '' : 'limit=200&';
  const res = await t.app.inject({ url: `/api/v1/businesses?${limit}${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
// A look-up by NIK or phone: in the body, never in the URL.
const lookup = async (cookie: string, q: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/businesses/lookup',
    headers: { cookie },
    payload: { q },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const ids = (page: Page) => page.items.map((b) => b.id).sort();

describe('business page', () => {
  it('shows the owner (masked), the programs applied to, the aid and the products', async () => {
    const business = await createBusiness(t, officer.cookie, { name: 'Anyaman Rotan Halaman Usaha' });
    const program = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programs',
      headers: { cookie: officer.cookie },
      payload: {
        name: 'Pelatihan Anyaman Rotan',
        type: 'training',
        capacity: 30,
        selection: 'first_come',
        startDate: '2020-08-24',
        endDate: '2020-08-28',
        venue: 'Aula Kecamatan Bukit Batu',
        eligibility: rattanTrainingRule,
      },
    });
    expect(program.statusCode, program.body).toBe(201);
    const applied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.json().id}/applications`,
      headers: { cookie: officer.cookie },
      payload: { businessId: business.id },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const product = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { cookie: officer.cookie },
      payload: { businessId: business.id, name: 'Tas Anyaman Rotan', price: 150_000 },
    });
    expect(product.statusCode, product.body).toBe(201);

    const detail = await t.app.inject({
      url: `/api/v1/businesses/${business.id}`,
      headers: { cookie: officer.cookie },
    });
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.owner.nik).toMatch(/^6271\*{8}\d{4}$/);
    expect(body.applications).toMatchObject([
      { programId: program.json().id, programName: 'Pelatihan Anyaman Rotan' },
    ]);
    expect(body.products).toMatchObject([{ name: 'Tas Anyaman Rotan', price: 150_000 }]);
    expect(body.aid).toEqual([]);
  });
});

describe('registry filters', () => {
  // Jekan Raya (62.71.03) is used by no other test in this file, so each filter's answer is
  // known exactly.
  const made: {
    id: string;
    regionCode: string;
    kbli: string;
    status: string;
    covid: boolean | null;
    size: string | null;
  }[] = [];
  const miliar = 1_000_000_000;
  const amounts: [number | null, number | null][] = [
    [2 * miliar, null],
    [2 * miliar + 1, null],
    [15 * miliar, 5 * miliar],
    [15 * miliar + 1, null],
    [50 * miliar, null],
    [50 * miliar + 1, 1],
    [0, 20 * miliar],
    [null, 1 * miliar],
    [null, 1 * miliar + 1],
    [null, 5 * miliar + 1],
    [null, 10 * miliar],
    [null, 10 * miliar + 1],
    [null, null],
  ];

  beforeAll(async () => {
    for (const [i, [annualTurnover, capital]] of amounts.entries()) {
      const regionCode = i % 2 ? '62.71.03.1001' : '62.71.03.1002';
      const kbli = i % 3 ? '16291' : '10792';
      const status = i % 4 === 3 ? 'tutup' : 'aktif';
      const covid = i % 3 === 2 ? null : i % 3 === 1;
      const res = await post(officer.cookie, {
        ...businessBody({
          regionCode,
          kbli,
          covidImpacted: covid,
          annualTurnover,
          name: `Usaha Saringan ${i}`,
        }),
        capital,
        status,
      });
      expect(res.statusCode, res.body).toBe(201);
      made.push({
        id: res.json().id,
        regionCode,
        kbli,
        status,
        covid,
        size: classifyBusinessSize({ annualTurnover, capital }),
      });
    }
  });

  const expected = (keep: (b: (typeof made)[number]) => boolean) =>
    made
      .filter(keep)
      .map((b) => b.id)
      .sort();

  it('filters by size exactly as PP 7/2021 classifies, at every boundary', async () => {
    for (const size of ['mikro', 'kecil', 'menengah', 'besar'] as const) {
      const page = await list(officer.cookie, `kecamatan=62.71.03&size=${size}`);
      expect(ids(page), size).toEqual(expected((b) => b.size === size));
      expect(page.items.every((b) => b.size === size)).toBe(true);
    }
    // every class is present, so the boundaries were really tested
    expect(new Set(made.map((b) => b.size))).toEqual(new Set(['mikro', 'kecil', 'menengah', 'besar', null]));
  });

  it('filters by kecamatan, kelurahan, KBLI, status and Covid impact, alone and combined', async () => {
    expect(ids(await list(officer.cookie, 'kecamatan=62.71.03'))).toEqual(expected(() => true));
    expect(ids(await list(officer.cookie, 'kecamatan=627103'))).toEqual(expected(() => true));
    expect(ids(await list(officer.cookie, 'kelurahan=62.71.03.1001'))).toEqual(
      expected((b) => b.regionCode === '62.71.03.1001'),
    );
    expect(ids(await list(officer.cookie, 'kecamatan=62.71.03&kbli=10792'))).toEqual(
      expected((b) => b.kbli === '10792'),
    );
    expect(ids(await list(officer.cookie, 'kecamatan=62.71.03&status=tutup'))).toEqual(
      expected((b) => b.status === 'tutup'),
    );
    expect(ids(await list(officer.cookie, 'kecamatan=62.71.03&covidImpacted=true'))).toEqual(
      expected((b) => b.covid === true),
    );
    expect(ids(await list(officer.cookie, 'kecamatan=62.71.03&covidImpacted=false'))).toEqual(
      expected((b) => b.covid === false),
    );
    expect(
      ids(
        await list(
          officer.cookie,
          'kelurahan=62.71.03.1001&kbli=16291&status=aktif&covidImpacted=true&size=kecil',
        ),
      ),
    ).toEqual(
      expected(
        (b) =>
          b.regionCode === '62.71.03.1001' &&
          b.kbli === '16291' &&
          b.status === 'aktif' &&
          b.covid === true &&
          b.size === 'kecil',
      ),
    );
    // a kelurahan of another kecamatan matches nothing
    expect((await list(officer.cookie, 'kecamatan=62.71.02&kelurahan=62.71.03.1001')).items).toEqual([]);
  });

  it('keeps a kecamatan officer inside its kecamatan whatever the filter says', async () => {
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    expect((await list(kec.cookie, 'kecamatan=62.71.03')).items).toEqual([]);
    expect((await list(kec.cookie, 'kelurahan=62.71.03.1001')).items).toEqual([]);
    const mine = await list(kec.cookie, 'size=mikro');
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((b) => b.kecamatan === '62.71.02')).toBe(true);
  });

  it('answers 400 validation_failed for a bad filter', async () => {
    for (const query of [
      'size=raksasa',
      'status=bangkrut',
      'kecamatan=bukit',
      'kelurahan=62.71',
      'kbli=1629',
      'covidImpacted=ya',
    ]) {
      const res = await t.app.inject({
        url: `/api/v1/businesses?${query}`,
        headers: { cookie: officer.cookie },
      });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('validation_failed');
      const exported = await t.app.inject({
        url: `/api/v1/businesses/export?${query}`,
        headers: { cookie: officer.cookie },
      });
      expect(exported.statusCode, query).toBe(400);
      expect(exported.json().error.code, query).toBe('validation_failed');
    }
    const forged = Buffer.from(JSON.stringify(['a', 'not-a-uuid'])).toString('base64url');
    const res = await t.app.inject({
      url: `/api/v1/businesses?cursor=${forged}`,
      headers: { cookie: officer.cookie },
    });
    expect(res.json().error.code).toBe('validation_failed');
  });
});

describe('registry search', () => {
  it('finds an owner by exact NIK and by phone in every usual format, never by a NIK prefix', async () => {
    const body = businessBody({ name: 'Kerajinan Manik Dayak', regionCode: '62.71.04.1001' });
    body.owner.phone = '0857 1234 5678';
    const created = await post(officer.cookie, body);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const nik = body.owner.nik;
    for (const q of [
      nik,
      `${nik.slice(0, 4)} ${nik.slice(4, 8)} ${nik.slice(8, 12)} ${nik.slice(12)}`,
      `${nik.slice(0, 6)}.${nik.slice(6)}`,
    ]) {
      expect(ids(await lookup(officer.cookie, q)), q).toEqual([id]);
    }
    for (const q of [
      '085712345678',
      '0857-1234-5678',
      '0857 1234 5678',
      '0857.1234.5678',
      '+62 857 1234 5678',
      '+62-857-1234-5678',
      '+6285712345678',
      '6285712345678',
      '85712345678',
      '857 1234 5678',
      '+62 (0)857 1234 5678',
    ]) {
      expect(ids(await lookup(officer.cookie, q)), q).toEqual([id]);
    }
    expect((await lookup(officer.cookie, nik.slice(0, 12))).items).toEqual([]);
    expect((await lookup(officer.cookie, '085712345679')).items).toEqual([]);
    // the kecamatan officer of another kecamatan finds nothing
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
    expect((await lookup(kec.cookie, nik)).items).toEqual([]);
  });

  it('finds by the words of the business or the owner name, the last one begun, case-insensitive; % and _ are not words', async () => {
    const a = await createBusiness(t, officer.cookie, {
      name: 'Lampit Rotan Tumbang Tahai',
      ownerName: 'Yuliana Rangkap',
    });
    const b = await createBusiness(t, officer.cookie, { name: 'Warung Yuli', ownerName: 'Agus Tingang' });
    expect(ids(await list(officer.cookie, 'q=TUMBANG%20tahai'))).toEqual([a.id]);
    expect(ids(await list(officer.cookie, 'q=yuliana%20rang'))).toEqual([a.id]);
    expect(ids(await list(officer.cookie, 'q=yuli'))).toEqual([a.id, b.id].sort());
    expect(ids(await list(officer.cookie, 'q=agus%20tingang'))).toEqual([b.id]);
    expect((await list(officer.cookie, 'q=%25')).items).toEqual([]);
    expect((await list(officer.cookie, 'q=_')).items).toEqual([]);
    expect(ids(await list(officer.cookie, 'q=yuli&kecamatan=62.71.02'))).toEqual([a.id, b.id].sort());
    expect((await list(officer.cookie, 'q=yuli&kecamatan=62.71.05')).items).toEqual([]);
  });

  it('pages a name search in name order, the same whether matches are collected or walked', async () => {
    const made = [];
    for (const n of [5, 3, 1, 4, 2]) {
      made.push(
        await createBusiness(t, officer.cookie, { name: `Mandau Ukir ${n}`, ownerName: `Pemilik ${n}` }),
      );
    }
    made.push(await createBusiness(t, officer.cookie, { name: 'Toko Pahat', ownerName: 'Mandau Ukir Tua' }));
    const pages = async (cap?: number) => {
      const seen: string[] = [];
      let after: [string, string] | null = null;
      for (let i = 0; i < 10; i++) {
        const rows = await listBusinessRows(
          t.ctx.db,
          {},
          { nameQuery: nameSearchQuery('mandau ukir') ?? '' },
          { limit: 2, after },
          cap === undefined ? {} : { nameHitCap: cap },
        );
        seen.push(...rows.slice(0, 2).map((r) => r.business.name));
        const last = rows[1];
        if (rows.length <= 2 || !last) break;
        after = [last.sortKey, last.business.id];
      }
      return seen;
    };
    const collected = await pages();
    expect(collected).toEqual([
      'Mandau Ukir 1',
      'Mandau Ukir 2',
      'Mandau Ukir 3',
      'Mandau Ukir 4',
      'Mandau Ukir 5',
      'Toko Pahat',
    ]);
    expect(await pages(1)).toEqual(collected);
    expect(await pages(0)).toEqual(collected);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(
        officer.cookie,
        `q=mandau%20ukir&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((b) => b.name));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(collected);
  });
});

describe('registry export', () => {
  const productColumns = [
    'nik',
    'nama',
    'jenis_kelamin',
    'tanggal_lahir',
    'telepon',
    'alamat',
    'kode_wilayah',
    'nama_usaha',
    'kbli',
    'nib',
    'modal_usaha',
    'omzet_tahunan',
    'tenaga_kerja',
    'terdampak_covid',
    'status_usaha',
    'ref',
  ];
  let rakumpit: { nik: string; birthDate: string; id: string }[] = [];

  beforeAll(async () => {
    rakumpit = [];
    for (let i = 0; i < 3; i++) {
      const body = businessBody({
        regionCode: '62.71.05.1004',
        name: `Ekspor Rotan, "Mungku" ${i}`,
        ref: `ekspor-${i}`,
      });
      const res = await post(officer.cookie, body);
      expect(res.statusCode, res.body).toBe(201);
      rakumpit.push({ nik: body.owner.nik, birthDate: body.owner.birthDate, id: res.json().id });
    }
  });

  const exportCsv = async (cookie: string, query: string) => {
    const res = await t.app.inject({ url: `/api/v1/businesses/export?${query}`, headers: { cookie } });
    return {
      res,
      rows: res.statusCode === 200 ? (parseCsv(res.rawPayload, { bom: true }) as string[][]) : [],
    };
  };
  const lastAccess = async () => {
    const log = await t.app.inject({
      url: '/api/v1/audit/personal-data?limit=1',
      headers: { cookie: admin.cookie },
    });
    return log.json().items[0];
  };

  it('exports a filtered CSV in the registry file layout, masked for a kecamatan officer and scoped to it', async () => {
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
    const { res, rows } = await exportCsv(kec.cookie, 'format=csv&kelurahan=62.71.05.1004&status=aktif');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="registri-usaha-\d+\.csv"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...data] = rows;
    expect(header).toEqual(productColumns);
    expect(data).toHaveLength(3);
    const col = (name: string) => productColumns.indexOf(name);
    for (const row of data) {
      expect(row[col('nik')]).toMatch(/^6271\*{8}\d{4}$/);
      expect(row[col('tanggal_lahir')]).toMatch(/^\d{4}-\*\*-\*\*$/);
      expect(row[col('kode_wilayah')]).toBe('62.71.05.1004');
      expect(row[col('terdampak_covid')]).toBe('ya');
      expect(row[col('status_usaha')]).toBe('aktif');
      expect(row[col('omzet_tahunan')]).toBe('60000000');
    }
    expect(data.map((r) => r[col('nama_usaha')]).sort()).toEqual(
      [0, 1, 2].map((i) => `Ekspor Rotan, "Mungku" ${i}`),
    );
    for (const p of rakumpit) expect(res.body).not.toContain(p.nik);
    expect(await lastAccess()).toMatchObject({
      actor: kec.username,
      kind: 'export',
      subject: 'businesses',
      rows: 3,
      filter: { kelurahan: '62.71.05.1004', status: 'aktif', format: 'csv', personalData: false },
    });

    // its scope holds even when the filter points elsewhere
    const elsewhere = await exportCsv(kec.cookie, 'kecamatan=62.71.03');
    expect(elsewhere.rows).toEqual([productColumns]);
    expect(await lastAccess()).toMatchObject({ actor: kec.username, kind: 'export', rows: 0 });
  });

  it('gives the full NIK and birth date only to a role that may see them, when asked, and logs it', async () => {
    const masked = await exportCsv(officer.cookie, 'kelurahan=62.71.05.1004');
    expect(masked.rows).toHaveLength(4);
    for (const p of rakumpit) expect(masked.res.body).not.toContain(p.nik);

    const full = await exportCsv(officer.cookie, 'kelurahan=62.71.05.1004&personalData=true');
    expect(full.res.statusCode).toBe(200);
    const niks = full.rows.slice(1).map((r) => r[0]);
    expect(niks.sort()).toEqual(rakumpit.map((p) => p.nik).sort());
    const birthDates = full.rows.slice(1).map((r) => r[3]);
    expect(birthDates.sort()).toEqual(rakumpit.map((p) => p.birthDate).sort());
    expect(await lastAccess()).toMatchObject({
      actor: officer.username,
      kind: 'export',
      rows: 3,
      filter: { kelurahan: '62.71.05.1004', personalData: true },
    });

    const sopd = await createUser(t, 'sopd_officer');
    const refused = await t.app.inject({
      url: '/api/v1/businesses/export?personalData=true',
      headers: { cookie: sopd.cookie },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    const sopdMasked = await exportCsv(sopd.cookie, 'kelurahan=62.71.05.1004');
    expect(sopdMasked.rows).toHaveLength(4);
    expect((await t.app.inject({ url: '/api/v1/businesses/export' })).statusCode).toBe(401);
  });

  it('exports XLSX that parses back, with the NIK kept as text and amounts as numbers', async () => {
    const res = await t.app.inject({
      url: '/api/v1/businesses/export?format=xlsx&kelurahan=62.71.05.1004&personalData=true',
      headers: { cookie: officer.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(productColumns);
    const niks = [2, 3, 4].map((r) => sheet.getRow(r).getCell(1).value);
    expect(niks.every((v) => typeof v === 'string')).toBe(true);
    expect((niks as string[]).sort()).toEqual(rakumpit.map((p) => p.nik).sort());
    expect(sheet.getRow(2).getCell(productColumns.indexOf('omzet_tahunan') + 1).value).toBe(60_000_000);
    expect(await lastAccess()).toMatchObject({
      kind: 'export',
      rows: 3,
      filter: { format: 'xlsx', personalData: true },
    });
  });

  it('exports across many batches without losing or repeating a row', async () => {
    const before = await exportCsv(officer.cookie, 'kecamatan=62.71.01');
    const existing = before.rows.length - 1;
    const count = 1105;
    await bulkBusinesses(count, '62.71.01.1003');
    const { rows } = await exportCsv(officer.cookie, 'kecamatan=62.71.01');
    expect(rows.length - 1).toBe(existing + count);
    expect(new Set(rows.slice(1).map((r) => r[productColumns.indexOf('ref')])).size).toBe(existing + count);
    expect(await lastAccess()).toMatchObject({ kind: 'export', rows: existing + count });
  });

  it('reports an export the client abandoned as not completed, with the rows handed over so far', async () => {
    // random text, so that the zip of the XLSX does not shrink it to nothing
    const record = () =>
      Object.fromEntries(
        productColumns.map((c) => [c, Math.random().toString(36).slice(2)]),
      ) as RegistryRecord;
    for (const write of [csvExport, xlsxExport]) {
      let produced = 0;
      async function* endless() {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield Array.from({ length: 500 }, record);
        }
      }
      const ended = new Promise<[number, boolean]>((resolve) => {
        const stream = write(endless(), async (rows, completed) => resolve([rows, completed]));
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 256 * 1024 && !stream.destroyed) stream.destroy();
        });
      });
      const [rows, completed] = await ended;
      expect(completed, write.name).toBe(false);
      expect(rows, write.name).toBeGreaterThan(0);
      expect(rows, write.name).toBeLessThan(1000 * 500);
      expect(produced, write.name).toBeLessThan(1000);
    }
  });
});

// Rows straight into the tables: the export batches by 1000, and going through the API a
// thousand times would make the test slow on PGlite.
async function bulkBusinesses(count: number, regionCode: string) {
  await t.ctx.db.execute(sql`
    insert into people (id, nik, name, sex, birth_date)
    select overlay(overlay(md5('bulk-p' || i) placing '4' from 13) placing '8' from 17)::uuid, '627101' || '0101' || lpad((80 + i / 9999)::text, 2, '0') || lpad((1 + i % 9999)::text, 4, '0'),
           'Pemilik Massal ' || i, 'L', date '1980-01-01'
    from generate_series(0, ${count - 1}) as g(i)`);
  await t.ctx.db.execute(sql`
    insert into businesses (id, ref, owner_id, name, region_code, kecamatan_code, status)
    select gen_random_uuid(), 'massal-' || i, overlay(overlay(md5('bulk-p' || i) placing '4' from 13) placing '8' from 17)::uuid, 'Usaha Massal ' || i, ${regionCode}, ${regionCode.slice(0, 8)}, 'aktif'
    from generate_series(0, ${count - 1}) as g(i)`);
}

describe('audit log and personal data', () => {
  it('masks NIK, birth date and phone when the admin reads the audit log', async () => {
    const body = businessBody();
    await post(officer.cookie, body);
    const log = await t.app.inject({
      url: '/api/v1/audit?entity=person&limit=200',
      headers: { cookie: admin.cookie },
    });
    expect(log.statusCode).toBe(200);
    expect(log.body).not.toContain(body.owner.nik);
    expect(log.body).toContain(`${body.owner.nik.slice(0, 4)}********${body.owner.nik.slice(12)}`);
  });
});
