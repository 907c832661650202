import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, people, programs } from '../../db/schema.ts';
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
  const [row] = rowsOf<{ found: FormApplicant | string }>(
    await db.execute(sql`with person as (
        select p.id, p.phone, p.merged_into from ${people} p where p.nik = ${nik} limit 1)
      select json_build_object(
        'program', (select json_build_object('startDate', g.start_date,
            'applicationDeadline', g.application_deadline)
          from ${programs} g where g.id = ${programId}::uuid),
        'person', (select json_build_object('id', id, 'phone', phone, 'mergedInto', merged_into) from person),
        'businesses', coalesce((select json_agg(json_build_object('id', b.id, 'name', b.name)
            order by b.name, b.id)
          from (select b.id, b.name from ${businesses} b join person on person.id = b.owner_id
            where person.merged_into is null order by b.name, b.id limit 50) b), '[]')) as found`),
  );
  const found = row!.found;
  return typeof found === 'string' ? (JSON.parse(found) as FormApplicant) : found;
}
