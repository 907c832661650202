import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  applications,
  businesses,
  notificationConsents,
  notificationOutbox,
  notificationTemplates,
  people,
  programs,
  trainingSessions,
} from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import type { NotificationChannel } from './notifications.schema.ts';

export type OutboxRow = typeof notificationOutbox.$inferSelect;
export type OutboxInsert = typeof notificationOutbox.$inferInsert;

export async function insertOutboxRows(db: DbOrTx, rows: OutboxInsert[]) {
  let inserted = 0;
  for (let from = 0; from < rows.length; from += 1000) {
    const done = await db
      .insert(notificationOutbox)
      .values(rows.slice(from, from + 1000))
      .onConflictDoNothing({
        target: [notificationOutbox.eventKey, notificationOutbox.channel, notificationOutbox.recipient],
      })
      .returning({ id: notificationOutbox.id });
    inserted += done.length;
  }
  return inserted;
}

// The owner, business and program of applications: who a message about them goes to. In
// slices, so that a selection run over many thousands stays under PostgreSQL's parameter limit.
export async function applicationRecipients(db: DbOrTx, applicationIds: string[]) {
  const out: Awaited<ReturnType<typeof recipientsOf>> = [];
  for (let from = 0; from < applicationIds.length; from += 5000)
    out.push(...(await recipientsOf(db, applicationIds.slice(from, from + 5000))));
  return out;
}

function recipientsOf(db: DbOrTx, applicationIds: string[]) {
  return db
    .select({
      applicationId: applications.id,
      programId: applications.programId,
      businessId: applications.businessId,
      statusToken: applications.statusToken,
      personId: people.id,
      name: people.name,
      phone: people.phone,
      businessName: businesses.name,
      programName: programs.name,
      venue: programs.venue,
    })
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .innerJoin(programs, eq(programs.id, applications.programId))
    .where(inArray(applications.id, applicationIds));
}

// What the messages about a business's application to a program need, in one round trip: the
// owner and the names, the owner's consents and the edited templates (a few rows).
// What an application's messages need (owner, names, consents, templates), as one JSON value
// (null without the business or the program): a scalar expression for the caller's statement
// (src/lib/domain-events.ts, "prepared").
export type ApplicationDraftFacts = {
  personId: string;
  name: string;
  phone: string | null;
  businessName: string;
  programName: string;
  consents: { personId: string; channel: string; granted: boolean; address: string | null }[];
  templates: {
    key: string;
    language: string;
    subject: string | null;
    body: string;
    whatsappName: string | null;
  }[];
};

// A function (pulih_application_draft, migration 0048_apply-read.sql): it rides in the
// application's first read, and its plans stay with the connection instead of being made again
// at every request.
export function applicationDraftRead(businessId: string | SQL, programId: string | SQL): SQL {
  return sql`pulih_application_draft(${businessId}::uuid, ${programId}::uuid)`;
}

export async function businessRecipient(db: DbOrTx, businessId: string) {
  const [row] = await db
    .select({ personId: people.id, name: people.name, phone: people.phone, businessName: businesses.name })
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(eq(businesses.id, businessId));
  return row ?? null;
}

export async function sessionWithParticipants(db: DbOrTx, sessionId: string) {
  const [session] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, sessionId));
  if (!session) return null;
  const enrolled = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.programId, session.programId), inArray(applications.status, ['enrolled'])));
  return { session, applicationIds: enrolled.map((r) => r.id) };
}

// Sessions on a day, with their enrolled participants (the reminder the day before).
export async function sessionsOn(db: DbOrTx, day: string) {
  return db
    .select({ session: trainingSessions, applicationId: applications.id })
    .from(trainingSessions)
    .innerJoin(
      applications,
      and(eq(applications.programId, trainingSessions.programId), eq(applications.status, 'enrolled')),
    )
    .where(eq(trainingSessions.date, day));
}

export async function consentsOf(db: DbOrTx, personIds: string[]) {
  const out: (typeof notificationConsents.$inferSelect)[] = [];
  for (let from = 0; from < personIds.length; from += 5000)
    out.push(
      ...(await db
        .select()
        .from(notificationConsents)
        .where(inArray(notificationConsents.personId, personIds.slice(from, from + 5000)))),
    );
  return out;
}

export async function upsertConsent(db: DbOrTx, row: typeof notificationConsents.$inferInsert) {
  const [saved] = await db
    .insert(notificationConsents)
    .values(row)
    .onConflictDoUpdate({
      target: [notificationConsents.personId, notificationConsents.channel],
      set: {
        granted: row.granted,
        source: row.source,
        address: row.address ?? null,
        recordedBy: row.recordedBy ?? null,
        recordedAt: sql`now()`,
      },
    })
    .returning();
  return saved!;
}

