import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  cancelUnfinishedJob,
  claimJobById,
  claimNextJob,
  deleteJobFile,
  failExhaustedJobs,
  findUnfinishedJob,
  getJob,
  getJobFileChunk,
  insertJob,
  insertJobFileChunk,
  type JobRow,
  listJobs,
  moveJobFileChunks,
  releaseHeldJob,
  requeueJob,
  touchJob,
  updateHeldJob,
} from './jobs.queries.ts';
import type { JobFailure, JobItem } from './jobs.schema.ts';

export type JobRecord = JobRow;

// The worker that held the job lost its lock (its heartbeat went stale and another process
// took the job over); whatever it was doing is rolled back and left to the new holder.
export class JobLostError extends Error {
  constructor(id: string) {
    super(`job ${id} is no longer held by this worker`);
  }
}

export type JobRun = {
  job: JobRecord;
  worker: string;
  signal: AbortSignal;
};

export type JobHandler = (ctx: AppContext, run: JobRun) => Promise<void>;

// Jobs know their handlers by registration at assembly (src/app/app-context.ts), the way
// graphile-worker takes a task list: the modules that create jobs import this one, never the
// reverse. Registering a kind again replaces its handler, so assembling the app more than once
// in a process (tests share one) is harmless.
const handlers = new Map<string, JobHandler>();

export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

// Periodic work the worker does between jobs (the notifications outbox): called on every
// poll, so a ticker does its own pacing. Registered at assembly like the handlers.
export type JobTicker = (ctx: AppContext) => Promise<unknown>;
const tickers = new Map<string, JobTicker>();

export function registerJobTicker(name: string, ticker: JobTicker): void {
  tickers.set(name, ticker);
}

// The kinds this process can run: a worker claims only these.
export function jobKinds(): string[] {
  return [...handlers.keys()];
}

export const fileChunkBytes = 1024 * 1024;
const heartbeatMs = 10_000;

