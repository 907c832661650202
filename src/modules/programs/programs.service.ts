import type { DbOrTx, Tx } from '../../db/client.ts';
import type { applications, programs } from '../../db/schema.ts';
import {
  describeRule,
  eligibilityFields,
  evaluateEligibility,
  validateRule,
} from '../../domain/eligibility.ts';
import { maskNik } from '../../domain/nik.ts';
import type { AppContext } from '../../lib/context.ts';
import { checkViolation, fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { canActorSeeBusiness, getEligibilityFacts, scopeFor } from '../businesses/businesses.service.ts';
import { certificateCodesFor } from '../training/training.service.ts';
import {
  countApplicationsByStatus,
  countCompletedOf,
  getApplication,
  getApplicationForUpdate,
  getApplicationOf,
  getOrganisationName as getOrganisationNameRow,
  getProgram,
  getProgramForUpdate,
  insertApplication,
  insertProgram,
  listApplications as listApplicationRows,
  listApplicationsOfBusiness as listApplicationsOfBusinessRows,
  listPendingApplications,
  listPrograms as listProgramRows,
  markCompletedRows,
  nextWaitlisted,
  releaseSeat,
  setApplicationStatus,
  takeSeat,
  updateProgram as updateProgramRow,
} from './programs.queries.ts';
import type { Application, CreateProgramBody, Program, UpdateProgramBody } from './programs.schema.ts';

type ProgramRow = typeof programs.$inferSelect;
type ApplicationRow = typeof applications.$inferSelect;
type Counts = { waitlisted: number; completed: number };

function presentProgram(row: ProgramRow, organisationName: string, counts: Counts): Program {
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
    eligibility: row.eligibility,
    eligibilityDescription: describeRule(row.eligibility),
    minAttendanceRatio: row.minAttendanceRatio,
    hours: row.hours,
    organisation: { id: row.organisationId, name: organisationName },
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

function checkRule(rule: unknown) {
  const issues = validateRule(rule);
  if (issues.length > 0) fail('invalid_rule', issues);
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
  filter: { type?: 'training' | 'aid' | 'promotion' | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listProgramRows(ctx.db, filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.program.startDate, r.program.id]);
  const counts = await countsFor(
    ctx.db,
    result.items.map((r) => r.program.id),
  );
  return {
    items: result.items.map((r) => presentProgram(r.program, r.organisationName, counts.get(r.program.id)!)),
    nextCursor: result.nextCursor,
  };
}

export async function getProgramItem(ctx: AppContext, id: string) {
  const row = (await getProgram(ctx.db, id)) ?? fail('not_found');
  const counts = await countsFor(ctx.db, [id]);
  return presentProgram(row.program, row.organisationName, counts.get(id)!);
}

export async function createProgram(ctx: AppContext, actor: Actor, body: CreateProgramBody) {
  checkRule(body.eligibility);
  const organisationId =
    (actor.role === 'admin' ? body.organisationId : undefined) ?? actor.organisationId ?? fail('forbidden');
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
    });
    await recordChange(tx, actor, { action: 'create', entity: 'program', entityId: row.id, after: row });
    return row;
  });
  return getProgramItem(ctx, program.id);
}

export async function updateProgram(ctx: AppContext, actor: Actor, id: string, body: UpdateProgramBody) {
  if (body.eligibility !== undefined) checkRule(body.eligibility);
  try {
    await ctx.db.transaction(async (tx) => {
      const before = (await getProgramForUpdate(tx, id)) ?? fail('not_found');
      const after = (await updateProgramRow(tx, id, body))!;
      await recordChange(tx, actor, { action: 'update', entity: 'program', entityId: id, before, after });
      // More seats: the waitlist moves up at once.
      if (after.selection === 'first_come' && after.capacity > before.capacity)
        await fillFromWaitlist(tx, actor, id);
    });
  } catch (error) {
    const constraint = checkViolation(error);
    if (constraint === 'programs_enrolled_within_capacity') return fail('capacity_below_enrolled');
    if (constraint === 'programs_dates') return fail('validation_failed', { field: 'endDate' });
    throw error;
  }
  return getProgramItem(ctx, id);
}

export async function checkEligibility(ctx: AppContext, actor: Actor, programId: string, businessId: string) {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (!(await canActorSeeBusiness(ctx, actor, businessId))) fail('not_found', { field: 'businessId' });
  const facts =
    (await getEligibilityFacts(ctx, businessId, program.program.startDate)) ??
    fail('not_found', { field: 'businessId' });
  return explainEligibility(program.program.eligibility, facts);
}

