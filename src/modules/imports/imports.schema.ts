import { z } from 'zod';
import { issueSeverities } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';
import { jobFailure, jobProgress, jobStatus } from '../jobs/jobs.schema.ts';

// GET /imports/{id} carries the first `issueCap` errors and warnings in file order, with
// their totals; GET /imports/{id}/issues pages through all of them, and
// GET /imports/{id}/errors.xlsx has every bad row.
export const issueCap = 1000;

export const importIssue = z
  .object({
    row: z.number().int().describe('Spreadsheet row number; the header is row 1'),
    column: z.string().nullable().describe('The header as written in the file'),
    code: z.string().describe('Stable code, e.g. nik_format, required, region_unknown'),
    message: z.string().describe('Indonesian message'),
  })
  .meta({ id: 'ImportIssue' });

export const importSummary = z
  .object({
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(importIssue).describe(`The first ${issueCap} errors in file order`),
    warnings: z.array(importIssue).describe(`The first ${issueCap} warnings in file order`),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
  })
  .meta({ id: 'ImportSummary' });

export const importItem = z
  .object({
    id: z.uuid(),
    status: jobStatus,
    dryRun: z.boolean(),
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']).nullable(),
    progress: jobProgress,
    summary: importSummary,
    error: jobFailure.nullable(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: 'Import' });

export const importListItem = importItem
  .extend({ summary: importSummary.omit({ errors: true, warnings: true }) })
  .meta({ id: 'ImportListItem' });

export const importIssueItem = importIssue
  .extend({ severity: z.enum(issueSeverities) })
  .meta({ id: 'ImportIssueItem' });

export const listImportIssuesQuery = listQuery.extend({
  severity: z.enum(issueSeverities).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const templateQuery = z.object({ lang: z.enum(['id', 'en']).optional() });

export type ImportIssue = z.infer<typeof importIssue>;
export type ImportSummary = z.infer<typeof importSummary>;
export type ImportItem = z.infer<typeof importItem>;
export type ImportListItem = z.infer<typeof importListItem>;
export type ImportIssueItem = z.infer<typeof importIssueItem>;
