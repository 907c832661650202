import { z } from 'zod';
import { applicationStatus, eventKind, programType, selectionMode } from '../programs/programs.schema.ts';

// The public application form: an owner on a phone, with no account, proves who they are
// by the NIK and the phone number the registry holds for them. Nothing in an answer tells
// whether a NIK is registered: a wrong pair and an unknown NIK answer alike.

export const publicApplyBody = z
  .object({
    nik: z
      .string()
      .trim()
      .max(40)
      .regex(/^[\d\s.-]+$/, 'Digits only')
      .describe('16 digits; spaces, dots and dashes are ignored'),
    phone: z.string().trim().min(6).max(30).describe('As the owner types it: 0812…, +62 812…, 62812…'),
    businessId: z
      .uuid()
      .optional()
      .describe('Which business applies, when the owner has several (see outcome choose_business)'),
    consent: z
      .boolean()
      .optional()
      .describe('The applicant agrees to messages about the application by WhatsApp or SMS (UU PDP)'),
  })
  .meta({ id: 'PublicApplyBody' });

export const publicApplyResult = z
  .discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('applied'),
      status: applicationStatus,
      statusPath: z.string().describe('/status/<token>: the applicant’s link to follow the application'),
    }),
    z.object({
      outcome: z.literal('already_applied'),
      status: applicationStatus,
      statusPath: z.string(),
    }),
    z.object({
      outcome: z.literal('choose_business'),
      businesses: z
        .array(z.object({ id: z.uuid(), name: z.string() }))
        .describe('The owner’s businesses, by name only; send again with businessId'),
    }),
  ])
  .meta({ id: 'PublicApplyResult' });

export const statusTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

export const publicApplicationStatus = z
  .object({
    program: z.object({
      id: z.uuid(),
      name: z.string(),
      type: programType,
      startDate: z.string(),
      endDate: z.string(),
      venue: z.string().nullable(),
      selection: selectionMode,
    }),
    status: applicationStatus,
    appliedAt: z.date(),
    waitlistPosition: z.number().nullable().describe('1 = next in line; null unless waitlisted'),
    failedCriteria: z.array(z.string()).describe('The eligibility fields that failed (no values)'),
    events: z.array(
      z.object({
        at: z.date(),
        kind: eventKind,
        fromStatus: applicationStatus.nullable(),
        toStatus: applicationStatus.nullable(),
        note: z.string().nullable(),
      }),
    ),
    sessions: z
      .array(
        z.object({
          day: z.number(),
          date: z.string(),
          startsAt: z.string(),
          endsAt: z.string(),
          topic: z.string().nullable(),
          venue: z.string().nullable(),
          cancelled: z.boolean(),
          cancelReason: z.string().nullable(),
        }),
      )
      .describe('The days of the training for a participant (enrolled or completed), cancelled ones marked'),
  })
  .meta({ id: 'PublicApplicationStatus' });

export type PublicApplyBody = z.infer<typeof publicApplyBody>;
export type PublicApplyResult = z.infer<typeof publicApplyResult>;
export type PublicApplicationStatus = z.infer<typeof publicApplicationStatus>;
