import { randomBytes } from 'node:crypto';
import { mayAccess, type RegistryScope, registryScope, requireAccess } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { applications, programQuotas, programs } from '../../db/schema.ts';
import { classifyBusinessSize } from '../../domain/business-size.ts';
import {
  describeRule,
  type EligibilityFacts,
  eligibilityFields,
  evaluateEligibility,
  ownerAgeAt,
  validateRule,
} from '../../domain/eligibility.ts';
import { maskNik } from '../../domain/nik.ts';
import { ruleLimitBreach } from '../../domain/rule-limits.ts';
import type { AppContext } from '../../lib/context.ts';
import { checkViolation, fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getEligibilityFacts } from '../businesses/businesses.service.ts';

type BusinessScope = RegistryScope;

import { exclusionFactsFor } from '../exclusions/exclusions.service.ts';
import { allocateSeats, rankCandidates } from './priority.ts';
import {
  addEnrolled,
  addQuotaTaken,
  countApplicationsByStatus,
  countCompletedOf,
  countSeatsByKecamatan,
  type EventInsert,
  getApplication,
  getApplicationByToken,
  getApplicationOf,
  getApplicationWithKecamatanForUpdate,
  getOrganisationName as getOrganisationNameRow,
  getProgram,
  getProgramForUpdate,
  insertApplication,
  insertEvents,
  insertProgram,
  listApplications as listApplicationRows,
  listApplicationsOfBusiness as listApplicationsOfBusinessRows,
  listEvents as listEventRows,
  listPrograms as listProgramRows,
  listQuotas,
  listValidCertificatesOfApplications,
  lockQuotas,
  lockSelectionCandidates,
  markCompletedRows,
  nextWaitlisted,
  releaseQuota,
  releaseSeat,
  replaceQuotas,
  setApplicationStatus,
  setProgramArchived,
  setStatusesAndRanks,
  setStatusToken,
  takeSeat,
  takeSeatAndQuota,
  unrankedKey,
  updateProgram as updateProgramRow,
  waitlistPosition,
} from './programs.queries.ts';
import {
  type Application,
  type ApplicationEvent,
  type ApplicationSource,
  type CreateProgramBody,
  defaultPriorityRule,
  type EventKind,
  type PriorityCriterion,
  type Program,
  priorityRule,
  type Quota,
  type QuotaInput,
  type SelectionResult,
  type UpdateProgramBody,
} from './programs.schema.ts';

type ProgramRow = typeof programs.$inferSelect;
type ApplicationRow = typeof applications.$inferSelect;
type QuotaRow = typeof programQuotas.$inferSelect;
type ApplicationStatus = ApplicationRow['status'];
type Counts = { waitlisted: number; completed: number };

// 144 random bits, URL-safe: the status link is the only key to the status page.
const newStatusToken = () => randomBytes(18).toString('base64url');
export const statusPathOf = (token: string | null) => (token ? `/status/${token}` : null);

export function effectivePriorityRule(row: Pick<ProgramRow, 'priorityRule'>): PriorityCriterion[] {
  const parsed = priorityRule.safeParse(row.priorityRule);
  return parsed.success ? parsed.data : defaultPriorityRule;
}

function presentQuotas(ctx: AppContext, rows: QuotaRow[]): Quota[] {
  return rows.map((q) => ({
    kecamatan: q.kecamatanCode,
    kecamatanName: ctx.regions.get(q.kecamatanCode)?.name ?? null,
    quota: q.quota,
    taken: q.taken,
  }));
}

function presentProgram(
  ctx: AppContext,
  row: ProgramRow,
  organisationName: string,
  counts: Counts,
  quotas: QuotaRow[],
): Program {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    description: row.description,
    capacity: row.capacity,
    enrolled: row.enrolledCount,
    waitlisted: counts.waitlisted,
    completed: counts.completed,
    selection: row.selection,
    startDate: row.startDate,
    endDate: row.endDate,
    venue: row.venue,
    // A rule past the limits (stored before they existed) cannot even be serialised safely:
    // it reads as null until an officer replaces it.
    eligibility: ruleLimitBreach(row.eligibility) ? null : row.eligibility,
    eligibilityDescription: describeRule(row.eligibility),
    minAttendanceRatio: row.minAttendanceRatio,
    hours: row.hours,
    organisation: { id: row.organisationId, name: organisationName },
    quotas: presentQuotas(ctx, quotas),
    priorityRule: effectivePriorityRule(row),
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
  };
}

