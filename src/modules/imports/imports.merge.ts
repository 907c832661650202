import { randomBytes, randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import {
  type Cell,
  type FileIdentity,
  type FileIndex,
  type HeaderMap,
  identityWarnings,
  type RegistryRecord,
  type RowContext,
  type RowIssue,
  validateRegistryRow,
} from '../../domain/registry-row.ts';
import {
  type BusinessWrite,
  copyBusinesses,
  copyPeople,
  insertBusinessesJson,
  insertBusinessesSet,
  insertPeopleJson,
  insertPeopleSet,
  type NewPerson,
  newBusinessesCopy,
  newPeopleCopy,
  newPeopleJson,
  type PersonUpdate,
  updateBusinessesSet,
  updatePeopleSet,
} from '../businesses/businesses.service.ts';
import { type ImportCounts, zeroCounts } from './imports.model.ts';
import {
  type Classified,
  classifyRows,
  findPeopleIds,
  type IssueWrite,
  type StagedRow,
} from './imports.queries.ts';

// One row on its way to the database.

export type Prepared =
  | { kind: 'rejected'; row: number; cells: Cell[]; errors: RowIssue[]; warnings: RowIssue[] }
  | { kind: 'duplicate'; row: number; warnings: RowIssue[] }
  | {
      kind: 'accepted';
      row: number;
      cells: Cell[];
      record: RegistryRecord;
      identity: FileIdentity;
      warnings: RowIssue[];
    };

export function prepareRow(
  row: number,
  cells: Cell[],
  header: HeaderMap,
  rowContext: RowContext,
  index: FileIndex,
): Prepared {
  const outcome = validateRegistryRow(cells, header, rowContext);
  if (!outcome.ok)
    return { kind: 'rejected', row, cells, errors: outcome.errors, warnings: outcome.warnings };
  const identity = index.track(outcome.record, row);
  const nikPosition = header.index.nik;
  const warnings = [
    ...outcome.warnings,
    ...identityWarnings(identity, nikPosition === undefined ? null : (header.names[nikPosition] ?? 'nik')),
  ];
  if (identity.duplicateOf !== null) return { kind: 'duplicate', row, warnings };
  return { kind: 'accepted', row, cells, record: outcome.record, identity, warnings };
}

// Ids for a bulk load's new rows, in the order they are written. A random id lands on a random
// page of the primary key (and of businesses' owner + name key): past a few hundred thousand
// rows those pages no longer fit the server's buffers, and an insert of 900,000 people cost
// twice the CPU with random ids as with ordered ones (docs/benchmarks.md). An id is the run's
// random 48-bit prefix, a counter, then 48 random bits of its own (so that one id does not give
// away its neighbours): in order within the run, and with no time in it, unlike UUIDv7. Marked
// version 8, RFC 9562's version for a layout of one's own.
export function orderedIds(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let pool = randomBytes(0);
  let at = 0;
  let counter = 0;
  return () => {
    if (at + 6 > pool.length) {
      pool = randomBytes(6 * 4096);
      at = 0;
    }
    const tail = pool.toString('hex', at, at + 6);
    at += 6;
    // 26 bits of counter: 12 after the version digit, 14 under the variant bits (10)
    const n = counter++ % 0x4000000;
    const high = (n >>> 14).toString(16).padStart(3, '0');
    const low = (0x8000 | (n & 0x3fff)).toString(16);
    return `${prefix.slice(0, 8)}-${prefix.slice(8)}-8${high}-${low}-${tail}`;
  };
}

function stage(p: Extract<Prepared, { kind: 'accepted' }>): StagedRow {
  const { person: o, business: b } = p.record;
  return {
    r: p.row,
    nik: o.nik,
    pn: o.name,
    sx: o.sex,
    bd: o.birthDate,
    ph: o.phone,
    ad: o.address,
    ref: b.ref,
    bn: b.name,
    kb: b.kbli,
    kv: b.kbliVersion,
    rc: b.regionCode,
    kc: b.kecamatanCode,
    nib: b.nib,
    cap: b.capital,
    tov: b.annualTurnover,
    wk: b.workers,
    cv: b.covidImpacted,
    st: b.status,
  };
}

// The bad row as it was in the file, for the error report (one copy per row).
function rawValues(cells: readonly Cell[]): string[] {
  return cells.map((c) => {
    if (c === null || c === undefined) return '';
    if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10);
    if (typeof c === 'number') return Number.isInteger(c) ? c.toFixed(0) : String(c);
    if (typeof c === 'boolean') return c ? 'ya' : 'tidak';
    return c.replaceAll('\u0000', '');
  });
}

