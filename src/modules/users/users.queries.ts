import { and, asc, count, eq, gt, ilike, isNotNull, isNull, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organisations, users } from '../../db/schema.ts';
import { forgetSessions } from '../../lib/session-cache.ts';

export async function getOrganisationByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.code, code));
  return row ?? null;
}

export async function getOrganisationById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

export async function upsertOrganisation(db: DbOrTx, values: typeof organisations.$inferInsert) {
  const [row] = await db
    .insert(organisations)
    .values(values)
    .onConflictDoUpdate({
      target: organisations.code,
      set: { name: values.name, kind: values.kind, regionCode: values.regionCode ?? null },
    })
    .returning();
  return row!;
}

// A kecamatan office is found by its region: one per kecamatan, created on first need.
export async function findOrCreateKecamatanOffice(db: DbOrTx, regionCode: string, name: string) {
  const [existing] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.kind, 'kecamatan'), eq(organisations.regionCode, regionCode)))
    .orderBy(asc(organisations.createdAt))
    .limit(1);
  if (existing) return existing;
  const [row] = await db
    .insert(organisations)
    .values({ code: `kec-${regionCode}`, name, kind: 'kecamatan', regionCode })
    .onConflictDoUpdate({ target: organisations.code, set: { regionCode } })
    .returning();
  return row!;
}

export async function insertOrganisation(db: DbOrTx, values: typeof organisations.$inferInsert) {
  const [row] = await db.insert(organisations).values(values).returning();
  return row!;
}

export async function updateOrganisation(
  db: DbOrTx,
  id: string,
  values: Partial<Pick<typeof organisations.$inferInsert, 'name' | 'regionCode'>>,
) {
  forgetSessions();
  const [row] = await db.update(organisations).set(values).where(eq(organisations.id, id)).returning();
  return row ?? null;
}

export async function getUserByName(db: DbOrTx, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ?? null;
}

export async function getUserRow(db: DbOrTx, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function getUserRowForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for('update');
  return row ?? null;
}

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert) {
  const [row] = await db
    .insert(users)
    .values(values)
    .onConflictDoNothing({ target: users.username })
    .returning();
  return row ?? null;
}

export async function updateUser(db: DbOrTx, id: string, values: Partial<typeof users.$inferInsert>) {
  forgetSessions();
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row ?? null;
}

// Locks every active administrator, so that two administrators disabling each other at once
// cannot leave none.
export async function lockActiveAdmins(db: DbOrTx) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for('update');
}

const userColumns = {
  user: users,
  organisation: {
    id: organisations.id,
    name: organisations.name,
    kind: organisations.kind,
    regionCode: organisations.regionCode,
  },
};

export async function listUsers(
  db: DbOrTx,
  filter: {
    q?: string | undefined;
    role?: (typeof users.$inferSelect)['role'] | undefined;
    active?: boolean;
  },
  after: string | null,
  limit: number,
) {
  const pattern = filter.q ? `%${filter.q.replace(/[%_\\]/g, '\\$&')}%` : null;
  return db
    .select(userColumns)
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(
      and(
        pattern ? or(ilike(users.username, pattern), ilike(users.displayName, pattern)) : undefined,
        filter.role ? eq(users.role, filter.role) : undefined,
        filter.active === undefined
          ? undefined
          : filter.active
            ? isNull(users.disabledAt)
            : isNotNull(users.disabledAt),
        after ? gt(users.username, after) : undefined,
      ),
    )
    .orderBy(asc(users.username))
    .limit(limit + 1);
}

export async function getUserWithOrganisation(db: DbOrTx, id: string) {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, id));
  return row ?? null;
}

export async function listOrganisations(db: DbOrTx) {
  return db.select().from(organisations).orderBy(organisations.name);
}

export async function listOrganisationsWithUsers(db: DbOrTx) {
  return db
    .select({
      id: organisations.id,
      code: organisations.code,
      name: organisations.name,
      kind: organisations.kind,
      regionCode: organisations.regionCode,
      users: count(users.id),
    })
    .from(organisations)
    .leftJoin(users, and(eq(users.organisationId, organisations.id), isNull(users.disabledAt)))
    .where(ne(organisations.kind, 'platform'))
    .groupBy(organisations.id)
    .orderBy(organisations.kind, organisations.name);
}
