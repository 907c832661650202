// Who holds a seat: status changes (each writes an application event and the audit log, in
// its transaction), seats and quotas, the waitlist, and the priority selection run.

import type { Tx } from '../../db/client.ts';
import type { applications } from '../../db/schema.ts';
import { classifyBusinessSize } from '../../domain/business-size.ts';
import { type EligibilityFacts, ownerAgeAt } from '../../domain/eligibility.ts';
import type { AppContext } from '../../lib/context.ts';
import { type ApplicationNotice, publish } from '../../lib/domain-events.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { allocateSeats, effectivePriorityRule, rankCandidates } from './priority.ts';
import {
  addEnrolled,
  addQuotaTaken,
  type EventInsert,
  getProgram,
  getProgramForUpdate,
  insertEvents,
  lockQuotas,
  lockSelectionCandidates,
  nextWaitlisted,
  releaseQuota,
  releaseSeat,
  setApplicationStatus,
  setStatusesAndRanks,
  takeSeat,
  takeSeatAndQuota,
} from './programs.queries.ts';
import type { EventKind, SelectionResult } from './programs.schema.ts';

type ApplicationRow = typeof applications.$inferSelect;
type ApplicationStatus = ApplicationRow['status'];

// ---- status changes: each writes an application event and the audit log, in its transaction ----

// The status token opens the public status page; it stays out of the audit log.
export function forAudit(row: ApplicationRow | null | undefined) {
  if (!row) return row;
  const { statusToken: _token, ...rest } = row;
  return rest;
}

export async function recordStatus(
  tx: Tx,
  actor: Actor | null,
  change: {
    action: string;
    kind: EventKind;
    before: ApplicationRow | null;
    after: ApplicationRow;
    note?: string | null;
  },
) {
  const inserted = await insertEvents(tx, [
    {
      applicationId: change.after.id,
      kind: change.kind,
      fromStatus: change.before?.status ?? null,
      toStatus: change.after.status,
      actorId: actor?.userId ?? null,
      note: change.note ?? null,
    },
  ]);
  await publish(tx, { type: 'application.status', items: noticesOf(inserted) });
  await recordChange(tx, actor, {
    action: change.action,
    entity: 'application',
    entityId: change.after.id,
    before: forAudit(change.before),
    after: forAudit(change.after),
  });
}

const noticesOf = (rows: { id: number; applicationId: string; kind: string }[]): ApplicationNotice[] =>
  rows.map((r) => ({ applicationId: r.applicationId, kind: r.kind, eventId: r.id }));

// A seat under both limits, or none: the program's capacity and, when the business's
// kecamatan has a quota, that quota; a full quota gives the seat back at once.
export async function takeSeatWithin(tx: Tx, programId: string, kecamatanCode: string | null) {
  if (kecamatanCode === null) return takeSeat(tx, programId);
  const taken = await takeSeatAndQuota(tx, programId, kecamatanCode);
  if (taken.seat && taken.limited && !taken.quota) {
    await releaseSeat(tx, programId);
    return false;
  }
  return taken.seat;
}

export async function releaseSeatWithin(tx: Tx, programId: string, kecamatanCode: string) {
  await releaseSeat(tx, programId);
  await releaseQuota(tx, programId, kecamatanCode);
}

export type PromotionReason = 'withdrawal' | 'no_show' | 'capacity' | 'quota';

export async function promoteNext(tx: Tx, actor: Actor | null, programId: string, reason: PromotionReason) {
  const next = await nextWaitlisted(tx, programId);
  if (!next || !(await takeSeatWithin(tx, programId, next.kecamatanCode))) return null;
  const promoted = await setApplicationStatus(tx, next.application.id, 'enrolled');
  await recordStatus(tx, actor, {
    action: 'promote',
    kind: 'promoted',
    before: next.application,
    after: promoted,
    note: reason,
  });
  return promoted;
}

export async function fillFromWaitlist(
  tx: Tx,
  actor: Actor | null,
  programId: string,
  reason: PromotionReason,
) {
  while (await promoteNext(tx, actor, programId, reason)) {}
}

