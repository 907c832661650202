import { z } from 'zod';
import { maxMonthlySales, salesChannels } from '../../domain/outcomes.ts';

// Follow-ups (tindak lanjut) and outcome figures. zod only: the web app imports this file.

export const followUpOpenBody = z
  .object({
    dueAt: z.iso.date().describe('The day the follow-up is due, e.g. 3 or 6 months after the program ended'),
  })
  .meta({ id: 'FollowUpOpen' });
export type FollowUpOpenBody = z.infer<typeof followUpOpenBody>;

export const followUpOpenResult = z
  .object({
    dueAt: z.iso.date(),
    graduates: z.number().int().describe('Graduates of the program (completed applications)'),
    opened: z.number().int().describe('Follow-ups opened now; the others were open already'),
  })
  .meta({ id: 'FollowUpOpenResult' });

// What a graduate or an officer answers. Amounts in whole rupiah.
const answerFields = {
  salesLastMonth: z.number().int().min(0).max(maxMonthlySales).describe('Sales (omzet) last month, rupiah'),
  workers: z.number().int().min(0).max(100_000).describe('Workers now, the owner included'),
  stillProducing: z.boolean(),
  channels: z.array(z.enum(salesChannels)).max(salesChannels.length).default([]),
  aidInUse: z.boolean().nullable().default(null).describe('null when no equipment was received'),
  aidNotUsedReason: z.string().trim().max(500).optional(),
  remark: z.string().trim().max(2000).optional(),
  confirmed: z
    .boolean()
    .default(false)
    .describe('The sales figure is right although far above the recorded business size'),
};

// No component id: its defaults make its input and output types differ.
export const followUpAnswerBody = z.object({ ...answerFields, source: z.enum(['phone', 'visit']) });
export type FollowUpAnswerBody = z.infer<typeof followUpAnswerBody>;

// The public form's answer (the graduate through the personal link).
export const publicFollowUpAnswer = z.object(answerFields);
export type PublicFollowUpAnswer = z.infer<typeof publicFollowUpAnswer>;

export const followUpAnswer = z
  .object({
    id: z.uuid(),
    salesLastMonth: z.number(),
    workers: z.number(),
    stillProducing: z.boolean(),
    channels: z.array(z.string()),
    aidInUse: z.boolean().nullable(),
    aidNotUsedReason: z.string().nullable(),
    remark: z.string().nullable(),
    source: z.enum(['self', 'phone', 'visit']),
    answeredAt: z.string(),
  })
  .meta({ id: 'FollowUpAnswer' });

export const followUpItem = z
  .object({
    id: z.uuid(),
    applicationId: z.uuid(),
    businessId: z.uuid(),
    businessName: z.string(),
    ownerName: z.string(),
    kecamatan: z.string(),
    dueAt: z.iso.date(),
    link: z.string().describe('The graduate’s personal answer page'),
    whatsappUrl: z.string().nullable().describe('Click-to-chat link carrying the personal link'),
    answers: followUpAnswer.nullable().describe('The latest answer; null until answered'),
    answerCount: z.number().int().describe('Answers given; the latest counts'),
  })
  .meta({ id: 'FollowUp' });
export type FollowUpItem = z.infer<typeof followUpItem>;

export const followUpList = z.object({ items: z.array(followUpItem) }).meta({ id: 'FollowUpList' });

const quartiles = z.object({
  p25: z.number().nullable(),
  median: z.number().nullable(),
  p75: z.number().nullable(),
});

export const outcomeRow = z.object({
  graduates: z.number().int().describe('Graduates (completed applications)'),
  asked: z.number().int().describe('Graduates with at least one follow-up opened'),
  answered: z.number().int().describe('Graduates who answered a follow-up'),
  selling: z.number().int().describe('Graduates whose latest answer reports sales above 0'),
  newEntrepreneurs: z.number().int().describe('Wirausaha baru (DOMAIN.md)'),
  activeAfterFollowUp: z.number().int().describe('Aktif setelah tindak lanjut (DOMAIN.md)'),
  recovered: z.number().int().describe('Pulih: sales last month × 12 ≥ turnover before Covid-19'),
  recoveredKnown: z.number().int().describe('Answered graduates whose turnover before Covid-19 is known'),
  turnoverBefore: quartiles,
  turnoverAfter: quartiles,
  workersBefore: quartiles,
  workersAfter: quartiles,
  turnoverUp: z.number().int(),
  turnoverSame: z.number().int(),
  turnoverDown: z.number().int(),
});

export const outcomesQuery = z.object({
  programId: z.uuid().optional(),
  kecamatan: z
    .string()
    .regex(/^\d{2}\.\d{2}\.\d{2}$/)
    .optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const outcomesReport = z
  .object({
    totals: outcomeRow,
    byProgram: z.array(
      outcomeRow.extend({ programId: z.uuid(), programName: z.string(), endDate: z.string() }),
    ),
    byKecamatan: z.array(outcomeRow.extend({ kecamatan: z.string(), kecamatanName: z.string().nullable() })),
  })
  .meta({ id: 'OutcomesReport' });

const funnelRow = z.object({
  registered: z.number().int().describe('Applications'),
  eligible: z.number().int().describe('Applications judged eligible'),
  enrolled: z.number().int().describe('Holding a seat, or completed'),
  completed: z.number().int().describe('Graduates'),
  equipped: z.number().int().describe('Graduates handed equipment allocated under the program'),
  selling: z.number().int().describe('Graduates whose latest follow-up answer reports sales above 0'),
  newEntrepreneurs: z.number().int(),
});

export const funnelReport = z
  .object({
    totals: funnelRow,
    byProgram: z.array(funnelRow.extend({ programId: z.uuid(), programName: z.string() })),
    byKecamatan: z.array(funnelRow.extend({ kecamatan: z.string(), kecamatanName: z.string().nullable() })),
  })
  .meta({ id: 'FunnelReport' });

export const outcomeDimensions = ['program', 'kecamatan', 'kbli', 'cohort', 'month'] as const;

export const breakdownQuery = outcomesQuery.extend({ by: z.enum(outcomeDimensions) });

export const outcomeBreakdown = z
  .object({
    dimension: z.enum(outcomeDimensions),
    items: z.array(outcomeRow.extend({ key: z.string(), label: z.string() })),
  })
  .meta({ id: 'OutcomeBreakdown' });

// The kecamatan map of the dashboard: the office's uploaded boundaries with each kecamatan's
// figures (null for a kecamatan outside a kecamatan office's own).
export const mapFigures = z.object({
  participants: z.number().int().describe('Applications enrolled or completed (the funnel’s enrolled)'),
  graduates: z.number().int(),
  answered: z.number().int(),
  newEntrepreneurs: z.number().int(),
  activeAfterFollowUp: z.number().int(),
});

export const outcomeMap = z
  .object({
    map: z
      .object({
        uploadedAt: z.string(),
        features: z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            geometry: z.object({
              type: z.enum(['Polygon', 'MultiPolygon']),
              coordinates: z.array(z.unknown()),
            }),
            figures: mapFigures.nullable(),
          }),
        ),
      })
      .nullable()
      .describe('null when the office has uploaded no map'),
  })
  .meta({ id: 'OutcomeMap' });
export type OutcomeMap = z.infer<typeof outcomeMap>;
