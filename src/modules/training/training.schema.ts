import { z } from 'zod';
import { attendanceMethods } from '../../domain/enums.ts';

// 'HH:MM', 24-hour, local time at the venue (the schema's CHECK accepts the same shape).
const clockTime = z
  .string()
  .trim()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Use HH:MM (24-hour)');

export const attendanceMethod = z.enum(attendanceMethods);
export const certificateStatus = z.enum(['valid', 'revoked']);

export const createSessionBody = z
  .object({
    day: z.number().int().min(1).max(366).describe('1 for the first day of the program'),
    date: z.iso.date(),
    startsAt: clockTime,
    endsAt: clockTime,
    topic: z.string().trim().max(300).nullish(),
  })
  .refine((s) => s.endsAt > s.startsAt, { message: 'endsAt is not after startsAt', path: ['endsAt'] })
  .meta({ id: 'CreateSession' });

export const session = z
  .object({
    id: z.uuid(),
    programId: z.uuid(),
    day: z.number(),
    date: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    topic: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'Session' });

export const sessionSummary = session.extend({ attendedCount: z.number() }).meta({ id: 'SessionSummary' });

export const sessionList = z.object({ items: z.array(sessionSummary), nextCursor: z.string().nullable() });

export const sessionParticipant = z
  .object({
    applicationId: z.uuid(),
    businessName: z.string(),
    ownerName: z.string(),
    ownerNik: z.string().describe('Always masked'),
    kelurahanName: z.string().nullable(),
    checkedInAt: z.date().nullable(),
    method: attendanceMethod.nullable(),
  })
  .meta({ id: 'SessionParticipant' });

export const sessionDetail = session
  .extend({
    program: z.object({ id: z.uuid(), name: z.string(), venue: z.string().nullable() }),
    participants: z.array(sessionParticipant),
  })
  .meta({ id: 'SessionDetail' });

export const sessionParams = z.object({ id: z.uuid() });
export const attendanceParams = z.object({ id: z.uuid(), applicationId: z.uuid() });

export const checkInBody = z
  .object({
    applicationId: z.uuid().optional().describe('The participant, when picked from the list'),
    token: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Instead of applicationId: the code in the QR on the invitation card (PLH1.<id>.<mac>)'),
    method: attendanceMethod,
    checkedInAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the participant arrived, for check-ins recorded offline and synced later'),
  })
  .refine((b) => (b.applicationId === undefined) !== (b.token === undefined), {
    message: 'Give either applicationId or token',
    path: ['applicationId'],
  })
  .meta({ id: 'CheckIn' });

export const checkInResult = z
  .object({
    applicationId: z.uuid(),
    sessionId: z.uuid(),
    checkedInAt: z.date(),
    method: attendanceMethod,
    duplicate: z
      .boolean()
      .describe('True when this person was already checked in; checkedInAt is the first time'),
  })
  .meta({ id: 'CheckInResult' });

export const completionItem = z.object({
  applicationId: z.uuid(),
  businessName: z.string(),
  ownerName: z.string(),
  status: z.enum(['enrolled', 'completed']),
  attended: z.number(),
  ratio: z.number(),
  completed: z.boolean().describe('Meets the completion rule'),
  certificateCode: z.string().nullable(),
});

export const completion = z
  .object({ sessions: z.number(), minAttendanceRatio: z.number(), items: z.array(completionItem) })
  .meta({ id: 'Completion' });

export const issueResult = z
  .object({
    completed: z.number().describe('Applications newly marked completed'),
    issued: z.number().describe('Certificates newly issued'),
  })
  .meta({ id: 'CertificateIssueResult' });

export const certificateParams = z.object({ code: z.string().trim().min(1).max(40) });

export const certificateVerification = z
  .object({
    code: z.string(),
    status: certificateStatus,
    revokedReason: z.string().nullable(),
    participantName: z.string(),
    businessName: z.string(),
    programName: z.string(),
    organisation: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    venue: z.string().nullable(),
    hours: z.number().nullable(),
    issuedAt: z.date(),
  })
  .meta({ id: 'CertificateVerification' });

export const revokeBody = z
  .object({ reason: z.string().trim().min(3).max(500) })
  .meta({ id: 'RevokeCertificate' });

export const daftarHadirQuery = z.object({
  filled: z.enum(['true', 'false']).default('false').describe('Print the check-in time of each participant'),
});

export const invitationCardsQuery = z.object({
  applicationId: z.uuid().optional().describe('Print only this participant’s card (a lost card)'),
});

export type CreateSessionBody = z.infer<typeof createSessionBody>;
export type Session = z.infer<typeof session>;
export type SessionSummary = z.infer<typeof sessionSummary>;
export type SessionDetail = z.infer<typeof sessionDetail>;
export type CheckInBody = z.infer<typeof checkInBody>;
export type CheckInResult = z.infer<typeof checkInResult>;
export type Completion = z.infer<typeof completion>;
export type CertificateVerification = z.infer<typeof certificateVerification>;
