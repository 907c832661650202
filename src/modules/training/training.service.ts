import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { registryScope } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import {
  certificateCodeFromBytes,
  certificateRandomBytes,
  normalizeCertificateCode,
} from '../../domain/certificate-code.ts';
import { evaluateCompletion } from '../../domain/completion.ts';
import { maskNik } from '../../domain/nik.ts';
import { endOfOfficeDay, officeDate, officeInstant } from '../../domain/office-time.ts';
import { maskPhone } from '../../domain/phone.ts';
import { maxSeriesDays, seriesDates } from '../../domain/session-series.ts';
import type { AppContext } from '../../lib/context.ts';
import { publish } from '../../lib/domain-events.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import {
  canActorSeeApplication,
  getOrganisationName,
  getParticipant,
  getProgramRow,
  listParticipants,
  markCompleted,
  undoCompletion,
} from '../programs/programs.service.ts';
import { getLetterhead, getSettings } from '../settings/settings.service.ts';
import {
  attendanceSecretBytes,
  attendanceToken,
  newAttendanceSecret,
  readAttendanceToken,
} from './attendance-token.ts';
import {
  type CertificateDocument,
  type DaftarHadirDocument,
  type InvitationCardsDocument,
  renderCertificatePdf,
  renderDaftarHadirPdf,
  renderInvitationCardsPdf,
  streamCertificatesPdf,
} from './training.pdf.ts';
import {
  cancelSessionRow,
  countAttendanceOfProgram,
  countAttendanceOfSession,
  countSessionsOfProgram,
  deleteAttendance,
  getAttendance,
  getCertificateByCode,
  getSession,
  getSetting,
  insertAttendance,
  insertCertificate,
  insertSession,
  insertSettingIfAbsent,
  listAttendanceOfSession,
  listCertificatesOfApplications,
  listSessionRowsOfProgram,
  listSessionsOfProgram,
  nextSessionDay,
  renumberSessions,
  revokeCertificateRow,
  updateSessionRow,
} from './training.queries.ts';
import type {
  CertificatePreview,
  CertificateVerification,
  CheckInBody,
  CheckInResult,
  Completion,
  CreateSeriesBody,
  CreateSessionBody,
  Session,
  SessionDetail,
  SessionSummary,
  Trainer,
  UpdateSessionBody,
} from './training.schema.ts';

type SessionRow = NonNullable<Awaited<ReturnType<typeof getSession>>>;

// A phone's clock may run a little ahead of the server's; a check-in further in the future is a mistake.
const clockSkewMs = 5 * 60 * 1000;

function presentSession(row: SessionRow): Session {
  return {
    id: row.id,
    programId: row.programId,
    day: row.day,
    date: row.date,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    topic: row.topic,
    venue: row.venue,
    lessonHours: row.lessonHours,
    trainers: (row.trainers as Trainer[] | null) ?? [],
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    createdAt: row.createdAt,
  };
}

async function officeTimeZone(ctx: AppContext) {
  return (await getSettings(ctx)).timeZone;
}

// The instant a session ends, in the office's time zone.
function sessionEnd(row: { date: string; endsAt: string }, timeZone: string) {
  return officeInstant(row.date, row.endsAt, timeZone);
}

async function requireProgram(ctx: AppContext, programId: string) {
  return (await getProgramRow(ctx, programId)) ?? fail('not_found');
}

async function requireSession(ctx: AppContext, sessionId: string) {
  return (await getSession(ctx.db, sessionId)) ?? fail('not_found');
}

// Participants are scoped like the program's applications: a kecamatan officer sees, checks in,
// prints and follows only the participants whose business is in the kecamatan.
const participantScope = (actor: Actor) => registryScope(actor);

// ---- sessions ----

async function requireTrainingProgram(ctx: AppContext, programId: string) {
  const program = await requireProgram(ctx, programId);
  if (program.type !== 'training') {
    fail(
      'validation_failed',
      { field: 'programId', type: program.type },
      'Only training programs have sessions.',
    );
  }
  return program;
}

function requireWithinProgram(program: { startDate: string; endDate: string }, date: string, field = 'date') {
  if (date < program.startDate || date > program.endDate) {
    fail(
      'validation_failed',
      { field, date, startDate: program.startDate, endDate: program.endDate },
      'The session date is outside the program dates.',
    );
  }
}

