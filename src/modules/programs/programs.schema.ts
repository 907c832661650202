import { z } from 'zod';
import { applicationSources, applicationStatuses, programTypes, selectionModes } from '../../domain/enums.ts';
import { ruleInput } from '../../lib/rule-schema.ts';
import { listQuery } from '../../lib/schema.ts';

export const programType = z.enum(programTypes);
export const selectionMode = z.enum(selectionModes);
export const applicationStatus = z.enum(applicationStatuses);

// The fields a priority rule may order by: the eligibility fields of GET /programs/fields
// (kept equal to src/domain/eligibility.ts by a test; schema files import only zod).
export const priorityField = z.enum([
  'annualTurnover',
  'covidImpacted',
  'workers',
  'ownerAge',
  'size',
  'kecamatan',
  'kelurahan',
  'kbli',
  'status',
  'ownerSex',
]);

export const priorityCriterion = z
  .object({ field: priorityField, direction: z.enum(['asc', 'desc']) })
  .meta({ id: 'PriorityCriterion' });

export const priorityRule = z
  .array(priorityCriterion)
  .min(1)
  .max(10)
  .refine((list) => new Set(list.map((c) => c.field)).size === list.length, {
    message: 'Each field may appear once',
  })
  .describe(
    'Ordered criteria for priority selection; unknown values sort last whatever the direction, ' +
      'booleans sort false before true, size mikro → besar; ties go by application time. ' +
      'Default: annualTurnover asc, then covidImpacted desc.',
  );

export const defaultPriorityRule: z.infer<typeof priorityRule> = [
  { field: 'annualTurnover', direction: 'asc' },
  { field: 'covidImpacted', direction: 'desc' },
];

const kecamatanCode = z
  .string()
  .trim()
  .regex(/^\d{2}\.\d{2}\.\d{2}$/, 'A kecamatan code such as 62.71.02');

export const quotaInput = z.object({
  kecamatan: kecamatanCode,
  quota: z.number().int().min(0).max(1_000_000),
});

export const quotasInput = z
  .array(quotaInput)
  .max(500)
  .refine((list) => new Set(list.map((q) => q.kecamatan)).size === list.length, {
    message: 'Each kecamatan may appear once',
  })
  .describe(
    'Seat caps per kecamatan (sum ≤ capacity). A business enrols only while its kecamatan has a ' +
      'seat left under its cap; a kecamatan without a row is limited by capacity alone (restrict ' +
      'kecamatan with the eligibility rule). Replaces the whole list on update.',
  );

const programFields = z.object({
  name: z.string().trim().min(3).max(300),
  type: programType,
  description: z.string().trim().max(5000).nullish(),
  capacity: z.number().int().min(1).max(1_000_000),
  selection: selectionMode.default('first_come'),
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  venue: z.string().trim().max(300).nullish(),
  eligibility: ruleInput
    .default(true)
    .describe('A JSON Logic rule over the fields of GET /programs/fields; `true` admits every business'),
  minAttendanceRatio: z.number().gt(0).max(1).default(0.8),
  hours: z.number().int().min(1).max(1000).nullish().describe('Training hours (JP) printed on certificates'),
  applicationDeadline: z.iso
    .date()
    .nullish()
    .describe('The last day the public form takes applications; it closes at the start date in any case'),
  organisationId: z.uuid().optional().describe('Defaults to the officer’s own organisation'),
  quotas: quotasInput.optional(),
  priorityRule: priorityRule.nullish().describe('Null or absent: the default rule'),
});

const quotaSum = (quotas: { quota: number }[] | undefined) => (quotas ?? []).reduce((n, q) => n + q.quota, 0);

export const createProgramBody = programFields
  .refine((p) => p.endDate >= p.startDate, { message: 'endDate is before startDate', path: ['endDate'] })
  .refine((p) => quotaSum(p.quotas) <= p.capacity, {
    message: 'The quotas add up to more than the capacity',
    path: ['quotas'],
  })
  .meta({ id: 'CreateProgram' });

export const updateProgramBody = programFields
  .omit({ organisationId: true, type: true })
  .partial()
  .meta({ id: 'UpdateProgram' });

export const clauseDescription = z.object({
  field: z.string(),
  op: z.string(),
  values: z.array(z.unknown()),
});

export const quota = z
  .object({
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    quota: z.number(),
    taken: z.number().describe('Seats held by enrolled or completed applications from the kecamatan'),
  })
  .meta({ id: 'Quota' });

