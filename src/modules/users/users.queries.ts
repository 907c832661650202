import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organisations, users } from '../../db/schema.ts';

export async function getOrganisationByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.code, code));
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

export async function getUserByName(db: DbOrTx, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username));
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

export async function listOrganisations(db: DbOrTx) {
  return db.select().from(organisations).orderBy(organisations.name);
}
