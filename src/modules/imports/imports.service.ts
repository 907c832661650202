import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { kecamatanScope } from '../../access/access.service.ts';
import type { Tx } from '../../db/client.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import {
  type Cell,
  cachedRegions,
  type FileIdentity,
  FileIndex,
  type HeaderMap,
  identityWarnings,
  isEmptyRow,
  matchHeader,
  type RegistryRecord,
  type RowContext,
  type RowIssue,
  validateRegistryRow,
} from '../../domain/registry-row.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import {
  type BusinessWrite,
  insertBusinessesSet,
  insertPeopleSet,
  type NewPerson,
  type PersonUpdate,
  registryChanged,
  updateBusinessesSet,
  updatePeopleSet,
} from '../businesses/businesses.service.ts';
import {
  cancelJob,
  checkpointOf,
  claimJobForResume,
  commitJobProgress,
  completeJob,
  createJob,
  dropJobFile,
  findJob,
  findResumableJob,
  getVisibleJob,
  type JobRecord,
  type JobRun,
  listVisibleJobs,
  presentJob,
  readJobFile,
  workerId,
} from '../jobs/jobs.service.ts';
import { settingsRegionCode } from '../settings/settings.service.ts';
import { importLimits, maxUploadBytes } from './imports.limits.ts';
import { type ImportSource, openRowReader, type RowReader } from './imports.parse.ts';
import {
  type Classified,
  classifyRows,
  findPeopleIds,
  type IssueWrite,
  insertIssues,
  listIssues,
  type StagedRow,
} from './imports.queries.ts';
import { type ImportItem, type ImportListItem, issueCap } from './imports.schema.ts';

export const importKind = 'import';
// Kelurahan and kecamatan names are looked up in the officer's kabupaten/kota; the office's
// (settings.regionCode) when the organisation names none, Palangka Raya before it is set.
export const defaultKabkota = '62.71';
export const defaultBatchSize = Number(process.env.PULIH_IMPORT_BATCH ?? 10_000);

export type ImportFileInfo =
  | { type: 'upload'; size: number; sha256: string }
  | { type: 'path'; path: string; size: number; sha256: string; mtimeMs: number };

export type ImportPayload = {
  fileName: string;
  dryRun: boolean;
  source: ImportFileInfo;
  // who asked, as it was then: the scope of the rows they may import
  actor: Actor | null;
  kabkotaCode: string;
  kecamatanScope: string | null;
  batchSize?: number;
};

export type ImportCounts = {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorCount: number;
  warningCount: number;
};

export type ImportResult = ImportCounts & { format: 'csv' | 'xlsx' | null; header: string[] | null };

const zeroCounts: ImportCounts = {
  rows: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  errorCount: 0,
  warningCount: 0,
};

function payloadOf(job: JobRecord): ImportPayload {
  return job.payload as ImportPayload;
}

function resultOf(job: JobRecord): ImportResult {
  const result = (job.result ?? {}) as Partial<ImportResult>;
  return { ...zeroCounts, format: null, header: null, ...result };
}

export function scopeOf(
  actor: Actor | null,
  officeRegion: string = defaultKabkota,
): { kabkotaCode: string; kecamatanScope: string | null } {
  const region = actor?.regionCode ? normalizeRegionCode(actor.regionCode) : null;
  const kabkotaCode = region && region.length >= 5 ? region.slice(0, 5) : (region ?? officeRegion);
  const held = actor ? kecamatanScope(actor) : null;
  return { kabkotaCode, kecamatanScope: held === null ? null : (region ?? '-') };
}

// ---------------------------------------------------------------------------------------
// One row on its way to the database.

type Prepared =
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