async function countsFor(db: DbOrTx, ids: string[]) {
  const counts = new Map<string, Counts>(ids.map((id) => [id, { waitlisted: 0, completed: 0 }]));
  for (const row of await countApplicationsByStatus(db, ids)) {
    const c = counts.get(row.programId)!;
    if (row.status === 'waitlisted') c.waitlisted = row.count;
    if (row.status === 'completed') c.completed = row.count;
  }
  return counts;
}

async function quotasFor(db: DbOrTx, ids: string[]) {
  const quotas = new Map<string, QuotaRow[]>(ids.map((id) => [id, []]));
  for (const row of await listQuotas(db, ids)) quotas.get(row.programId)?.push(row);
  return quotas;
}

function checkRule(rule: unknown) {
  const issues = validateRule(rule);
  if (issues.length > 0) fail('invalid_rule', issues);
}

function checkQuotas(ctx: AppContext, quotas: QuotaInput[], capacity: number) {
  for (const q of quotas) {
    if (ctx.regions.get(q.kecamatan)?.level !== 'kecamatan')
      fail('invalid_region', { field: 'quotas', value: q.kecamatan });
  }
  const sum = quotas.reduce((n, q) => n + q.quota, 0);
  if (sum > capacity)
    fail(
      'validation_failed',
      { field: 'quotas', sum, capacity },
      'The quotas add up to more than the capacity.',
    );
}

export function listEligibilityFields() {
  return eligibilityFields.map((f) => ({
    name: f.name,
    type: f.type,
    ...(f.values ? { values: [...f.values] } : {}),
  }));
}

export async function listPrograms(
  ctx: AppContext,
  filter: { type?: 'training' | 'aid' | 'promotion' | undefined; archived?: boolean | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listProgramRows(ctx.db, filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.program.startDate, r.program.id]);
  const ids = result.items.map((r) => r.program.id);
  const counts = await countsFor(ctx.db, ids);
  const quotas = await quotasFor(ctx.db, ids);
  return {
    items: result.items.map((r) =>
      presentProgram(
        ctx,
        r.program,
        r.organisationName,
        counts.get(r.program.id)!,
        quotas.get(r.program.id)!,
      ),
    ),
    nextCursor: result.nextCursor,
  };
}

export async function getProgramItem(ctx: AppContext, id: string) {
  const row = (await getProgram(ctx.db, id)) ?? fail('not_found');
  const counts = await countsFor(ctx.db, [id]);
  const quotas = await quotasFor(ctx.db, [id]);
  return presentProgram(ctx, row.program, row.organisationName, counts.get(id)!, quotas.get(id)!);
}

export async function createProgram(ctx: AppContext, actor: Actor, body: CreateProgramBody) {
  checkRule(body.eligibility);
  checkQuotas(ctx, body.quotas ?? [], body.capacity);
  const organisationId =
    (can(actor, 'actForAnyOrganisation') ? body.organisationId : undefined) ??
    actor.organisationId ??
    fail('forbidden');
  const program = await ctx.db.transaction(async (tx) => {
    const row = await insertProgram(tx, {
      organisationId,
      name: body.name,
      type: body.type,
      description: body.description ?? null,
      capacity: body.capacity,
      selection: body.selection,
      startDate: body.startDate,
      endDate: body.endDate,
      venue: body.venue ?? null,
      eligibility: body.eligibility ?? true,
      minAttendanceRatio: body.minAttendanceRatio,
      hours: body.hours ?? null,
      priorityRule: body.priorityRule ?? null,
    });
    const quotas = (body.quotas ?? []).map((q) => ({ kecamatanCode: q.kecamatan, quota: q.quota, taken: 0 }));
    await replaceQuotas(tx, row.id, quotas);
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'program',
      entityId: row.id,
      after: { ...row, quotas },
    });
    return row;
  });
  return getProgramItem(ctx, program.id);
}