// Appended to the batch's list in place: most rows have no issue, and a pair of arrays made
// and spread per row is garbage the collector pays for on every batch.
function pushIssues(
  into: IssueWrite[],
  row: number,
  errors: readonly RowIssue[],
  warnings: readonly RowIssue[],
  cells: Cell[] | null,
) {
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as RowIssue;
    into.push({
      row,
      col: e.column,
      sev: 'error',
      code: e.code,
      msg: e.message,
      vals: i === 0 && cells ? rawValues(cells) : null,
    });
  }
  for (const w of warnings) {
    into.push({ row, col: w.column, sev: 'warning', code: w.code, msg: w.message, vals: null });
  }
}

type BatchOutcome = { counts: ImportCounts; issues: IssueWrite[] };

// Decides each row of a batch against the stored registry and, unless this is a dry run,
// writes the batch: new people, changed people, new businesses, changed businesses.
export async function mergeBatch(
  tx: Tx,
  batch: readonly Prepared[],
  options: {
    dryRun: boolean;
    kecamatanScope: string | null;
    regionColumn: string | null;
    refColumn: string | null;
    // A bulk load's ids for new people and businesses (orderedIds): rows in insertion order.
    newId?: () => string;
  },
): Promise<BatchOutcome> {
  const counts: ImportCounts = { ...zeroCounts };
  const issues: IssueWrite[] = [];
  const classified = new Map<number, Classified>();
  const accepted = batch.filter((p): p is Extract<Prepared, { kind: 'accepted' }> => p.kind === 'accepted');
  if (accepted.length > 0)
    for (const c of await classifyRows(tx, accepted.map(stage))) classified.set(c.r, c);

  const newPeople = new Map<string, NewPerson>();
  const personUpdates: PersonUpdate[] = [];
  // A write's owner id is filled in once its new people are inserted ('' until then), from the
  // NIK at the same position: one object per business, sent as it is.
  const businessInserts: BusinessWrite[] = [];
  const insertNiks: string[] = [];
  const businessUpdates: BusinessWrite[] = [];
  const updateNiks: string[] = [];

  for (const p of batch) {
    counts.rows++;
    switch (p.kind) {
      case 'rejected':
        counts.rejected++;
        pushIssues(issues, p.row, p.errors, p.warnings, p.cells);
        break;
      case 'duplicate':
        // The business's first row in the file carries its change; this one changes nothing.
        counts.unchanged++;
        pushIssues(issues, p.row, [], p.warnings, null);
        break;
      case 'accepted': {
        const c = classified.get(p.row);
        if (!c) throw new Error(`row ${p.row} was not classified`);
        const { person, business } = p.record;
        if (options.kecamatanScope && c.businessKecamatan && c.businessKecamatan !== options.kecamatanScope) {
          counts.rejected++;
          const error: RowIssue = {
            column: options.regionColumn,
            code: 'outside_scope',
            message: 'Usaha dengan ref atau NIK dan nama ini terdaftar di kecamatan lain',
          };
          pushIssues(issues, p.row, [error], p.warnings, p.cells);
          break;
        }
        // A ref names one business in the system it came from; two sources may both number
        // their rows 1, 2, 3. A ref whose business has another owner and another name is taken
        // to be such a clash, not a correction, and is refused.
        if (business.ref !== null && c.businessId && c.ownerChanged && c.nameChanged) {
          counts.rejected++;
          const error: RowIssue = {
            column: options.refColumn,
            code: 'ref_taken',
            message: 'Ref ini sudah dipakai usaha lain (pemilik dan nama usaha berbeda)',
          };
          pushIssues(issues, p.row, [error], p.warnings, p.cells);
          break;
        }
        if (business.ref !== null && c.businessId && c.ownerChanged) {
          p.warnings.push({
            column: options.refColumn,
            code: 'owner_changed',
            message: 'Usaha dengan ref ini terdaftar atas NIK lain; pemiliknya diganti sesuai berkas',
          });
        }
        pushIssues(issues, p.row, [], p.warnings, null);
        const ownerFirst = p.identity.ownerFirstRow === null;
        if (c.personId === null && !newPeople.has(person.nik)) {
          newPeople.set(person.nik, {
            ...(options.newId ? { id: options.newId() } : {}),
            nik: person.nik,
            pn: person.name,
            sx: person.sex ?? person.nikSex,
            bd: person.birthDate ?? person.nikBirthDate,
            ph: person.phone,
            ad: person.address,
          });
        }
        const personChanged = ownerFirst && c.personId !== null && c.personChanged;
        if (personChanged && c.personId) {
          personUpdates.push({
            id: c.personId,
            pn: person.name,
            sx: person.sex,
            bd: person.birthDate,
            ph: person.phone,
            ad: person.address,
          });
        }
        const write = businessWrite(c.ownerId ?? '', business);
        if (c.businessId === null) {
          counts.inserted++;
          if (options.newId) write.id = options.newId();
          businessInserts.push(write);
          insertNiks.push(person.nik);
        } else if (c.businessChanged || personChanged) {
          counts.updated++;
          if (c.businessChanged) {
            write.id = c.businessId;
            businessUpdates.push(write);
            updateNiks.push(person.nik);
          }
        } else {
          counts.unchanged++;
        }
        break;
      }
    }
  }
  for (const issue of issues) {
    if (issue.sev === 'error') counts.errorCount++;
    else counts.warningCount++;
  }
  if (options.dryRun) return { counts, issues };

  const ownerIds = new Map<string, string>();
  // The owners this statement inserted: no one else sees them before the batch commits, so their
  // names as written are their names when the businesses are written.
  const insertedNames = new Map<string, string>();
  const inserted = await insertPeopleSet(tx, [...newPeople.values()], 'skip');
  for (const row of inserted) {
    ownerIds.set(row.nik, row.id);
    insertedNames.set(row.nik, newPeople.get(row.nik)?.pn ?? '');
  }
  const missing = [...newPeople.keys()].filter((nik) => !ownerIds.has(nik));
  for (const row of await findPeopleIds(tx, missing)) ownerIds.set(row.nik, row.id);
  await updatePeopleSet(tx, personUpdates);
  const withOwners = (writes: BusinessWrite[], niks: readonly string[], names: boolean) => {
    writes.forEach((w, i) => {
      if (w.oid) return;
      const nik = niks[i] ?? '';
      const owner = ownerIds.get(nik);
      if (!owner) throw new Error(`no owner for NIK of row ${w.bn}`);
      w.oid = owner;
      // the owner's search document from this name, set-wise, instead of a trigger query per row
      if (names) w.own = insertedNames.get(nik) ?? null;
    });
    return writes;
  };
  await insertBusinessesSet(tx, withOwners(businessInserts, insertNiks, true));
  await updateBusinessesSet(tx, withOwners(businessUpdates, updateNiks, false));
  return { counts, issues };
}