export async function createSession(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: CreateSessionBody,
): Promise<Session> {
  const program = await requireTrainingProgram(ctx, programId);
  requireWithinProgram(program, body.date);
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertSession(tx, {
        programId,
        day: body.day,
        date: body.date,
        startsAt: body.startsAt,
        endsAt: body.endsAt,
        topic: body.topic ?? null,
        venue: body.venue ?? null,
        lessonHours: body.lessonHours ?? null,
        trainers: body.trainers ?? [],
      });
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'training_session',
        entityId: created.id,
        after: created,
      });
      return created;
    });
    return presentSession(row);
  } catch (error) {
    if (uniqueViolation(error) === 'training_sessions_program_day_key')
      return fail('session_exists', { day: body.day });
    throw error;
  }
}

// "Every day from 24 to 28 August, 08:00–16:00": one session per day of the series, all or
// none, numbered by date among the program's other days.
export async function createSessionSeries(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: CreateSeriesBody,
): Promise<Session[]> {
  const program = await requireTrainingProgram(ctx, programId);
  const dates =
    body.dates !== undefined
      ? seriesDates({ dates: body.dates })
      : seriesDates({ from: body.from ?? '', to: body.to ?? '', weekdays: body.weekdays });
  if (dates.length === 0) fail('validation_failed', { field: 'weekdays' }, 'The series has no day.');
  if (dates.length > maxSeriesDays)
    fail('validation_failed', { field: 'to', max: maxSeriesDays }, 'The series has too many days.');
  for (const date of dates) requireWithinProgram(program, date, body.dates ? 'dates' : 'from');
  try {
    const rows = await ctx.db.transaction(async (tx) => {
      const first = await nextSessionDay(tx, programId);
      const created = [];
      for (const [i, date] of dates.entries()) {
        const row = await insertSession(tx, {
          programId,
          day: first + i,
          date,
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          topic: body.topic ?? null,
          venue: body.venue ?? null,
          lessonHours: body.lessonHours ?? null,
          trainers: body.trainers ?? [],
        });
        created.push(row);
      }
      await renumberSessions(tx, programId);
      await recordChange(tx, actor, {
        action: 'create_series',
        entity: 'program',
        entityId: programId,
        after: {
          sessions: created.map((c) => ({ id: c.id, date: c.date })),
          startsAt: body.startsAt,
          endsAt: body.endsAt,
        },
      });
      const ids = new Set(created.map((c) => c.id));
      return (await listSessionRowsOfProgram(tx, programId)).filter((r) => ids.has(r.id));
    });
    return rows.map(presentSession);
  } catch (error) {
    if (uniqueViolation(error) === 'training_sessions_program_day_key') return fail('conflict');
    throw error;
  }
}

// Edit or move a day. A day with check-ins keeps its date (its attendance happened then).
export async function updateSession(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  body: UpdateSessionBody,
): Promise<Session> {
  const before = await requireSession(ctx, sessionId);
  if (before.cancelledAt) fail('session_cancelled');
  const program = await requireTrainingProgram(ctx, before.programId);
  const moved = body.date !== undefined && body.date !== before.date;
  if (body.date !== undefined) requireWithinProgram(program, body.date);
  const startsAt = body.startsAt ?? before.startsAt;
  const endsAt = body.endsAt ?? before.endsAt;
  if (endsAt <= startsAt) fail('validation_failed', { field: 'endsAt' }, 'endsAt is not after startsAt');
  const row = await ctx.db.transaction(async (tx) => {
    if (moved && (await countAttendanceOfSession(tx, sessionId)) > 0) fail('session_has_attendance');
    const after = (await updateSessionRow(tx, sessionId, {
      ...(body.date !== undefined ? { date: body.date } : {}),
      startsAt,
      endsAt,
      ...(body.topic !== undefined ? { topic: body.topic } : {}),
      ...(body.venue !== undefined ? { venue: body.venue } : {}),
      ...(body.lessonHours !== undefined ? { lessonHours: body.lessonHours } : {}),
      ...(body.trainers !== undefined ? { trainers: body.trainers } : {}),
    }))!;
    if (moved) await renumberSessions(tx, before.programId);
    // Participants hear of a new day or time, not of a corrected topic or trainer.
    if (moved || startsAt !== before.startsAt) {
      await publish(tx, {
        type: 'session.changed',
        sessionId,
        change: 'moved',
        key: `${sessionId}:${after.date} ${startsAt}`,
        date: after.date,
        startsAt,
      });
    }
    await recordChange(tx, actor, {
      action: moved ? 'move' : 'update',
      entity: 'training_session',
      entityId: sessionId,
      before,
      after,
    });
    return (await getSession(tx, sessionId))!;
  });
  return presentSession(row);
}

