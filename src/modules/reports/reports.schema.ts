import { z } from 'zod';

export const summary = z
  .object({
    totals: z.object({
      businesses: z.number(),
      covidImpacted: z.number(),
      applications: z.number(),
      enrolled: z.number(),
      trained: z.number().describe('Businesses with a completed training'),
      certificates: z.number(),
      equipped: z.number().describe('Businesses that received equipment aid'),
      listedProducts: z.number(),
    }),
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
    byKecamatan: z.array(
      z.object({
        kecamatan: z.string(),
        kecamatanName: z.string().nullable(),
        businesses: z.number(),
        enrolled: z.number(),
        completed: z.number(),
        equipped: z.number(),
        listedProducts: z.number(),
      }),
    ),
  })
  .meta({ id: 'ReportSummary' });

export type Summary = z.infer<typeof summary>;
