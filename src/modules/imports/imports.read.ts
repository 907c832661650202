import type { Writable } from 'node:stream';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordPersonalDataAccess } from '../audit/audit.service.ts';
import { findJob, getVisibleJob, type JobRecord, listVisibleJobs, presentJob } from '../jobs/jobs.service.ts';
import { importKind, payloadOf, resultOf } from './imports.model.ts';
import { listIssues } from './imports.queries.ts';
import { type ImportItem, type ImportListItem, issueCap } from './imports.schema.ts';

// Reading imports.

export async function getVisibleImport(ctx: AppContext, actor: Actor, id: string) {
  const job = await getVisibleJob(ctx, actor, id);
  if (job.kind !== importKind) return fail('not_found');
  return job;
}

export function presentImport(
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

export async function findImportJob(ctx: AppContext, id: string) {
  const job = await findJob(ctx, id);
  if (!job || job.kind !== importKind) return fail('not_found');
  return job;
}
