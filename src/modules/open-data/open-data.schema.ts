import { z } from 'zod';

export const openDataQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Programs that ended in this year'),
});

const count = z.number().int().nullable().describe('null: a count of 1 or 2, suppressed');

export const openDataRow = z
  .object({
    level: z.enum(['program', 'kecamatan']).describe('program: all kecamatan; kecamatan: one of them'),
    programId: z.uuid(),
    program: z.string(),
    type: z.string(),
    organisation: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    year: z.number().int(),
    kecamatanCode: z.string().nullable(),
    kecamatan: z.string().nullable(),
    applicants: count,
    participants: count,
    completed: count,
    certified: count,
    equipped: count.describe('Businesses that received equipment aid in the program'),
    aidQuantity: count,
    aidValue: z.number().nullable().describe('Rupiah; null when the recipients are suppressed'),
    followedUp: count,
    answered: count,
    newEntrepreneurs: count,
    activeAfterFollowUp: count,
    recovered: count,
    recoveredKnown: count,
  })
  .meta({ id: 'OpenDataProgramRow' });

export const openDataResponse = z
  .object({
    generatedAt: z.date(),
    year: z.number().int().nullable(),
    suppressedBelow: z.number().int(),
    items: z.array(openDataRow),
  })
  .meta({ id: 'OpenDataPrograms' });