// A fresh load's batch, decided and serialized before its transaction begins (while the batch
// before it is being written): a first load's rows match nothing stored, so nothing in its
// statements depends on the database but the owners first seen in an earlier batch. The batch is
// not classified against the stored rows (in-file identity already skipped the repeats), and
// inside the transaction the database never waits on this pass, the name keys or the JSON
// (≈ 150 ms a batch of 10,000). The decisions are mergeBatch's for rows that match nothing
// stored; a concurrent writer's row that clashes with one of these fails the batch on a unique
// key, and the batch is then retried through mergeBatch, classified (imports.job.ts).
export type FreshPlan = {
  counts: ImportCounts;
  issues: IssueWrite[];
  // the new owners first seen in this batch, each with its id, and their businesses, owner ids
  // filled in: COPY rows on PostgreSQL (newPeopleCopy, newBusinessesCopy), JSON statements on
  // PGlite (newPeopleJson, JSON of BusinessWrite[])
  rows:
    | { copy: true; people: Buffer; businesses: Buffer }
    | { copy: false; people: string; businesses: string };
  // the businesses of owners first seen in an earlier batch, written once their ids are read
  earlierOwners: Map<string, NewPerson>;
  laterInserts: BusinessWrite[];
  laterNiks: string[];
};

// Rows of Node's work between turns of the event loop while a batch is being written. The
// transaction's replies (about ten a batch) are read only at a turn: at 2,000 rows (about 50 ms
// of validation) each one waited that long, and the database with it (docs/benchmarks.md).
export const rowsPerTurn = 250;

export type FreshWriting = {
  newId?: () => string;
  // PostgreSQL: COPY rows, with the names' search documents given where documents (see
  // newBusinessesCopy)
  copy?: { documents: boolean };
};

