import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { nameSearchDocument, nameSearchQuery, nameSearchTerms } from '../../domain/name-search.ts';
import { generateNik } from '../../domain/nik.ts';
import {
  createBusiness,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import { listBusinesses as listBusinessRows } from './businesses.queries.ts';
import {
  insertBusinessesSet,
  insertPeopleSet,
  moveBusiness,
  updateBusinessesSet,
  updatePeopleSet,
} from './registry.queries.ts';

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
});
afterAll(async () => t?.close());

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function names(cookie: string, q: string) {
  const res = await t.app.inject({
    url: `/api/v1/businesses?limit=50&q=${encodeURIComponent(q)}`,
    headers: { cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { name: string }[]).map((b) => b.name).sort();
}

let serial = 100;
const nikOf = () =>
  generateNik({ kecamatanCode: '62.71.02', birthDate: '1985-03-12', sex: 'P', serial: serial++ });

describe('name search documents', () => {
  it('are computed by the database by the same rule as the domain', async () => {
    const samples = [
      'Warung Makan Berkah Jaya',
      "UD. Ma'ruf  --  Jaya/2",
      'Kopi “Gayo” – ané',
      'Toko\tSerba\u00a0Ada (cabang 2)',
      'CV_Sumber-Rezeki & Co.',
      'Jaya Jaya Jaya',
      'Jum’at Berkah',
      '  -- ',
      'A',
      'dodol',
    ];
    const rows = await queryRows<{ i: number; terms: string[] }>(
      t.ctx.db,
      sql`select i::int as i, tsvector_to_array(registry_name_terms(n)) as terms
          from unnest(${`{${samples.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[])
            with ordinality as u(n, i)`,
    );
    expect(rows).toHaveLength(samples.length);
    for (const row of rows) {
      const name = samples[row.i - 1] ?? '';
      expect([...row.terms].sort(byteOrder), name).toEqual(nameSearchTerms(name));
    }
  });

  it("are given by a first load for plain ASCII names exactly as the database's", async () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    const samples = [
      'Warung Makan Berkah Jaya',
      "UD. Ma'ruf  --  Jaya/2",
      "Ma'ruf",
      "'Ahmad' Yani'",
      "a ' b",
      'CV_Sumber-Rezeki & Co.',
      'JAYA jaya Jaya',
      'Toko 99 (cabang 2)',
      printable,
      `x${printable.split('').join('y')}z`,
      '  -- ',
      '',
      "'",
      'A',
      'dodol',
      ' Budi ',
      'H. Ahmad, S.E.',
      'back\\slash {braces} [x]^y`z|w~',
    ];
    const rows = await queryRows<{ i: number; terms: string }>(
      t.ctx.db,
      sql`select i::int as i, registry_name_terms(n)::text as terms
          from unnest(${`{${samples.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[])
            with ordinality as u(n, i)`,
    );
    expect(rows).toHaveLength(samples.length);
    const given = await queryRows<{ i: number; terms: string }>(
      t.ctx.db,
      sql`select i::int as i, d::tsvector::text as terms
          from unnest(${`{${samples.map((s) => `"${(nameSearchDocument(s) ?? 'null').replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[])
            with ordinality as u(d, i)`,
    );
    expect(given).toEqual(rows);
    // any other name is left to the database
    for (const name of ['José Ngaju', 'Jum’at', 'Toko\tSerba', 'Kopi “Gayo”', 'İbrahim', 'a\u00a0b'])
      expect(nameSearchDocument(name), name).toBeNull();
  });

  it('follow every writer of the registry: registration, edit, the import set-wise, a merge', async () => {
    const made = await createBusiness(t, officer.cookie, {
      name: 'Kerupuk Basah Kapuas',
      ownerName: 'Hadijah Muthia',
    });
    expect(await names(officer.cookie, 'kerupuk basah')).toEqual(['Kerupuk Basah Kapuas']);
    expect(await names(officer.cookie, 'hadijah mut')).toEqual(['Kerupuk Basah Kapuas']);

    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${made.id}`,
      headers: { cookie: officer.cookie },
      payload: { name: 'Amplang Kapuas', owner: { name: 'Hadijah Rahmi' } },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await names(officer.cookie, 'kerupuk basah')).toEqual([]);
    expect(await names(officer.cookie, 'hadijah muthia')).toEqual([]);
    expect(await names(officer.cookie, 'amplang kapuas')).toEqual(['Amplang Kapuas']);
    expect(await names(officer.cookie, 'hadijah rahmi')).toEqual(['Amplang Kapuas']);

    // the import's writers
    const [person] = await insertPeopleSet(t.ctx.db, [
      { nik: nikOf(), pn: 'Ratna Galuh', sx: 'P', bd: '1985-03-12', ph: null, ad: null },
    ]);
    const ownerId = person?.id ?? '';
    const business = {
      oid: ownerId,
      ref: null,
      bn: 'Purun Tangkiling Indah',
      kb: null,
      kv: null,
      rc: '62.71.02.1004',
      kc: '62.71.02',
      nib: null,
      cap: null,
      tov: null,
      wk: null,
      cv: null,
      st: null,
    };
    await insertBusinessesSet(t.ctx.db, [business]);
    expect(await names(officer.cookie, 'purun tangkiling')).toEqual(['Purun Tangkiling Indah']);
    expect(await names(officer.cookie, 'ratna galuh')).toEqual(['Purun Tangkiling Indah']);
    const [stored] = await queryRows<{ id: string }>(
      t.ctx.db,
      sql`select id from businesses where owner_id = ${ownerId}`,
    );
    const id = stored?.id ?? '';
    await updateBusinessesSet(t.ctx.db, [{ ...business, id, bn: 'Tikar Purun Galuh' }]);
    await updatePeopleSet(t.ctx.db, [
      { id: ownerId, pn: 'Ratna Sari', sx: null, bd: null, ph: null, ad: null },
    ]);
    expect(await names(officer.cookie, 'purun tangkiling')).toEqual([]);
    expect(await names(officer.cookie, 'ratna galuh')).toEqual([]);
    expect(await names(officer.cookie, 'tikar purun')).toEqual(['Tikar Purun Galuh']);
    expect(await names(officer.cookie, 'ratna sari')).toEqual(['Tikar Purun Galuh']);

    // dedup's merge moves the business to the survivor under the name it settles on
    await moveBusiness(t.ctx.db, id, { ownerId: made.owner.id, name: 'Tikar Purun Rahmi' });
    expect(await names(officer.cookie, 'ratna sari')).toEqual([]);
    expect(await names(officer.cookie, 'tikar purun')).toEqual(['Tikar Purun Rahmi']);
    expect(await names(officer.cookie, 'hadijah rahmi')).toEqual(['Amplang Kapuas', 'Tikar Purun Rahmi']);

    // raw SQL that knows nothing of the document: an insert, a rename, a rewrite of the same name
    await t.ctx.db.execute(
      sql`insert into businesses (owner_id, name, region_code, kecamatan_code)
          values (${ownerId}, 'Bakul Purun Jekan', '62.71.02.1004', '62.71.02')`,
    );
    expect(await names(officer.cookie, 'bakul purun')).toEqual(['Bakul Purun Jekan']);
    await t.ctx.db.execute(
      sql`update businesses set name = 'Lampit Rotan Jekan' where name = 'Bakul Purun Jekan'`,
    );
    await t.ctx.db.execute(
      sql`update businesses set name = name, status = status where name = 'Amplang Kapuas'`,
    );
    expect(await names(officer.cookie, 'bakul purun')).toEqual([]);
    expect(await names(officer.cookie, 'lampit rotan')).toEqual(['Lampit Rotan Jekan']);
    const stale = await queryRows<{ name: string }>(
      t.ctx.db,
      sql`select name from businesses where search <> registry_name_terms(name)`,
    );
    expect(stale).toEqual([]);
  });

  it('keep a document a writer gives with a new name, and compute it where none is given', async () => {
    const [person] = await insertPeopleSet(t.ctx.db, [
      { nik: nikOf(), pn: 'Galuh Sari', sx: 'P', bd: '1985-03-12', ph: null, ad: null },
    ]);
    const [row] = await queryRows<{ id: string; search: string }>(
      t.ctx.db,
      sql`insert into businesses (owner_id, name, region_code, kecamatan_code, search)
          values (${person?.id}, 'Anyaman Bemban', '62.71.02.1004', '62.71.02', 'given:1'::tsvector)
          returning id, search::text`,
    );
    expect(row?.search).toBe("'given':1");
    await t.ctx.db.execute(
      sql`update businesses set name = 'Anyaman Purun', search = 'renamed:1'::tsvector where id = ${row?.id}`,
    );
    const [kept] = await queryRows<{ search: string }>(
      t.ctx.db,
      sql`select search::text from businesses where id = ${row?.id}`,
    );
    expect(kept?.search).toBe("'renamed':1");
    await t.ctx.db.execute(sql`update businesses set name = 'Anyaman Rotan' where id = ${row?.id}`);
    const [computed] = await queryRows<{ same: boolean }>(
      t.ctx.db,
      sql`select search = registry_name_terms(name) as same from businesses where id = ${row?.id}`,
    );
    expect(computed?.same).toBe(true);
    await t.ctx.db.execute(sql`delete from businesses where id = ${row?.id}`);
  });
});

describe('name search', () => {
  it("keeps a kecamatan officer's search in the kecamatan, whether matches are collected or walked", async () => {
    const own = await createBusiness(t, officer.cookie, {
      name: 'Bakso Ikan Seruyan',
      regionCode: '62.71.02.1004',
    });
    const other = await createBusiness(t, officer.cookie, {
      name: 'Bakso Ikan Seruyan',
      ownerName: 'Bakso Ikan Pemilik',
      regionCode: '62.71.05.1001',
    });
    const kecamatan = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    expect(await names(kecamatan.cookie, 'bakso ikan')).toEqual(['Bakso Ikan Seruyan']);
    expect((await names(officer.cookie, 'bakso ikan')).length).toBe(2);

    const nameQuery = nameSearchQuery('bakso ikan') ?? '';
    for (const cap of [0, 1, 10_000]) {
      const scoped = await listBusinessRows(
        t.ctx.db,
        { kecamatanCode: '62.71.02' },
        { nameQuery },
        { limit: 10, after: null },
        { nameHitCap: cap },
      );
      expect(
        scoped.map((r) => r.business.id),
        `cap ${cap}`,
      ).toEqual([own.id]);
      // found by its name and by its owner's, listed once
      const all = await listBusinessRows(
        t.ctx.db,
        {},
        { nameQuery },
        { limit: 10, after: null },
        { nameHitCap: cap },
      );
      expect(all.map((r) => r.business.id).sort(), `cap ${cap}`).toEqual([own.id, other.id].sort());
    }
  });

  it('finds nothing for a search without a word, and nothing from inside a word', async () => {
    await createBusiness(t, officer.cookie, { name: 'Sasirangan Motif Naga', ownerName: 'Fitriani Badau' });
    expect(await names(officer.cookie, 'sasirangan motif')).toEqual(['Sasirangan Motif Naga']);
    expect(await names(officer.cookie, 'SASIRANGAN-motif na')).toEqual(['Sasirangan Motif Naga']);
    expect(await names(officer.cookie, 'fitriani b')).toEqual(['Sasirangan Motif Naga']);
    expect(await names(officer.cookie, 'irangan')).toEqual([]);
    expect(await names(officer.cookie, 'motif sasirangan')).toEqual([]);
    expect(await names(officer.cookie, '&|!')).toEqual([]);
  });
});
