import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { applications, attendance, trainingRatings } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';

export async function hasAttended(db: DbOrTx, applicationId: string) {
  const [row] = await db
    .select({ id: attendance.id })
    .from(attendance)
    .where(eq(attendance.applicationId, applicationId))
    .limit(1);
  return Boolean(row);
}

export async function getRating(db: DbOrTx, applicationId: string) {
  const [row] = await db
    .select()
    .from(trainingRatings)
    .where(eq(trainingRatings.applicationId, applicationId));
  return row ?? null;
}

// One per application: a second rating replaces the first.
export async function upsertRating(db: DbOrTx, applicationId: string, rating: number, remark: string | null) {
  const [row] = await db
    .insert(trainingRatings)
    .values({ applicationId, rating, remark })
    .onConflictDoUpdate({
      target: trainingRatings.applicationId,
      set: { rating, remark, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function setScores(
  db: DbOrTx,
  applicationId: string,
  scores: { preTestScore?: number | null; postTestScore?: number | null },
) {
  const [row] = await db
    .update(applications)
    .set({ ...scores, updatedAt: sql`now()` })
    .where(eq(applications.id, applicationId))
    .returning();
  return row ?? null;
}

export async function feedbackFigures(db: DbOrTx, programId: string) {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select avg(r.rating)::float from training_ratings r join applications a on a.id = r.application_id
        where a.program_id = ${programId}) as rating_average,
      (select count(*)::int from training_ratings r join applications a on a.id = r.application_id
        where a.program_id = ${programId}) as rating_count,
      avg(pre_test_score)::float as pre_average,
      avg(post_test_score)::float as post_average,
      avg(post_test_score - pre_test_score)::float as gain,
      count(*) filter (where pre_test_score is not null and post_test_score is not null)::int as scored
    from applications where program_id = ${programId}`,
  );
  return row ?? {};
}

export async function listRemarks(db: DbOrTx, programId: string, limit: number) {
  return db
    .select({ rating: trainingRatings.rating, remark: trainingRatings.remark, at: trainingRatings.updatedAt })
    .from(trainingRatings)
    .innerJoin(applications, eq(applications.id, trainingRatings.applicationId))
    .where(and(eq(applications.programId, programId), sql`${trainingRatings.remark} is not null`))
    .orderBy(desc(trainingRatings.updatedAt))
    .limit(limit);
}
