import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { CopyRows, copyIn } from '../../db/copy-in.ts';
import { businesses, people } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { plainNameKey } from '../../domain/dedup.ts';
import { nameSearchDocument } from '../../domain/name-search.ts';
import { businessFields, personFields } from './businesses.queries.ts';

// The registry's one writer. Every INSERT/UPDATE of people and businesses is here or in
// businesses.queries.ts, reached through businesses.service: the import's set-based upserts and
// dedup's merges and their undo included (registry-writers.test.ts fails on a write elsewhere).
//
// The bulk writers take a whole batch as one JSON parameter (json_to_recordset), so a batch of
// thousands of rows costs a handful of round trips, under the same identity rules as one record
// (by ref, or by owner NIK + business name without a ref).

export type NewPerson = {
  // given by a bulk load (ids in insertion order); otherwise the database draws one
  id?: string;
  nik: string;
  pn: string;
  sx: 'L' | 'P';
  bd: string;
  ph: string | null;
  ad: string | null;
};

// conflicts 'fail': a writer that knows no one holds these NIKs (a first load's new owners)
// spares the speculative insertion that DO NOTHING costs on every row (a quarter of the insert's
// CPU); a NIK that is there after all fails the statement on people_nik_key.
export async function insertPeopleSet(
  db: DbOrTx,
  people: readonly NewPerson[],
  conflicts: 'skip' | 'fail' = 'skip',
) {
  if (people.length === 0) return [];
  return queryRows<{ id: string; nik: string }>(db, peopleInsert(newPeopleJson(people), conflicts, true));
}

// The people's rows as insertPeopleJson takes them, with their name keys: made by a writer that
// prepares a batch's statements before its transaction begins, so that the database does not
// wait on this work inside it.
// The name key from Node where it agrees with the database's (plainNameKey); null leaves it to
// the trigger people_name_key, whose regular expressions cost more than the rest of the insert.
export function newPeopleJson(people: readonly NewPerson[]): string {
  return JSON.stringify(people.map((p) => ({ ...p, nk: plainNameKey(p.pn) })));
}

// A first load's new people, every one with its id given (so nothing needs to be returned), from
// newPeopleJson; conflicts as insertPeopleSet's.
export async function insertPeopleJson(db: DbOrTx, json: string, conflicts: 'skip' | 'fail') {
  await db.execute(peopleInsert(json, conflicts, false));
}

// DO NOTHING ('skip'): another import may have added the NIK a moment ago; the caller looks it up.
const peopleInsert = (json: string, conflicts: 'skip' | 'fail', returning: boolean) => sql`
  insert into people (id, nik, name, sex, birth_date, phone, address, name_key)
  select coalesce(x.id, gen_random_uuid()), x.nik, x.pn, x.sx::sex, x.bd::date, x.ph, x.ad, x.nk
  from json_to_recordset(${json}::json)
    as x(id uuid, nik text, pn text, sx text, bd text, ph text, ad text, nk text)
  ${conflicts === 'skip' ? sql`on conflict (nik) do nothing` : sql``}
  ${returning ? sql`returning id, nik` : sql``}`;

// A first load's new people and businesses on PostgreSQL as COPY rows (copyIn): the same rows
// as insertPeopleJson and insertBusinessesJson write, for about half the server's CPU (no JSON
// decoded per row) and, with documents, no call of registry_name_terms for a business whose name
// and owner's name are plain ASCII (two before). Every id is given. A NIK or a business key someone else holds fails the COPY on its
// unique key, as the statements do.
export function newPeopleCopy(people: readonly NewPerson[]): Buffer {
  const rows = new CopyRows();
  for (const p of people)
    rows
      .value(p.id)
      .value(p.nik)
      .text(p.pn)
      .value(p.sx)
      .value(p.bd)
      .text(p.ph)
      .text(p.ad)
      .text(plainNameKey(p.pn))
      .endRow();
  return rows.done();
}

export async function copyPeople(tx: Tx, rows: Buffer) {
  // a null name key is left to the trigger people_name_key, as in insertPeopleJson
  await copyIn(tx, 'copy people (id, nik, name, sex, birth_date, phone, address, name_key) from stdin', rows);
}

// documents: the database's lower() turns A–Z into a–z, so the search documents of plain ASCII
// names, the business's and its owner's, are given from nameSearchDocument. Any other document is
// left empty for the insert triggers: businesses_search_insert computes the business's, and
// businesses_owner_search_insert reads the owner's from their row (inserted by the same
// transaction, so their name is the one written).
export function newBusinessesCopy(businesses: readonly BusinessWrite[], documents: boolean): Buffer {
  const rows = new CopyRows();
  for (const b of businesses)
    rows
      .value(b.id)
      .text(b.ref)
      .value(b.oid)
      .text(b.bn)
      .text(b.kb)
      .value(b.kv)
      .text(b.rc)
      .text(b.kc)
      .text(b.nib)
      .value(b.cap)
      .value(b.tov)
      .value(b.wk)
      .value(b.cv)
      .value(b.st ?? 'aktif')
      .value((documents && b.own ? nameSearchDocument(b.own) : null) ?? '')
      .value((documents ? nameSearchDocument(b.bn) : null) ?? '')
      .endRow();
  return rows.done();
}

export async function copyBusinesses(tx: Tx, rows: Buffer) {
  await copyIn(
    tx,
    `copy businesses (id, ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code, nib, capital,
      annual_turnover, workers, covid_impacted, status, owner_search, search) from stdin`,
    rows,
  );
}

