import { z } from 'zod';
import { handoverPhoto } from '../aid/aid.schema.ts';

export const reportTextsBody = z
  .object({
    background: z.string().trim().max(10_000).nullable().describe('Latar belakang'),
    legalBasis: z
      .string()
      .trim()
      .max(10_000)
      .nullable()
      .describe('Dasar hukum: one regulation or decree per line, printed as a numbered list'),
  })
  .meta({ id: 'ProgramReportTexts' });
export type ReportTextsBody = z.infer<typeof reportTextsBody>;

export const reportTexts = reportTextsBody
  .extend({ updatedAt: z.date().nullable() })
  .meta({ id: 'ProgramReportTextsResponse' });

export const programPhotoBody = z
  .object({
    photo: handoverPhoto,
    caption: z.string().trim().max(200).nullable().optional(),
  })
  .meta({ id: 'CreateProgramPhoto' });
export type ProgramPhotoBody = z.infer<typeof programPhotoBody>;

export const programPhoto = z
  .object({
    id: z.uuid(),
    caption: z.string().nullable(),
    photoType: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'ProgramPhoto' });

export const programPhotoParams = z.object({ id: z.uuid(), photoId: z.uuid() });