export function workerId(prefix = 'worker'): string {
  return `${prefix}:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

// Re-slices a byte stream into chunks of exactly `size` bytes (the last one shorter).
async function* rechunk(input: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>, size: number) {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const piece of input) {
    let buffer =
      typeof piece === 'string'
        ? Buffer.from(piece)
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (length + buffer.length >= size) {
      const take = size - length;
      parts.push(buffer.subarray(0, take));
      yield Buffer.concat(parts);
      parts = [];
      length = 0;
      buffer = buffer.subarray(take);
    }
    if (buffer.length > 0) {
      parts.push(Buffer.from(buffer));
      length += buffer.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts);
}

export async function createJob(
  ctx: AppContext,
  actor: Actor | null,
  input: {
    kind: string;
    payload: Record<string, unknown>;
    total?: number | null;
    // stored beside the job in ~1 MB chunks, so any process can (re)run it; or the file of
    // another job, moved inside the database
    file?: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer> | { fromJob: string };
  },
): Promise<JobRecord> {
  return ctx.db.transaction(async (tx) => {
    const job = await insertJob(tx, {
      kind: input.kind,
      payload: input.payload,
      total: input.total ?? null,
      createdBy: actor?.userId ?? null,
    });
    if (input.file && 'fromJob' in input.file) {
      const moved = await moveJobFileChunks(tx, input.file.fromJob, job.id);
      if (moved === 0) fail('conflict', { reason: 'file_gone', job: input.file.fromJob });
    } else if (input.file) {
      // The source must not read the database: inside this transaction PGlite's one
      // connection is ours.
      let seq = 0;
      for await (const chunk of rechunk(input.file, fileChunkBytes))
        await insertJobFileChunk(tx, job.id, seq++, chunk);
    }
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'job',
      entityId: job.id,
      after: { kind: job.kind, total: job.total },
    });
    return job;
  });
}

// The stored upload as a stream, read one chunk at a time (memory stays at one chunk).
export function readJobFile(ctx: AppContext, jobId: string): Readable {
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const data = await getJobFileChunk(ctx.db, jobId, seq);
      if (!data) return;
      yield data;
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}

export async function dropJobFile(db: DbOrTx, jobId: string) {
  await deleteJobFile(db, jobId);
}

export async function findJob(ctx: AppContext, id: string) {
  return getJob(ctx.db, id);
}

export async function findResumableJob(ctx: AppContext, kind: string, payloadMatch: Record<string, unknown>) {
  return findUnfinishedJob(ctx.db, kind, payloadMatch);
}

export async function claimJob(ctx: AppContext, worker: string, kinds: readonly string[] = jobKinds()) {
  return claimNextJob(ctx.db, kinds, worker);
}

export async function claimJobForResume(
  ctx: AppContext,
  id: string,
  worker: string,
  deadLock: string | null = null,
) {
  return claimJobById(ctx.db, id, worker, deadLock);
}

export async function heartbeat(ctx: AppContext, run: Pick<JobRun, 'job' | 'worker'>) {
  return touchJob(ctx.db, run.job.id, run.worker);
}

export type JobCheckpoint = { position: unknown; rowsPerSecond: number | null };

export function checkpointOf(job: JobRecord): JobCheckpoint | null {
  const value = job.checkpoint as Partial<JobCheckpoint> | null;
  return value && typeof value === 'object'
    ? { position: value.position ?? null, rowsPerSecond: value.rowsPerSecond ?? null }
    : null;
}

// Called inside the transaction that commits a piece of work, so the work and the position
// it reached commit together: a crash leaves whole pieces, and a resumed run starts after
// the checkpoint. Throws when another worker has taken the job (the work rolls back).
export async function commitJobProgress(
  tx: Tx,
  run: Pick<JobRun, 'job' | 'worker'>,
  progress: { done: number; total: number | null; checkpoint: JobCheckpoint; result: unknown },
) {
  const held = await updateHeldJob(tx, run.job.id, run.worker, {
    done: progress.done,
    total: progress.total,
    checkpoint: progress.checkpoint,
    result: progress.result,
  });
  if (!held) throw new JobLostError(run.job.id);
}

export async function completeJob(
  tx: Tx,
  run: Pick<JobRun, 'job' | 'worker'>,
  progress: { done: number; total: number | null; checkpoint: JobCheckpoint; result: unknown },
) {
  const held = await updateHeldJob(tx, run.job.id, run.worker, {
    done: progress.done,
    total: progress.total,
    checkpoint: progress.checkpoint,
    result: progress.result,
    status: 'succeeded',
    lockedBy: null,
    finishedAt: new Date(),
  });
  if (!held) throw new JobLostError(run.job.id);
}

export function failureOf(error: unknown): JobFailure {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}

export async function failJob(ctx: AppContext, run: Pick<JobRun, 'job' | 'worker'>, failure: JobFailure) {
  await updateHeldJob(ctx.db, run.job.id, run.worker, {
    status: 'failed',
    lockedBy: null,
    finishedAt: new Date(),
    error: JSON.stringify(failure),
  });
}

export async function releaseJob(ctx: AppContext, run: Pick<JobRun, 'job' | 'worker'>) {
  await releaseHeldJob(ctx.db, run.job.id, run.worker);
}

export function canSeeJob(actor: Actor, job: JobRecord): boolean {
  return can(actor, 'readAllJobs') || job.createdBy === actor.userId;
}

function readFailure(text: string | null): JobFailure | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<JobFailure>;
    if (typeof value.code === 'string' && typeof value.message === 'string') return value as JobFailure;
  } catch {}
  return { code: 'internal_error', message: text };
}

export function presentJob(job: JobRecord): JobItem {
  const rate =
    job.status === 'running' || job.status === 'succeeded'
      ? (checkpointOf(job)?.rowsPerSecond ?? null)
      : null;
  const left = job.total !== null ? Math.max(0, job.total - job.done) : null;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: {
      done: job.done,
      total: job.total,
      rowsPerSecond: rate === null ? null : Math.round(rate),
      etaSeconds: job.status === 'running' && rate && left !== null ? Math.ceil(left / rate) : null,
    },
    result: job.result ?? null,
    error: readFailure(job.error),
    attempts: job.attempts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

// Jobs of one kind, newest first: an actor sees its own; admins and program officers all.
export async function listVisibleJobs(
  ctx: AppContext,
  actor: Actor,
  kind: string,
  page: { limit: number; cursor?: string | undefined },
) {
  const before = decodeCursor(page.cursor, 2) as [string, string] | null;
  const everyone = can(actor, 'readAllJobs');
  const rows = await listJobs(ctx.db, {
    kind,
    createdBy: everyone ? null : actor.userId,
    before,
    limit: page.limit,
  });
  const result = pageOf(rows, page.limit, (r) => [r.cursorAt, r.job.id]);
  return { items: result.items.map((r) => r.job), nextCursor: result.nextCursor };
}

export async function getVisibleJob(ctx: AppContext, actor: Actor, id: string): Promise<JobRecord> {
  const job = await getJob(ctx.db, id);
  if (!job || !canSeeJob(actor, job)) return fail('not_found');
  return job;
}

export async function getJobItem(ctx: AppContext, actor: Actor, id: string): Promise<JobItem> {
  return presentJob(await getVisibleJob(ctx, actor, id));
}

// Puts a failed (or abandoned) job back in the queue; it resumes from its checkpoint.
export async function retryJob(ctx: AppContext, actor: Actor, id: string): Promise<JobItem> {
  const job = await getVisibleJob(ctx, actor, id);
  if (job.createdBy !== actor.userId && !can(actor, 'retryAnyJob')) fail('forbidden');
  const row = await ctx.db.transaction(async (tx) => {
    const requeued = (await requeueJob(tx, id)) ?? fail('conflict', { status: job.status });
    await recordChange(tx, actor, {
      action: 'retry',
      entity: 'job',
      entityId: id,
      before: { status: job.status },
    });
    return requeued;
  });
  return presentJob(row);
}

// Cancels a queued, running or failed job: what it committed stays (whole pieces, each with
// its checkpoint), the piece in progress rolls back, its stored file is dropped.
export async function cancelJob(ctx: AppContext, actor: Actor | null, id: string): Promise<JobRecord> {
  return ctx.db.transaction(async (tx) => {
    const cancelled = (await cancelUnfinishedJob(tx, id)) ?? fail('import_finished');
    await deleteJobFile(tx, id);
    await recordChange(tx, actor, {
      action: 'cancel',
      entity: 'job',
      entityId: id,
      after: { status: 'cancelled', done: cancelled.done },
    });
    return cancelled;
  });
}

function handlerOf(kind: string): JobHandler {
  const handler = handlers.get(kind);
  if (!handler) throw new AppError('internal_error', { kind }, `No handler for jobs of kind ${kind}.`);
  return handler;
}

// Runs work for a claimed job with a heartbeat. A stop (signal) hands the job back to the
// queue so that it resumes from its checkpoint; an error fails it with its code.
export async function superviseJob(
  ctx: AppContext,
  run: JobRun,
  work: () => Promise<unknown>,
): Promise<void> {
  const timer = setInterval(() => {
    heartbeat(ctx, run).catch(() => undefined);
  }, heartbeatMs);
  timer.unref();
  try {
    await work();
  } catch (error) {
    if (error instanceof JobLostError) return;
    if (run.signal.aborted) {
      await releaseJob(ctx, run);
      return;
    }
    await failJob(ctx, run, failureOf(error));
  } finally {
    clearInterval(timer);
  }
}

export async function runClaimedJob(ctx: AppContext, run: JobRun): Promise<void> {
  await superviseJob(ctx, run, async () => {
    const handler = handlerOf(run.job.kind);
    await handler(ctx, run);
  });
}

// Claims and runs one queued job; answers whether there was one.
export async function runNextJob(
  ctx: AppContext,
  worker = workerId(),
  signal: AbortSignal = new AbortController().signal,
): Promise<boolean> {
  const job = await claimJob(ctx, worker);
  if (!job) return false;
  await runClaimedJob(ctx, { job, worker, signal });
  return true;
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// The background worker started by `pulih serve`: polls the queue, runs one job at a time,
// resumes crashed jobs from their checkpoint. Returns a stop function that hands a running
// job back to the queue and waits for the loop to end.
export function startJobWorker(
  ctx: AppContext,
  options: { pollMs?: number; log?: (line: string) => void } = {},
): () => Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  const log = options.log ?? ((line: string) => console.error(line));
  const worker = workerId();
  const controller = new AbortController();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let ran = false;
      try {
        await failExhaustedJobs(ctx.db);
        ran = await runNextJob(ctx, worker, controller.signal);
      } catch (error) {
        log(`job worker: ${error instanceof Error ? error.message : String(error)}`);
      }
      for (const [name, ticker] of tickers) {
        try {
          await ticker(ctx);
        } catch (error) {
          log(`job worker, ${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (!ran) await sleep(pollMs, controller.signal);
    }
  })();
  return async () => {
    controller.abort();
    await loop;
  };
}