export type PersonUpdate = {
  id: string;
  pn: string;
  sx: 'L' | 'P' | null;
  bd: string | null;
  ph: string | null;
  ad: string | null;
};

export async function updatePeopleSet(db: DbOrTx, people: readonly PersonUpdate[]) {
  if (people.length === 0) return;
  await db.execute(sql`
    update people p set name = x.pn, sex = coalesce(x.sx::sex, p.sex), birth_date = coalesce(x.bd::date, p.birth_date),
      phone = coalesce(x.ph, p.phone), address = coalesce(x.ad, p.address), updated_at = now()
    from json_to_recordset(${JSON.stringify(people)}::json)
      as x(id uuid, pn text, sx text, bd text, ph text, ad text)
    where p.id = x.id`);
}

// A business as the bulk writers take it (short keys keep the JSON small): oid is the owner's id.
export type BusinessWrite = {
  // an update's business; on insert, given by a bulk load (ids in insertion order)
  id?: string;
  oid: string;
  // On insert, the owner's name, given only by a writer that inserted the owner in the same
  // transaction (so no one can rename them before it commits): the owner's search document is
  // then computed set-wise. Without it the trigger businesses_owner_search_insert reads the
  // owner's row, FOR SHARE, one query per business (migration 0046_import_owner_search).
  own?: string | null;
  ref: string | null;
  bn: string;
  kb: string | null;
  kv: number | null;
  rc: string;
  kc: string;
  nib: string | null;
  cap: number | null;
  tov: number | null;
  wk: number | null;
  cv: boolean | null;
  st: 'aktif' | 'tidak_aktif' | 'tutup' | null;
};

const businessColumns =
  sql.raw(`id uuid, oid uuid, own text, ref text, bn text, kb text, kv smallint, rc text, kc text,
  nib text, cap bigint, tov bigint, wk int, cv boolean, st text`);

export async function insertBusinessesSet(db: DbOrTx, rows: readonly BusinessWrite[]) {
  if (rows.length === 0) return;
  await insertBusinessesJson(db, JSON.stringify(rows));
}

// insertBusinessesSet with its rows already serialized (JSON.stringify of BusinessWrite[]): see
// newPeopleJson.
export async function insertBusinessesJson(db: DbOrTx, json: string) {
  await db.execute(sql`
    insert into businesses (id, ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code, nib, capital,
      annual_turnover, workers, covid_impacted, status, owner_search)
    select coalesce(x.id, gen_random_uuid()), x.ref, x.oid, x.bn, x.kb, x.kv, x.rc, x.kc, x.nib, x.cap, x.tov, x.wk,
      x.cv, coalesce(x.st, 'aktif')::business_status, coalesce(registry_name_terms(x.own), ''::tsvector)
    from json_to_recordset(${json}::json) as x(${businessColumns})`);
}

export async function updateBusinessesSet(db: DbOrTx, rows: readonly BusinessWrite[]) {
  if (rows.length === 0) return;
  await db.execute(sql`
    update businesses b set owner_id = x.oid, name = x.bn, kbli = coalesce(x.kb, b.kbli),
      kbli_version = coalesce(x.kv, b.kbli_version), region_code = x.rc, kecamatan_code = x.kc,
      nib = coalesce(x.nib, b.nib), capital = coalesce(x.cap, b.capital),
      annual_turnover = coalesce(x.tov, b.annual_turnover), workers = coalesce(x.wk, b.workers),
      covid_impacted = coalesce(x.cv, b.covid_impacted), status = coalesce(x.st::business_status, b.status),
      updated_at = now()
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(${businessColumns})
    where b.id = x.id`);
}

// Dedup: a merge moves the businesses and marks the duplicate; the undo reverses both.

export async function moveBusiness(db: DbOrTx, id: string, values: { ownerId: string; name: string }) {
  const [row] = await db
    .update(businesses)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(businesses.id, id))
    .returning(businessFields);
  if (!row) throw new Error(`business ${id} vanished while it was locked`);
  return row;
}

export async function markMerged(db: DbOrTx, duplicateId: string, survivorId: string) {
  const [row] = await db
    .update(people)
    .set({ mergedInto: survivorId, updatedAt: new Date() })
    .where(and(eq(people.id, duplicateId), sql`${people.mergedInto} is null`))
    .returning(personFields);
  return row ?? null;
}

// People merged into the duplicate earlier now point at the survivor, so chains stay one hop.
export async function repointMerged(db: DbOrTx, fromId: string, toId: string) {
  return db
    .update(people)
    .set({ mergedInto: toId, updatedAt: new Date() })
    .where(eq(people.mergedInto, fromId))
    .returning({ id: people.id });
}

export async function unmarkMerged(db: DbOrTx, duplicateId: string, survivorId: string) {
  const [row] = await db
    .update(people)
    .set({ mergedInto: null, updatedAt: new Date() })
    .where(and(eq(people.id, duplicateId), eq(people.mergedInto, survivorId)))
    .returning(personFields);
  return row ?? null;
}

export async function repointMergedOf(db: DbOrTx, ids: string[], fromId: string, toId: string) {
  if (ids.length === 0) return [];
  return db
    .update(people)
    .set({ mergedInto: toId, updatedAt: new Date() })
    .where(and(inArray(people.id, ids), eq(people.mergedInto, fromId)))
    .returning({ id: people.id });
}
