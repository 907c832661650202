import { z } from 'zod';
import { jobStatuses } from '../../domain/enums.ts';

export const jobStatus = z.enum(jobStatuses);

export const jobFailure = z
  .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
  .meta({ id: 'JobFailure' });

export const jobProgress = z
  .object({
    done: z.number().int().describe('Input units (rows) whose work is committed'),
    total: z.number().int().nullable().describe('Estimated units in the input; null while unknown'),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable().describe('Estimated seconds left; null while unknown or when finished'),
  })
  .meta({ id: 'JobProgress' });

export const jobItem = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: jobStatus,
    progress: jobProgress,
    result: z.unknown().describe('What the job produced; null until it has'),
    error: jobFailure.nullable(),
    attempts: z.number().int(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: 'Job' });

export type JobStatus = z.infer<typeof jobStatus>;
export type JobFailure = z.infer<typeof jobFailure>;
export type JobProgress = z.infer<typeof jobProgress>;
export type JobItem = z.infer<typeof jobItem>;
