import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { jobFiles, jobs } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';

export type JobRow = typeof jobs.$inferSelect;

// A lock whose heartbeat is older than this is taken to be dead (crashed or killed process).
export const staleAfterSeconds = 60;
export const maxAttempts = 5;

const stale = sql`${jobs.heartbeatAt} < now() - make_interval(secs => ${staleAfterSeconds})`;

export async function insertJob(db: DbOrTx, values: typeof jobs.$inferInsert) {
  const [row] = await db.insert(jobs).values(values).returning();
  return row!;
}

export async function insertJobFileChunk(db: DbOrTx, jobId: string, seq: number, data: Buffer) {
  await db.insert(jobFiles).values({ jobId, seq, data });
}

// Moves a stored file to another job; answers the chunks moved (0 when another request
// moved it first: the delete waits for that one's row locks, then finds nothing).
export async function moveJobFileChunks(db: DbOrTx, fromJob: string, toJob: string) {
  const moved = await queryRows(
    db,
    sql`
    with moved as (delete from job_files where job_id = ${fromJob}::uuid returning seq, data)
    insert into job_files (job_id, seq, data) select ${toJob}::uuid, seq, data from moved
    returning seq`,
  );
  return moved.length;
}

export async function getJobFileChunk(db: DbOrTx, jobId: string, seq: number) {
  const [row] = await db
    .select({ data: jobFiles.data })
    .from(jobFiles)
    .where(and(eq(jobFiles.jobId, jobId), eq(jobFiles.seq, seq)));
  return row?.data ?? null;
}

export async function deleteJobFile(db: DbOrTx, jobId: string) {
  await db.delete(jobFiles).where(eq(jobFiles.jobId, jobId));
}

export async function getJob(db: DbOrTx, id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

// Jobs whose input lives only on one machine (a CLI import of a local file) are left to
// that machine: the CLI resumes them.
const claimable = (kinds: readonly string[]) =>
  and(
    inArray(jobs.kind, [...kinds]),
    sql`coalesce(${jobs.payload}->'source'->>'type', '') <> 'path'`,
    lt(jobs.attempts, maxAttempts),
    or(eq(jobs.status, 'queued'), and(eq(jobs.status, 'running'), stale)),
  );

// SKIP LOCKED: several processes may poll at once; each job goes to exactly one of them.
export async function claimNextJob(db: DbOrTx, kinds: readonly string[], worker: string) {
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(claimable(kinds))
    .orderBy(asc(jobs.createdAt))
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await db
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: worker,
      heartbeatAt: sql`now()`,
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      error: null,
    })
    .where(inArray(jobs.id, candidate))
    .returning();
  return row ?? null;
}

// Takes one job by id: queued, failed, stale, or held by a lock the caller knows is dead.
export async function claimJobById(db: DbOrTx, id: string, worker: string, deadLock: string | null) {
  const [row] = await db
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: worker,
      heartbeatAt: sql`now()`,
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      finishedAt: null,
      error: null,
    })
    .where(
      and(
        eq(jobs.id, id),
        or(
          inArray(jobs.status, ['queued', 'failed']),
          and(eq(jobs.status, 'running'), or(stale, deadLock ? eq(jobs.lockedBy, deadLock) : undefined)),
        ),
      ),
    )
    .returning();
  return row ?? null;
}

export async function touchJob(db: DbOrTx, id: string, worker: string) {
  const rows = await db
    .update(jobs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function updateHeldJob(
  db: DbOrTx,
  id: string,
  worker: string,
  values: Partial<typeof jobs.$inferInsert>,
) {
  const rows = await db
    .update(jobs)
    .set({ ...values, heartbeatAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function releaseHeldJob(db: DbOrTx, id: string, worker: string) {
  await db
    .update(jobs)
    .set({ status: 'queued', lockedBy: null, heartbeatAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, worker), eq(jobs.status, 'running')));
}

// Ends an unfinished job for good. A worker still running it finds, at its next commit, that
// it no longer holds the job (status is no longer 'running') and rolls that piece back.
export async function cancelUnfinishedJob(db: DbOrTx, id: string) {
  const [row] = await db
    .update(jobs)
    .set({ status: 'cancelled', lockedBy: null, heartbeatAt: null, finishedAt: sql`now()` })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ['queued', 'running', 'failed'])))
    .returning();
  return row ?? null;
}

export async function requeueJob(db: DbOrTx, id: string) {
  const [row] = await db
    .update(jobs)
    .set({ status: 'queued', lockedBy: null, heartbeatAt: null, error: null, finishedAt: null, attempts: 0 })
    .where(and(eq(jobs.id, id), or(eq(jobs.status, 'failed'), and(eq(jobs.status, 'running'), stale))))
    .returning();
  return row ?? null;
}

// Jobs that crashed their worker maxAttempts times are failed instead of retried forever.
export async function failExhaustedJobs(db: DbOrTx) {
  await db
    .update(jobs)
    .set({
      status: 'failed',
      lockedBy: null,
      finishedAt: sql`now()`,
      error: JSON.stringify({ code: 'job_attempts_exhausted', message: 'The job stopped too many times.' }),
    })
    .where(and(eq(jobs.status, 'running'), stale, sql`${jobs.attempts} >= ${maxAttempts}`));
}

export async function findUnfinishedJob(db: DbOrTx, kind: string, where: Record<string, unknown>) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, kind),
        inArray(jobs.status, ['queued', 'running', 'failed']),
        sql`${jobs.payload} @> ${JSON.stringify(where)}::jsonb`,
      ),
    )
    .orderBy(asc(jobs.createdAt))
    .limit(1);
  return row ?? null;
}

export async function listJobs(
  db: DbOrTx,
  filter: { kind: string; createdBy?: string | null; before?: [string, string] | null; limit: number },
) {
  const before = filter.before;
  // The cursor carries created_at as PostgreSQL text (microseconds), so the page order is the
  // stored time itself and the (kind, created_at) index serves it.
  return db
    .select({ job: jobs, cursorAt: sql<string>`${jobs.createdAt}::text` })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, filter.kind),
        filter.createdBy ? eq(jobs.createdBy, filter.createdBy) : undefined,
        before
          ? sql`(${jobs.createdAt}, ${jobs.id}) < (${before[0]}::timestamptz, ${before[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(filter.limit + 1);
}
