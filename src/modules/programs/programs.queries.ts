import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { applications, businesses, organisations, people, programs } from '../../db/schema.ts';

type ApplicationStatus = (typeof applications.$inferSelect)['status'];

export async function insertProgram(db: DbOrTx, values: typeof programs.$inferInsert) {
  const [row] = await db.insert(programs).values(values).returning();
  return row!;
}

export async function updateProgram(db: DbOrTx, id: string, values: Partial<typeof programs.$inferInsert>) {
  const [row] = await db
    .update(programs)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(programs.id, id))
    .returning();
  return row ?? null;
}

export async function getProgram(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ program: programs, organisationName: organisations.name })
    .from(programs)
    .innerJoin(organisations, eq(organisations.id, programs.organisationId))
    .where(eq(programs.id, id));
  return row ?? null;
}

export async function getProgramForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(programs).where(eq(programs.id, id)).for('update');
  return row ?? null;
}

export async function listPrograms(
  db: DbOrTx,
  filter: { type?: 'training' | 'aid' | 'promotion' | undefined },
  page: { limit: number; after: [string, string] | null },
) {
  const after = page.after
    ? sql`(${programs.startDate}, ${programs.id}) < (${page.after[0]}::date, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select({ program: programs, organisationName: organisations.name })
    .from(programs)
    .innerJoin(organisations, eq(organisations.id, programs.organisationId))
    .where(and(filter.type ? eq(programs.type, filter.type) : undefined, after))
    .orderBy(desc(programs.startDate), desc(programs.id))
    .limit(page.limit + 1);
}

export async function countApplicationsByStatus(db: DbOrTx, programIds: string[]) {
  if (programIds.length === 0) return [];
  return db
    .select({
      programId: applications.programId,
      status: applications.status,
      count: sql<number>`count(*)::int`,
    })
    .from(applications)
    .where(inArray(applications.programId, programIds))
    .groupBy(applications.programId, applications.status);
}

// Takes a seat only while one is free: the row lock and the re-checked WHERE make this
// safe under any number of concurrent applications; the CHECK constraint backs it.
export async function takeSeat(db: DbOrTx, programId: string) {
  const rows = await db
    .update(programs)
    .set({ enrolledCount: sql`${programs.enrolledCount} + 1` })
    .where(and(eq(programs.id, programId), lt(programs.enrolledCount, programs.capacity)))
    .returning({ id: programs.id });
  return rows.length === 1;
}

export async function releaseSeat(db: DbOrTx, programId: string) {
  await db
    .update(programs)
    .set({ enrolledCount: sql`${programs.enrolledCount} - 1` })
    .where(eq(programs.id, programId));
}

export async function getApplication(db: DbOrTx, id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id));
  return row ?? null;
}

export async function getApplicationForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).for('update');
  return row ?? null;
}

export async function getApplicationOf(db: DbOrTx, programId: string, businessId: string) {
  const [row] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.programId, programId), eq(applications.businessId, businessId)))
    .for('update');
  return row ?? null;
}

export async function insertApplication(db: DbOrTx, values: typeof applications.$inferInsert) {
  const [row] = await db.insert(applications).values(values).returning();
  return row!;
}

export async function setApplicationStatus(
  db: DbOrTx,
  id: string,
  status: ApplicationStatus,
  reasons?: unknown,
) {
  const [row] = await db
    .update(applications)
    .set({ status, ...(reasons === undefined ? {} : { reasons }), updatedAt: new Date() })
    .where(eq(applications.id, id))
    .returning();
  return row!;
}

// The oldest waitlisted application, locked so two promotions never pick the same one.
export async function nextWaitlisted(db: DbOrTx, programId: string) {
  const [row] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.programId, programId), eq(applications.status, 'waitlisted')))
    .orderBy(asc(applications.createdAt), asc(applications.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function listPendingApplications(db: DbOrTx, programId: string) {
  return db
    .select()
    .from(applications)
    .where(and(eq(applications.programId, programId), eq(applications.status, 'pending')))
    .orderBy(asc(applications.createdAt), asc(applications.id))
    .for('update');
}

export async function markCompletedRows(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .update(applications)
    .set({ status: 'completed', updatedAt: new Date() })
    .where(and(inArray(applications.id, ids), eq(applications.status, 'enrolled')))
    .returning();
}

// Applications are listed with their business and owner in one query so the list can be
// paged and scoped to a kecamatan; these tables are read, never written, here.
const participantColumns = {
  application: applications,
  businessName: businesses.name,
  kecamatanCode: businesses.kecamatanCode,
  regionCode: businesses.regionCode,
  ownerName: people.name,
  ownerNik: people.nik,
  ownerSex: people.sex,
  ownerPhone: people.phone,
};

export async function listApplications(
  db: DbOrTx,
  filter: {
    programId?: string;
    businessId?: string;
    status?: ApplicationStatus | undefined;
    statuses?: ApplicationStatus[];
    kecamatanCode?: string | null;
    ownerId?: string | null;
    applicationId?: string;
  },
  page: { limit: number; after: [string, string] | null; orderByOwner?: boolean },
) {
  const where: (SQL | undefined)[] = [
    filter.programId ? eq(applications.programId, filter.programId) : undefined,
    filter.businessId ? eq(applications.businessId, filter.businessId) : undefined,
    filter.applicationId ? eq(applications.id, filter.applicationId) : undefined,
    filter.status ? eq(applications.status, filter.status) : undefined,
    filter.statuses ? inArray(applications.status, filter.statuses) : undefined,
    filter.kecamatanCode ? eq(businesses.kecamatanCode, filter.kecamatanCode) : undefined,
    filter.ownerId ? eq(businesses.ownerId, filter.ownerId) : undefined,
    page.after
      ? sql`(${applications.createdAt}, ${applications.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
      : undefined,
  ];
  return db
    .select(participantColumns)
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(...where))
    .orderBy(
      ...(page.orderByOwner
        ? [asc(people.name), asc(applications.id)]
        : [asc(applications.createdAt), asc(applications.id)]),
    )
    .limit(page.limit + 1);
}

export async function listApplicationsOfBusiness(db: DbOrTx, businessId: string) {
  return db
    .select({
      id: applications.id,
      programId: applications.programId,
      programName: programs.name,
      status: applications.status,
    })
    .from(applications)
    .innerJoin(programs, eq(programs.id, applications.programId))
    .where(eq(applications.businessId, businessId))
    .orderBy(desc(programs.startDate));
}

export async function getOrganisationName(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row?.name ?? null;
}

export async function countCompletedOf(db: DbOrTx, businessId: string, programId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(applications)
    .where(
      and(
        eq(applications.businessId, businessId),
        eq(applications.programId, programId),
        eq(applications.status, 'completed'),
      ),
    );
  return row?.count ?? 0;
}