// Archiving takes a program out of the lists and closes it to new applications; what it
// holds (applications, sessions, certificates, aid) stays, and it can be restored.
export async function setArchived(ctx: AppContext, actor: Actor, id: string, archived: boolean) {
  await ctx.db.transaction(async (tx) => {
    (await getProgramForUpdate(tx, id)) ?? fail('not_found');
    const changed = await setProgramArchived(tx, id, archived);
    if (!changed) return;
    await recordChange(tx, actor, {
      action: archived ? 'archive' : 'unarchive',
      entity: 'program',
      entityId: id,
      after: { archivedAt: changed.archivedAt },
    });
  });
  return getProgramItem(ctx, id);
}

export async function updateProgram(ctx: AppContext, actor: Actor, id: string, body: UpdateProgramBody) {
  if (body.eligibility !== undefined) checkRule(body.eligibility);
  const { quotas, priorityRule: rule, ...fields } = body;
  try {
    await ctx.db.transaction(async (tx) => {
      // The program row first: every change to seats and quotas happens under this lock.
      const before = (await getProgramForUpdate(tx, id)) ?? fail('not_found');
      const quotasBefore = await lockQuotas(tx, id);
      const after = (await updateProgramRow(tx, id, {
        ...fields,
        ...(rule === undefined ? {} : { priorityRule: rule }),
      }))!;
      let quotasAfter = quotasBefore;
      if (quotas !== undefined) {
        checkQuotas(ctx, quotas, after.capacity);
        // `taken` is recounted from the seats held, so a quota added later starts true.
        const held = new Map((await countSeatsByKecamatan(tx, id)).map((r) => [r.kecamatanCode, r.count]));
        const rows = quotas.map((q) => ({
          programId: id,
          kecamatanCode: q.kecamatan,
          quota: q.quota,
          taken: held.get(q.kecamatan) ?? 0,
        }));
        const over = rows.find((q) => q.taken > q.quota);
        if (over)
          fail('capacity_below_enrolled', {
            field: 'quotas',
            kecamatan: over.kecamatanCode,
            taken: over.taken,
          });
        await replaceQuotas(tx, id, rows);
        quotasAfter = rows;
      } else if (after.capacity < before.capacity) {
        checkQuotas(
          ctx,
          quotasBefore.map((q) => ({ kecamatan: q.kecamatanCode, quota: q.quota })),
          after.capacity,
        );
      }
      await recordChange(tx, actor, {
        action: 'update',
        entity: 'program',
        entityId: id,
        // a stored rule past the limits would overflow the log's JSON; its size is logged instead
        before: {
          ...before,
          ...(ruleLimitBreach(before.eligibility) ? { eligibility: { tooLarge: true } } : {}),
          quotas: quotasBefore,
        },
        after: { ...after, quotas: quotasAfter },
      });
      // More seats, or looser quotas: the waitlist moves up at once.
      if (after.capacity > before.capacity || quotas !== undefined)
        await fillFromWaitlist(tx, actor, id, after.capacity > before.capacity ? 'capacity' : 'quota');
    });
  } catch (error) {
    const constraint = checkViolation(error);
    if (constraint === 'programs_enrolled_within_capacity') return fail('capacity_below_enrolled');
    if (constraint === 'program_quotas_within') return fail('capacity_below_enrolled', { field: 'quotas' });
    if (constraint === 'programs_dates') return fail('validation_failed', { field: 'endDate' });
    throw error;
  }
  return getProgramItem(ctx, id);
}

export async function checkEligibility(ctx: AppContext, actor: Actor, programId: string, businessId: string) {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  await requireAccess(ctx, actor, 'readBusinesses', [businessId], { field: 'businessId' });
  const facts = await factsFor(ctx, businessId, program.program.startDate);
  return explainEligibility(program.program.eligibility, facts);
}

