import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRegistryIndexes, restoreRegistryIndexes } from '../../db/registry-indexes.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { nameSearchQuery } from '../../domain/name-search.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, type TestApp } from '../../testing/harness.ts';
import { listBusinesses } from './businesses.queries.ts';
import {
  type BusinessWrite,
  insertBusinessesSet,
  insertPeopleSet,
  moveBusiness,
  updateBusinessesSet,
  updatePeopleSet,
} from './registry.queries.ts';

// businesses.owner_search, the owner's name document carried on the business row (migration
// namesearch2_sql), is kept by triggers: these tests change owners and names through each kind
// of write and hold the column against the owner's name as it is, and the search against it.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

let serial = 500;
const person = (name: string) => ({
  nik: generateNik({ kecamatanCode: '62.71.04', birthDate: '1979-06-21', sex: 'L', serial: serial++ }),
  pn: name,
  sx: 'L' as const,
  bd: '1979-06-21',
  ph: null,
  ad: null,
});

const business = (ownerId: string, name: string): BusinessWrite => ({
  oid: ownerId,
  ref: null,
  bn: name,
  kb: null,
  kv: null,
  rc: '62.71.04.1001',
  kc: '62.71.04',
  nib: null,
  cap: null,
  tov: null,
  wk: null,
  cv: null,
  st: null,
});

// Businesses whose owner document is not their owner's name's (what a missed writer leaves).
async function stale() {
  return queryRows<{ name: string }>(
    t.ctx.db,
    sql`select b.name from businesses b join people p on p.id = b.owner_id
        where b.owner_search <> registry_name_terms(p.name) order by b.name`,
  );
}

async function found(text: string) {
  const rows = await listBusinesses(
    t.ctx.db,
    {},
    { nameQuery: nameSearchQuery(text) ?? '' },
    { limit: 50, after: null },
  );
  return rows.map((r) => r.business.name).sort();
}

async function idsOf(ownerId: string) {
  return queryRows<{ id: string; name: string }>(
    t.ctx.db,
    sql`select id, name from businesses where owner_id = ${ownerId} order by name`,
  );
}

describe("the owner's name on the business row", () => {
  it('is set on insert, set-wise and by raw SQL, and follows a set-wise rename of several owners', async () => {
    const [a, b, c] = await insertPeopleSet(t.ctx.db, [
      person('Gusti Arsyad'),
      person('Norhayati Banjar'),
      person('Mardiana Lestari'),
    ]);
    const [aId, bId, cId] = [a?.id ?? '', b?.id ?? '', c?.id ?? ''];
    await insertBusinessesSet(t.ctx.db, [
      business(aId, 'Lanting Martapura'),
      business(aId, 'Kue Cincin Martapura'),
      business(bId, 'Sarung Pagatan'),
      business(cId, 'Gula Habang Nagara'),
    ]);
    // as the benchmarks' fills write: no owner document given
    await t.ctx.db.execute(
      sql`insert into businesses (owner_id, name, region_code, kecamatan_code)
          values (${cId}, 'Batu Permata Cempaka', '62.71.04.1001', '62.71.04')`,
    );
    expect(await stale()).toEqual([]);
    expect(await found('gusti arsyad')).toEqual(['Kue Cincin Martapura', 'Lanting Martapura']);
    expect(await found('mardiana l')).toEqual(['Batu Permata Cempaka', 'Gula Habang Nagara']);

    // two renamed in one statement, one written with the name it has
    await updatePeopleSet(t.ctx.db, [
      { id: aId, pn: 'Gusti Rahmadi', sx: null, bd: null, ph: null, ad: null },
      { id: bId, pn: 'Norhayati Pagatan', sx: null, bd: null, ph: null, ad: null },
      { id: cId, pn: 'Mardiana Lestari', sx: null, bd: null, ph: '+6281250001111', ad: null },
    ]);
    expect(await stale()).toEqual([]);
    expect(await found('gusti arsyad')).toEqual([]);
    expect(await found('gusti rahm')).toEqual(['Kue Cincin Martapura', 'Lanting Martapura']);
    expect(await found('norhayati pagatan')).toEqual(['Sarung Pagatan']);
    expect(await found('mardiana lestari')).toEqual(['Batu Permata Cempaka', 'Gula Habang Nagara']);
  });

  it('follows a change of owner, set-wise and by a merge, and not a rewrite of the same owner', async () => {
    const [a, b] = await insertPeopleSet(t.ctx.db, [person('Zainal Abidin'), person('Saprudin Hulu')]);
    const [aId, bId] = [a?.id ?? '', b?.id ?? ''];
    await insertBusinessesSet(t.ctx.db, [
      business(aId, 'Ikan Asin Kotabaru'),
      business(aId, 'Terasi Kotabaru'),
    ]);
    const [first, second] = await idsOf(aId);
    // the import's update names the owner on every row it writes; the same owner changes nothing
    await updateBusinessesSet(t.ctx.db, [
      { ...business(aId, 'Ikan Asin Kotabaru Baru'), id: first?.id ?? '' },
    ]);
    await updateBusinessesSet(t.ctx.db, [{ ...business(bId, 'Terasi Kotabaru'), id: second?.id ?? '' }]);
    expect(await stale()).toEqual([]);
    expect(await found('zainal abidin')).toEqual(['Ikan Asin Kotabaru Baru']);
    expect(await found('saprudin hulu')).toEqual(['Terasi Kotabaru']);

    await moveBusiness(t.ctx.db, second?.id ?? '', { ownerId: aId, name: 'Terasi Kotabaru' });
    expect(await stale()).toEqual([]);
    expect(await found('saprudin hulu')).toEqual([]);
    expect(await found('zainal abidin')).toEqual(['Ikan Asin Kotabaru Baru', 'Terasi Kotabaru']);
  });

  it('follows a rename while a bulk load has the owner index dropped', async () => {
    const [a] = await insertPeopleSet(t.ctx.db, [person('Hairil Anwar')]);
    const aId = a?.id ?? '';
    await dropRegistryIndexes(t.ctx.db);
    try {
      await insertBusinessesSet(t.ctx.db, [business(aId, 'Purun Banjarbaru')]);
      await updatePeopleSet(t.ctx.db, [
        { id: aId, pn: 'Hairil Fadillah', sx: null, bd: null, ph: null, ad: null },
      ]);
    } finally {
      await restoreRegistryIndexes(t.ctx.db);
    }
    expect(await stale()).toEqual([]);
    expect(await found('hairil anwar')).toEqual([]);
    expect(await found('hairil fadillah')).toEqual(['Purun Banjarbaru']);
  });
});
