import { z } from 'zod';
import { sexes } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';
import { jobItem } from '../jobs/jobs.schema.ts';

// Stable codes, translated by the web app (locales/*/dedup.json, `reason.<code>`). The same list as
// dedupReasons in src/domain/dedup.ts (dedup.test.ts checks that they agree).
export const dedupReason = z
  .enum([
    'nik_one_digit',
    'nik_transposed',
    'nik_two_digits',
    'nik_moved',
    'name_same',
    'name_variant',
    'name_reordered',
    'name_partial',
    'name_similar',
    'rare_name',
    'same_birth_date',
    'different_birth_date',
    'different_sex',
    'same_phone',
    'same_address',
    'same_kelurahan',
    'same_business',
    'household_moved',
  ])
  .meta({ id: 'DedupReason' });

// A reason with its weight: for the name's reason the factor (0–1) the identity evidence is
// multiplied by, for the others their term of the identity evidence (negative against the pair).
export const dedupSignal = z
  .object({ reason: dedupReason, weight: z.number().min(-1).max(1) })
  .meta({ id: 'DedupSignal' });

export const candidatesQuery = listQuery;

export const dedupBusiness = z.object({
  id: z.uuid(),
  ref: z.string().nullable(),
  name: z.string(),
  kelurahan: z.string().nullable(),
  kelurahanName: z.string().nullable(),
  kecamatan: z.string(),
  kecamatanName: z.string().nullable(),
});

export const dedupPerson = z
  .object({
    id: z.uuid(),
    name: z.string(),
    nik: z.string().describe('Masked; nikDifferences says where the two NIKs differ'),
    sex: z.enum(sexes).nullable(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable().describe('Masked'),
    address: z.string().nullable(),
    businesses: z.array(dedupBusiness),
  })
  .meta({ id: 'DedupPerson' });

export const dedupPair = z
  .object({
    a: dedupPerson,
    b: dedupPerson,
    score: z.number().min(0).max(1),
    reasons: z.array(dedupReason),
    signals: z
      .array(dedupSignal)
      .describe('The reasons in the same order, each with its weight in the score'),
    nikDifferences: z.array(z.number().int().min(0).max(15)).describe('0-based digit positions'),
  })
  .meta({ id: 'DedupPair' });

export const mergeBody = z
  .object({
    survivorId: z.uuid().describe('The person who stays'),
    duplicateId: z.uuid().describe('The person merged into the survivor'),
  })
  .refine((body) => body.survivorId !== body.duplicateId, {
    message: 'survivorId and duplicateId must differ',
    path: ['duplicateId'],
  })
  .meta({ id: 'DedupMerge' });

export const mergeResult = z
  .object({
    survivorId: z.uuid(),
    duplicateId: z.uuid(),
    businesses: z.array(
      z.object({
        id: z.uuid(),
        name: z.string().describe('Renamed when the survivor already had a business of this name'),
        renamedFrom: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'DedupMergeResult' });

export const dismissBody = z
  .object({ a: z.uuid(), b: z.uuid() })
  .refine((body) => body.a !== body.b, { message: 'a and b must differ', path: ['b'] })
  .meta({ id: 'DedupDismiss' });

export const dismissResult = z
  .object({ a: z.uuid(), b: z.uuid(), decision: z.literal('not_same') })
  .meta({ id: 'DedupDismissResult' });

// The result of a finished detection run (the `result` of its job).
export const dedupRunResult = z
  .object({
    pairs: z.number().int().describe('Pairs the run stored'),
    people: z.number().int().describe('People it compared'),
    computedAt: z.iso.datetime().describe('When the queue it stored was computed'),
    seconds: z.number(),
  })
  .meta({ id: 'DedupRunResult' });

export const dedupStatus = z
  .object({
    computedAt: z
      .date()
      .nullable()
      .describe('When the review queue was computed; null when no run has finished yet'),
    expectedSeconds: z
      .number()
      .nullable()
      .describe('How long the last successful run took: what the next one will take, roughly'),
    run: jobItem
      .nullable()
      .describe('The run queued or in progress (progress in people compared; result: DedupRunResult)'),
    lastRun: jobItem.nullable().describe('The last run that ended, successfully or not'),
  })
  .meta({ id: 'DedupStatus' });

export type DedupPair = z.infer<typeof dedupPair>;
export type DedupRunResult = z.infer<typeof dedupRunResult>;
export type DedupStatus = z.infer<typeof dedupStatus>;
export type DedupPerson = z.infer<typeof dedupPerson>;
export type DedupReasonCode = z.infer<typeof dedupReason>;
export const undoMergeResult = z.object({
  survivorId: z.uuid(),
  duplicateId: z.uuid(),
  businesses: z.array(z.uuid()).describe('The businesses back with the duplicate'),
});

export type MergeBody = z.infer<typeof mergeBody>;
export type MergeResult = z.infer<typeof mergeResult>;
export type DismissBody = z.infer<typeof dismissBody>;

export const recentMergesQuery = listQuery;

const mergedPerson = z.object({
  id: z.uuid(),
  name: z.string(),
  nik: z.string().describe('Masked'),
});

export const recentMerge = z
  .object({
    survivor: mergedPerson,
    duplicate: mergedPerson.describe('Merged into the survivor; a person again when the merge is undone'),
    businesses: z
      .array(z.object({ id: z.uuid(), name: z.string().describe('Its name before the merge') }))
      .describe('The businesses the merge moved to the survivor'),
    mergedAt: z.date(),
    mergedBy: z.string().nullable(),
    undoUntil: z.date().describe('The end of the undo period'),
  })
  .meta({ id: 'DedupRecentMerge' });

export type RecentMerge = z.infer<typeof recentMerge>;
export type UndoMergeResult = z.infer<typeof undoMergeResult>;
