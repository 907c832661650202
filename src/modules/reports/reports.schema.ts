import { z } from 'zod';

const figures = z
  .object({
    businesses: z.number().describe('Registered businesses'),
    covidImpacted: z.number().describe('Businesses marked as hit by Covid-19'),
    applications: z.number().describe('Applications of any status (one per business and program)'),
    enrolled: z.number().describe('Businesses holding a seat in, or having completed, at least one program'),
    trained: z.number().describe('Businesses that completed at least one training program'),
    certified: z.number().describe('Businesses holding at least one certificate not revoked'),
    certificates: z.number().describe('Certificates not revoked (one per business and program)'),
    equipped: z.number().describe('Businesses that received equipment aid (handed over or received)'),
    listedProducts: z.number().describe('Published products in the public catalogue'),
  })
  .meta({ id: 'Figures' });

export const summary = z
  .object({
    totals: figures.describe('The same figures as each byKecamatan row; the rows add up to these'),
    programs: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        type: z.string(),
        startDate: z.string(),
        capacity: z.number(),
        enrolled: z.number(),
        waitlisted: z.number(),
        completed: z.number(),
        certificates: z.number(),
      }),
    ),
    byKecamatan: z.array(figures.extend({ kecamatan: z.string(), kecamatanName: z.string().nullable() })),
    newEntrepreneurs: z.number().describe('Wirausaha baru among the graduates (docs/figures.md)'),
    activeAfterFollowUp: z
      .number()
      .describe('Graduates still producing and selling at their latest follow-up'),
    outcomes: z
      .object({
        graduates: z.number(),
        asked: z.number(),
        answered: z.number(),
        newEntrepreneurs: z.number(),
        activeAfterFollowUp: z.number(),
        recovered: z.number(),
        recoveredKnown: z.number(),
      })
      .describe('The outcome figures with their denominators (graduates, asked, answered)'),
  })
  .meta({ id: 'ReportSummary' });

export type Summary = z.infer<typeof summary>;