// A cancelled day stays in the list, marked, with its reason; it no longer counts for
// completion and takes no check-ins. Cancelling twice keeps the first reason.
export async function cancelSession(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  reason: string,
): Promise<Session> {
  await requireSession(ctx, sessionId);
  const row = await ctx.db.transaction(async (tx) => {
    const before = (await getSession(tx, sessionId))!;
    if (before.cancelledAt) return before;
    const after = (await cancelSessionRow(tx, sessionId, reason)) ?? fail('conflict');
    await publish(tx, {
      type: 'session.changed',
      sessionId,
      change: 'cancelled',
      key: `${sessionId}:cancelled`,
    });
    await recordChange(tx, actor, {
      action: 'cancel',
      entity: 'training_session',
      entityId: sessionId,
      before,
      after,
    });
    return after;
  });
  return presentSession(row);
}

// For the participant's status page: the days of the program, cancelled ones marked.
export async function listPublicSessions(ctx: AppContext, programId: string) {
  const rows = await listSessionRowsOfProgram(ctx.db, programId);
  return rows.map((r) => ({
    day: r.day,
    date: r.date,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    topic: r.topic,
    venue: r.venue,
    cancelled: r.cancelledAt !== null,
    cancelReason: r.cancelReason,
  }));
}

export async function listSessions(ctx: AppContext, programId: string): Promise<SessionSummary[]> {
  await requireProgram(ctx, programId);
  const rows = await listSessionsOfProgram(ctx.db, programId);
  return rows.map((r) => ({ ...presentSession(r.session), attendedCount: r.attendedCount }));
}

export async function getSessionDetail(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
): Promise<SessionDetail> {
  const session = await requireSession(ctx, sessionId);
  const program = await requireProgram(ctx, session.programId);
  const [participants, checkIns] = await Promise.all([
    listParticipants(ctx, session.programId, participantScope(actor)),
    listAttendanceOfSession(ctx.db, sessionId),
  ]);
  const byApplication = new Map(checkIns.map((c) => [c.applicationId, c]));
  return {
    ...presentSession(session),
    program: { id: program.id, name: program.name, venue: program.venue },
    participants: participants.map((p) => {
      const checkIn = byApplication.get(p.applicationId);
      return {
        applicationId: p.applicationId,
        businessName: p.businessName,
        ownerName: p.ownerName,
        ownerNik: maskNik(p.ownerNik),
        kelurahanName: p.kelurahanName,
        checkedInAt: checkIn?.checkedInAt ?? null,
        method: checkIn?.method ?? null,
        lateReason: checkIn?.lateReason ?? null,
      };
    }),
  };
}

// ---- attendance ----

// Idempotent by design: the venue phone queues check-ins while offline and resends them,
// possibly several times and at once. The unique (session, application) index decides;
// a resend answers the first check-in with duplicate: true.
export async function recordAttendance(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  body: CheckInBody,
): Promise<CheckInResult> {
  const session = await requireSession(ctx, sessionId);
  const byToken = body.token !== undefined;
  const applicationId = byToken
    ? await applicationOfToken(ctx, body.token ?? '')
    : (body.applicationId ?? fail('validation_failed', { field: 'applicationId' }));
  // Out of the officer's scope is as good as unknown: answered like an application that is not there.
  const participant = await getParticipant(ctx, applicationId, participantScope(actor));
  // A genuine card of another training says so, rather than "not enrolled".
  if (byToken && participant && participant.programId !== session.programId) {
    return fail('invalid_attendance_token', { reason: 'other_program' });
  }
  if (
    !participant ||
    participant.programId !== session.programId ||
    (participant.status !== 'enrolled' && participant.status !== 'completed')
  ) {
    return fail('not_enrolled', { applicationId });
  }
  if (session.cancelledAt) fail('session_cancelled');
  let checkedInAt = body.checkedInAt ? new Date(body.checkedInAt) : new Date();
  if (checkedInAt.getTime() > Date.now() + clockSkewMs) {
    fail('validation_failed', { field: 'checkedInAt' }, 'The check-in time is in the future.');
  }
  // Dates hold: a check-in belongs to the session's day in the office's time zone. A phone
  // that was offline sends the time it recorded on the day, which still holds; anything
  // later is a late entry, by an officer who may, with a reason. Never for a future day.
  const timeZone = await officeTimeZone(ctx);
  const today = officeDate(new Date(), timeZone);
  if (session.date > today) fail('session_in_future', { date: session.date, today });
  let lateReason: string | null = null;
  if (officeDate(checkedInAt, timeZone) !== session.date) {
    if (session.date === today || !body.lateReason)
      fail('attendance_not_today', { date: session.date, today });
    if (!can(actor, 'recordLateAttendance')) fail('forbidden');
    lateReason = body.lateReason ?? null;
    // The day it stands for: the session's start (the actual arrival time is not known).
    checkedInAt = officeInstant(session.date, session.startsAt, timeZone);
  }
  return ctx.db.transaction(async (tx) => {
    const inserted = await insertAttendance(tx, {
      sessionId,
      applicationId,
      checkedInAt,
      method: body.method,
      recordedBy: actor.userId,
      lateReason,
    });
    if (inserted) {
      await recordChange(tx, actor, {
        action: lateReason ? 'late_check_in' : 'check_in',
        entity: 'attendance',
        entityId: inserted.id,
        after: inserted,
      });
      return { ...attendanceResult(inserted), duplicate: false };
    }
    // The concurrent insert that won has committed by now (ON CONFLICT waited for it), and
    // this statement takes a fresh snapshot, so the row is visible.
    const first = (await getAttendance(tx, sessionId, applicationId)) ?? fail('conflict');
    return { ...attendanceResult(first), duplicate: true };
  });
}