type CandidateRow = Awaited<ReturnType<typeof lockSelectionCandidates>>[number];

// The facts a priority rule orders by, from the columns read with the locked candidates.
// They mean what getEligibilityFacts (businesses service) means; a test holds the two equal.
export function candidateFacts(row: Pick<CandidateRow, 'business' | 'owner'>, on: string): EligibilityFacts {
  const { business: b, owner: o } = row;
  return {
    kecamatan: b.kecamatanCode,
    kelurahan: b.regionCode.length > 8 ? b.regionCode : null,
    kbli: b.kbli,
    size: classifyBusinessSize({ annualTurnover: b.annualTurnover, capital: b.capital }),
    covidImpacted: b.covidImpacted,
    annualTurnover: b.annualTurnover,
    workers: b.workers,
    status: b.status,
    ownerAge: o.birthDate ? ownerAgeAt(o.birthDate, on) : null,
    ownerSex: o.sex,
  };
}

// Priority selection in one transaction and one pass: lock the program row, its quotas and
// every pending or waitlisted application (with its facts, in one query); rank them by the
// program's rule; give the free seats in rank order within the quotas; write the seats, the
// quotas, every status and rank, and the events in a few statements. Waitlisted applications
// are ranked again with the new ones, so running it twice is safe and fills freed seats.
export async function runSelection(
  ctx: AppContext,
  actor: Actor,
  programId: string,
): Promise<SelectionResult> {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (program.program.selection !== 'priority')
    fail('validation_failed', { field: 'selection' }, 'Only a priority program runs a selection.');
  return ctx.db.transaction(async (tx) => {
    const p = (await getProgramForUpdate(tx, programId)) ?? fail('not_found');
    const quotas = await lockQuotas(tx, programId);
    const rows = await lockSelectionCandidates(tx, programId);
    // The rows come in stored-time order (created_at, id): their index is the arrival.
    const candidates = rows.map((r, arrival) => ({
      id: r.application.id,
      arrival,
      facts: candidateFacts(r, p.startDate),
      row: r.application,
    }));
    const ranked = rankCandidates(effectivePriorityRule(p), candidates);
    const quotaLeft = new Map(quotas.map((q) => [q.kecamatanCode, q.quota - q.taken]));
    const winners = allocateSeats(ranked, { free: p.capacity - p.enrolledCount, quotaLeft });

    await addEnrolled(tx, programId, winners.size);
    const taken = new Map<string, number>();
    for (const c of ranked) {
      const kecamatan = c.facts.kecamatan;
      if (winners.has(c.id) && kecamatan !== null && quotaLeft.has(kecamatan))
        taken.set(kecamatan, (taken.get(kecamatan) ?? 0) + 1);
    }
    for (const [kecamatan, n] of taken) await addQuotaTaken(tx, programId, kecamatan, n);

    const updates = ranked.map((c, i) => ({
      id: c.id,
      status: (winners.has(c.id) ? 'enrolled' : 'waitlisted') as ApplicationStatus,
      score: i + 1,
      from: c.row.status,
    }));
    await setStatusesAndRanks(tx, updates);
    const changed = updates.filter((u) => u.status !== u.from);
    const events: EventInsert[] = changed.map((u) => ({
      applicationId: u.id,
      kind: u.status === 'enrolled' ? 'selected' : 'waitlisted',
      fromStatus: u.from,
      toStatus: u.status,
      actorId: actor.userId,
      note: null,
    }));
    await publish(tx, { type: 'application.status', items: noticesOf(await insertEvents(tx, events)) });
    for (const u of changed) {
      await recordChange(tx, actor, {
        action: 'select',
        entity: 'application',
        entityId: u.id,
        before: { status: u.from },
        after: { status: u.status, rank: u.score },
      });
    }
    return { enrolled: winners.size, waitlisted: ranked.length - winners.size, ranked: ranked.length };
  });
}
