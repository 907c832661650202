import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attendance, certificates, settings, trainingSessions } from '../../db/schema.ts';

export async function insertSession(db: DbOrTx, values: typeof trainingSessions.$inferInsert) {
  const [row] = await db.insert(trainingSessions).values(values).returning();
  return row!;
}

export async function getSession(db: DbOrTx, id: string) {
  const [row] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, id));
  return row ?? null;
}

export async function listSessionsOfProgram(db: DbOrTx, programId: string) {
  return db
    .select({ session: trainingSessions, attendedCount: sql<number>`count(${attendance.id})::int` })
    .from(trainingSessions)
    .leftJoin(attendance, eq(attendance.sessionId, trainingSessions.id))
    .where(eq(trainingSessions.programId, programId))
    .groupBy(trainingSessions.id)
    .orderBy(asc(trainingSessions.date), asc(trainingSessions.startsAt), asc(trainingSessions.day));
}

export async function listSessionRowsOfProgram(db: DbOrTx, programId: string) {
  return db
    .select()
    .from(trainingSessions)
    .where(eq(trainingSessions.programId, programId))
    .orderBy(asc(trainingSessions.date), asc(trainingSessions.startsAt), asc(trainingSessions.day));
}

// Cancelled days count for nothing: not in the number of sessions, not in anyone's attendance.
export async function countSessionsOfProgram(db: DbOrTx, programId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(trainingSessions)
    .where(and(eq(trainingSessions.programId, programId), isNull(trainingSessions.cancelledAt)));
  return row?.count ?? 0;
}

export async function nextSessionDay(db: DbOrTx, programId: string) {
  const [row] = await db
    .select({ max: sql<number>`coalesce(max(${trainingSessions.day}), 0)::int` })
    .from(trainingSessions)
    .where(eq(trainingSessions.programId, programId));
  return (row?.max ?? 0) + 1;
}

// "Hari ke-n" follows the calendar after a series or a move: renumbered by date in two
// statements (first out of the way, then in order), so the unique (program, day) index holds
// at every step.
export async function renumberSessions(db: DbOrTx, programId: string) {
  await db.execute(sql`update training_sessions set day = -day where program_id = ${programId} and day > 0`);
  await db.execute(sql`
    update training_sessions s set day = o.n
    from (select id, row_number() over (order by date, starts_at, created_at, id)::int as n
          from training_sessions where program_id = ${programId}) o
    where s.id = o.id`);
}

export async function updateSessionRow(
  db: DbOrTx,
  id: string,
  values: Partial<typeof trainingSessions.$inferInsert>,
) {
  const [row] = await db.update(trainingSessions).set(values).where(eq(trainingSessions.id, id)).returning();
  return row ?? null;
}

export async function cancelSessionRow(db: DbOrTx, id: string, reason: string) {
  const [row] = await db
    .update(trainingSessions)
    .set({ cancelledAt: new Date(), cancelReason: reason })
    .where(and(eq(trainingSessions.id, id), isNull(trainingSessions.cancelledAt)))
    .returning();
  return row ?? null;
}

export async function countAttendanceOfSession(db: DbOrTx, sessionId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(attendance)
    .where(eq(attendance.sessionId, sessionId));
  return row?.count ?? 0;
}

export async function listAttendanceOfSession(db: DbOrTx, sessionId: string) {
  return db
    .select({
      applicationId: attendance.applicationId,
      checkedInAt: attendance.checkedInAt,
      method: attendance.method,
      lateReason: attendance.lateReason,
    })
    .from(attendance)
    .where(eq(attendance.sessionId, sessionId));
}

// Sessions attended per application across the program's sessions.
export async function countAttendanceOfProgram(db: DbOrTx, programId: string) {
  return db
    .select({ applicationId: attendance.applicationId, attended: sql<number>`count(*)::int` })
    .from(attendance)
    .innerJoin(trainingSessions, eq(trainingSessions.id, attendance.sessionId))
    .where(and(eq(trainingSessions.programId, programId), isNull(trainingSessions.cancelledAt)))
    .groupBy(attendance.applicationId);
}

// A resend of the same check-in (offline phones retry) hits the unique index and inserts
// nothing; the caller then reads the first check-in. No error, never two rows.
export async function insertAttendance(db: DbOrTx, values: typeof attendance.$inferInsert) {
  const [row] = await db
    .insert(attendance)
    .values(values)
    .onConflictDoNothing({ target: [attendance.sessionId, attendance.applicationId] })
    .returning();
  return row ?? null;
}

export async function getAttendance(db: DbOrTx, sessionId: string, applicationId: string) {
  const [row] = await db
    .select()
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.applicationId, applicationId)));
  return row ?? null;
}

export async function deleteAttendance(db: DbOrTx, sessionId: string, applicationId: string) {
  const [row] = await db
    .delete(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.applicationId, applicationId)))
    .returning();
  return row ?? null;
}

// Skips silently on either unique index (an application that already has a certificate,
// or the rare clash of a random code); the caller tells the two apart.
export async function insertCertificate(db: DbOrTx, values: { code: string; applicationId: string }) {
  const [row] = await db.insert(certificates).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function listCertificatesOfApplications(db: DbOrTx, applicationIds: string[]) {
  if (applicationIds.length === 0) return [];
  // Revoked first, oldest first, the valid one last: a Map by application keeps the one that counts.
  return db
    .select()
    .from(certificates)
    .where(inArray(certificates.applicationId, applicationIds))
    .orderBy(sql`${certificates.revokedAt} is null`, certificates.issuedAt);
}

export async function getCertificateByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(certificates).where(eq(certificates.code, code));
  return row ?? null;
}

export async function revokeCertificateRow(db: DbOrTx, code: string, reason: string) {
  const [row] = await db
    .update(certificates)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(certificates.code, code), isNull(certificates.revokedAt)))
    .returning();
  return row ?? null;
}

export async function getSetting(db: DbOrTx, key: string) {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row ? row.value : null;
}

// The first writer wins; a concurrent second insert keeps the first value.
export async function insertSettingIfAbsent(db: DbOrTx, key: string, value: unknown) {
  await db.insert(settings).values({ key, value }).onConflictDoNothing({ target: settings.key });
}
