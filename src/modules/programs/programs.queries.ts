import {
  and,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  notInArray,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  applicationEvents,
  applications,
  businesses,
  certificates,
  organisations,
  people,
  programQuotas,
  programs,
} from '../../db/schema.ts';
import { rowsOf } from '../../db/sql-rows.ts';

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
  filter: { type?: 'training' | 'aid' | 'promotion' | undefined; archived?: boolean | undefined },
  page: { limit: number; after: [string, string] | null },
) {
  const after = page.after
    ? sql`(${programs.startDate}, ${programs.id}) < (${page.after[0]}::date, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select({ program: programs, organisationName: organisations.name })
    .from(programs)
    .innerJoin(organisations, eq(organisations.id, programs.organisationId))
    .where(
      and(
        filter.type ? eq(programs.type, filter.type) : undefined,
        filter.archived ? isNotNull(programs.archivedAt) : isNull(programs.archivedAt),
        after,
      ),
    )
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

// One application as the database decides it: the pulih_apply function (migration
// 0031_apply-fast_sql.sql) takes the seat and the quota under the program row lock and writes
// the application, its event, its prepared messages and the audit entry. Its arguments, by
// name, as pulih_apply_many takes them.
export type ApplyCall = {
  programId: string;
  businessId: string;
  kecamatan: string | null;
  // ineligible, pending (a priority program: no seat until the selection) or seat
  outcome: 'ineligible' | 'pending' | 'seat';
  reasons: unknown;
  source: string;
  actorId: string | null;
  // the id and status token the messages were rendered for
  id: string;
  statusToken: string;
  returnExisting: boolean;
  outbox: unknown;
};

// The application as saved, in the audit log's shape (pulih_application_audit: camelCase, times
// as ISO strings, no status token); answered since migration 0032 (apply-one).
export type SavedApplication = {
  id: string;
  programId: string;
  businessId: string;
  status: ApplicationStatus;
  reasons: unknown;
  source: string;
  score: number | null;
  preTestScore: number | null;
  postTestScore: number | null;
  createdAt: string;
  updatedAt: string;
};

export type ApplyAnswer =
  | {
      outcome: 'applied';
      id: string;
      status: ApplicationStatus;
      statusToken: string;
      eventId: number;
      row: SavedApplication;
    }
  | { outcome: 'existing'; id: string; status: ApplicationStatus; statusToken: string | null }
  | { outcome: 'stale'; id: string; statusToken: string | null };

// One application alone: the statement it always was (nothing to build an array for).
export async function applyInOneStatement(db: DbOrTx, call: ApplyCall): Promise<ApplyAnswer> {
  const [row] = rowsOf<{ answer: ApplyAnswer | string }>(
    await db.execute(sql`select pulih_apply(${call.programId}::uuid, ${call.businessId}::uuid,
      ${call.kecamatan}::text, ${call.outcome}::text, ${JSON.stringify(call.reasons)}::jsonb,
      ${call.source}::text, ${call.actorId}::uuid, ${call.id}::uuid, ${call.statusToken}::text,
      ${call.returnExisting}::boolean, ${JSON.stringify(call.outbox)}::jsonb) as answer`),
  );
  const answer = row!.answer;
  return typeof answer === 'string' ? (JSON.parse(answer) as ApplyAnswer) : answer;
}

// Several applications decided in one statement and one transaction (pulih_apply_many,
// migration 0047_apply-batch.sql): each exactly as pulih_apply decides it alone, in the order
// given, with one answer each. `eachAlone`: an item that fails is undone alone and answered
// with its error ('error': SQLSTATE and constraint); without it, an item's error fails the
// statement, and nothing of it is written. A batch of one unguarded goes as pulih_apply itself.
export type ApplyFailure = { outcome: 'error'; code: string; constraint: string | null; message: string };

export async function applyManyInOneStatement(
  db: DbOrTx,
  calls: readonly ApplyCall[],
  eachAlone: boolean,
): Promise<(ApplyAnswer | ApplyFailure)[]> {
  const [one] = calls;
  if (one && calls.length === 1 && !eachAlone) return [await applyInOneStatement(db, one)];
  const [row] = rowsOf<{ answers: (ApplyAnswer | ApplyFailure)[] | string }>(
    await db.execute(
      sql`select pulih_apply_many(${JSON.stringify(calls)}::jsonb, ${eachAlone}::boolean) as answers`,
    ),
  );
  const answers = row!.answers;
  return typeof answers === 'string' ? (JSON.parse(answers) as (ApplyAnswer | ApplyFailure)[]) : answers;
}

// Everything an application is judged and answered on, in one statement: the program, the
// business with its owner's facts, the exclusion lists the owner's NIK is on, whether the
// business is within the caller's reach (`reach`, the access layer's condition on the
// `businesses` row), and what the event's preparers read (`prepared`). Null parts: absent.
export type ApplicationInputs = {
  program: {
    id: string;
    selection: (typeof programs.$inferSelect)['selection'];
    eligibility: unknown;
    startDate: string;
    archived: boolean;
  } | null;
  business: {
    reached: boolean;
    name: string;
    kecamatanCode: string;
    regionCode: string;
    kbli: string | null;
    annualTurnover: number | null;
    capital: number | null;
    covidImpacted: boolean | null;
    workers: number | null;
    status: (typeof businesses.$inferSelect)['status'];
    ownerName: string;
    ownerBirthDate: string | null;
    ownerSex: (typeof people.$inferSelect)['sex'];
    exclusions: string[];
  } | null;
  prepared: Record<string, unknown>;
};

export async function readApplicationInputs(
  db: DbOrTx,
  target: { programId: string; businessId: string; reach: SQL | null; prepared: SQL },
): Promise<ApplicationInputs> {
  const [row] = rowsOf<ApplicationInputsRow>(
    await db.execute(sql`select ${applicationInputsColumns(target)}`),
  );
  return applicationInputsOf(row!);
}

export type ApplicationInputsRow = { inputs: unknown; reached: boolean | null; prepared: unknown };

// The columns of readApplicationInputs (inputs, reached, prepared), for its own statement or a
// caller's: `businessId` may be an expression of the caller's statement (the public form finds
// the business in the same statement, public-apply.queries.ts).
export function applicationInputsColumns(target: {
  programId: string;
  businessId: string | SQL;
  reach: SQL | null;
  prepared: SQL;
}): SQL {
  // The fixed part is a function (pulih_application_inputs, migration 0048_apply-read.sql),
  // whose plans the connection keeps: as a statement of its own it was planned again at every
  // request, ten times its execution. Only the reach and the preparers' reads, which vary with
  // the caller, are planned here. A null reach (the caller reaches every business,
  // businessReachLimit) leaves the businesses row out: its lookup, planned at every request,
  // cost as much of the database's time as the function (docs/benchmarks.md, apply-floor).
  const reached =
    target.reach === null
      ? sql`true`
      : sql`(select coalesce(${target.reach}, false) from ${businesses}
        where ${businesses.id} = ${target.businessId}::uuid)`;
  return sql`pulih_application_inputs(${target.programId}::uuid, ${target.businessId}::uuid) as inputs,
      ${reached} as reached, ${target.prepared} as prepared`;
}

export function applicationInputsOf(row: ApplicationInputsRow): ApplicationInputs {
  const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
  const inputs = parsed<Omit<ApplicationInputs, 'prepared'>>(row.inputs);
  return {
    program: inputs.program,
    // an absent business is null whatever the reach, so `true` above only ever marks a present one
    business: inputs.business ? { ...inputs.business, reached: row.reached === true } : null,
    prepared: parsed<Record<string, unknown>>(row.prepared),
  };
}

export async function setApplicationStatus(
  db: DbOrTx,
  id: string,
  status: ApplicationStatus,
  more: Partial<
    Pick<typeof applications.$inferInsert, 'reasons' | 'source' | 'appliedBy' | 'score' | 'statusToken'>
  > = {},
) {
  const [row] = await db
    .update(applications)
    .set({ status, ...more, updatedAt: new Date() })
    .where(eq(applications.id, id))
    .returning();
  return row!;
}

// The first waitlisted application (by rank, then application time) whose kecamatan has a
// seat left under its quota, locked so that two promotions never pick the same one. The
// caller holds the program row, under which every quota change happens, so the quota read
// here stays true until it commits.
export async function nextWaitlisted(db: DbOrTx, programId: string) {
  const [row] = await db
    .select({ application: applications, kecamatanCode: businesses.kecamatanCode })
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .where(
      and(
        eq(applications.programId, programId),
        eq(applications.status, 'waitlisted'),
        sql`not exists (select 1 from ${programQuotas} q where q.program_id = ${applications.programId}
          and q.kecamatan_code = ${businesses.kecamatanCode} and q.taken >= q.quota)`,
      ),
    )
    .orderBy(sql`${applications.score} asc nulls last`, asc(applications.createdAt), asc(applications.id))
    .limit(1)
    .for('update', { of: applications, skipLocked: true });
  return row ?? null;
}

// Everything a selection ranks, locked for its transaction: the pending and waitlisted
// applications with the raw facts of their business and owner (read, never written, here).
export async function lockSelectionCandidates(db: DbOrTx, programId: string) {
  return db
    .select({
      application: applications,
      business: {
        kecamatanCode: businesses.kecamatanCode,
        regionCode: businesses.regionCode,
        kbli: businesses.kbli,
        capital: businesses.capital,
        annualTurnover: businesses.annualTurnover,
        workers: businesses.workers,
        covidImpacted: businesses.covidImpacted,
        status: businesses.status,
      },
      owner: { birthDate: people.birthDate, sex: people.sex },
    })
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(
      and(eq(applications.programId, programId), inArray(applications.status, ['pending', 'waitlisted'])),
    )
    .orderBy(asc(applications.createdAt), asc(applications.id))
    .for('update', { of: applications });
}

// One statement for many rows: the selection changes up to thousands of applications.
export async function setStatusesAndRanks(
  db: DbOrTx,
  rows: { id: string; status: ApplicationStatus; score: number }[],
) {
  for (let from = 0; from < rows.length; from += 2000) {
    const chunk = rows.slice(from, from + 2000);
    const values = sql.join(
      chunk.map((r) => sql`(${r.id}::uuid, ${r.status}::application_status, ${r.score}::numeric)`),
      sql`, `,
    );
    await db.execute(sql`
      update ${applications} as a set status = v.status, score = v.score, updated_at = now()
      from (values ${values}) as v(id, status, score)
      where a.id = v.id`);
  }
}

export async function addEnrolled(db: DbOrTx, programId: string, n: number) {
  if (n === 0) return;
  await db
    .update(programs)
    .set({ enrolledCount: sql`${programs.enrolledCount} + ${n}` })
    .where(eq(programs.id, programId));
}

// ---- quotas: every change to `taken` happens while the program row is locked ----

// A seat under both limits in one statement: the program's capacity, then the quota of the
// kecamatan. The program row stays locked until the transaction ends, so every seat change of
// a program happens in turn; the quota update re-checks `taken < quota` on the newest row
// version (as every UPDATE does), and the CHECK constraints back both. When the quota is full
// the seat was still taken: the caller gives it back (`seat && limited && !quota`).
export async function takeSeatAndQuota(db: DbOrTx, programId: string, kecamatanCode: string) {
  const result = await db.execute(sql`
    with seat as (
      update ${programs} set enrolled_count = enrolled_count + 1
      where id = ${programId} and enrolled_count < capacity
      returning id
    ), quota as (
      update ${programQuotas} set taken = taken + 1
      where program_id in (select id from seat) and kecamatan_code = ${kecamatanCode} and taken < quota
      returning 1
    )
    select (select count(*) from seat)::int as seat, (select count(*) from quota)::int as quota,
      exists (select 1 from ${programQuotas} where program_id = ${programId}
        and kecamatan_code = ${kecamatanCode}) as limited`);
  const row = rowsOf<{ seat: number; quota: number; limited: boolean }>(result)[0];
  return { seat: Number(row?.seat) === 1, quota: Number(row?.quota) === 1, limited: Boolean(row?.limited) };
}

export async function releaseQuota(db: DbOrTx, programId: string, kecamatanCode: string) {
  await db
    .update(programQuotas)
    .set({ taken: sql`${programQuotas.taken} - 1` })
    .where(
      and(
        eq(programQuotas.programId, programId),
        eq(programQuotas.kecamatanCode, kecamatanCode),
        gt(programQuotas.taken, 0),
      ),
    );
}

export async function addQuotaTaken(db: DbOrTx, programId: string, kecamatanCode: string, n: number) {
  if (n === 0) return;
  await db
    .update(programQuotas)
    .set({ taken: sql`${programQuotas.taken} + ${n}` })
    .where(and(eq(programQuotas.programId, programId), eq(programQuotas.kecamatanCode, kecamatanCode)));
}

export async function listQuotas(db: DbOrTx, programIds: string[]) {
  if (programIds.length === 0) return [];
  return db
    .select()
    .from(programQuotas)
    .where(inArray(programQuotas.programId, programIds))
    .orderBy(asc(programQuotas.programId), asc(programQuotas.kecamatanCode));
}

export async function lockQuotas(db: DbOrTx, programId: string) {
  return db
    .select()
    .from(programQuotas)
    .where(eq(programQuotas.programId, programId))
    .orderBy(asc(programQuotas.kecamatanCode))
    .for('update');
}

// Seats held (enrolled or completed) per kecamatan: what `taken` must equal.
export async function countSeatsByKecamatan(db: DbOrTx, programId: string) {
  return db
    .select({ kecamatanCode: businesses.kecamatanCode, count: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .where(
      and(eq(applications.programId, programId), inArray(applications.status, ['enrolled', 'completed'])),
    )
    .groupBy(businesses.kecamatanCode);
}

export async function replaceQuotas(
  db: DbOrTx,
  programId: string,
  quotas: { kecamatanCode: string; quota: number; taken: number }[],
) {
  const keep = quotas.map((q) => q.kecamatanCode);
  await db
    .delete(programQuotas)
    .where(
      and(
        eq(programQuotas.programId, programId),
        keep.length > 0 ? notInArray(programQuotas.kecamatanCode, keep) : undefined,
      ),
    );
  if (quotas.length === 0) return;
  await db
    .insert(programQuotas)
    .values(quotas.map((q) => ({ programId, ...q })))
    .onConflictDoUpdate({
      target: [programQuotas.programId, programQuotas.kecamatanCode],
      set: { quota: sql`excluded.quota`, taken: sql`excluded.taken` },
    });
}

// ---- events ----

export type EventInsert = typeof applicationEvents.$inferInsert;

export async function insertEvents(db: DbOrTx, events: EventInsert[]) {
  const inserted: { id: number; applicationId: string; kind: string }[] = [];
  for (let from = 0; from < events.length; from += 1000) {
    inserted.push(
      ...(await db
        .insert(applicationEvents)
        .values(events.slice(from, from + 1000))
        .returning({
          id: applicationEvents.id,
          applicationId: applicationEvents.applicationId,
          kind: applicationEvents.kind,
        })),
    );
  }
  return inserted;
}

export async function listEvents(
  db: DbOrTx,
  applicationId: string,
  page: { limit: number; after: number | null },
) {
  return db
    .select()
    .from(applicationEvents)
    .where(
      and(
        eq(applicationEvents.applicationId, applicationId),
        page.after === null ? undefined : gt(applicationEvents.id, page.after),
      ),
    )
    .orderBy(asc(applicationEvents.id))
    .limit(page.limit + 1);
}

// ---- the public status page: found by its random token ----

export async function getApplicationByToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({
      application: applications,
      program: {
        id: programs.id,
        name: programs.name,
        type: programs.type,
        startDate: programs.startDate,
        endDate: programs.endDate,
        venue: programs.venue,
        selection: programs.selection,
      },
    })
    .from(applications)
    .innerJoin(programs, eq(programs.id, applications.programId))
    .where(eq(applications.statusToken, token));
  return row ?? null;
}

// 1 + the waitlisted applications ahead in the promotion order (rank, then time). The time is
// compared with the row's own stored value (microseconds), never a JS Date (milliseconds).
export async function waitlistPosition(db: DbOrTx, application: typeof applications.$inferSelect) {
  const score = application.score;
  const own = sql`(select a.created_at from ${applications} a where a.id = ${application.id}::uuid)`;
  const earlier = sql`(${applications.createdAt}, ${applications.id}) < (${own}, ${application.id}::uuid)`;
  const ahead =
    score === null
      ? sql`(${applications.score} is not null or ${earlier})`
      : sql`(${applications.score} < ${score} or (${applications.score} = ${score} and ${earlier}))`;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(applications)
    .where(
      and(eq(applications.programId, application.programId), eq(applications.status, 'waitlisted'), ahead),
    );
  return (row?.count ?? 0) + 1;
}

export async function getApplicationWithKecamatanForUpdate(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ application: applications, kecamatanCode: businesses.kecamatanCode })
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .where(eq(applications.id, id))
    .for('update', { of: applications });
  return row ?? null;
}

// A completed application back to enrolled (its certificate was revoked by a correction).
export async function unmarkCompletedRow(db: DbOrTx, id: string) {
  const [row] = await db
    .update(applications)
    .set({ status: 'enrolled', updatedAt: new Date() })
    .where(and(eq(applications.id, id), eq(applications.status, 'completed')))
    .returning();
  return row ?? null;
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
  // The page cursor carries created_at as PostgreSQL text (microseconds); a JS Date drops them.
  cursorAt: sql<string>`${applications.createdAt}::text`,
};

// Unranked applications sort after every rank (ranks are row numbers, far below this).
export const unrankedKey = 1_000_000_000;
const rankKey = sql`coalesce(${applications.score}, ${unrankedKey})`;

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
  page: {
    limit: number;
    after: (string | number)[] | null;
    orderByOwner?: boolean;
    orderByRank?: boolean;
  },
) {
  const after = page.after
    ? page.orderByRank
      ? sql`(${rankKey}, ${applications.createdAt}, ${applications.id}) > (${page.after[0]}::numeric, ${page.after[1]}::timestamptz, ${page.after[2]}::uuid)`
      : sql`(${applications.createdAt}, ${applications.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  const where: (SQL | undefined)[] = [
    filter.programId ? eq(applications.programId, filter.programId) : undefined,
    filter.businessId ? eq(applications.businessId, filter.businessId) : undefined,
    filter.applicationId ? eq(applications.id, filter.applicationId) : undefined,
    filter.status ? eq(applications.status, filter.status) : undefined,
    filter.statuses ? inArray(applications.status, filter.statuses) : undefined,
    filter.kecamatanCode ? eq(businesses.kecamatanCode, filter.kecamatanCode) : undefined,
    filter.ownerId ? eq(businesses.ownerId, filter.ownerId) : undefined,
    after,
  ];
  const order = page.orderByOwner
    ? [asc(people.name), asc(applications.id)]
    : page.orderByRank
      ? [asc(rankKey), asc(applications.createdAt), asc(applications.id)]
      : [asc(applications.createdAt), asc(applications.id)];
  return db
    .select(participantColumns)
    .from(applications)
    .innerJoin(businesses, eq(businesses.id, applications.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(...where))
    .orderBy(...order)
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

// Archives (or restores) a program; null when it was already in that state.
export async function setProgramArchived(db: DbOrTx, id: string, archived: boolean) {
  const [row] = await db
    .update(programs)
    .set({ archivedAt: archived ? sql`now()` : null })
    .where(and(eq(programs.id, id), archived ? isNull(programs.archivedAt) : isNotNull(programs.archivedAt)))
    .returning({ id: programs.id, archivedAt: programs.archivedAt });
  return row ?? null;
}

// The valid (unrevoked) certificate of each application: certificates are written by training,
// read here so that application lists carry their code (a documented read of training's table).
export async function listValidCertificatesOfApplications(db: DbOrTx, applicationIds: string[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select({ applicationId: certificates.applicationId, code: certificates.code })
    .from(certificates)
    .where(and(inArray(certificates.applicationId, applicationIds), isNull(certificates.revokedAt)));
}

// The businesses a list of NIKs (of their owners) and refs names, within a registry scope: one
// statement for the whole list. A NIK names every business of its owner.
export async function findBusinessesByNikOrRef(
  db: DbOrTx,
  keys: { niks: string[]; refs: string[] },
  scope: { kecamatanCode?: string | null; ownerId?: string | null },
) {
  if (keys.niks.length === 0 && keys.refs.length === 0) return [];
  const named = [
    keys.niks.length > 0 ? inArray(people.nik, keys.niks) : undefined,
    keys.refs.length > 0 ? inArray(businesses.ref, keys.refs) : undefined,
  ].filter((c): c is SQL => c !== undefined);
  return db
    .select({
      businessId: businesses.id,
      name: businesses.name,
      ref: businesses.ref,
      kecamatanCode: businesses.kecamatanCode,
      nik: people.nik,
      ownerName: people.name,
    })
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(
      and(
        named.length === 1 ? named[0] : sql`(${named[0]} or ${named[1]})`,
        scope.kecamatanCode ? eq(businesses.kecamatanCode, scope.kecamatanCode) : undefined,
        scope.ownerId ? eq(businesses.ownerId, scope.ownerId) : undefined,
      ),
    )
    .orderBy(asc(businesses.name), asc(businesses.id));
}

// The waves around programs: the one each was copied from, and those copied from it.
export async function listWaveLinks(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: programs.id, name: programs.name, previousProgramId: programs.previousProgramId })
    .from(programs)
    .where(
      sql`${inArray(programs.id, ids)} or ${inArray(programs.previousProgramId, ids)} or ${programs.id} in
        (select p.previous_program_id from programs p where ${inArray(sql`p.id`, ids)})`,
    )
    .orderBy(asc(programs.startDate), asc(programs.id));
}