// People whose phone is this number, in either stored form (an opt-out by reply).
export async function peopleWithPhone(db: DbOrTx, digits: string) {
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(inArray(people.phone, [`+${digits}`, digits, `0${digits.slice(2)}`]));
  return rows.map((r) => r.id);
}

export async function listTemplateRows(db: DbOrTx) {
  return db.select().from(notificationTemplates);
}

export async function upsertTemplate(db: DbOrTx, row: typeof notificationTemplates.$inferInsert) {
  const [saved] = await db
    .insert(notificationTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: [notificationTemplates.key, notificationTemplates.language],
      set: {
        subject: row.subject,
        body: row.body,
        whatsappName: row.whatsappName,
        updatedBy: row.updatedBy,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return saved!;
}

export async function listOutbox(db: DbOrTx, where: { applicationId?: string; businessId?: string }) {
  return db
    .select()
    .from(notificationOutbox)
    .where(
      and(
        where.applicationId ? eq(notificationOutbox.applicationId, where.applicationId) : undefined,
        where.businessId ? eq(notificationOutbox.businessId, where.businessId) : undefined,
      ),
    )
    .orderBy(desc(notificationOutbox.createdAt), asc(notificationOutbox.id))
    .limit(500);
}

export async function businessOfApplication(db: DbOrTx, applicationId: string) {
  const [row] = await db
    .select({ businessId: applications.businessId })
    .from(applications)
    .where(eq(applications.id, applicationId));
  return row?.businessId ?? null;
}

// Claims due messages of one channel: the rows are leased (next attempt pushed past the
// lease, attempts counted) in one statement, so two workers never take the same row.
export async function claimDue(
  db: DbOrTx,
  channel: NotificationChannel,
  limit: number,
  leaseSeconds: number,
) {
  if (limit <= 0) return [];
  return queryRows<{ id: string }>(
    db,
    sql`update notification_outbox o
      set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      where o.id in (
        select id from notification_outbox
        where status = 'queued' and channel = ${channel} and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning o.id`,
  ).then((rows) => rows.map((r) => r.id));
}

export async function getOutboxRows(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(notificationOutbox).where(inArray(notificationOutbox.id, ids));
}

// Queued messages of channels no longer configured: recorded as not sent.
export async function markUnroutable(db: DbOrTx, channels: NotificationChannel[]) {
  await db
    .update(notificationOutbox)
    .set({ status: 'not_sent', reason: 'no_channel' })
    .where(
      and(
        eq(notificationOutbox.status, 'queued'),
        channels.length === 3
          ? undefined
          : sql`${notificationOutbox.channel} not in ${channels.length ? channels : ['-']}`,
        sql`${notificationOutbox.nextAttemptAt} <= now()`,
      ),
    );
}

export async function markSent(db: DbOrTx, id: string, providerMessageId: string | null) {
  await db
    .update(notificationOutbox)
    .set({ status: 'sent', sentAt: sql`now()`, providerMessageId, error: null })
    .where(and(eq(notificationOutbox.id, id), eq(notificationOutbox.status, 'queued')));
}

export async function markRetry(db: DbOrTx, id: string, at: Date, error: string) {
  await db
    .update(notificationOutbox)
    .set({ nextAttemptAt: at, error })
    .where(and(eq(notificationOutbox.id, id), eq(notificationOutbox.status, 'queued')));
}

export async function markFailed(db: DbOrTx, id: string, error: string) {
  await db
    .update(notificationOutbox)
    .set({ status: 'failed', failedAt: sql`now()`, error, reason: 'provider' })
    .where(and(eq(notificationOutbox.id, id), eq(notificationOutbox.status, 'queued')));
}

// A receipt: forward only (queued/sent → delivered or failed; delivered stays delivered).
export async function applyReceipt(
  db: DbOrTx,
  channel: NotificationChannel,
  match: { providerMessageId?: string | null; id?: string | null },
  status: 'delivered' | 'failed',
  error: string | null,
) {
  const byId = match.id && /^[0-9a-f-]{36}$/i.test(match.id) ? match.id : null;
  const key = match.providerMessageId
    ? eq(notificationOutbox.providerMessageId, match.providerMessageId)
    : byId
      ? eq(notificationOutbox.id, byId)
      : null;
  if (!key) return 0;
  const rows = await db
    .update(notificationOutbox)
    .set(
      status === 'delivered'
        ? { status, deliveredAt: sql`now()` }
        : { status, failedAt: sql`now()`, error, reason: 'provider' },
    )
    .where(
      and(
        eq(notificationOutbox.channel, channel),
        key,
        inArray(notificationOutbox.status, ['queued', 'sent']),
      ),
    )
    .returning({ id: notificationOutbox.id });
  return rows.length;
}