function prepareRow(
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

function issueWrites(
  row: number,
  errors: RowIssue[],
  warnings: RowIssue[],
  cells: Cell[] | null,
): IssueWrite[] {
  return [
    ...errors.map((e, i) => ({
      row,
      col: e.column,
      sev: 'error' as const,
      code: e.code,
      msg: e.message,
      vals: i === 0 && cells ? rawValues(cells) : null,
    })),
    ...warnings.map((w) => ({
      row,
      col: w.column,
      sev: 'warning' as const,
      code: w.code,
      msg: w.message,
      vals: null,
    })),
  ];
}

type BatchOutcome = { counts: ImportCounts; issues: IssueWrite[] };

// Decides each row of a batch against the stored registry and, unless this is a dry run,
// writes the batch: new people, changed people, new businesses, changed businesses.
async function mergeBatch(
  tx: Tx,
  batch: readonly Prepared[],
  options: {
    dryRun: boolean;
    kecamatanScope: string | null;
    regionColumn: string | null;
    refColumn: string | null;
  },
): Promise<BatchOutcome> {
  const counts: ImportCounts = { ...zeroCounts };
  const issues: IssueWrite[] = [];
  const accepted = batch.filter((p): p is Extract<Prepared, { kind: 'accepted' }> => p.kind === 'accepted');
  const classified = new Map<number, Classified>();
  if (accepted.length > 0) {
    for (const c of await classifyRows(tx, accepted.map(stage))) classified.set(c.r, c);
  }

  const newPeople = new Map<string, NewPerson>();
  const personUpdates: PersonUpdate[] = [];
  const businessInserts: (Omit<BusinessWrite, 'oid'> & { nik: string; oid: string | null })[] = [];
  const businessUpdates: (Omit<BusinessWrite, 'oid'> & { nik: string; oid: string | null })[] = [];

  for (const p of batch) {
    counts.rows++;
    switch (p.kind) {
      case 'rejected':
        counts.rejected++;
        issues.push(...issueWrites(p.row, p.errors, p.warnings, p.cells));
        break;
      case 'duplicate':
        // The business's first row in the file carries its change; this one changes nothing.
        counts.unchanged++;
        issues.push(...issueWrites(p.row, [], p.warnings, null));
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
          issues.push(...issueWrites(p.row, [error], p.warnings, p.cells));
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
          issues.push(...issueWrites(p.row, [error], p.warnings, p.cells));
          break;
        }
        if (business.ref !== null && c.businessId && c.ownerChanged) {
          p.warnings.push({
            column: options.refColumn,
            code: 'owner_changed',
            message: 'Usaha dengan ref ini terdaftar atas NIK lain; pemiliknya diganti sesuai berkas',
          });
        }
        issues.push(...issueWrites(p.row, [], p.warnings, null));
        const ownerFirst = p.identity.ownerFirstRow === null;
        if (c.personId === null && !newPeople.has(person.nik)) {
          newPeople.set(person.nik, {
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
        const write = {
          nik: person.nik,
          oid: c.ownerId,
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
        if (c.businessId === null) {
          counts.inserted++;
          businessInserts.push(write);
        } else if (c.businessChanged || personChanged) {
          counts.updated++;
          if (c.businessChanged) businessUpdates.push({ ...write, id: c.businessId });
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
  for (const row of await insertPeopleSet(tx, [...newPeople.values()])) ownerIds.set(row.nik, row.id);
  const missing = [...newPeople.keys()].filter((nik) => !ownerIds.has(nik));
  for (const row of await findPeopleIds(tx, missing)) ownerIds.set(row.nik, row.id);
  await updatePeopleSet(tx, personUpdates);
  const withOwner = (w: (typeof businessInserts)[number]): BusinessWrite => {
    const { nik, oid, ...rest } = w;
    const owner = oid ?? ownerIds.get(nik);
    if (!owner) throw new Error(`no owner for NIK of row ${w.bn}`);
    return { ...rest, oid: owner };
  };
  await insertBusinessesSet(tx, businessInserts.map(withOwner));
  await updateBusinessesSet(tx, businessUpdates.map(withOwner));
  return { counts, issues };
}

function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
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

// ---------------------------------------------------------------------------------------
// The job.

export type ImportPosition = { row: number; bytes: number };

export type ImportProgress = {
  done: number;
  total: number | null;
  rowsPerSecond: number | null;
  result: ImportResult;
};

export type RunImportOptions = {
  onProgress?: (progress: ImportProgress) => void;
  // test hook: called after each committed batch (a throw stops the run there)
  afterCommit?: (batch: number) => void | Promise<void>;
};

export function sourceOf(ctx: AppContext, job: JobRecord): ImportSource {
  const payload = payloadOf(job);
  const info = payload.source;
  switch (info.type) {
    case 'upload':
      return { name: payload.fileName, size: info.size, open: () => readJobFile(ctx, job.id) };
    case 'path':
      return {
        name: payload.fileName,
        size: info.size,
        open: () => createReadStream(info.path, { highWaterMark: 1 << 20 }),
      };
  }
}

async function checkSourceUnchanged(info: ImportFileInfo) {
  if (info.type !== 'path') return;
  const current = await stat(info.path).catch(() => null);
  if (!current)
    fail('import_file_unreadable', { reason: 'missing', path: info.path }, `${info.path} is gone.`);
  else if (current.size !== info.size || current.mtimeMs !== info.mtimeMs) {
    fail(
      'import_file_unreadable',
      { reason: 'changed', path: info.path },
      `${info.path} changed since the import began.`,
    );
  }
}

// A batch that met a concurrent import of the same rows (unique violation) or a deadlock is
// retried once from the start: it re-reads what the other import committed.
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (uniqueViolation(error) || code === '40P01' || code === '40001') return work();
    throw error;
  }
}

export async function runImport(
  ctx: AppContext,
  run: JobRun,
  options: RunImportOptions = {},
): Promise<ImportResult> {
  const job = run.job;
  const payload = payloadOf(job);
  await checkSourceUnchanged(payload.source);
  const position = (checkpointOf(job)?.position ?? null) as ImportPosition | null;
  const resumeAfter = position?.row ?? 0;
  let result: ImportResult = resumeAfter > 0 ? resultOf(job) : { ...zeroCounts, format: null, header: null };
  const size = payload.source.size;
  const batchSize = payload.batchSize ?? defaultBatchSize;
  const reader: RowReader = await openRowReader(sourceOf(ctx, job));
  const started = Date.now();
  const doneAtStart = result.rows;
  let batches = 0;

  try {
    const header = matchHeader(reader.header.cells);
    if (header.missing.length > 0) {
      fail('import_columns_missing', { missing: header.missing, found: header.names.filter(Boolean) });
    }
    result = { ...result, format: reader.format, header: header.names };
    const regionPosition = ['kode_wilayah', 'kelurahan', 'kecamatan']
      .map((f) => header.index[f as 'kode_wilayah'])
      .find((i) => i !== undefined);
    const regionColumn = regionPosition === undefined ? null : (header.names[regionPosition] ?? null);
    const refColumn = header.index.ref === undefined ? null : (header.names[header.index.ref] ?? null);
    const rowContext: RowContext = {
      regions: cachedRegions(ctx.regions),
      kbli: ctx.kbli,
      kabkotaCode: payload.kabkotaCode,
      kecamatanScope: payload.kecamatanScope,
    };
    const index = new FileIndex();
    // Header warnings belong to the first batch of a fresh run.
    let headerIssues: IssueWrite[] =
      resumeAfter === 0
        ? header.warnings.map((w) => ({
            row: reader.header.row,
            col: w.column,
            sev: 'warning' as const,
            code: w.code,
            msg: w.message,
            vals: null,
          }))
        : [];

    // A CSV's rows were counted (line breaks) when it was stored; an XLSX is estimated from
    // the share of its bytes read so far.
    const estimateTotal = (done: number, bytes: number) => {
      if (job.total !== null) return Math.max(done, job.total);
      return size && bytes > 0 ? Math.max(done, Math.round((done * size) / bytes)) : null;
    };

    const commit = async (batch: Prepared[], lastRow: number, bytes: number, final: boolean) => {
      const outcome = await withRetry(() =>
        ctx.db.transaction(async (tx) => {
          // On PostgreSQL a crash of the server may then lose the last commits, but together
          // with their checkpoint, so a resumed run redoes them. Not on PGlite: it has no WAL
          // writer, a killed process would lose every commit since its last flush.
          if (ctx.database.engine === 'postgres') await tx.execute(sql`set local synchronous_commit = off`);
          const merged = await mergeBatch(tx, batch, {
            dryRun: payload.dryRun,
            kecamatanScope: payload.kecamatanScope,
            regionColumn,
            refColumn,
          });
          const counts = { ...merged.counts, warningCount: merged.counts.warningCount + headerIssues.length };
          const next: ImportResult = { ...result, ...addCounts(result, counts) };
          // The batch that passes the error cap rolls back; the errors stored before it
          // show what is wrong with the file.
          if (next.errorCount > importLimits.maxErrors)
            fail('import_too_many_errors', { maxErrors: importLimits.maxErrors, row: lastRow });
          // Warnings past the cap are counted, not stored.
          let warningRoom = Math.max(0, importLimits.maxStoredWarnings - result.warningCount);
          const issues = [...headerIssues, ...merged.issues].filter(
            (issue) => issue.sev === 'error' || warningRoom-- > 0,
          );
          await insertIssues(tx, job.id, issues);
          const seconds = (Date.now() - started) / 1000;
          const rate = seconds > 0 ? (next.rows - doneAtStart) / seconds : null;
          if (!payload.dryRun && batch.length > 0) {
            await recordChange(tx, payload.actor, {
              action: 'import',
              entity: 'import',
              entityId: job.id,
              after: { fromRow: batch[0]?.row, toRow: lastRow, ...counts },
            });
          }
          const progress = {
            done: next.rows,
            total: final ? next.rows : estimateTotal(next.rows, bytes),
            checkpoint: { position: { row: lastRow, bytes } satisfies ImportPosition, rowsPerSecond: rate },
            result: next,
          };
          if (final) {
            await completeJob(tx, run, progress);
            // The bad rows are kept in import_issues; the file is no longer needed (a dry run
            // keeps it, so that it can be imported for real without uploading it again).
            if (!payload.dryRun) await dropJobFile(tx, job.id);
          } else {
            await commitJobProgress(tx, run, progress);
          }
          return { next, total: progress.total, rate };
        }),
      );
      headerIssues = [];
      result = outcome.next;
      batches++;
      options.onProgress?.({ done: result.rows, total: outcome.total, rowsPerSecond: outcome.rate, result });
      await options.afterCommit?.(batches);
    };

    // While one batch is being written, the next one is read and validated.
    let inflight: Promise<void> = Promise.resolve();
    let batch: Prepared[] = [];
    let lastRow = Math.max(resumeAfter, reader.header.row);
    let sinceYield = 0;
    let rowsRead = 0;
    for await (const { row, cells } of reader.rows) {
      if (isEmptyRow(cells)) continue;
      if (++rowsRead > importLimits.maxRows)
        fail('import_too_many_rows', { maxRows: importLimits.maxRows, row });
      // Rows before the checkpoint are read again only to rebuild the in-file identity index.
      const prepared = prepareRow(row, cells, header, rowContext, index);
      // PGlite answers through promises only: without a turn of the event loop now and then,
      // an import would hold the process, and the server's requests and timers would wait.
      if (++sinceYield >= 2000) {
        sinceYield = 0;
        await new Promise((done) => setImmediate(done));
      }
      if (row <= resumeAfter) continue;
      batch.push(prepared);
      lastRow = row;
      if (batch.length >= batchSize) {
        await inflight;
        if (run.signal.aborted) throw new AppError('internal_error', undefined, 'The import was stopped.');
        const ready = batch;
        batch = [];
        inflight = commit(ready, lastRow, reader.bytesRead(), false);
        inflight.catch(() => undefined);
      }
    }
    await inflight;
    await commit(batch, lastRow, reader.bytesRead(), true);
    // New or changed people may be duplicates of stored ones: dedup (subscribed at assembly)
    // recomputes its review queue in the background once the rows are committed.
    if (!payload.dryRun && result.inserted + result.updated > 0)
      await registryChanged(ctx, { actor: payload.actor });
    return result;
  } finally {
    reader.close();
  }
}

export const runImportJob = async (ctx: AppContext, run: JobRun): Promise<void> => {
  await runImport(ctx, run);
};

// ---------------------------------------------------------------------------------------
// Creating imports.

export type StoredUpload = {
  path: string;
  fileName: string;
  size: number;
  sha256: string;
  // line breaks counted while storing: the row estimate of a CSV before it is read
  lines: number;
  endsWithNewline: boolean;
};

async function measure(input: Readable, output: Writable | null, maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  let lines = 0;
  let last = -1;
  async function* tap(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) fail('import_file_too_large', { maxBytes });
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (chunk.length > 0) last = chunk[chunk.length - 1] ?? -1;
      yield chunk;
    }
  }
  if (output) await pipeline(input, tap, output);
  else for await (const _ of tap(input)) void _;
  return { size, sha256: hash.digest('hex'), lines, endsWithNewline: last === 10 };
}

// Streams an upload to a temporary file (a slow upload must not hold a database
// transaction open), measuring it on the way.
export async function storeUpload(
  file: Readable,
  fileName: string,
  maxBytes = maxUploadBytes,
): Promise<StoredUpload> {
  const path = join(tmpdir(), `pulih-import-${randomBytes(8).toString('hex')}`);
  try {
    const measured = await measure(file, createWriteStream(path), maxBytes);
    if ((file as Readable & { truncated?: boolean }).truncated) fail('import_file_too_large', { maxBytes });
    return { path, fileName: basename(fileName || 'import.csv'), ...measured };
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

function rowEstimate(upload: { lines: number; endsWithNewline: boolean }, format: 'csv' | 'xlsx') {
  if (format !== 'csv') return null;
  return Math.max(0, upload.lines - (upload.endsWithNewline ? 1 : 0));
}

// Reads the header before anything is stored, so a file without the required columns is
// refused at once with the list of what is missing.
async function checkHeader(source: ImportSource) {
  const reader = await openRowReader(source);
  try {
    const header = matchHeader(reader.header.cells);
    if (header.missing.length > 0) {
      fail('import_columns_missing', { missing: header.missing, found: header.names.filter(Boolean) });
    }
    return { format: reader.format, header };
  } finally {
    reader.close();
  }
}

export async function createUploadedImport(
  ctx: AppContext,
  actor: Actor,
  upload: StoredUpload,
  options: { dryRun: boolean },
): Promise<ImportItem> {
  const { format } = await checkHeader({
    name: upload.fileName,
    size: upload.size,
    open: () => createReadStream(upload.path),
  });
  const payload: ImportPayload = {
    fileName: upload.fileName,
    dryRun: options.dryRun,
    source: { type: 'upload', size: upload.size, sha256: upload.sha256 },
    actor,
    ...scopeOf(actor, await settingsRegionCode(ctx)),
  };
  const job = await createJob(ctx, actor, {
    kind: importKind,
    payload,
    total: rowEstimate(upload, format),
    file: createReadStream(upload.path, { highWaterMark: 1 << 20 }),
  });
  return presentImport(job, { errors: [], warnings: [] });
}

// A checked dry run becomes the real import of the same stored file.
// Cancels an import that has not finished: the batches it committed stay (each whole, with
// its rows counted in the summary), the one in progress rolls back, and nothing more is read.
export async function cancelImport(ctx: AppContext, actor: Actor | null, id: string): Promise<ImportItem> {
  const job = actor ? await getVisibleImport(ctx, actor, id) : await findImportJob(ctx, id);
  return summaryOf(ctx, await cancelJob(ctx, actor, job.id));
}

export async function runDryImportForReal(ctx: AppContext, actor: Actor, id: string): Promise<ImportItem> {
  const dry = await getVisibleImport(ctx, actor, id);
  const payload = payloadOf(dry);
  if (!payload.dryRun || dry.status !== 'succeeded' || payload.source.type !== 'upload') {
    return fail('conflict', { reason: 'not_a_finished_dry_run' });
  }
  const job = await createJob(ctx, actor, {
    kind: importKind,
    payload: {
      ...payload,
      dryRun: false,
      actor,
      ...scopeOf(actor, await settingsRegionCode(ctx)),
    } satisfies ImportPayload,
    total: dry.done,
    file: { fromJob: dry.id },
  });
  return presentImport(job, { errors: [], warnings: [] });
}

export type PathImport = { job: JobRecord; worker: string; resumed: boolean };

function cliLockIsDead(lockedBy: string | null): boolean {
  const [kind, host, pid] = (lockedBy ?? '').split(':');
  if (kind !== 'cli' || host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

export class ImportBusyError extends Error {}

// The CLI imports a local file in-process. The job records the file's path and hash: the
// same file again (or `pulih import resume`) takes over an unfinished job of it and
// continues after its checkpoint.
export async function startPathImport(
  ctx: AppContext,
  file: string,
  options: { dryRun: boolean; kabkotaCode?: string; batchSize?: number },
): Promise<PathImport> {
  const path = resolve(file);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile())
    return fail('import_file_unreadable', { reason: 'missing', path }, `Cannot read ${file}.`);
  const measured = await measure(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    null,
    Number.MAX_SAFE_INTEGER,
  );
  const worker = workerId('cli');
  const existing = await findResumableJob(ctx, importKind, {
    dryRun: options.dryRun,
    source: { type: 'path', sha256: measured.sha256 },
  });
  if (existing) {
    const claimed = await claimJobForResume(
      ctx,
      existing.id,
      worker,
      cliLockIsDead(existing.lockedBy) ? existing.lockedBy : null,
    );
    if (!claimed)
      throw new ImportBusyError(
        `This file is being imported right now by ${existing.lockedBy} (job ${existing.id}).`,
      );
    const payload = payloadOf(claimed);
    // the same content, perhaps moved or touched since
    claimed.payload = {
      ...payload,
      source: { ...payload.source, path, size: info.size, mtimeMs: info.mtimeMs },
    };
    return { job: claimed, worker, resumed: true };
  }
  const { format } = await checkHeader({
    name: basename(path),
    size: info.size,
    open: () => createReadStream(path),
  });
  const payload: ImportPayload = {
    fileName: basename(path),
    dryRun: options.dryRun,
    source: { type: 'path', path, size: info.size, sha256: measured.sha256, mtimeMs: info.mtimeMs },
    actor: null,
    kabkotaCode: options.kabkotaCode ?? (await settingsRegionCode(ctx)),
    kecamatanScope: null,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  };
  const job = await createJob(ctx, null, { kind: importKind, payload, total: rowEstimate(measured, format) });
  const claimed = await claimJobForResume(ctx, job.id, worker);
  if (!claimed) throw new ImportBusyError(`Job ${job.id} was taken by another process.`);
  return { job: claimed, worker, resumed: false };
}

export async function resumePathImport(ctx: AppContext, id: string): Promise<PathImport> {
  const existing = await findImportJob(ctx, id);
  if (existing.status === 'succeeded') return { job: existing, worker: '', resumed: false };
  const worker = workerId('cli');
  const claimed = await claimJobForResume(
    ctx,
    id,
    worker,
    cliLockIsDead(existing.lockedBy) ? existing.lockedBy : null,
  );
  if (!claimed)
    throw new ImportBusyError(
      `Job ${id} is held by ${existing.lockedBy}; it is taken over 60 s after its last heartbeat.`,
    );
  return { job: claimed, worker, resumed: true };
}

async function findImportJob(ctx: AppContext, id: string) {
  const job = await findJob(ctx, id);
  if (!job || job.kind !== importKind) return fail('not_found');
  return job;
}

// ---------------------------------------------------------------------------------------
// Reading imports.

async function getVisibleImport(ctx: AppContext, actor: Actor, id: string) {
  const job = await getVisibleJob(ctx, actor, id);
  if (job.kind !== importKind) return fail('not_found');
  return job;
}

function presentImport(
  job: JobRecord,
  issues: { errors: ImportItem['summary']['errors']; warnings: ImportItem['summary']['warnings'] },
): ImportItem {
  const payload = payloadOf(job);
  const result = resultOf(job);
  const { progress, status, error } = presentJob(job);
  return {
    id: job.id,
    status,
    dryRun: payload.dryRun,
    fileName: payload.fileName,
    format: result.format,
    progress,
    summary: {
      rows: result.rows,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      rejected: result.rejected,
      errors: issues.errors,
      warnings: issues.warnings,
      errorCount: result.errorCount,
      warningCount: result.warningCount,
    },
    error,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

const toIssue = (i: { row: number; column: string | null; code: string; message: string }) => ({
  row: i.row,
  column: i.column,
  code: i.code,
  message: i.message,
});

export async function summaryOf(ctx: AppContext, job: JobRecord): Promise<ImportItem> {
  const [errors, warnings] = [
    await listIssues(ctx.db, job.id, { severity: 'error', limit: issueCap }),
    await listIssues(ctx.db, job.id, { severity: 'warning', limit: issueCap }),
  ];
  return presentImport(job, { errors: errors.map(toIssue), warnings: warnings.map(toIssue) });
}

export async function getImport(ctx: AppContext, actor: Actor, id: string): Promise<ImportItem> {
  return summaryOf(ctx, await getVisibleImport(ctx, actor, id));
}

export async function listImports(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
) {
  const result = await listVisibleJobs(ctx, actor, importKind, page);
  return {
    items: result.items.map((job): ImportListItem => {
      const { summary, ...rest } = presentImport(job, { errors: [], warnings: [] });
      const { errors: _e, warnings: _w, ...counts } = summary;
      return { ...rest, summary: counts };
    }),
    nextCursor: result.nextCursor,
  };
}

export async function listImportIssues(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: { severity?: 'error' | 'warning' | undefined; limit: number; cursor?: string | undefined },
) {
  await getVisibleImport(ctx, actor, id);
  const after = decodeCursor(query.cursor, 2) as [number, number] | null;
  const rows = await listIssues(ctx.db, id, { severity: query.severity, after, limit: query.limit + 1 });
  const paged = pageOf(rows, query.limit, (r) => [r.row, r.id]);
  return {
    items: paged.items.map((r) => ({ ...toIssue(r), severity: r.severity })),
    nextCursor: paged.nextCursor,
  };
}

// Every issue of a job in file order, a page at a time (memory stays at one page).
export async function* eachIssue(ctx: AppContext, jobId: string, severity: 'error' | 'warning') {
  let after: [number, number] | null = null;
  for (;;) {
    const rows = await listIssues(ctx.db, jobId, { severity, after, limit: 5000 });
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < 5000) return;
    after = [last.row, last.id];
  }
}

// PRODUCT.md's summary, with every error and warning, written as it is read.
export async function writeSummaryJson(ctx: AppContext, job: JobRecord, out: Writable) {
  const result = resultOf(job);
  const write = (text: string) =>
    new Promise<void>((done, failed) => {
      if (out.write(text)) done();
      else {
        out.once('drain', done);
        out.once('error', failed);
      }
    });
  const { rows, inserted, updated, unchanged, rejected } = result;
  await write(
    `{"rows":${rows},"inserted":${inserted},"updated":${updated},"unchanged":${unchanged},"rejected":${rejected}`,
  );
  for (const severity of ['error', 'warning'] as const) {
    await write(`,"${severity}s":[`);
    let first = true;
    for await (const issue of eachIssue(ctx, job.id, severity)) {
      await write(`${first ? '' : ','}${JSON.stringify(toIssue(issue))}`);
      first = false;
    }
    await write(']');
  }
  await write('}\n');
}

export async function errorReportOf(ctx: AppContext, actor: Actor, id: string) {
  const job = await getVisibleImport(ctx, actor, id);
  const result = resultOf(job);
  // The report repeats the bad rows with their NIKs: an export of personal data (UU PDP).
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: `import:${job.id}`,
    rows: result.rejected,
  });
  return { job, header: result.header ?? [], fileName: payloadOf(job).fileName };
}
