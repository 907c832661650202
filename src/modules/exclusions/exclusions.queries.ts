import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, exclusionEntries, exclusionLists, people, users } from '../../db/schema.ts';

type ExclusionListRow = typeof exclusionLists.$inferSelect;

const listColumns = {
  id: exclusionLists.id,
  name: exclusionLists.name,
  kind: exclusionLists.kind,
  source: exclusionLists.source,
  entries: exclusionLists.entries,
  createdBy: users.username,
  createdAt: exclusionLists.createdAt,
};

export async function getExclusionList(db: DbOrTx, id: string) {
  const [row] = await db
    .select(listColumns)
    .from(exclusionLists)
    .leftJoin(users, eq(users.id, exclusionLists.createdBy))
    .where(eq(exclusionLists.id, id));
  return row ?? null;
}

export async function getExclusionListForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(exclusionLists).where(eq(exclusionLists.id, id)).for('update');
  return row ?? null;
}

export async function listExclusionLists(
  db: DbOrTx,
  filter: { kind?: ExclusionListRow['kind'] | undefined },
  page: { limit: number; after: [string, string] | null },
) {
  // The cursor carries created_at as PostgreSQL text: a JS Date would drop the microseconds.
  const after = page.after
    ? sql`(${exclusionLists.createdAt}, ${exclusionLists.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select({ ...listColumns, cursorAt: sql<string>`${exclusionLists.createdAt}::text` })
    .from(exclusionLists)
    .leftJoin(users, eq(users.id, exclusionLists.createdBy))
    .where(and(filter.kind ? eq(exclusionLists.kind, filter.kind) : undefined, after))
    .orderBy(desc(exclusionLists.createdAt), desc(exclusionLists.id))
    .limit(page.limit + 1);
}

// Creates the list unless one of that name exists; either way answers the row, locked.
export async function upsertExclusionList(db: DbOrTx, values: typeof exclusionLists.$inferInsert) {
  const [inserted] = await db.insert(exclusionLists).values(values).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await db
    .select()
    .from(exclusionLists)
    .where(eq(exclusionLists.name, values.name))
    .for('update');
  return { row: existing ?? null, created: false };
}

// Adds NIKs the list does not hold yet; answers how many were added.
export async function insertExclusionEntries(db: DbOrTx, listId: string, niks: readonly string[]) {
  if (niks.length === 0) return 0;
  const rows = await db
    .insert(exclusionEntries)
    .values(niks.map((nik) => ({ listId, nik })))
    .onConflictDoNothing()
    .returning({ nik: exclusionEntries.nik });
  return rows.length;
}

export async function refreshEntryCount(db: DbOrTx, listId: string) {
  const [row] = await db
    .update(exclusionLists)
    .set({
      entries: sql`(select count(*)::int from ${exclusionEntries} where ${exclusionEntries.listId} = ${listId})`,
    })
    .where(eq(exclusionLists.id, listId))
    .returning();
  return row!;
}

export async function deleteExclusionList(db: DbOrTx, id: string) {
  // Entries go with the list (ON DELETE CASCADE).
  await db.delete(exclusionLists).where(eq(exclusionLists.id, id));
}

// The kinds of the lists a business's owner is on. Reads the registry's tables: the
// eligibility facts are a join of the owner's NIK with the lists, nothing else.
export async function exclusionKindsOfBusiness(db: DbOrTx, businessId: string) {
  const rows = await db
    .selectDistinct({ kind: exclusionLists.kind })
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .innerJoin(exclusionEntries, eq(exclusionEntries.nik, people.nik))
    .innerJoin(exclusionLists, eq(exclusionLists.id, exclusionEntries.listId))
    .where(eq(businesses.id, businessId))
    .orderBy(asc(exclusionLists.kind));
  return rows.map((r) => r.kind);
}

export async function exclusionKindsOfNiks(db: DbOrTx, niks: readonly string[]) {
  if (niks.length === 0) return [];
  return db
    .selectDistinct({ nik: exclusionEntries.nik, kind: exclusionLists.kind })
    .from(exclusionEntries)
    .innerJoin(exclusionLists, eq(exclusionLists.id, exclusionEntries.listId))
    .where(inArray(exclusionEntries.nik, [...niks]))
    .orderBy(asc(exclusionEntries.nik), asc(exclusionLists.kind));
}