// ---- invitation cards and their QR codes ----

const attendanceSecretKey = 'attendance_secret';

// Made once, on first need, and kept in the database so that every app process (and a
// restored backup) signs and checks the same codes. Not cached: a restore may replace it.
async function attendanceSecret(ctx: AppContext): Promise<Buffer> {
  const read = async () => {
    const value = await getSetting(ctx.db, attendanceSecretKey);
    if (value === null) return null;
    const secret = typeof value === 'string' ? Buffer.from(value, 'base64url') : Buffer.alloc(0);
    if (secret.length !== attendanceSecretBytes)
      throw new Error(`settings.${attendanceSecretKey} is damaged`);
    return secret;
  };
  const existing = await read();
  if (existing) return existing;
  await insertSettingIfAbsent(ctx.db, attendanceSecretKey, newAttendanceSecret().toString('base64url'));
  return (await read()) ?? fail('internal_error');
}

async function applicationOfToken(ctx: AppContext, token: string): Promise<string> {
  const reading = readAttendanceToken(await attendanceSecret(ctx), token);
  return reading.ok ? reading.applicationId : fail('invalid_attendance_token', { reason: reading.reason });
}

export async function invitationCardsPdf(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  onlyApplicationId?: string,
) {
  const program = await requireProgram(ctx, programId);
  if (program.type !== 'training') {
    fail(
      'validation_failed',
      { field: 'programId', type: program.type },
      'Only training programs have invitation cards.',
    );
  }
  const all = await listParticipants(ctx, programId, participantScope(actor));
  const participants = onlyApplicationId ? all.filter((p) => p.applicationId === onlyApplicationId) : all;
  if (onlyApplicationId && participants.length === 0) fail('not_found');
  const secret = await attendanceSecret(ctx);
  const document: InvitationCardsDocument = {
    organisation: await getOrganisationName(ctx, program.organisationId),
    letterhead: await getLetterhead(ctx),
    programName: program.name,
    startDate: program.startDate,
    endDate: program.endDate,
    venue: program.venue,
    cards: participants.map((p) => ({
      name: p.ownerName,
      business: p.businessName,
      kelurahan: p.kelurahanName,
      kecamatan: p.kecamatanName,
      token: attendanceToken(secret, p.applicationId),
    })),
  };
  const pdf = await renderInvitationCardsPdf(document);
  // The cards carry no NIK, phone or birth date, but a sheet of every participant's name,
  // business and kelurahan is still personal data leaving the system on paper (UU PDP):
  // logged like the daftar hadir.
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: 'invitation_cards',
    filter: { programId, applicationId: onlyApplicationId ?? null },
    rows: participants.length,
  });
  return { pdf, fileName: onlyApplicationId ? 'kartu-undangan-peserta.pdf' : 'kartu-undangan.pdf' };
}