function explainEligibility(rule: unknown, facts: Parameters<typeof evaluateEligibility>[1]) {
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

export async function apply(ctx: AppContext, actor: Actor, programId: string, businessId: string) {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (!(await canActorSeeBusiness(ctx, actor, businessId))) fail('not_found', { field: 'businessId' });
  const facts =
    (await getEligibilityFacts(ctx, businessId, program.program.startDate)) ??
    fail('not_found', { field: 'businessId' });
  const eligibility = explainEligibility(program.program.eligibility, facts);
  const failed = eligibility.clauses.filter((c) => !c.passed);

  try {
    const id = await ctx.db.transaction(async (tx) => {
      const existing = await getApplicationOf(tx, programId, businessId);
      // A corrected record may apply again after being found ineligible, or after withdrawing.
      if (existing && existing.status !== 'ineligible' && existing.status !== 'withdrawn')
        fail('already_applied');
      const status = !eligibility.eligible
        ? 'ineligible'
        : program.program.selection === 'priority'
          ? 'pending'
          : (await takeSeat(tx, programId))
            ? 'enrolled'
            : 'waitlisted';
      const row = existing
        ? await setApplicationStatus(tx, existing.id, status, failed)
        : await insertApplication(tx, {
            programId,
            businessId,
            status,
            reasons: failed,
            appliedBy: actor.userId,
          });
      await recordChange(tx, actor, {
        action: existing ? 'reapply' : 'create',
        entity: 'application',
        entityId: row.id,
        before: existing,
        after: row,
      });
      return row.id;
    });
    return getApplicationItem(ctx, id);
  } catch (error) {
    if (uniqueViolation(error) === 'applications_program_business_key') return fail('already_applied');
    throw error;
  }
}

async function promoteNext(tx: Tx, actor: Actor | null, programId: string) {
  const next = await nextWaitlisted(tx, programId);
  if (!next || !(await takeSeat(tx, programId))) return null;
  const promoted = await setApplicationStatus(tx, next.id, 'enrolled');
  await recordChange(tx, actor, {
    action: 'promote',
    entity: 'application',
    entityId: next.id,
    before: next,
    after: promoted,
  });
  return promoted;
}

async function fillFromWaitlist(tx: Tx, actor: Actor | null, programId: string) {
  while (await promoteNext(tx, actor, programId)) {}
}

export async function withdraw(ctx: AppContext, actor: Actor, applicationId: string) {
  const found = (await getApplication(ctx.db, applicationId)) ?? fail('not_found');
  if (!(await canActorSeeBusiness(ctx, actor, found.businessId))) fail('not_found');
  await ctx.db.transaction(async (tx) => {
    const before = (await getApplicationForUpdate(tx, applicationId)) ?? fail('not_found');
    if (!['enrolled', 'waitlisted', 'pending'].includes(before.status)) fail('application_closed');
    const after = await setApplicationStatus(tx, applicationId, 'withdrawn');
    await recordChange(tx, actor, {
      action: 'withdraw',
      entity: 'application',
      entityId: applicationId,
      before,
      after,
    });
    if (before.status === 'enrolled') {
      await releaseSeat(tx, before.programId);
      await promoteNext(tx, actor, before.programId);
    }
  });
  return getApplicationItem(ctx, applicationId);
}

// Priority selection: the seats go to the pending applications with the lowest annual
// turnover first, Covid-impacted first among equals, then by application time.
export async function runSelection(ctx: AppContext, actor: Actor, programId: string) {
  const program = (await getProgram(ctx.db, programId)) ?? fail('not_found');
  if (program.program.selection !== 'priority') fail('validation_failed', { field: 'selection' });
  const pendingIds = (
    await listApplicationRows(ctx.db, { programId, status: 'pending' }, { limit: 1_000_000, after: null })
  ).map((r) => r.application);
  const scored = await Promise.all(
    pendingIds.map(async (a) => ({
      a,
      facts: await getEligibilityFacts(ctx, a.businessId, program.program.startDate),
    })),
  );
  scored.sort(
    (x, y) =>
      (x.facts?.annualTurnover ?? Number.MAX_SAFE_INTEGER) -
        (y.facts?.annualTurnover ?? Number.MAX_SAFE_INTEGER) ||
      Number(y.facts?.covidImpacted ?? false) - Number(x.facts?.covidImpacted ?? false) ||
      x.a.createdAt.getTime() - y.a.createdAt.getTime(),
  );
  const order = new Map(scored.map((s, i) => [s.a.id, i]));
  return ctx.db.transaction(async (tx) => {
    const pending = (await listPendingApplications(tx, programId)).sort(
      (x, y) => (order.get(x.id) ?? 1e9) - (order.get(y.id) ?? 1e9),
    );
    let enrolled = 0;
    for (const a of pending) {
      const status = (await takeSeat(tx, programId)) ? 'enrolled' : 'waitlisted';
      if (status === 'enrolled') enrolled++;
      const after = await setApplicationStatus(tx, a.id, status);
      await recordChange(tx, actor, {
        action: 'select',
        entity: 'application',
        entityId: a.id,
        before: a,
        after,
      });
    }
    return { enrolled, waitlisted: pending.length - enrolled };
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
  filter: { status?: ApplicationRow['status'] | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  (await getProgram(ctx.db, programId)) ?? fail('not_found');
  const scope = scopeFor(actor);
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listApplicationRows(
    ctx.db,
    { programId, status: filter.status, kecamatanCode: scope.kecamatanCode, ownerId: scope.ownerId },
    { limit: page.limit, after },
  );
  const result = pageOf(rows, page.limit, (r) => [r.application.createdAt.toISOString(), r.application.id]);
  const codes = await certificateCodesFor(
    ctx,
    result.items.map((r) => r.application.id),
  );
  return { items: result.items.map((r) => presentApplication(ctx, r, codes)), nextCursor: result.nextCursor };
}

export async function getApplicationItem(ctx: AppContext, applicationId: string) {
  const [row] = await listApplicationRows(ctx.db, { applicationId }, { limit: 1, after: null });
  if (!row) return fail('not_found');
  return presentApplication(ctx, row, await certificateCodesFor(ctx, [applicationId]));
}

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

export async function listParticipants(ctx: AppContext, programId: string) {
  const rows = await listApplicationRows(
    ctx.db,
    { programId, statuses: ['enrolled', 'completed'] },
    { limit: 100_000, after: null, orderByOwner: true },
  );
  return rows.map((r) => toParticipant(ctx, r));
}

export async function getParticipant(ctx: AppContext, applicationId: string) {
  const [row] = await listApplicationRows(
    ctx.db,
    { applicationId, statuses: ['enrolled', 'completed'] },
    { limit: 1, after: null },
  );
  return row ? toParticipant(ctx, row) : null;
}

export async function markCompleted(tx: Tx, actor: Actor, applicationIds: string[]) {
  const rows = await markCompletedRows(tx, applicationIds);
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
