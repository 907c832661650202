import { z } from 'zod';
import { complaintStatuses } from '../../domain/enums.ts';
import { listQuery, page } from '../../lib/schema.ts';

// Complaints (pengaduan): filed by anyone on the public form, or entered by an officer from a
// call, a WhatsApp message, a visit or SP4N-LAPOR!. The public sees a tracking code's status
// and the published answer, never who complained or what they wrote.

export { complaintStatuses };
export const complaintStatus = z.enum(complaintStatuses);
export type ComplaintStatus = z.infer<typeof complaintStatus>;

export const complaintChannels = ['web', 'phone', 'whatsapp', 'walk_in', 'lapor'] as const;
export const complaintChannel = z.enum(complaintChannels);

export const complaintCodePattern = /^PGD-[2-9A-HJ-NP-Z]{6}$/;

export const publicComplaintBody = z
  .object({
    name: z.string().trim().min(2).max(120),
    phone: z.string().trim().min(6).max(30).describe('As the complainant types it: 0812…, +62 812…'),
    message: z.string().trim().min(10).max(4000),
    programId: z.uuid().optional().describe('The program the complaint is about, if any'),
  })
  .meta({ id: 'PublicComplaintBody' });
export type PublicComplaintBody = z.infer<typeof publicComplaintBody>;

export const publicComplaintResult = z
  .object({ code: z.string().describe('The tracking code, e.g. PGD-7K3M9Q') })
  .meta({ id: 'PublicComplaintResult' });

export const complaintCodeParams = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(complaintCodePattern)
    .describe('The tracking code, e.g. PGD-7K3M9Q'),
});

export const publicComplaintStatus = z
  .object({ status: complaintStatus, updatedAt: z.date() })
  .meta({ id: 'PublicComplaintStatus' });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v));

export const complaintCreateBody = z
  .object({
    name: z.string().trim().min(2).max(120),
    phone: z.string().trim().max(30).optional().describe('Empty when the complainant gave none'),
    message: z.string().trim().min(3).max(4000),
    channel: complaintChannel.exclude(['web']),
    programId: z.uuid().optional(),
    applicationId: z.uuid().optional(),
    businessId: z.uuid().optional(),
    laporRef: optionalText(60).optional().describe('SP4N-LAPOR! tracking number'),
    assignedTo: z.uuid().optional(),
  })
  .meta({ id: 'ComplaintCreateBody' });
export type ComplaintCreateBody = z.infer<typeof complaintCreateBody>;

export const complaintPatchBody = z
  .object({
    status: complaintStatus.optional(),
    assignedTo: z.uuid().nullable().optional(),
    answer: z.string().trim().min(3).max(4000).optional().describe('Published and sent to the complainant'),
    laporRef: optionalText(60).nullable().optional(),
    programId: z.uuid().nullable().optional(),
    applicationId: z.uuid().nullable().optional(),
    businessId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'ComplaintPatchBody' });
export type ComplaintPatchBody = z.infer<typeof complaintPatchBody>;

export const complaintNoteBody = z
  .object({ text: z.string().trim().min(1).max(4000) })
  .meta({ id: 'ComplaintNoteBody' });

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const complaintListQuery = listQuery.extend({
  status: complaintStatus.optional(),
  overdue: booleanQuery.describe('Only open complaints past their due date'),
  programId: z.uuid().optional(),
  assignedToMe: booleanQuery,
  q: z.string().trim().max(60).optional().describe('Tracking code, name or SP4N-LAPOR! reference'),
});
export type ComplaintListQuery = z.infer<typeof complaintListQuery>;

export const complaintItem = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    phone: z.string().nullable().describe('Masked in lists'),
    channel: complaintChannel,
    status: complaintStatus,
    programId: z.uuid().nullable(),
    programName: z.string().nullable(),
    applicationId: z.uuid().nullable(),
    businessId: z.uuid().nullable(),
    businessName: z.string().nullable(),
    kecamatanCode: z.string().nullable(),
    laporRef: z.string().nullable(),
    assignedTo: z.uuid().nullable(),
    assignedToName: z.string().nullable(),
    dueDate: z.string().describe('YYYY-MM-DD in the office’s time zone'),
    overdue: z.boolean(),
    answeredAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ComplaintItem' });
export type ComplaintItem = z.infer<typeof complaintItem>;

export const complaintPage = page(complaintItem).meta({ id: 'ComplaintPage' });

export const complaintDetail = complaintItem
  .extend({
    message: z.string(),
    answer: z.string().nullable(),
    closedAt: z.date().nullable(),
    notes: z.array(
      z.object({ id: z.uuid(), text: z.string(), authorName: z.string().nullable(), createdAt: z.date() }),
    ),
    messages: z
      .array(
        z.object({
          channel: z.string(),
          status: z.string(),
          reason: z.string().nullable(),
          createdAt: z.date(),
          clickToChatUrl: z.string().nullable().describe('wa.me link with the same text, when not sent'),
        }),
      )
      .describe('The answer as queued in the notifications outbox'),
  })
  .meta({ id: 'ComplaintDetail' });
export type ComplaintDetail = z.infer<typeof complaintDetail>;

export const complaintCounts = z
  .object({
    items: z.array(
      z.object({
        programId: z.uuid().nullable(),
        programName: z.string().nullable(),
        status: complaintStatus,
        count: z.number().int(),
      }),
    ),
    overdue: z.number().int(),
  })
  .meta({ id: 'ComplaintCounts' });

export const complaintOfficer = z.object({ id: z.uuid(), name: z.string() }).meta({ id: 'ComplaintOfficer' });