// The registry's facts plus the exclusion lists the owner's NIK is on: a rule that excludes
// civil servants or the deceased must never be judged without them.
async function factsFor(ctx: AppContext, businessId: string, on: string): Promise<EligibilityFacts> {
  const facts =
    (await getEligibilityFacts(ctx, businessId, on)) ?? fail('not_found', { field: 'businessId' });
  return { ...facts, exclusions: await exclusionFactsFor(ctx, businessId) };
}

function explainEligibility(rule: unknown, facts: Parameters<typeof evaluateEligibility>[1]) {
  // a stored rule that no longer passes (stored before a limit existed) is a 422, not a crash
  checkRule(rule);
  const result = evaluateEligibility(rule, facts);
  const descriptions = describeRule(rule);
  return {
    eligible: result.eligible,
    clauses: result.clauses.map((c, i) => ({
      ...c,
      description: descriptions[i] ?? { field: '', op: 'complex', values: [c.rule] },
    })),
  };
}

// ---- status changes: each writes an application event and the audit log, in its transaction ----

// The status token opens the public status page; it stays out of the audit log.
function forAudit(row: ApplicationRow | null | undefined) {
  if (!row) return row;
  const { statusToken: _token, ...rest } = row;
  return rest;
}

async function recordStatus(
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
  await insertEvents(tx, [
    {
      applicationId: change.after.id,
      kind: change.kind,
      fromStatus: change.before?.status ?? null,
      toStatus: change.after.status,
      actorId: actor?.userId ?? null,
      note: change.note ?? null,
    },
  ]);
  await recordChange(tx, actor, {
    action: change.action,
    entity: 'application',
    entityId: change.after.id,
    before: forAudit(change.before),
    after: forAudit(change.after),
  });
}

const outcomeKind: Record<'pending' | 'ineligible' | 'enrolled' | 'waitlisted', EventKind> = {
  pending: 'applied',
  ineligible: 'ineligible',
  enrolled: 'enrolled',
  waitlisted: 'waitlisted',
};

// A seat under both limits, or none: the program's capacity and, when the business's
// kecamatan has a quota, that quota; a full quota gives the seat back at once.
async function takeSeatWithin(tx: Tx, programId: string, kecamatanCode: string | null) {
  if (kecamatanCode === null) return takeSeat(tx, programId);
  const taken = await takeSeatAndQuota(tx, programId, kecamatanCode);
  if (taken.seat && taken.limited && !taken.quota) {
    await releaseSeat(tx, programId);
    return false;
  }
  return taken.seat;
}

async function releaseSeatWithin(tx: Tx, programId: string, kecamatanCode: string) {
  await releaseSeat(tx, programId);
  await releaseQuota(tx, programId, kecamatanCode);
}

export type Submitted = {
  id: string;
  status: ApplicationStatus;
  statusToken: string;
  alreadyApplied: boolean;
};

// Applies a business to a program: by an officer, by its owner, or through the public form
// (actor null). With `returnExisting`, an open application of the business is answered with
// its status link instead of `already_applied` (the public form: its applicant has proven
// NIK and phone, and may have lost the link).
export async function submitApplication(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  businessId: string,
  source: ApplicationSource,
  options: { returnExisting?: boolean } = {},
): Promise<Submitted> {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (program.program.archivedAt) fail('program_archived');
  const facts = await factsFor(ctx, businessId, program.program.startDate);
  const eligibility = explainEligibility(program.program.eligibility, facts);
  const failed = eligibility.clauses.filter((c) => !c.passed);

  try {
    return await ctx.db.transaction(async (tx): Promise<Submitted> => {
      const existing = await getApplicationOf(tx, programId, businessId);
      // A corrected record may apply again after being found ineligible, or after withdrawing.
      if (existing && existing.status !== 'ineligible' && existing.status !== 'withdrawn') {
        if (!options.returnExisting) return fail('already_applied');
        let token = existing.statusToken;
        if (!token) {
          token = newStatusToken();
          await setStatusToken(tx, existing.id, token);
        }
        return { id: existing.id, status: existing.status, statusToken: token, alreadyApplied: true };
      }
      const status = !eligibility.eligible
        ? 'ineligible'
        : program.program.selection === 'priority'
          ? 'pending'
          : (await takeSeatWithin(tx, programId, facts.kecamatan))
            ? 'enrolled'
            : 'waitlisted';
      const appliedBy = actor?.userId ?? null;
      const row = existing
        ? await setApplicationStatus(tx, existing.id, status, {
            reasons: failed,
            source,
            appliedBy,
            score: null,
            ...(existing.statusToken ? {} : { statusToken: newStatusToken() }),
          })
        : await insertApplication(tx, {
            programId,
            businessId,
            status,
            reasons: failed,
            appliedBy,
            source,
            statusToken: newStatusToken(),
          });
      await recordStatus(tx, actor, {
        action: existing ? 'reapply' : 'create',
        kind: outcomeKind[status],
        before: existing,
        after: row,
      });
      return { id: row.id, status: row.status, statusToken: row.statusToken!, alreadyApplied: false };
    });
  } catch (error) {
    if (uniqueViolation(error) === 'applications_program_business_key') return fail('already_applied');
    throw error;
  }
}

