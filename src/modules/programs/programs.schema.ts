import { z } from 'zod';
import { listQuery } from '../../lib/http.ts';

export const programType = z.enum(['training', 'aid', 'promotion']);
export const selectionMode = z.enum(['first_come', 'priority']);
export const applicationStatus = z.enum([
  'pending',
  'ineligible',
  'enrolled',
  'waitlisted',
  'withdrawn',
  'completed',
  'dropped',
]);

const programFields = z.object({
  name: z.string().trim().min(3).max(300),
  type: programType,
  description: z.string().trim().max(5000).nullish(),
  capacity: z.number().int().min(1).max(1_000_000),
  selection: selectionMode.default('first_come'),
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  venue: z.string().trim().max(300).nullish(),
  eligibility: z
    .unknown()
    .default(true)
    .describe('A JSON Logic rule over the fields of GET /programs/fields; `true` admits every business'),
  minAttendanceRatio: z.number().gt(0).max(1).default(0.8),
  hours: z.number().int().min(1).max(1000).nullish().describe('Training hours (JP) printed on certificates'),
  organisationId: z.uuid().optional().describe('Defaults to the officer’s own organisation'),
});

export const createProgramBody = programFields
  .refine((p) => p.endDate >= p.startDate, { message: 'endDate is before startDate', path: ['endDate'] })
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
    eligibility: z.unknown(),
    eligibilityDescription: z.array(clauseDescription),
    minAttendanceRatio: z.number(),
    hours: z.number().nullable(),
    organisation: z.object({ id: z.uuid(), name: z.string() }),
    createdAt: z.date(),
  })
  .meta({ id: 'Program' });

export const listProgramsQuery = listQuery.extend({ type: programType.optional() });

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

export const application = z
  .object({
    id: z.uuid(),
    programId: z.uuid(),
    businessId: z.uuid(),
    status: applicationStatus,
    reasons: z.array(clauseResult).describe('The clauses that failed, for an ineligible application'),
    business: z.object({
      name: z.string(),
      ownerName: z.string(),
      kecamatan: z.string(),
      kecamatanName: z.string().nullable(),
      kelurahanName: z.string().nullable(),
    }),
    certificateCode: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Application' });

export const listApplicationsQuery = listQuery.extend({ status: applicationStatus.optional() });

export const fieldsResponse = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['string', 'number', 'boolean', 'enum']),
      values: z.array(z.string()).optional(),
    }),
  ),
});

export type CreateProgramBody = z.infer<typeof createProgramBody>;
export type UpdateProgramBody = z.infer<typeof updateProgramBody>;
export type Program = z.infer<typeof program>;
export type Application = z.infer<typeof application>;
export type EligibilityResult = z.infer<typeof eligibilityResult>;
