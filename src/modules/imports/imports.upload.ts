import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { matchHeader } from '../../domain/registry-row.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import {
  claimJobForResume,
  createJob,
  findResumableJob,
  type JobRecord,
  workerId,
} from '../jobs/jobs.service.ts';
import { settingsRegionCode } from '../settings/settings.service.ts';
import { maxUploadBytes } from './imports.limits.ts';
import { type ImportPayload, importKind, payloadOf, scopeOf } from './imports.model.ts';
import { type ImportSource, openRowReader } from './imports.parse.ts';
import { findImportJob, presentImport } from './imports.read.ts';
import type { ImportItem } from './imports.schema.ts';

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
  options: { dryRun: boolean; kabkotaCode?: string; batchSize?: number; bulk?: boolean },
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
    ...(options.bulk ? { bulk: true } : {}),
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
