import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { cancelJob, createJob } from '../jobs/jobs.service.ts';
import { settingsRegionCode } from '../settings/settings.service.ts';
import { type ImportPayload, importKind, payloadOf, scopeOf } from './imports.model.ts';
import { findImportJob, getVisibleImport, presentImport, summaryOf } from './imports.read.ts';
import type { ImportItem } from './imports.schema.ts';

// The imports module's face: what routes, the CLI, the assembly and the other modules call.
// The work is in imports.upload.ts (taking a file), imports.job.ts (running it),
// imports.merge.ts (one batch into the registry) and imports.read.ts (summaries, issues,
// reports); the payload and counts in imports.model.ts.
export * from './imports.job.ts';
export {
  defaultBatchSize,
  defaultKabkota,
  type ImportCounts,
  type ImportFileInfo,
  type ImportPayload,
  type ImportResult,
  importKind,
  scopeOf,
} from './imports.model.ts';
// The guarded CSV/XLSX row reader (ZIP-bomb, shared-string and row-length limits), for other
// modules that read a spreadsheet of their own (an event's cash book of sales).
export { openRowReader, type RowReader, type SheetRow } from './imports.parse.ts';
export {
  eachIssue,
  errorReportOf,
  getImport,
  listImportIssues,
  listImports,
  summaryOf,
  writeSummaryJson,
} from './imports.read.ts';
export * from './imports.upload.ts';

// Cancels an import that has not finished: the batches it committed stay (each whole, with
// its rows counted in the summary), the one in progress rolls back, and nothing more is read.
export async function cancelImport(ctx: AppContext, actor: Actor | null, id: string): Promise<ImportItem> {
  const job = actor ? await getVisibleImport(ctx, actor, id) : await findImportJob(ctx, id);
  return summaryOf(ctx, await cancelJob(ctx, actor, job.id));
}

// A checked dry run becomes the real import of the same stored file.
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
