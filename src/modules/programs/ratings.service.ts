// Participants rate the training (1–5 and a remark) from their status link, once they attended
// or completed; one rating per application, which they may change. Officers enter optional
// pre-test and post-test scores (0–100); the program shows the averages, the gain and remarks.

import { requireAccess } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getApplication, getApplicationByToken, getProgram } from './programs.queries.ts';
import type { ProgramFeedback, RatingBody, ScoresBody } from './programs.schema.ts';
import {
  feedbackFigures,
  getRating,
  hasAttended,
  listRemarks,
  setScores,
  upsertRating,
} from './ratings.queries.ts';

// What the status page needs to offer the form: may this participant rate, and the rating given.
export async function ratingByToken(ctx: AppContext, token: string) {
  const row = await getApplicationByToken(ctx.db, token);
  if (!row) return null;
  const a = row.application;
  const mayRate =
    row.program.type === 'training' &&
    (a.status === 'completed' || (a.status === 'enrolled' && (await hasAttended(ctx.db, a.id))));
  const rating = await getRating(ctx.db, a.id);
  return { applicationId: a.id, program: row.program, mayRate, rating };
}

export async function rateByToken(ctx: AppContext, token: string, body: RatingBody) {
  const found = (await ratingByToken(ctx, token)) ?? fail('not_found');
  if (!found.mayRate) fail('rating_not_open');
  const remark = body.remark?.trim() ? body.remark.trim() : null;
  return ctx.db.transaction(async (tx) => {
    const row = await upsertRating(tx, found.applicationId, body.rating, remark);
    await recordChange(tx, null, {
      action: 'rate',
      entity: 'training_rating',
      entityId: found.applicationId,
      after: { rating: row.rating, remark: row.remark },
    });
    return { rating: row.rating, remark: row.remark, updatedAt: row.updatedAt };
  });
}

export async function enterScores(ctx: AppContext, actor: Actor, applicationId: string, body: ScoresBody) {
  const found = (await getApplication(ctx.db, applicationId)) ?? fail('not_found');
  await requireAccess(ctx, actor, 'readBusinesses', [found.businessId]);
  if (found.status !== 'enrolled' && found.status !== 'completed') fail('not_enrolled');
  return ctx.db.transaction(async (tx) => {
    const row = (await setScores(tx, applicationId, body)) ?? fail('not_found');
    await recordChange(tx, actor, {
      action: 'scores',
      entity: 'application',
      entityId: applicationId,
      before: { preTestScore: found.preTestScore, postTestScore: found.postTestScore },
      after: { preTestScore: row.preTestScore, postTestScore: row.postTestScore },
    });
    return { applicationId, preTestScore: row.preTestScore, postTestScore: row.postTestScore };
  });
}

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function getProgramFeedback(ctx: AppContext, programId: string): Promise<ProgramFeedback> {
  (await getProgram(ctx.db, programId)) ?? fail('not_found');
  const f = await feedbackFigures(ctx.db, programId);
  const remarks = await listRemarks(ctx.db, programId, 200);
  return {
    ratingAverage: round(f.rating_average),
    ratingCount: Number(f.rating_count ?? 0),
    remarks: remarks.map((r) => ({ rating: r.rating, remark: r.remark ?? '', at: r.at })),
    preTestAverage: round(f.pre_average),
    postTestAverage: round(f.post_average),
    gain: round(f.gain),
    scored: Number(f.scored ?? 0),
  };
}