function attendanceResult(row: {
  applicationId: string;
  sessionId: string;
  checkedInAt: Date;
  method: 'qr' | 'manual';
  lateReason: string | null;
}) {
  return {
    applicationId: row.applicationId,
    sessionId: row.sessionId,
    checkedInAt: row.checkedInAt,
    method: row.method,
    lateReason: row.lateReason,
  };
}

// Undoing a check-in of someone already certified would leave a valid certificate beside an
// attendance below the rule: refused (certificate_exists) unless the caller also revokes the
// certificate, which then happens in the same transaction.
export async function undoAttendance(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  applicationId: string,
  options: { revokeCertificate?: boolean; reason?: string } = {},
) {
  await requireSession(ctx, sessionId);
  if (!(await canActorSeeApplication(ctx, actor, applicationId))) fail('not_found');
  if (options.revokeCertificate && !can(actor, 'issueCertificates')) fail('forbidden');
  await ctx.db.transaction(async (tx) => {
    const removed = (await deleteAttendance(tx, sessionId, applicationId)) ?? fail('not_found');
    const certificate = (await listCertificatesOfApplications(tx, [applicationId])).find((c) => !c.revokedAt);
    if (certificate) {
      if (!options.revokeCertificate) fail('certificate_exists', { code: certificate.code });
      const reason = options.reason ?? 'Kehadiran dibatalkan';
      const revoked = (await revokeCertificateRow(tx, certificate.code, reason)) ?? fail('conflict');
      await recordChange(tx, actor, {
        action: 'revoke',
        entity: 'certificate',
        entityId: revoked.id,
        before: certificate,
        after: revoked,
      });
      // No longer completed: back to enrolled, so that it can complete (and be certified) again.
      await undoCompletion(tx, actor, applicationId, reason);
    }
    await recordChange(tx, actor, {
      action: 'undo_check_in',
      entity: 'attendance',
      entityId: removed.id,
      before: removed,
    });
  });
}

// ---- completion and certificates ----

async function evaluateProgram(db: DbOrTx, programId: string, minAttendanceRatio: number) {
  // Sequential: inside a transaction the two queries share one connection.
  const sessions = await countSessionsOfProgram(db, programId);
  const counts = await countAttendanceOfProgram(db, programId);
  const attendedBy = new Map(counts.map((c) => [c.applicationId, c.attended]));
  return {
    sessions,
    evaluate: (applicationId: string) => {
      const attended = attendedBy.get(applicationId) ?? 0;
      return { attended, ...evaluateCompletion(attended, sessions, { minAttendanceRatio }) };
    },
  };
}

export async function getCompletion(ctx: AppContext, actor: Actor, programId: string): Promise<Completion> {
  const program = await requireProgram(ctx, programId);
  const participants = await listParticipants(ctx, programId, participantScope(actor));
  const { sessions, evaluate } = await evaluateProgram(ctx.db, programId, program.minAttendanceRatio);
  const certificates = new Map(
    (
      await listCertificatesOfApplications(
        ctx.db,
        participants.map((p) => p.applicationId),
      )
    ).map((c) => [c.applicationId, c]),
  );
  return {
    sessions,
    minAttendanceRatio: program.minAttendanceRatio,
    items: participants.map((p) => {
      const result = evaluate(p.applicationId);
      return {
        applicationId: p.applicationId,
        businessName: p.businessName,
        ownerName: p.ownerName,
        status: p.status,
        attended: result.attended,
        ratio: result.ratio,
        completed: result.completed,
        // A revoked certificate is no longer the application's certificate (its status says so).
        certificateCode:
          certificateStatusOf(certificates.get(p.applicationId)) === 'valid'
            ? (certificates.get(p.applicationId)?.code ?? null)
            : null,
        certificateStatus: certificateStatusOf(certificates.get(p.applicationId)),
      };
    }),
  };
}

// Marks those who meet the completion rule as completed and gives every completed
// participant one certificate. Running it again issues nothing new.
// The instant after which certificates may be issued: the end of the last session that was
// not cancelled, or the end of the program's last day when it has no sessions.
async function programEndsAt(ctx: AppContext, program: { id: string; endDate: string }) {
  const timeZone = await officeTimeZone(ctx);
  const held = (await listSessionRowsOfProgram(ctx.db, program.id)).filter((s) => !s.cancelledAt);
  if (held.length === 0) return { endsAt: endOfOfficeDay(program.endDate, timeZone), held };
  const ends = held.map((s) => sessionEnd(s, timeZone).getTime());
  return { endsAt: new Date(Math.max(...ends)), held };
}

