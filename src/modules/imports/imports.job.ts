import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import {
  buildRegistryIndexes,
  dropRegistryIndexes,
  restoreRegistryIndexes,
} from '../../db/registry-indexes.ts';
import { queryRow } from '../../db/sql-rows.ts';
import {
  cachedRegions,
  FileIndex,
  isEmptyRow,
  matchHeader,
  type RowContext,
} from '../../domain/registry-row.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, fail, uniqueViolation } from '../../lib/errors.ts';
import { recordChange } from '../audit/audit.service.ts';
import { registryChanged } from '../businesses/businesses.service.ts';
import {
  checkpointOf,
  commitJobProgress,
  completeJob,
  dropJobFile,
  type JobRecord,
  type JobRun,
  readJobFile,
} from '../jobs/jobs.service.ts';
import { importLimits } from './imports.limits.ts';
import {
  addCounts,
  type FreshPlan,
  type FreshWriting,
  mergeBatch,
  orderedIds,
  type Prepared,
  planFreshBatch,
  prepareRow,
  rowsPerTurn,
  writeFreshPlan,
} from './imports.merge.ts';
import {
  bulkMinimumRows,
  defaultBatchSize,
  type ImportFileInfo,
  type ImportPayload,
  type ImportResult,
  payloadOf,
  resultOf,
  zeroCounts,
} from './imports.model.ts';
import { type ImportSource, openRowReader, type RowReader } from './imports.parse.ts';
import { type IssueWrite, insertIssues } from './imports.queries.ts';

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
async function withRetry<T>(work: (retry: boolean) => Promise<T>): Promise<T> {
  try {
    return await work(false);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (uniqueViolation(error) || code === '40P01' || code === '40001') return work(true);
    throw error;
  }
}

// Bulk mode, for a first load: the registry's secondary indexes and its owner foreign key
// (src/db/registry-indexes.ts) are dropped before the first batch and built once, inside the
// transaction of the last batch, so that a finished import never leaves them missing. A run
// that was stopped or killed half-way builds whatever is missing before it writes again
// (and then goes on with the indexes in place): a crash ends with every index present once
// the import is resumed. Only a fresh, real run of a large file into an empty registry, or
// one asked for with --bulk, takes this path.
// Also answers whether the registry was empty when the run began (a "fresh" load: its batches are
// planned by planFreshBatch, unclassified); a resumed run is never fresh, since it cannot know
// who wrote in between.
// And, for a fresh load, whether the database lower-cases A–Z as Node does (every collation but
// a Turkic one), so that the search documents of plain ASCII names (businesses' and owners') can be given.
async function enterBulkMode(ctx: AppContext, job: JobRecord, payload: ImportPayload, resumeAfter: number) {
  const none = { bulk: false, fresh: false, asciiLower: false };
  if (payload.dryRun) return none;
  if (resumeAfter > 0) {
    await restoreRegistryIndexes(ctx.db);
    return none;
  }
  const stored = await queryRow<{ empty: boolean; asciiLower: boolean }>(
    ctx.db,
    sql`select not exists (select 1 from businesses) and not exists (select 1 from people) as empty,
          lower('ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'abcdefghijklmnopqrstuvwxyz' as "asciiLower"`,
  );
  const fresh = stored?.empty === true;
  const bulk = payload.bulk === true || (fresh && (job.total ?? 0) >= bulkMinimumRows);
  if (bulk) await ctx.db.transaction((tx) => dropRegistryIndexes(tx));
  else await restoreRegistryIndexes(ctx.db);
  return { bulk, fresh, asciiLower: stored?.asciiLower === true };
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
  const { bulk, fresh, asciiLower } = await enterBulkMode(ctx, job, payload, resumeAfter);
  const newId = bulk ? orderedIds() : undefined;
  // A fresh load's rows go by COPY on PostgreSQL (PGlite has no COPY from the client).
  const writing: FreshWriting = {
    ...(newId ? { newId } : {}),
    ...(ctx.database.engine === 'postgres' ? { copy: { documents: asciiLower } } : {}),
  };
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

    // A fresh load's batch is decided and serialized before its transaction (FreshPlan); a retry
    // after a unique violation classifies it against the stored rows instead.
    const planOf = (batch: readonly Prepared[]) =>
      fresh ? planFreshBatch(batch, writing) : Promise.resolve(null);
    const commit = async (
      batch: Prepared[],
      plan: FreshPlan | null,
      lastRow: number,
      bytes: number,
      final: boolean,
    ) => {
      const outcome = await withRetry((retry) =>
        ctx.db.transaction(async (tx) => {
          // On PostgreSQL a crash of the server may then lose the last commits, but together
          // with their checkpoint, so a resumed run redoes them. Not on PGlite: it has no WAL
          // writer, a killed process would lose every commit since its last flush.
          if (ctx.database.engine === 'postgres') await tx.execute(sql`set local synchronous_commit = off`);
          const merged =
            plan && !retry
              ? await writeFreshPlan(tx, plan)
              : await mergeBatch(tx, batch, {
                  dryRun: payload.dryRun,
                  kecamatanScope: payload.kecamatanScope,
                  regionColumn,
                  refColumn,
                  ...(newId ? { newId } : {}),
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
            if (bulk) {
              // Sorting in memory: a GIN over a million names otherwise flushes to disk many times.
              if (ctx.database.engine === 'postgres')
                await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
              await restoreRegistryIndexes(tx);
            }
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
      // an import would hold the process, and the server's requests and timers would wait. On
      // PostgreSQL the batch being written reads each reply at a turn (rowsPerTurn).
      if (++sinceYield >= rowsPerTurn) {
        sinceYield = 0;
        await new Promise((done) => setImmediate(done));
      }
      if (row <= resumeAfter) continue;
      batch.push(prepared);
      lastRow = row;
      if (batch.length >= batchSize) {
        const ready = batch;
        batch = [];
        // decided while the batch before it is still being written
        const plan = await planOf(ready);
        await inflight;
        if (run.signal.aborted) throw new AppError('internal_error', undefined, 'The import was stopped.');
        inflight = commit(ready, plan, lastRow, reader.bytesRead(), false);
        inflight.catch(() => undefined);
      }
    }
    await inflight;
    if (bulk && ctx.database.engine === 'postgres') {
      // The last rows first, then the indexes side by side on the pool's connections, then the
      // foreign key and the job's completion in the final commit (a crash in between is resumed
      // from after the last row: the resume builds what is missing and completes).
      if (batch.length > 0) await commit(batch, await planOf(batch), lastRow, reader.bytesRead(), false);
      batch = [];
      await buildRegistryIndexes(ctx.db);
    }
    await commit(batch, await planOf(batch), lastRow, reader.bytesRead(), true);
    // New or changed people may be duplicates of stored ones: dedup (subscribed at assembly)
    // recomputes its review queue in the background once the rows are committed.
    if (!payload.dryRun && result.inserted + result.updated > 0)
      await registryChanged(ctx, { actor: payload.actor });
    return result;
  } catch (error) {
    // A bulk load that fails or is cancelled keeps the batches it committed: the registry
    // gets its indexes back now, not at a resume that may never come.
    if (bulk) await restoreRegistryIndexes(ctx.db);
    throw error;
  } finally {
    reader.close();
  }
}

export const runImportJob = async (ctx: AppContext, run: JobRun): Promise<void> => {
  await runImport(ctx, run);
};