export async function apply(ctx: AppContext, actor: Actor, programId: string, businessId: string) {
  await requireAccess(ctx, actor, 'readBusinesses', [businessId], { field: 'businessId' });
  const source = can(actor, 'applyOnBehalf') ? 'officer' : 'owner';
  const { id } = await submitApplication(ctx, actor, programId, businessId, source);
  return getApplicationItem(ctx, id);
}

export type PromotionReason = 'withdrawal' | 'no_show' | 'capacity' | 'quota';

async function promoteNext(tx: Tx, actor: Actor | null, programId: string, reason: PromotionReason) {
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

async function fillFromWaitlist(tx: Tx, actor: Actor | null, programId: string, reason: PromotionReason) {
  while (await promoteNext(tx, actor, programId, reason)) {}
}

// Leaving a program (withdrawal by the owner or an officer, or a no-show marked by the
// program officer) gives back the seat and its quota, and the waitlist moves up in the same
// transaction. Locks: the application, then the program row (as an application does).
async function leave(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  how: {
    from: readonly ApplicationStatus[];
    to: ApplicationStatus;
    kind: EventKind;
    action: string;
    reason: PromotionReason;
  },
) {
  const found = (await getApplication(ctx.db, applicationId)) ?? fail('not_found');
  await requireAccess(ctx, actor, 'readBusinesses', [found.businessId]);
  await ctx.db.transaction(async (tx) => {
    const locked = (await getApplicationWithKecamatanForUpdate(tx, applicationId)) ?? fail('not_found');
    const before = locked.application;
    if (!how.from.includes(before.status)) fail('application_closed', { status: before.status });
    const after = await setApplicationStatus(tx, applicationId, how.to);
    await recordStatus(tx, actor, { action: how.action, kind: how.kind, before, after });
    if (before.status === 'enrolled') {
      await releaseSeatWithin(tx, before.programId, locked.kecamatanCode);
      await promoteNext(tx, actor, before.programId, how.reason);
    }
  });
  return getApplicationItem(ctx, applicationId);
}

export function withdraw(ctx: AppContext, actor: Actor, applicationId: string) {
  return leave(ctx, actor, applicationId, {
    from: ['enrolled', 'waitlisted', 'pending'],
    to: 'withdrawn',
    kind: 'withdrawn',
    action: 'withdraw',
    reason: 'withdrawal',
  });
}

export function markNoShow(ctx: AppContext, actor: Actor, applicationId: string) {
  return leave(ctx, actor, applicationId, {
    from: ['enrolled'],
    to: 'dropped',
    kind: 'no_show',
    action: 'no_show',
    reason: 'no_show',
  });
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
    await insertEvents(tx, events);
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

function presentApplication(
  ctx: AppContext,
  row: Awaited<ReturnType<typeof listApplicationRows>>[number],
  codes: Map<string, string>,
): Application {
  const a = row.application;
  return {
    id: a.id,
    programId: a.programId,
    businessId: a.businessId,
    status: a.status,
    source: a.source,
    rank: a.score,
    statusPath: statusPathOf(a.statusToken),
    reasons: a.reasons as Application['reasons'],
    business: {
      name: row.businessName,
      ownerName: row.ownerName,
      kecamatan: row.kecamatanCode,
      kecamatanName: ctx.regions.get(row.kecamatanCode)?.name ?? null,
      kelurahanName: row.regionCode.length > 8 ? (ctx.regions.get(row.regionCode)?.name ?? null) : null,
    },
    certificateCode: codes.get(a.id) ?? null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  filter: { status?: ApplicationRow['status'] | undefined; order?: 'applied' | 'rank' },
  page: { limit: number; cursor?: string | undefined },
) {
  (await getProgram(ctx.db, programId)) ?? fail('not_found');
  const scope = registryScope(actor);
  const byRank = filter.order === 'rank';
  const after = decodeCursor(page.cursor, byRank ? 3 : 2);
  const rows = await listApplicationRows(
    ctx.db,
    { programId, status: filter.status, kecamatanCode: scope.kecamatanCode, ownerId: scope.ownerId },
    { limit: page.limit, after, orderByRank: byRank },
  );
  const result = pageOf(rows, page.limit, (r) =>
    byRank
      ? [r.application.score ?? unrankedKey, r.cursorAt, r.application.id]
      : [r.cursorAt, r.application.id],
  );
  const codes = await certificateCodesFor(
    ctx,
    result.items.map((r) => r.application.id),
  );
  return { items: result.items.map((r) => presentApplication(ctx, r, codes)), nextCursor: result.nextCursor };
}

export async function getApplicationItem(ctx: AppContext, applicationId: string) {
  const [row] = await listApplicationRows(ctx.db, { applicationId }, { limit: 1, after: null });
  if (!row) return fail('not_found');
  // Only a completed application has a certificate.
  const codes =
    row.application.status === 'completed' ? await certificateCodesFor(ctx, [applicationId]) : new Map();
  return presentApplication(ctx, row, codes);
}

function presentEvent(row: Awaited<ReturnType<typeof listEventRows>>[number]): ApplicationEvent {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind as EventKind,
    fromStatus: row.fromStatus as ApplicationStatus | null,
    toStatus: row.toStatus as ApplicationStatus | null,
    actorId: row.actorId,
    note: row.note,
  };
}

// The history of one application, for the owner of the business and the officers who may
// see it (a kecamatan officer: its kecamatan only).
export async function listApplicationEvents(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  const found = (await getApplication(ctx.db, applicationId)) ?? fail('not_found');
  await requireAccess(ctx, actor, 'readBusinesses', [found.businessId]);
  const after = decodeCursor(page.cursor, 1);
  const rows = await listEventRows(ctx.db, applicationId, {
    limit: page.limit,
    after: after ? Number(after[0]) : null,
  });
  const result = pageOf(rows, page.limit, (r) => [r.id]);
  return { items: result.items.map(presentEvent), nextCursor: result.nextCursor };
}

// What the public status page shows: the program, the status, the place on the waitlist, the
// fields that failed, and the history without actors. Nothing about the person.
export async function getPublicApplicationStatus(ctx: AppContext, token: string) {
  const row = await getApplicationByToken(ctx.db, token);
  if (!row) return null;
  const a = row.application;
  const events = await listEventRows(ctx.db, a.id, { limit: 200, after: null });
  const failedFields = [
    ...new Set(
      (a.reasons as { description?: { field?: string } }[])
        .map((r) => r.description?.field ?? '')
        .filter((f) => f !== ''),
    ),
  ];
  return {
    program: row.program,
    status: a.status,
    appliedAt: a.createdAt,
    waitlistPosition: a.status === 'waitlisted' ? await waitlistPosition(ctx.db, a) : null,
    failedCriteria: a.status === 'ineligible' ? failedFields : [],
    events: events.slice(0, 200).map((e) => ({
      at: e.at,
      kind: e.kind as EventKind,
      fromStatus: e.fromStatus as ApplicationStatus | null,
      toStatus: e.toStatus as ApplicationStatus | null,
      note: e.note,
    })),
  };
}

export type PublicApplicationStatus = NonNullable<Awaited<ReturnType<typeof getPublicApplicationStatus>>>;

// ---- for other modules (training, aid, businesses) ----

export async function getProgramRow(ctx: AppContext, programId: string) {
  return (await getProgram(ctx.db, programId))?.program ?? null;
}

export async function getOrganisationName(ctx: AppContext, organisationId: string) {
  return (await getOrganisationNameRow(ctx.db, organisationId)) ?? '';
}

function toParticipant(ctx: AppContext, row: Awaited<ReturnType<typeof listApplicationRows>>[number]) {
  return {
    applicationId: row.application.id,
    programId: row.application.programId,
    businessId: row.application.businessId,
    status: row.application.status as 'enrolled' | 'completed',
    businessName: row.businessName,
    ownerName: row.ownerName,
    ownerNik: row.ownerNik,
    ownerNikMasked: maskNik(row.ownerNik),
    ownerSex: row.ownerSex,
    ownerPhone: row.ownerPhone,
    kelurahanName: row.regionCode.length > 8 ? (ctx.regions.get(row.regionCode)?.name ?? null) : null,
    kecamatanName: ctx.regions.get(row.kecamatanCode)?.name ?? null,
  };
}

export type Participant = ReturnType<typeof toParticipant>;

// The enrolled and completed participants of a program, within `scope` (a kecamatan officer's
// kecamatan: attendance, cards, completion and the daftar hadir are scoped like applications).
export async function listParticipants(ctx: AppContext, programId: string, scope: BusinessScope = {}) {
  const rows = await listApplicationRows(
    ctx.db,
    {
      programId,
      statuses: ['enrolled', 'completed'],
      kecamatanCode: scope.kecamatanCode,
      ownerId: scope.ownerId,
    },
    { limit: 100_000, after: null, orderByOwner: true },
  );
  return rows.map((r) => toParticipant(ctx, r));
}

export async function getParticipant(ctx: AppContext, applicationId: string, scope: BusinessScope = {}) {
  const [row] = await listApplicationRows(
    ctx.db,
    {
      applicationId,
      statuses: ['enrolled', 'completed'],
      kecamatanCode: scope.kecamatanCode,
      ownerId: scope.ownerId,
    },
    { limit: 1, after: null },
  );
  return row ? toParticipant(ctx, row) : null;
}

// Whether the actor may see the application (its business in the actor's scope), whatever its status.
export async function canActorSeeApplication(ctx: AppContext, actor: Actor, applicationId: string) {
  const found = await getApplication(ctx.db, applicationId);
  return found !== null && (await mayAccess(ctx, actor, 'readBusinesses', [found.businessId]));
}

export async function markCompleted(tx: Tx, actor: Actor, applicationIds: string[]) {
  const rows = await markCompletedRows(tx, applicationIds);
  await insertEvents(
    tx,
    rows.map((row) => ({
      applicationId: row.id,
      kind: 'completed',
      fromStatus: 'enrolled',
      toStatus: row.status,
      actorId: actor.userId,
    })),
  );
  for (const row of rows) {
    await recordChange(tx, actor, {
      action: 'complete',
      entity: 'application',
      entityId: row.id,
      before: { status: 'enrolled' },
      after: { status: row.status },
    });
  }
  return rows.length;
}

// Certificates are training's, but an application shows its code wherever it is listed:
// programs reads the valid ones itself (programs.queries), so programs does not import training.
export async function certificateCodesFor(
  ctx: AppContext,
  applicationIds: string[],
): Promise<Map<string, string>> {
  const rows = await listValidCertificatesOfApplications(ctx.db, [...new Set(applicationIds)]);
  return new Map(rows.map((r) => [r.applicationId, r.code]));
}

export async function hasCompleted(ctx: AppContext, businessId: string, programId: string) {
  return (await countCompletedOf(ctx.db, businessId, programId)) > 0;
}

export async function listApplicationsOfBusiness(ctx: AppContext, businessId: string) {
  const rows = await listApplicationsOfBusinessRows(ctx.db, businessId);
  const codes = await certificateCodesFor(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, certificateCode: codes.get(r.id) ?? null }));
}