export const program = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: programType,
    description: z.string().nullable(),
    capacity: z.number(),
    enrolled: z.number(),
    waitlisted: z.number(),
    completed: z.number(),
    selection: selectionMode,
    startDate: z.string(),
    endDate: z.string(),
    venue: z.string().nullable(),
    eligibility: z.unknown().describe('The JSON Logic rule; null when a stored rule is past the size limits'),
    eligibilityDescription: z.array(clauseDescription),
    minAttendanceRatio: z.number(),
    hours: z.number().nullable(),
    applicationDeadline: z.string().nullable(),
    organisation: z.object({ id: z.uuid(), name: z.string() }),
    quotas: z.array(quota),
    priorityRule: z.array(priorityCriterion).describe('The rule in force (the default when none was set)'),
    archivedAt: z.date().nullable().describe('Set once the program is archived: it leaves the lists'),
    previousWave: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .describe('The wave (gelombang) this program was copied from'),
    nextWaves: z
      .array(z.object({ id: z.uuid(), name: z.string() }))
      .describe('Waves copied from this program'),
    createdAt: z.date(),
  })
  .meta({ id: 'Program' });

export const copyProgramBody = z
  .object({
    startDate: z.iso.date().describe('The new wave’s first day; the end date and sessions move by as much'),
    name: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .optional()
      .describe('Default: the name with the next "Gelombang N"'),
  })
  .meta({ id: 'CopyProgram' });

export const listProgramsQuery = listQuery.extend({
  type: programType.optional(),
  archived: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only archived programs; absent or false: the others'),
});

export const eligibilityBody = z.object({ businessId: z.uuid() });

export const clauseResult = z.object({
  rule: z.unknown(),
  passed: z.boolean(),
  value: z.unknown(),
  description: clauseDescription,
});

export const eligibilityResult = z
  .object({ eligible: z.boolean(), clauses: z.array(clauseResult) })
  .meta({ id: 'EligibilityResult' });

export const applyBody = z.object({ businessId: z.uuid() });

export const applicationSource = z.enum(applicationSources);

// The most businesses one bulk request may list: a class is 30, a whole kecamatan's screening a
// few hundred; above this the request is refused (400) and the web app splits it.
export const bulkApplicationLimit = 2000;

export const bulkApplyBody = z
  .object({
    businessIds: z
      .array(z.uuid())
      .min(1)
      .max(bulkApplicationLimit, `At most ${bulkApplicationLimit} businesses per request`)
      .describe('Judged one by one in this order, each as a single application would be'),
  })
  .meta({ id: 'BulkApply' });

export const bulkApplicationStatus = z.enum([
  'enrolled',
  'waitlisted',
  'pending',
  'ineligible',
  'already_applied',
  'not_found',
  'failed',
]);

export const bulkApplicationResult = z
  .object({
    businessId: z.string(),
    status: bulkApplicationStatus.describe(
      'enrolled, waitlisted, pending (a priority program: waits for the selection run) or ineligible: ' +
        'what the application became; already_applied: an open application existed (its status in ' +
        'applicationStatus); not_found: no such business within the caller’s reach; failed: see error',
    ),
    applicationId: z.uuid().optional(),
    applicationStatus: applicationStatus.optional(),
    reasons: z.array(clauseDescription).optional().describe('The failed clauses of an ineligible business'),
    error: z.string().optional().describe('An error code (errors:<code>), e.g. duplicate_in_request'),
  })
  .meta({ id: 'BulkApplicationResult' });

export const resolveListBody = z
  .object({
    lines: z
      .array(z.string().max(200))
      .min(1)
      .max(bulkApplicationLimit, `At most ${bulkApplicationLimit} lines per request`)
      .describe('One NIK (of the owner) or business ref per line; blank lines are skipped'),
  })
  .meta({ id: 'ResolveList' });

export const resolvedLine = z
  .object({
    line: z.number().int().describe('1-based line of the list'),
    input: z.string().describe('The line as read; a NIK masked'),
    kind: z.enum(['nik', 'ref']),
    status: z.enum(['found', 'not_found']).describe('not_found: nothing within the caller’s reach'),
    businessId: z.uuid().optional(),
    businessName: z.string().optional(),
    ownerName: z.string().optional(),
    kecamatanName: z.string().nullable().optional(),
  })
  .meta({ id: 'ResolvedLine' });

export const resolveListResponse = z.object({ items: z.array(resolvedLine) }).meta({ id: 'ResolvedList' });

export const bulkApplyResponse = z
  .object({ results: z.array(bulkApplicationResult) })
  .meta({ id: 'BulkApplyResult' });

