import { and, asc, count, desc, eq, ilike, inArray, isNull, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { ComplaintScope } from '../../access/access.service.ts';
import type { DbOrTx } from '../../db/client.ts';
import {
  applications,
  businesses,
  complaintNotes,
  complaints,
  notificationOutbox,
  programs,
  users,
} from '../../db/schema.ts';

export type ComplaintRow = typeof complaints.$inferSelect;
export type ComplaintFilter = {
  status?: string | undefined;
  // the office's today: open complaints due before it are overdue
  overdueBefore?: string | undefined;
  programId?: string | undefined;
  assignedTo?: string | undefined;
  q?: string | undefined;
};

function scopeWhere(scope: ComplaintScope): SQL | undefined {
  if (scope.kecamatanCode === undefined) return undefined;
  const own = [eq(complaints.kecamatanCode, scope.kecamatanCode)];
  if (scope.userId) own.push(eq(complaints.createdBy, scope.userId), eq(complaints.assignedTo, scope.userId));
  return or(...own);
}

const openStatuses = ['baru', 'diproses'] as const;

export const overdueWhere = (today: string) =>
  and(inArray(complaints.status, [...openStatuses]), lt(complaints.dueDate, today));

const itemColumns = {
  id: complaints.id,
  code: complaints.code,
  name: complaints.name,
  phone: complaints.phone,
  message: complaints.message,
  channel: complaints.channel,
  status: complaints.status,
  programId: complaints.programId,
  programName: programs.name,
  applicationId: complaints.applicationId,
  businessId: complaints.businessId,
  businessName: businesses.name,
  kecamatanCode: complaints.kecamatanCode,
  laporRef: complaints.laporRef,
  assignedTo: complaints.assignedTo,
  assignedToName: users.displayName,
  dueDate: complaints.dueDate,
  answer: complaints.answer,
  answeredAt: complaints.answeredAt,
  closedAt: complaints.closedAt,
  createdAt: complaints.createdAt,
  updatedAt: complaints.updatedAt,
};

function joined(db: DbOrTx) {
  return db
    .select(itemColumns)
    .from(complaints)
    .leftJoin(programs, eq(programs.id, complaints.programId))
    .leftJoin(businesses, eq(businesses.id, complaints.businessId))
    .leftJoin(users, eq(users.id, complaints.assignedTo));
}

export async function listComplaintRows(
  db: DbOrTx,
  scope: ComplaintScope,
  filter: ComplaintFilter,
  pageOpts: { limit: number; after: [string, string] | null },
) {
  const q = filter.q?.trim();
  const where = and(
    scopeWhere(scope),
    filter.status ? eq(complaints.status, filter.status as ComplaintRow['status']) : undefined,
    filter.overdueBefore ? overdueWhere(filter.overdueBefore) : undefined,
    filter.programId ? eq(complaints.programId, filter.programId) : undefined,
    filter.assignedTo ? eq(complaints.assignedTo, filter.assignedTo) : undefined,
    q
      ? or(
          eq(complaints.code, q.toUpperCase()),
          ilike(complaints.name, `%${q.replace(/[%_\\]/g, '')}%`),
          eq(complaints.laporRef, q),
        )
      : undefined,
    // newest first: keyset on (created_at, id)
    pageOpts.after
      ? sql`(${complaints.createdAt}, ${complaints.id}) < (${pageOpts.after[0]}::timestamptz, ${pageOpts.after[1]}::uuid)`
      : undefined,
  );
  // created_at as PostgreSQL text in the cursor: microseconds, not a JavaScript Date's milliseconds
  return db
    .select({ ...itemColumns, cursorAt: sql<string>`${complaints.createdAt}::text` })
    .from(complaints)
    .leftJoin(programs, eq(programs.id, complaints.programId))
    .leftJoin(businesses, eq(businesses.id, complaints.businessId))
    .leftJoin(users, eq(users.id, complaints.assignedTo))
    .where(where)
    .orderBy(desc(complaints.createdAt), desc(complaints.id))
    .limit(pageOpts.limit + 1);
}

export async function getComplaintRow(db: DbOrTx, scope: ComplaintScope, id: string) {
  const [row] = await joined(db).where(and(eq(complaints.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function lockComplaint(db: DbOrTx, scope: ComplaintScope, id: string) {
  const [row] = await db
    .select()
    .from(complaints)
    .where(and(eq(complaints.id, id), scopeWhere(scope)))
    .for('update');
  return row ?? null;
}

export async function getPublicComplaint(db: DbOrTx, code: string) {
  const [row] = await db
    .select({
      status: complaints.status,
      dueDate: complaints.dueDate,
      answer: complaints.answer,
      answeredAt: complaints.answeredAt,
      closedAt: complaints.closedAt,
      createdAt: complaints.createdAt,
      updatedAt: complaints.updatedAt,
    })
    .from(complaints)
    .where(eq(complaints.code, code));
  return row ?? null;
}

// The code is random; a collision (one in hundreds of millions) inserts nothing and is retried.
export async function insertComplaint(db: DbOrTx, values: typeof complaints.$inferInsert) {
  const [row] = await db.insert(complaints).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateComplaint(
  db: DbOrTx,
  id: string,
  values: Partial<typeof complaints.$inferInsert>,
) {
  const [row] = await db
    .update(complaints)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(complaints.id, id))
    .returning();
  return row;
}

export async function insertComplaintNote(db: DbOrTx, values: typeof complaintNotes.$inferInsert) {
  const [row] = await db.insert(complaintNotes).values(values).returning();
  if (!row) throw new Error('The note was not inserted');
  return row;
}

export async function listComplaintNotes(db: DbOrTx, complaintId: string) {
  return db
    .select({
      id: complaintNotes.id,
      text: complaintNotes.text,
      authorName: users.displayName,
      createdAt: complaintNotes.createdAt,
    })
    .from(complaintNotes)
    .leftJoin(users, eq(users.id, complaintNotes.authorId))
    .where(eq(complaintNotes.complaintId, complaintId))
    .orderBy(asc(complaintNotes.createdAt), asc(complaintNotes.id));
}

// The answers queued for a complaint (event key complaint:<id>:…): read-only, from the outbox.
export async function listComplaintMessages(db: DbOrTx, complaintId: string) {
  return db
    .select({
      channel: notificationOutbox.channel,
      status: notificationOutbox.status,
      reason: notificationOutbox.reason,
      recipient: notificationOutbox.recipient,
      body: notificationOutbox.body,
      createdAt: notificationOutbox.createdAt,
    })
    .from(notificationOutbox)
    .where(like(notificationOutbox.eventKey, `complaint:${complaintId}:%`))
    .orderBy(desc(notificationOutbox.createdAt));
}

export async function countComplaints(db: DbOrTx, scope: ComplaintScope, today: string) {
  const items = await db
    .select({
      programId: complaints.programId,
      programName: programs.name,
      status: complaints.status,
      count: count(),
    })
    .from(complaints)
    .leftJoin(programs, eq(programs.id, complaints.programId))
    .where(scopeWhere(scope))
    .groupBy(complaints.programId, programs.name, complaints.status)
    .orderBy(asc(programs.name), asc(complaints.status));
  const [overdue] = await db
    .select({ count: count() })
    .from(complaints)
    .where(and(scopeWhere(scope), overdueWhere(today)));
  return { items, overdue: overdue?.count ?? 0 };
}

export async function programExists(db: DbOrTx, id: string) {
  const [row] = await db.select({ id: programs.id }).from(programs).where(eq(programs.id, id));
  return row !== undefined;
}

export async function getApplicationLink(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ programId: applications.programId, businessId: applications.businessId })
    .from(applications)
    .where(eq(applications.id, id));
  return row ?? null;
}

export async function getBusinessKecamatan(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ kecamatanCode: businesses.kecamatanCode })
    .from(businesses)
    .where(eq(businesses.id, id));
  return row?.kecamatanCode ?? null;
}

// Staff who may be assigned a complaint: active users whose role holds the capability.
export async function listOfficers(db: DbOrTx, roles: readonly string[], ids?: readonly string[]) {
  return db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(
      and(
        inArray(users.role, roles as (typeof users.$inferSelect)['role'][]),
        isNull(users.disabledAt),
        ids ? inArray(users.id, [...ids]) : undefined,
      ),
    )
    .orderBy(asc(users.displayName));
}
