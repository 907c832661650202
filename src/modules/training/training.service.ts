import { randomBytes } from 'node:crypto';
import { registryScope } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import {
  certificateCodeFromBytes,
  certificateRandomBytes,
  normalizeCertificateCode,
} from '../../domain/certificate-code.ts';
import { evaluateCompletion } from '../../domain/completion.ts';
import { maskNik } from '../../domain/nik.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { publish } from '../../lib/domain-events.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import {
  canActorSeeApplication,
  certificateCodesFor,
  getOrganisationName,
  getParticipant,
  getProgramRow,
  listParticipants,
  markCompleted,
} from '../programs/programs.service.ts';
import { getLetterhead } from '../settings/settings.service.ts';
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
} from './training.pdf.ts';
import {
  countAttendanceOfProgram,
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
  listSessionsOfProgram,
  revokeCertificateRow,
} from './training.queries.ts';
import type {
  CertificateVerification,
  CheckInBody,
  CheckInResult,
  Completion,
  CreateSessionBody,
  Session,
  SessionDetail,
  SessionSummary,
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
    createdAt: row.createdAt,
  };
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

export async function createSession(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: CreateSessionBody,
): Promise<Session> {
  const program = await requireProgram(ctx, programId);
  if (program.type !== 'training') {
    fail(
      'validation_failed',
      { field: 'programId', type: program.type },
      'Only training programs have sessions.',
    );
  }
  if (body.date < program.startDate || body.date > program.endDate) {
    fail(
      'validation_failed',
      { field: 'date', startDate: program.startDate, endDate: program.endDate },
      'The session date is outside the program dates.',
    );
  }
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const created = await insertSession(tx, {
        programId,
        day: body.day,
        date: body.date,
        startsAt: body.startsAt,
        endsAt: body.endsAt,
        topic: body.topic ?? null,
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
  const checkedInAt = body.checkedInAt ? new Date(body.checkedInAt) : new Date();
  if (checkedInAt.getTime() > Date.now() + clockSkewMs) {
    fail('validation_failed', { field: 'checkedInAt' }, 'The check-in time is in the future.');
  }
  return ctx.db.transaction(async (tx) => {
    const inserted = await insertAttendance(tx, {
      sessionId,
      applicationId,
      checkedInAt,
      method: body.method,
      recordedBy: actor.userId,
    });
    if (inserted) {
      await recordChange(tx, actor, {
        action: 'check_in',
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
}) {
  return {
    applicationId: row.applicationId,
    sessionId: row.sessionId,
    checkedInAt: row.checkedInAt,
    method: row.method,
  };
}

export async function undoAttendance(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  applicationId: string,
) {
  await requireSession(ctx, sessionId);
  if (!(await canActorSeeApplication(ctx, actor, applicationId))) fail('not_found');
  await ctx.db.transaction(async (tx) => {
    const removed = (await deleteAttendance(tx, sessionId, applicationId)) ?? fail('not_found');
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
  const codes = await certificateCodesFor(
    ctx,
    participants.map((p) => p.applicationId),
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
        certificateCode: codes.get(p.applicationId) ?? null,
      };
    }),
  };
}

// Marks those who meet the completion rule as completed and gives every completed
// participant one certificate. Running it again issues nothing new.
export async function issueCertificates(ctx: AppContext, actor: Actor, programId: string) {
  const program = await requireProgram(ctx, programId);
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
    const existing = new Set(
      (await listCertificatesOfApplications(tx, [...completedIds])).map((c) => c.applicationId),
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
    if ((await listCertificatesOfApplications(tx, [applicationId])).length > 0) return null;
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
    hours: program.hours,
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
    venue: program.venue,
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