export async function planFreshBatch(batch: readonly Prepared[], options: FreshWriting): Promise<FreshPlan> {
  const counts: ImportCounts = { ...zeroCounts };
  const issues: IssueWrite[] = [];
  // Without a bulk load's ordered ids, random ones, as the database would draw them.
  const newId = options.newId ?? randomUUID;
  const newPeople = new Map<string, NewPerson>();
  const earlierOwners = new Map<string, NewPerson>();
  const firstRow = batch[0]?.row ?? 0;
  const inserts: BusinessWrite[] = [];
  const laterInserts: BusinessWrite[] = [];
  const laterNiks: string[] = [];
  for (let i = 0; i < batch.length; i++) {
    // A turn of the event loop now and then, so that the batch being written gets its replies.
    if (i > 0 && i % rowsPerTurn === 0) await new Promise((done) => setImmediate(done));
    const p = batch[i] as Prepared;
    counts.rows++;
    if (p.kind === 'rejected') {
      counts.rejected++;
      pushIssues(issues, p.row, p.errors, p.warnings, p.cells);
      continue;
    }
    if (p.kind === 'duplicate') {
      counts.unchanged++;
      pushIssues(issues, p.row, [], p.warnings, null);
      continue;
    }
    pushIssues(issues, p.row, [], p.warnings, null);
    const { person, business } = p.record;
    const nik = person.nik;
    let ownerId = newPeople.get(nik)?.id ?? '';
    if (!ownerId && !earlierOwners.has(nik)) {
      const earlier = p.identity.ownerFirstRow !== null && p.identity.ownerFirstRow < firstRow;
      const owner: NewPerson = {
        ...(earlier ? {} : { id: newId() }),
        nik,
        pn: person.name,
        sx: person.sex ?? person.nikSex,
        bd: person.birthDate ?? person.nikBirthDate,
        ph: person.phone,
        ad: person.address,
      };
      (earlier ? earlierOwners : newPeople).set(nik, owner);
      ownerId = owner.id ?? '';
    }
    counts.inserted++;
    const write = businessWrite(ownerId, business);
    write.id = newId();
    // the owner's search document from the name this batch writes (see mergeBatch)
    write.own = ownerId ? (newPeople.get(nik)?.pn ?? null) : null;
    if (ownerId) inserts.push(write);
    else {
      laterInserts.push(write);
      laterNiks.push(nik);
    }
  }
  for (const issue of issues) {
    if (issue.sev === 'error') counts.errorCount++;
    else counts.warningCount++;
  }
  await new Promise((done) => setImmediate(done));
  const owners = [...newPeople.values()];
  const rows: FreshPlan['rows'] = options.copy
    ? {
        copy: true,
        people: newPeopleCopy(owners),
        businesses: newBusinessesCopy(inserts, options.copy.documents),
      }
    : { copy: false, people: newPeopleJson(owners), businesses: JSON.stringify(inserts) };
  return { counts, issues, rows, earlierOwners, laterInserts, laterNiks };
}

// Writes a FreshPlan: its new people (a NIK someone else holds fails the statement on its unique
// key, and the caller retries the batch through mergeBatch), their businesses, then the
// businesses of earlier batches' owners.
export async function writeFreshPlan(tx: Tx, plan: FreshPlan): Promise<BatchOutcome> {
  const rows = plan.rows;
  if (rows.copy) {
    if (rows.people.length > 0) await copyPeople(tx, rows.people);
    if (rows.businesses.length > 0) await copyBusinesses(tx, rows.businesses);
  } else {
    if (rows.people !== '[]') await insertPeopleJson(tx, rows.people, 'fail');
    if (rows.businesses !== '[]') await insertBusinessesJson(tx, rows.businesses);
  }
  if (plan.earlierOwners.size > 0) {
    const ownerIds = new Map<string, string>();
    const insertedNames = new Map<string, string>();
    for (const row of await findPeopleIds(tx, [...plan.earlierOwners.keys()])) ownerIds.set(row.nik, row.id);
    // one that an earlier batch did not write after all (a retried batch may reject rows)
    const missing = [...plan.earlierOwners.values()].filter((person) => !ownerIds.has(person.nik));
    for (const row of await insertPeopleSet(tx, missing, 'fail')) {
      ownerIds.set(row.nik, row.id);
      insertedNames.set(row.nik, plan.earlierOwners.get(row.nik)?.pn ?? '');
    }
    plan.laterInserts.forEach((w, i) => {
      const nik = plan.laterNiks[i] ?? '';
      const owner = ownerIds.get(nik);
      if (!owner) throw new Error(`no owner for NIK of row ${w.bn}`);
      w.oid = owner;
      w.own = insertedNames.get(nik) ?? null;
    });
    await insertBusinessesSet(tx, plan.laterInserts);
  }
  return { counts: plan.counts, issues: plan.issues };
}

export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return {
    rows: a.rows + b.rows,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    rejected: a.rejected + b.rejected,
    errorCount: a.errorCount + b.errorCount,
    warningCount: a.warningCount + b.warningCount,
  };
}

// A business row of the file as the registry's writers take it.
function businessWrite(ownerId: string, business: RegistryRecord['business']): BusinessWrite {
  return {
    oid: ownerId,
    ref: business.ref,
    bn: business.name,
    kb: business.kbli,
    kv: business.kbliVersion,
    rc: business.regionCode,
    kc: business.kecamatanCode,
    nib: business.nib,
    cap: business.capital,
    tov: business.annualTurnover,
    wk: business.workers,
    cv: business.covidImpacted,
    st: business.status,
  };
}