export const application = z
  .object({
    id: z.uuid(),
    programId: z.uuid(),
    businessId: z.uuid(),
    status: applicationStatus,
    source: applicationSource,
    rank: z
      .number()
      .nullable()
      .describe('Place in the priority order (1 = first) from the last selection run; null before it'),
    statusPath: z
      .string()
      .nullable()
      .describe('The public status page of this application (no personal data)'),
    reasons: z.array(clauseResult).describe('The clauses that failed, for an ineligible application'),
    business: z.object({
      name: z.string(),
      ownerName: z.string(),
      kecamatan: z.string(),
      kecamatanName: z.string().nullable(),
      kelurahanName: z.string().nullable(),
    }),
    certificateCode: z.string().nullable(),
    preTestScore: z.number().nullable().describe('Pre-test score 0–100, entered by the officer'),
    postTestScore: z.number().nullable().describe('Post-test score 0–100, entered by the officer'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Application' });

export const listApplicationsQuery = listQuery.extend({
  status: applicationStatus.optional(),
  order: z
    .enum(['applied', 'rank'])
    .default('applied')
    .describe('applied: by application time; rank: by the priority rank, unranked last'),
});

export const selectionResult = z
  .object({ enrolled: z.number(), waitlisted: z.number(), ranked: z.number() })
  .meta({ id: 'SelectionResult' });

export const eventKind = z.enum([
  'applied',
  'enrolled',
  'waitlisted',
  'ineligible',
  'selected',
  'promoted',
  'withdrawn',
  'no_show',
  'completed',
  'completion_undone',
]);

export const applicationEvent = z
  .object({
    id: z.number(),
    at: z.date(),
    kind: eventKind,
    fromStatus: applicationStatus.nullable(),
    toStatus: applicationStatus.nullable(),
    actorId: z.uuid().nullable(),
    note: z
      .string()
      .nullable()
      .describe('For a promotion, why the seat came free: withdrawal, no_show, capacity or quota'),
  })
  .meta({ id: 'ApplicationEvent' });

export const fieldsResponse = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['string', 'number', 'boolean', 'enum', 'list']),
      values: z.array(z.string()).optional(),
    }),
  ),
});

export type CreateProgramBody = z.infer<typeof createProgramBody>;
export type PriorityCriterion = z.infer<typeof priorityCriterion>;
export type QuotaInput = z.infer<typeof quotaInput>;
export type Quota = z.infer<typeof quota>;
export type ApplicationEvent = z.infer<typeof applicationEvent>;
export type EventKind = z.infer<typeof eventKind>;
export type ApplicationSource = z.infer<typeof applicationSource>;
export type SelectionResult = z.infer<typeof selectionResult>;
export type UpdateProgramBody = z.infer<typeof updateProgramBody>;
export type Program = z.infer<typeof program>;
export type Application = z.infer<typeof application>;
export type EligibilityResult = z.infer<typeof eligibilityResult>;
export type BulkApplicationResult = z.infer<typeof bulkApplicationResult>;
export type ResolvedLine = z.infer<typeof resolvedLine>;

export const ratingBody = z
  .object({
    rating: z.coerce.number().int().min(1).max(5),
    remark: z.string().max(1000).nullish(),
  })
  .meta({ id: 'Rating' });

export const ratingResult = z
  .object({ rating: z.number(), remark: z.string().nullable(), updatedAt: z.date() })
  .meta({ id: 'RatingResult' });

const score = z.number().int().min(0).max(100).nullable();
export const scoresBody = z
  .object({ preTestScore: score.optional(), postTestScore: score.optional() })
  .meta({ id: 'TestScores' });

export const scoresResult = z
  .object({
    applicationId: z.uuid(),
    preTestScore: z.number().nullable(),
    postTestScore: z.number().nullable(),
  })
  .meta({ id: 'TestScoresResult' });

export const programFeedback = z
  .object({
    ratingAverage: z.number().nullable().describe('Average rating 1–5; null before the first'),
    ratingCount: z.number(),
    remarks: z.array(z.object({ rating: z.number(), remark: z.string(), at: z.date() })),
    preTestAverage: z.number().nullable(),
    postTestAverage: z.number().nullable(),
    gain: z.number().nullable().describe('Average of post − pre over participants with both scores'),
    scored: z.number().describe('Participants with both scores'),
  })
  .meta({ id: 'ProgramFeedback' });

export type RatingBody = z.infer<typeof ratingBody>;
export type ScoresBody = z.infer<typeof scoresBody>;
export type ProgramFeedback = z.infer<typeof programFeedback>;
