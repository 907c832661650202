import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { people, registrations, registrationVisits } from '../../db/schema.ts';
import type { RegistrationStatus } from '../../domain/enums.ts';

export type RegistrationRow = typeof registrations.$inferSelect;
export type NewRegistration = typeof registrations.$inferInsert;

// The duplicate check reads the registry's people (never writes them): the person with this NIK,
// and one with the same phone and birth date. Both look-ups always run, whatever the first finds,
// so that a registered NIK and a new one cost the same.
export async function findMatchingPerson(db: DbOrTx, nik: string, phone: string, birthDate: string) {
  const [byNik] = await db.select({ id: people.id }).from(people).where(eq(people.nik, nik)).limit(1);
  const [byPhone] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.phone, phone), eq(people.birthDate, birthDate)))
    .limit(1);
  return byNik?.id ?? byPhone?.id ?? null;
}

export async function insertRegistration(db: DbOrTx, values: NewRegistration) {
  const [row] = await db.insert(registrations).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function getRegistrationByToken(db: DbOrTx, tokenHash: string) {
  const [row] = await db.select().from(registrations).where(eq(registrations.tokenHash, tokenHash));
  return row ?? null;
}

export async function getRegistrationByClientKey(db: DbOrTx, clientKey: string) {
  const [row] = await db.select().from(registrations).where(eq(registrations.clientKey, clientKey));
  return row ?? null;
}

const inKecamatan = (kecamatan: string | null) =>
  kecamatan === null ? undefined : eq(registrations.kecamatanCode, kecamatan);

export async function getRegistration(db: DbOrTx, id: string, kecamatan: string | null) {
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.id, id), inKecamatan(kecamatan)));
  return row ?? null;
}

// The owner's correction: back to the queue, only from perlu_perbaikan.
export async function updateFixedRegistration(db: DbOrTx, id: string, values: Partial<NewRegistration>) {
  const [row] = await db
    .update(registrations)
    .set({ ...values, status: 'menunggu_verifikasi', updatedAt: new Date() })
    .where(and(eq(registrations.id, id), eq(registrations.status, 'perlu_perbaikan')))
    .returning({ id: registrations.id });
  return row ?? null;
}

// A decision moves a registration that still waits (or waits for its fix); a second decision
// on a decided one changes nothing.
export async function decideRegistration(
  db: DbOrTx,
  id: string,
  values: { status: RegistrationStatus; officerNote: string | null; businessId: string | null },
) {
  const [row] = await db
    .update(registrations)
    .set({ ...values, decidedAt: new Date(), updatedAt: new Date() })
    .where(
      and(
        eq(registrations.id, id),
        inArray(registrations.status, ['menunggu_verifikasi', 'perlu_perbaikan']),
      ),
    )
    .returning();
  return row ?? null;
}

export async function listRegistrationRows(
  db: DbOrTx,
  query: {
    kecamatan: string | null;
    status?: RegistrationStatus | undefined;
    after: { at: Date; id: string } | null;
    limit: number;
  },
) {
  const r = registrations;
  return db
    .select()
    .from(r)
    .where(
      and(
        inKecamatan(query.kecamatan),
        query.status ? eq(r.status, query.status) : undefined,
        query.after
          ? or(
              lt(r.createdAt, query.after.at),
              and(eq(r.createdAt, query.after.at), lt(r.id, query.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(query.limit);
}

export async function insertVisit(db: DbOrTx, values: typeof registrationVisits.$inferInsert) {
  const [row] = await db.insert(registrationVisits).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function getVisitByClientKey(db: DbOrTx, clientKey: string) {
  const [row] = await db
    .select({
      id: registrationVisits.id,
      registrationId: registrationVisits.registrationId,
      outcome: registrationVisits.outcome,
    })
    .from(registrationVisits)
    .where(eq(registrationVisits.clientKey, clientKey));
  return row ?? null;
}

export async function getRegistrationPhoto(db: DbOrTx, id: string, kecamatan: string | null) {
  const [row] = await db
    .select({ photo: registrations.photo, photoType: registrations.photoType })
    .from(registrations)
    .where(and(eq(registrations.id, id), inKecamatan(kecamatan)));
  return row?.photo && row.photoType ? { bytes: row.photo, contentType: row.photoType } : null;
}

export async function countRegistrations(
  db: DbOrTx,
  kecamatan: string | null,
  since: { week: Date; monthStart: Date },
) {
  const r = registrations;
  const [row] = await db
    .select({
      newThisWeek: sql<number>`count(*) filter (where ${r.createdAt} >= ${since.week})`.mapWith(Number),
      awaitingVerification: sql<number>`count(*) filter (where ${r.status} = 'menunggu_verifikasi')`.mapWith(
        Number,
      ),
      needsFix: sql<number>`count(*) filter (where ${r.status} = 'perlu_perbaikan')`.mapWith(Number),
      verifiedThisMonth: sql<number>`count(*) filter (where ${r.status} = 'terverifikasi'
        and ${r.decidedAt} >= ${since.monthStart})`.mapWith(Number),
      possibleDuplicates: sql<number>`count(*) filter (where ${r.status} = 'menunggu_verifikasi'
        and ${r.matchPersonId} is not null)`.mapWith(Number),
    })
    .from(r)
    .where(inKecamatan(kecamatan));
  return row!;
}

export async function listVerifiedSince(db: DbOrTx, kecamatan: string | null, since: Date, limit: number) {
  const r = registrations;
  return db
    .select()
    .from(r)
    .where(and(inKecamatan(kecamatan), eq(r.status, 'terverifikasi'), gte(r.decidedAt, since)))
    .orderBy(desc(r.decidedAt), desc(r.id))
    .limit(limit);
}
