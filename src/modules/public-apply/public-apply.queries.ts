import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, people } from '../../db/schema.ts';

// The registry's people and businesses are read, never written, here: the businesses
// service has no lookup by NIK that returns the stored phone to compare, and the public
// form must not go through an actor. (Candidate for a businesses-service function.)

export async function getPersonByNik(db: DbOrTx, nik: string) {
  const [row] = await db
    .select({ id: people.id, phone: people.phone, mergedInto: people.mergedInto })
    .from(people)
    .where(eq(people.nik, nik));
  return row ?? null;
}

export async function getPersonById(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ id: people.id, phone: people.phone, mergedInto: people.mergedInto })
    .from(people)
    .where(eq(people.id, id));
  return row ?? null;
}

export async function listBusinessNamesOf(db: DbOrTx, ownerId: string) {
  return db
    .select({ id: businesses.id, name: businesses.name })
    .from(businesses)
    .where(eq(businesses.ownerId, ownerId))
    .orderBy(asc(businesses.name), asc(businesses.id))
    .limit(50);
}
