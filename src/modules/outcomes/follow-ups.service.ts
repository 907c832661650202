import { randomBytes } from 'node:crypto';
import { kecamatanScope, reachesKecamatan } from '../../access/access.service.ts';
import { isImplausibleSales, salesCeiling } from '../../domain/outcomes.ts';
import { normalizePhone, whatsappLink } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { publish } from '../../lib/domain-events.ts';
import { fail } from '../../lib/errors.ts';
import { translator } from '../../lib/i18n.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getProgramItem } from '../programs/programs.service.ts';
import {
  type FollowUpRow,
  getFollowUpByToken,
  getFollowUpRow,
  getRecordedTurnover,
  insertFollowUpAnswer,
  insertFollowUps,
  listFollowUpRows,
} from './follow-ups.queries.ts';
import type {
  FollowUpAnswerBody,
  FollowUpItem,
  FollowUpOpenBody,
  PublicFollowUpAnswer,
} from './outcomes.schema.ts';

// Follow-ups (tindak lanjut): the office opens one per graduate for a due day; each graduate
// answers through a personal link without logging in, or an officer records the answers of a
// call or a visit. Every answer is kept; the latest is the follow-up's answer.

// 24 random bytes: the link is the only key to the answer page.
const newToken = () => randomBytes(24).toString('base64url');
export const followUpTokenPattern = /^[A-Za-z0-9_-]{32}$/;

export const followUpPath = (token: string) => `/tindak-lanjut/${token}`;

export async function openFollowUps(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: FollowUpOpenBody,
  publicBase: string,
) {
  const program = await getProgramItem(ctx, programId);
  if (body.dueAt < program.endDate) fail('follow_up_too_early', { field: 'dueAt', endDate: program.endDate });
  return ctx.db.transaction(async (tx) => {
    const { graduates, opened } = await insertFollowUps(tx, programId, body.dueAt, actor.userId, newToken);
    // The graduate is asked through the notifications outbox (WhatsApp, SMS or e-mail as the
    // office has them); one message per follow-up, however often the day is opened.
    for (const f of opened)
      await publish(tx, {
        type: 'followup.requested',
        applicationId: f.applicationId,
        link: `${publicBase}${followUpPath(f.token)}`,
        key: f.id,
      });
    if (opened.length > 0)
      await recordChange(tx, actor, {
        action: 'open_follow_ups',
        entity: 'program',
        entityId: programId,
        after: { dueAt: body.dueAt, opened: opened.length },
      });
    return { dueAt: body.dueAt, graduates, opened: opened.length };
  });
}

function present(row: FollowUpRow, publicBase: string): FollowUpItem {
  const link = `${publicBase}${followUpPath(row.token)}`;
  const phone = row.phone ? normalizePhone(row.phone) : null;
  const text = translator('id', 'outcomes')('followUps.whatsappText', {
    name: row.ownerName,
    program: row.programName,
    link,
  });
  return {
    id: row.id,
    applicationId: row.applicationId,
    businessId: row.businessId,
    businessName: row.businessName,
    ownerName: row.ownerName,
    kecamatan: row.kecamatan,
    dueAt: row.dueAt,
    link,
    whatsappUrl: phone?.ok ? whatsappLink(phone.value, text) : null,
    answers: row.answer,
    answerCount: row.answerCount,
  };
}

export async function listFollowUps(ctx: AppContext, actor: Actor, programId: string, publicBase: string) {
  await getProgramItem(ctx, programId);
  const rows = await listFollowUpRows(ctx.db, programId, kecamatanScope(actor));
  return { items: rows.map((row) => present(row, publicBase)) };
}

async function checkSales(ctx: AppContext, followUpId: string, salesLastMonth: number, confirmed: boolean) {
  if (confirmed) return;
  const recorded = await getRecordedTurnover(ctx.db, followUpId);
  if (isImplausibleSales(salesLastMonth, recorded))
    fail('follow_up_sales_implausible', { field: 'salesLastMonth', annualCeiling: salesCeiling(recorded) });
}

const answerValues = (body: PublicFollowUpAnswer) => ({
  salesLastMonth: body.salesLastMonth,
  workers: body.workers,
  stillProducing: body.stillProducing,
  channels: body.channels,
  aidInUse: body.aidInUse,
  aidNotUsedReason: body.aidInUse === false ? body.aidNotUsedReason || null : null,
  remark: body.remark || null,
});

// An officer records what a graduate said on the phone or on a visit.
export async function answerFollowUp(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: FollowUpAnswerBody,
  publicBase: string,
): Promise<FollowUpItem> {
  const row = await getFollowUpRow(ctx.db, id);
  if (!row || !reachesFollowUp(actor, row)) return fail('not_found');
  await checkSales(ctx, id, body.salesLastMonth, body.confirmed);
  await ctx.db.transaction(async (tx) => {
    const answerId = await insertFollowUpAnswer(tx, {
      followUpId: id,
      ...answerValues(body),
      source: body.source,
      recordedBy: actor.userId,
    });
    await recordChange(tx, actor, {
      action: 'answer',
      entity: 'follow_up',
      entityId: id,
      after: { answerId, source: body.source, salesLastMonth: body.salesLastMonth, workers: body.workers },
    });
  });
  const updated = (await getFollowUpRow(ctx.db, id)) ?? fail('not_found');
  return present(updated, publicBase);
}

const reachesFollowUp = (actor: Actor, row: FollowUpRow) =>
  kecamatanScope(actor) === null || reachesKecamatan(actor, row.kecamatan);

// ---- the graduate's own page ----

export type PublicFollowUp = {
  programName: string;
  businessName: string;
  dueAt: string;
  answer: FollowUpRow['answer'];
};

export async function followUpByToken(ctx: AppContext, token: string): Promise<PublicFollowUp | null> {
  if (!followUpTokenPattern.test(token)) return null;
  const row = await getFollowUpByToken(ctx.db, token);
  if (!row) return null;
  return {
    programName: row.programName,
    businessName: row.businessName,
    dueAt: row.dueAt,
    answer: row.answer,
  };
}

export async function answerByToken(ctx: AppContext, token: string, body: PublicFollowUpAnswer) {
  const row = followUpTokenPattern.test(token) ? await getFollowUpByToken(ctx.db, token) : null;
  if (!row) return fail('not_found');
  await checkSales(ctx, row.id, body.salesLastMonth, body.confirmed);
  await ctx.db.transaction(async (tx) => {
    const answerId = await insertFollowUpAnswer(tx, {
      followUpId: row.id,
      ...answerValues(body),
      source: 'self',
    });
    await recordChange(tx, null, {
      action: 'answer',
      entity: 'follow_up',
      entityId: row.id,
      after: { answerId, source: 'self', salesLastMonth: body.salesLastMonth, workers: body.workers },
    });
  });
}