function totalLessonHours(held: { lessonHours: number | null }[]) {
  const given = held.filter((s) => s.lessonHours !== null);
  return given.length === 0 ? null : given.reduce((n, s) => n + (s.lessonHours ?? 0), 0);
}

function certificateStatusOf(c: { revokedAt: Date | null } | undefined) {
  return c ? (c.revokedAt ? ('revoked' as const) : ('valid' as const)) : null;
}

// Who gets a certificate if they are issued now, who does not and why.
export async function previewCertificates(
  ctx: AppContext,
  actor: Actor,
  programId: string,
): Promise<CertificatePreview> {
  const program = await requireProgram(ctx, programId);
  const participants = await listParticipants(ctx, programId, participantScope(actor));
  const { endsAt, held } = await programEndsAt(ctx, program);
  const { sessions, evaluate } = await evaluateProgram(ctx.db, programId, program.minAttendanceRatio);
  const certificates = new Map(
    (
      await listCertificatesOfApplications(
        ctx.db,
        participants.map((p) => p.applicationId),
      )
    ).map((c) => [c.applicationId, c]),
  );
  return {
    open: endsAt.getTime() <= Date.now(),
    lastSessionEndsAt: held.length > 0 ? endsAt : null,
    sessions,
    minAttendanceRatio: program.minAttendanceRatio,
    totalLessonHours: program.hours ?? totalLessonHours(held),
    items: participants.map((p) => {
      const result = evaluate(p.applicationId);
      const certificate = certificates.get(p.applicationId);
      return {
        applicationId: p.applicationId,
        businessName: p.businessName,
        ownerName: p.ownerName,
        attended: result.attended,
        sessions,
        ratio: result.ratio,
        // A revoked certificate of a still completed application was revoked on purpose: kept.
        outcome:
          certificateStatusOf(certificate) === 'valid' || (certificate && p.status === 'completed')
            ? 'has_certificate'
            : result.completed || p.status === 'completed'
              ? 'issue'
              : 'below_rule',
        certificateCode: certificate?.code ?? null,
        certificateStatus: certificateStatusOf(certificate),
      };
    }),
  };
}

export async function issueCertificates(ctx: AppContext, actor: Actor, programId: string) {
  const program = await requireProgram(ctx, programId);
  const { endsAt } = await programEndsAt(ctx, program);
  if (endsAt.getTime() > Date.now()) fail('program_not_ended', { endsAt: endsAt.toISOString() });
  // Read through the programs service before the transaction: it uses ctx.db, and PGlite's
  // single connection would deadlock inside one.
  const participants = await listParticipants(ctx, programId);
  const year = Number(program.endDate.slice(0, 4));
  return ctx.db.transaction(async (tx) => {
    const { evaluate } = await evaluateProgram(tx, programId, program.minAttendanceRatio);
    const meeting = participants.filter(
      (p) => p.status === 'enrolled' && evaluate(p.applicationId).completed,
    );
    const completed = await markCompleted(
      tx,
      actor,
      meeting.map((p) => p.applicationId),
    );
    const completedIds = new Set([
      ...participants.filter((p) => p.status === 'completed').map((p) => p.applicationId),
      ...meeting.map((p) => p.applicationId),
    ]);
    // A certificate an officer revoked stays the application's answer and is not issued again;
    // only an application that a correction moved back (undo of attendance) and that completes
    // again in this run is certified anew.
    const justCompleted = new Set(meeting.map((p) => p.applicationId));
    const existing = new Set(
      (await listCertificatesOfApplications(tx, [...completedIds]))
        .filter((c) => !c.revokedAt || !justCompleted.has(c.applicationId))
        .map((c) => c.applicationId),
    );
    let issued = 0;
    const notices: { applicationId: string; code: string }[] = [];
    for (const applicationId of completedIds) {
      if (existing.has(applicationId)) continue;
      const certificate = await issueOne(tx, applicationId, year);
      if (!certificate) continue;
      issued++;
      notices.push({ applicationId, code: certificate.code });
      await recordChange(tx, actor, {
        action: 'issue',
        entity: 'certificate',
        entityId: certificate.id,
        after: certificate,
      });
    }
    await publish(tx, { type: 'certificate.issued', items: notices });
    return { completed, issued };
  });
}

