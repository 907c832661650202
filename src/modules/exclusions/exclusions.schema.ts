import { z } from 'zod';
import { listQuery } from '../../lib/schema.ts';

export const exclusionKind = z
  .enum(['asn', 'deceased', 'already_aided', 'other'])
  .describe('asn: civil servants; deceased; already_aided: recipients of an earlier program; other');

export const createExclusionListBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(3)
      .max(200)
      .describe('The list’s name; posting to an existing name adds to it'),
    kind: exclusionKind,
    source: z
      .string()
      .trim()
      .max(500)
      .nullish()
      .describe('Where the list came from, e.g. "BKPSDM, Januari 2021"'),
    niks: z.array(z.string().max(64)).max(1_000_000),
  })
  .meta({ id: 'CreateExclusionList' });

export const exclusionList = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: exclusionKind,
    source: z.string().nullable(),
    entries: z.number().int().describe('NIKs on the list'),
    createdBy: z.string().nullable().describe('Username of whoever created the list'),
    createdAt: z.date(),
  })
  .meta({ id: 'ExclusionList' });

export const exclusionIssue = z.object({
  line: z.number().int().describe('Line of the file (1 = first line), or position in `niks` (1 = first)'),
  code: z.string(),
  message: z.string(),
  value: z.string().describe('What the line held, masked when it looks like a NIK'),
});

export const exclusionImport = z
  .object({
    list: exclusionList,
    created: z.boolean().describe('Whether this upload created the list'),
    lines: z.number().int().describe('NIK lines read (header and blank lines not counted)'),
    added: z.number().int().describe('NIKs newly put on the list'),
    alreadyListed: z
      .number()
      .int()
      .describe('Valid NIKs that were on the list already, or repeated in the upload'),
    invalid: z.number().int(),
    issues: z.array(exclusionIssue).describe('The invalid lines, at most the first 1,000'),
  })
  .meta({ id: 'ExclusionImport' });

export const listExclusionListsQuery = listQuery.extend({ kind: exclusionKind.optional() });

export type ExclusionKind = z.infer<typeof exclusionKind>;
export type CreateExclusionListBody = z.infer<typeof createExclusionListBody>;
export type ExclusionList = z.infer<typeof exclusionList>;
export type ExclusionImport = z.infer<typeof exclusionImport>;
export type ExclusionIssue = z.infer<typeof exclusionIssue>;
