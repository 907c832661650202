import { z } from 'zod';
import { attendanceMethods } from '../../domain/enums.ts';

// 'HH:MM', 24-hour, local time at the venue (the schema's CHECK accepts the same shape).
const clockTime = z
  .string()
  .trim()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Use HH:MM (24-hour)');

export const attendanceMethod = z.enum(attendanceMethods);
export const certificateStatus = z.enum(['valid', 'revoked']);

export const trainerRoles = ['narasumber', 'instruktur'] as const;

export const trainer = z
  .object({ name: z.string().trim().min(2).max(200), role: z.enum(trainerRoles) })
  .meta({ id: 'Trainer' });

// What a day carries besides its date and times; shared by one session, a series and an edit.
const sessionFacts = {
  topic: z.string().trim().max(300).nullish(),
  venue: z.string().trim().max(300).nullish().describe('Where the day is held; null: the program’s venue'),
  lessonHours: z.number().int().min(0).max(24).nullish().describe('Jam pelajaran (JP) of the day'),
  trainers: z.array(trainer).max(20).optional().describe('Narasumber and instruktur of the day'),
};

const timesInOrder = (s: { startsAt?: string; endsAt?: string }) =>
  s.startsAt === undefined || s.endsAt === undefined || s.endsAt > s.startsAt;

export const createSessionBody = z
  .object({
    day: z.number().int().min(1).max(366).describe('1 for the first day of the program'),
    date: z.iso.date(),
    startsAt: clockTime,
    endsAt: clockTime,
    ...sessionFacts,
  })
  .refine(timesInOrder, { message: 'endsAt is not after startsAt', path: ['endsAt'] })
  .meta({ id: 'CreateSession' });

export const createSeriesBody = z
  .object({
    from: z.iso.date().optional().describe('First day of a range (with to)'),
    to: z.iso.date().optional().describe('Last day of the range, included'),
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .max(7)
      .optional()
      .describe('ISO weekdays of the range to hold (1 Monday … 7 Sunday); absent or empty: every day'),
    dates: z.array(z.iso.date()).min(1).max(60).optional().describe('Instead of a range: single dates'),
    startsAt: clockTime,
    endsAt: clockTime,
    ...sessionFacts,
  })
  .refine(timesInOrder, { message: 'endsAt is not after startsAt', path: ['endsAt'] })
  .refine((b) => (b.dates !== undefined) !== (b.from !== undefined && b.to !== undefined), {
    message: 'Give either from and to, or dates',
    path: ['from'],
  })
  .refine((b) => !b.from || !b.to || b.to >= b.from, { message: 'to is before from', path: ['to'] })
  .meta({ id: 'CreateSessionSeries' });

export const updateSessionBody = z
  .object({
    date: z.iso.date().optional(),
    startsAt: clockTime.optional(),
    endsAt: clockTime.optional(),
    ...sessionFacts,
  })
  .refine(timesInOrder, { message: 'endsAt is not after startsAt', path: ['endsAt'] })
  .meta({ id: 'UpdateSession' });

export const cancelSessionBody = z
  .object({ reason: z.string().trim().min(3).max(500) })
  .meta({ id: 'CancelSession' });

export const session = z
  .object({
    id: z.uuid(),
    programId: z.uuid(),
    day: z.number(),
    date: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    topic: z.string().nullable(),
    venue: z.string().nullable().describe('Null: the program’s venue'),
    lessonHours: z.number().nullable(),
    trainers: z.array(trainer),
    cancelledAt: z.date().nullable().describe('Set when the day was cancelled; it then counts for nothing'),
    cancelReason: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'Session' });

export const sessionSeriesResult = z.object({ items: z.array(session) }).meta({ id: 'SessionSeriesResult' });

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
    lateReason: z.string().nullable().describe('Set when the check-in was entered after the day'),
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
    lateReason: z
      .string()
      .trim()
      .min(3)
      .max(500)
      .optional()
      .describe('A late entry for a past session (needs recordLateAttendance): why it is entered now'),
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
    lateReason: z.string().nullable(),
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
  certificateStatus: certificateStatus.nullable(),
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

export const certificatePreviewItem = z.object({
  applicationId: z.uuid(),
  businessName: z.string(),
  ownerName: z.string(),
  attended: z.number(),
  sessions: z.number(),
  ratio: z.number(),
  outcome: z
    .enum(['issue', 'has_certificate', 'below_rule'])
    .describe(
      'issue: gets one now; has_certificate: already has one (valid, or revoked by an officer and not issued again); below_rule: attendance below the rule',
    ),
  certificateCode: z.string().nullable(),
  certificateStatus: certificateStatus.nullable(),
});

export const certificatePreview = z
  .object({
    open: z.boolean().describe('True once the last non-cancelled session has ended'),
    lastSessionEndsAt: z.date().nullable(),
    sessions: z.number().describe('Sessions that count (cancelled ones do not)'),
    minAttendanceRatio: z.number(),
    totalLessonHours: z.number().nullable(),
    items: z.array(certificatePreviewItem),
  })
  .meta({ id: 'CertificatePreview' });

export const undoAttendanceQuery = z.object({
  revokeCertificate: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      'Also revoke the participant’s certificate when they have one (otherwise 409 certificate_exists)',
    ),
  reason: z.string().trim().min(3).max(500).optional().describe('Why the certificate is revoked'),
});

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
export type CreateSeriesBody = z.infer<typeof createSeriesBody>;
export type UpdateSessionBody = z.infer<typeof updateSessionBody>;
export type Trainer = z.infer<typeof trainer>;
export type CertificatePreview = z.infer<typeof certificatePreview>;
export type Session = z.infer<typeof session>;
export type SessionSummary = z.infer<typeof sessionSummary>;
export type SessionDetail = z.infer<typeof sessionDetail>;
export type CheckInBody = z.infer<typeof checkInBody>;
export type CheckInResult = z.infer<typeof checkInResult>;
export type Completion = z.infer<typeof completion>;
export type CertificateVerification = z.infer<typeof certificateVerification>;