async function issueOne(tx: Tx, applicationId: string, year: number) {
  // 40 random bits per code: a clash is rare, but the unique index is the judge.
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = certificateCodeFromBytes(year, randomBytes(certificateRandomBytes));
    const row = await insertCertificate(tx, { code, applicationId });
    if (row) return row;
    // Either the code clashed or a concurrent run certified this application already.
    if ((await listCertificatesOfApplications(tx, [applicationId])).some((c) => !c.revokedAt)) return null;
  }
  return fail('conflict', { applicationId }, 'Could not find a free certificate code.');
}

type CertificateFacts = CertificateVerification & { applicationId: string; ownerName: string };

async function loadCertificate(ctx: AppContext, input: string): Promise<CertificateFacts | null> {
  const code = normalizeCertificateCode(input);
  if (!code) return null;
  const certificate = await getCertificateByCode(ctx.db, code);
  if (!certificate) return null;
  const participant = await getParticipant(ctx, certificate.applicationId);
  const program = participant ? await getProgramRow(ctx, participant.programId) : null;
  // A certificate whose application left the program (withdrawn, dropped) no longer names a participant.
  if (!participant || !program) return null;
  return {
    applicationId: certificate.applicationId,
    code: certificate.code,
    status: certificate.revokedAt ? 'revoked' : 'valid',
    revokedReason: certificate.revokedAt ? certificate.revokedReason : null,
    participantName: participant.ownerName,
    ownerName: participant.ownerName,
    businessName: participant.businessName,
    programName: program.name,
    organisation: await getOrganisationName(ctx, program.organisationId),
    startDate: program.startDate,
    endDate: program.endDate,
    venue: program.venue,
    // Customary on a certificate: the program's hours, or the total JP of the days held.
    hours:
      program.hours ??
      totalLessonHours((await listSessionRowsOfProgram(ctx.db, program.id)).filter((s) => !s.cancelledAt)),
    issuedAt: certificate.issuedAt,
  };
}

// Public: no login. Carries nothing beyond what the printed certificate shows.
export async function findCertificate(
  ctx: AppContext,
  code: string,
): Promise<CertificateVerification | null> {
  const facts = await loadCertificate(ctx, code);
  if (!facts) return null;
  const { applicationId: _a, ownerName: _o, ...verification } = facts;
  return verification;
}

export async function verifyCertificate(ctx: AppContext, code: string): Promise<CertificateVerification> {
  return (await findCertificate(ctx, code)) ?? fail('not_found');
}

export function verificationUrl(base: string, code: string) {
  return `${base.replace(/\/+$/, '')}/sertifikat/${encodeURIComponent(code)}`;
}

// baseUrl: publicBaseUrl(), which the QR code on the certificate points to.
export async function certificatePdf(ctx: AppContext, code: string, baseUrl: string) {
  const facts = (await findCertificate(ctx, code)) ?? fail('not_found');
  const document: CertificateDocument = {
    ...facts,
    letterhead: await getLetterhead(ctx),
    verificationUrl: verificationUrl(baseUrl, facts.code),
  };
  return { code: facts.code, pdf: await renderCertificatePdf(document) };
}

export async function revokeCertificate(ctx: AppContext, actor: Actor, input: string, reason: string) {
  const code = normalizeCertificateCode(input) ?? fail('not_found');
  await ctx.db.transaction(async (tx) => {
    const before = (await getCertificateByCode(tx, code)) ?? fail('not_found');
    // Revoking twice keeps the first revocation and its reason.
    if (before.revokedAt) return;
    const after = (await revokeCertificateRow(tx, code, reason)) ?? fail('conflict');
    await recordChange(tx, actor, {
      action: 'revoke',
      entity: 'certificate',
      entityId: after.id,
      before,
      after,
    });
  });
  return verifyCertificate(ctx, code);
}

// ---- the whole class's certificates ----

