import { asc, eq, type SQL, sql } from 'drizzle-orm';
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

// The applicant and, in the same statement, what the caller reads of the business the form
// applies (`columns`, over the business id as an expression of this statement): the one asked
// for, or the only one, among the applicant's, when the phone number matches
// (pulih_form_application, migration 0049_form-apply.sql); null otherwise, and then `columns`
// reads no business. Both functions keep their plans on the connection.
export async function readFormApplication<Row extends Record<string, unknown>>(
  db: DbOrTx,
  target: { programId: string; nik: string; phone: string; businessId: string | null },
  columns: (businessId: SQL) => SQL,
): Promise<{ applicant: FormApplicant; businessId: string | null; row: Row }> {
  const [row] = rowsOf<Row & { applicant: FormApplicant | string; named_business: string | null }>(
    await db.execute(sql`select f.applicant, f.business_id as named_business, ${columns(sql`f.business_id`)}
      from pulih_form_application(${target.programId}::uuid, ${target.nik}::text, ${target.phone}::text,
        ${target.businessId}::uuid) f`),
  );
  const applicant = row!.applicant;
  return {
    applicant: typeof applicant === 'string' ? (JSON.parse(applicant) as FormApplicant) : applicant,
    businessId: row!.named_business,
    row: row!,
  };
}
