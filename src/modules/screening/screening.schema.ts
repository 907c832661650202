import { z } from 'zod';
import { ruleInput } from '../../lib/rule-schema.ts';
import { listQuery } from '../../lib/schema.ts';
import { applicationStatus } from '../programs/programs.schema.ts';

const kecamatanCode = z
  .string()
  .trim()
  .regex(/^\d{2}\.?\d{2}\.?\d{2}$/, 'a kecamatan code such as 62.71.02')
  .describe('Kecamatan code, e.g. 62.71.02');

const appliedFilter = z
  .enum(['true', 'false'])
  .optional()
  .describe(
    'true: only businesses with an active application (not withdrawn or ineligible); false: only the others',
  );

export const screeningQuery = z.object({ kecamatan: kecamatanCode.optional() });

export const eligibleQuery = listQuery.extend({
  kecamatan: kecamatanCode.optional(),
  applied: appliedFilter,
});

export const invitationsQuery = z.object({
  kecamatan: kecamatanCode.optional(),
  applied: z
    .enum(['true', 'false', 'all'])
    .default('false')
    .describe('Whom to list: by default the eligible businesses that have not applied yet'),
});

export const ruleClauseText = z
  .object({
    field: z.string(),
    op: z.string(),
    values: z.array(z.unknown()),
    text: z.string().describe('The clause in plain language'),
  })
  .meta({ id: 'RuleClauseText' });

export const kecamatanCount = z
  .object({
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    eligible: z.number().int(),
    applied: z.number().int().describe('Of the eligible, those with an active application to the program'),
  })
  .meta({ id: 'ScreeningCount' });

export const eligibleBusiness = z
  .object({
    businessId: z.uuid(),
    name: z.string(),
    ownerName: z.string(),
    nik: z.string().describe('Masked'),
    phone: z.string().nullable().describe('Masked'),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    kelurahan: z.string().nullable(),
    kelurahanName: z.string().nullable(),
    applicationStatus: applicationStatus.nullable(),
    whatsappUrl: z
      .string()
      .nullable()
      .describe(
        'wa.me link with the invitation and the public application link; null without a mobile number',
      ),
  })
  .meta({ id: 'EligibleBusiness' });

export const eligiblePage = z.object({ items: z.array(eligibleBusiness), nextCursor: z.string().nullable() });

export const screeningResult = z
  .object({
    programId: z.uuid(),
    ranAt: z.date(),
    milliseconds: z.number().describe('Time the counts and the first page took'),
    rule: z.array(ruleClauseText),
    applicationUrl: z.string().describe('The public application page the invitations link to'),
    total: z.object({ eligible: z.number().int(), applied: z.number().int() }),
    byKecamatan: z.array(kecamatanCount),
    eligible: eligiblePage.describe('The first page; GET …/screening/eligible pages on'),
  })
  .meta({ id: 'ScreeningResult' });

export const describeRuleBody = z
  .object({
    rule: ruleInput.describe('A JSON Logic rule over the fields of GET /programs/fields'),
    lang: z.enum(['id', 'en']).optional(),
  })
  .meta({ id: 'DescribeRule' });

export const ruleDescription = z
  .object({
    valid: z.boolean(),
    issues: z.array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() })),
    screenable: z.boolean().describe('Whether the registry can be screened with this rule'),
    clauses: z.array(ruleClauseText),
  })
  .meta({ id: 'RuleDescription' });

export const previewRuleBody = z
  .object({
    rule: ruleInput,
    startDate: z.iso.date().optional().describe('Day the owner’s age is counted on; today when absent'),
  })
  .meta({ id: 'PreviewRule' });

export const rulePreview = z
  .object({
    total: z.number().int(),
    byKecamatan: z.array(kecamatanCount.omit({ applied: true })),
    milliseconds: z.number(),
  })
  .meta({ id: 'RulePreview' });

export type ScreeningResult = z.infer<typeof screeningResult>;
export type EligibleBusiness = z.infer<typeof eligibleBusiness>;
export type KecamatanCount = z.infer<typeof kecamatanCount>;
export type RuleClauseText = z.infer<typeof ruleClauseText>;
export type RuleDescription = z.infer<typeof ruleDescription>;
export type RulePreview = z.infer<typeof rulePreview>;