// The valid certificates of the program (in the actor's scope), in the participants' order,
// yielded one document at a time so that the PDF or ZIP is written as it is drawn.
async function classCertificates(ctx: AppContext, actor: Actor, programId: string, baseUrl: string) {
  const program = await requireProgram(ctx, programId);
  const participants = await listParticipants(ctx, programId, participantScope(actor));
  const byApplication = new Map(
    (
      await listCertificatesOfApplications(
        ctx.db,
        participants.map((p) => p.applicationId),
      )
    )
      .filter((c) => !c.revokedAt)
      .map((c) => [c.applicationId, c]),
  );
  const certified = participants.filter((p) => byApplication.has(p.applicationId));
  const held = (await listSessionRowsOfProgram(ctx.db, programId)).filter((s) => !s.cancelledAt);
  const organisation = await getOrganisationName(ctx, program.organisationId);
  const letterhead = await getLetterhead(ctx);
  const hours = program.hours ?? totalLessonHours(held);
  async function* documents(): AsyncGenerator<CertificateDocument & { ownerName: string }> {
    for (const p of certified) {
      const c = byApplication.get(p.applicationId)!;
      yield {
        code: c.code,
        status: 'valid',
        revokedReason: null,
        participantName: p.ownerName,
        ownerName: p.ownerName,
        businessName: p.businessName,
        programName: program.name,
        organisation,
        startDate: program.startDate,
        endDate: program.endDate,
        venue: program.venue,
        hours,
        issuedAt: c.issuedAt,
        letterhead,
        verificationUrl: verificationUrl(baseUrl, c.code),
      };
    }
  }
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: 'certificates',
    filter: { programId },
    rows: certified.length,
  });
  return { program, count: certified.length, documents: documents() };
}

function fileSlug(text: string) {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .slice(0, 60) || 'peserta'
  );
}

// One PDF, one page per certificate, streamed: the response starts with the first page.
export async function classCertificatesPdf(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  baseUrl: string,
) {
  const { program, count, documents } = await classCertificates(ctx, actor, programId, baseUrl);
  const stream = new PassThrough();
  streamCertificatesPdf(
    { title: `Sertifikat ${program.name}`, author: await getOrganisationName(ctx, program.organisationId) },
    documents,
    stream,
  ).catch((error: unknown) => stream.destroy(error as Error));
  return { stream, count, fileName: `sertifikat-${fileSlug(program.name)}.pdf` };
}

// A ZIP of single PDFs, one per certificate. Each is drawn only when the previous entry has
// gone into the archive (archiver's 'entry'), so memory holds about one PDF at a time.
export async function classCertificatesZip(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  baseUrl: string,
) {
  const { program, count, documents } = await classCertificates(ctx, actor, programId, baseUrl);
  // Imported here, not at start-up: only this export uses it.
  const { default: archiver } = await import('archiver');
  const archive = archiver('zip', { store: true });
  const fill = async () => {
    for await (const document of documents) {
      const pdf = await renderCertificatePdf(document);
      const written = new Promise<void>((resolve) => archive.once('entry', () => resolve()));
      archive.append(pdf, { name: `sertifikat-${document.code}-${fileSlug(document.ownerName)}.pdf` });
      await written;
    }
    await archive.finalize();
  };
  fill().catch((error: unknown) => archive.destroy(error as Error));
  return { stream: archive, count, fileName: `sertifikat-${fileSlug(program.name)}.zip` };
}

// ---- daftar hadir ----

export async function daftarHadirPdf(ctx: AppContext, actor: Actor, sessionId: string, filled: boolean) {
  const session = await requireSession(ctx, sessionId);
  const program = await requireProgram(ctx, session.programId);
  const [participants, checkIns, organisation] = await Promise.all([
    listParticipants(ctx, session.programId, participantScope(actor)),
    filled ? listAttendanceOfSession(ctx.db, sessionId) : Promise.resolve([]),
    getOrganisationName(ctx, program.organisationId),
  ]);
  const checkedIn = new Map(checkIns.map((c) => [c.applicationId, c.checkedInAt]));
  const document: DaftarHadirDocument = {
    organisation,
    letterhead: await getLetterhead(ctx),
    programName: program.name,
    topic: session.topic,
    day: session.day,
    date: session.date,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    venue: session.venue ?? program.venue,
    lessonHours: session.lessonHours,
    trainers: (session.trainers as Trainer[] | null) ?? [],
    cancelled: session.cancelledAt ? (session.cancelReason ?? '-') : null,
    filled,
    rows: participants.map((p) => ({
      name: p.ownerName,
      nik: maskNik(p.ownerNik),
      sex: p.ownerSex,
      kelurahan: p.kelurahanName,
      business: p.businessName,
      phone: p.ownerPhone ? maskPhone(p.ownerPhone) : null,
      checkedInAt: checkedIn.get(p.applicationId) ?? null,
    })),
  };
  const pdf = await renderDaftarHadirPdf(document);
  // A printed list of names is an export of personal data, even with NIK and phone masked.
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: 'daftar_hadir',
    filter: { sessionId, filled },
    rows: participants.length,
  });
  return { pdf, fileName: `daftar-hadir-hari-${session.day}.pdf` };
}
