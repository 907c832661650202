import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, people } from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';

// The registry's people and businesses are read, never written, here: the businesses
// service has no lookup by NIK that returns the stored phone to compare, and the public
// form must not go through an actor. (Candidate for a businesses-service function.)

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

// What the form needs before an application, in one round trip (issue 14: a burst on the public
// form): the program's dates (null: no such program), the person of the NIK and, unless they
// were merged into another (the caller follows that), their businesses as listBusinessNamesOf
// lists them. The businesses are read with the person, so an unknown NIK costs what a wrong
// phone number costs.
export type FormApplicant = {
  program: { startDate: string; applicationDeadline: string | null } | null;
  person: { id: string; phone: string | null; mergedInto: string | null } | null;
  businesses: { id: string; name: string }[];
};

export async function readFormApplicant(db: DbOrTx, programId: string, nik: string): Promise<FormApplicant> {
  // A function (migration 0048_apply-read.sql), whose plans the connection keeps.
  const [row] = rowsOf<{ found: FormApplicant | string }>(
    await db.execute(sql`select pulih_form_applicant(${programId}::uuid, ${nik}::text) as found`),
  );
  const found = row!.found;
  return typeof found === 'string' ? (JSON.parse(found) as FormApplicant) : found;
}
