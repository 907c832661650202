import { kecamatanScope } from '../../access/access.service.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { Actor } from '../../policies.ts';
import type { JobRecord } from '../jobs/jobs.service.ts';

// What an import job carries and answers: its kind, payload, counts, and the officer's scope.
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
  // bulk mode asked for (`pulih import --bulk`): the registry's secondary indexes are dropped
  // for the load and built at its end even when the registry is not empty
  bulk?: boolean;
};

// A first load into an empty registry is done in bulk mode from this many rows on; below it,
// building the indexes again costs about what maintaining them would.
export const bulkMinimumRows = Number(process.env.PULIH_IMPORT_BULK_ROWS ?? 50_000);

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

export const zeroCounts: ImportCounts = {
  rows: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  errorCount: 0,
  warningCount: 0,
};

export function payloadOf(job: JobRecord): ImportPayload {
  return job.payload as ImportPayload;
}

export function resultOf(job: JobRecord): ImportResult {
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
