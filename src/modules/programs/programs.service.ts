import { mayAccess, type RegistryScope, requireAccess } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { applications, programQuotas, programs } from '../../db/schema.ts';
import {
  describeRule,
  type EligibilityFacts,
  eligibilityFields,
  evaluateEligibility,
  validateRule,
} from '../../domain/eligibility.ts';
import { maskNik } from '../../domain/nik.ts';
import { ruleLimitBreach } from '../../domain/rule-limits.ts';
import type { AppContext } from '../../lib/context.ts';
import { checkViolation, fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getEligibilityFacts } from '../businesses/businesses.service.ts';

type BusinessScope = RegistryScope;

import { exclusionFactsFor } from '../exclusions/exclusions.service.ts';
import { effectivePriorityRule } from './priority.ts';
import {
  countApplicationsByStatus,
  countCompletedOf,
  countSeatsByKecamatan,
  getApplication,
  getOrganisationName as getOrganisationNameRow,
  getProgram,
  getProgramForUpdate,
  insertEvents,
  insertProgram,
  listApplications as listApplicationRows,
  listApplicationsOfBusiness as listApplicationsOfBusinessRows,
  listPrograms as listProgramRows,
  listQuotas,
  listValidCertificatesOfApplications,
  listWaveLinks,
  lockQuotas,
  markCompletedRows,
  replaceQuotas,
  setProgramArchived,
  unmarkCompletedRow,
  updateProgram as updateProgramRow,
} from './programs.queries.ts';
import type { CreateProgramBody, Program, Quota, QuotaInput, UpdateProgramBody } from './programs.schema.ts';
import { fillFromWaitlist } from './selection.service.ts';

type ProgramRow = typeof programs.$inferSelect;
type ApplicationRow = typeof applications.$inferSelect;
type QuotaRow = typeof programQuotas.$inferSelect;
type Counts = { waitlisted: number; completed: number };
type Waves = { previousWave: WaveLink | null; nextWaves: WaveLink[] };
type WaveLink = { id: string; name: string };

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
  waves: Waves = { previousWave: null, nextWaves: [] },
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
    applicationDeadline: row.applicationDeadline,
    organisation: { id: row.organisationId, name: organisationName },
    quotas: presentQuotas(ctx, quotas),
    priorityRule: effectivePriorityRule(row),
    archivedAt: row.archivedAt,
    previousWave: waves.previousWave,
    nextWaves: waves.nextWaves,
    createdAt: row.createdAt,
  };
}

async function wavesFor(db: DbOrTx, ids: string[]) {
  const links = await listWaveLinks(db, ids);
  const byId = new Map(links.map((l) => [l.id, l]));
  return new Map<string, Waves>(
    ids.map((id) => {
      const previousId = byId.get(id)?.previousProgramId;
      const previous = previousId ? byId.get(previousId) : undefined;
      return [
        id,
        {
          previousWave: previous ? { id: previous.id, name: previous.name } : null,
          nextWaves: links.filter((l) => l.previousProgramId === id).map((l) => ({ id: l.id, name: l.name })),
        },
      ];
    }),
  );
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
  const waves = await wavesFor(ctx.db, ids);
  return {
    items: result.items.map((r) =>
      presentProgram(
        ctx,
        r.program,
        r.organisationName,
        counts.get(r.program.id)!,
        quotas.get(r.program.id)!,
        waves.get(r.program.id),
      ),
    ),
    nextCursor: result.nextCursor,
  };
}

export async function getProgramItem(ctx: AppContext, id: string) {
  const row = (await getProgram(ctx.db, id)) ?? fail('not_found');
  const counts = await countsFor(ctx.db, [id]);
  const quotas = await quotasFor(ctx.db, [id]);
  const waves = await wavesFor(ctx.db, [id]);
  return presentProgram(
    ctx,
    row.program,
    row.organisationName,
    counts.get(id)!,
    quotas.get(id)!,
    waves.get(id),
  );
}

// "Pelatihan Rotan" → "Pelatihan Rotan Gelombang 2"; "… Gelombang 2" → "… Gelombang 3".
export function nextWaveName(name: string) {
  const m = /^(.*?)\s*(?:[-–—(]\s*)?Gelombang\s+(\d+)\)?\s*$/i.exec(name);
  if (m) return `${m[1]} Gelombang ${Number(m[2]) + 1}`;
  return `${name} Gelombang 2`;
}

const dayMs = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

// A program copied as its next wave (gelombang): its rule, quotas, capacity, selection, venue and
// hours, starting on `startDate` and lasting as long; linked to the wave it came from. The
// sessions are the training module's: the route moves them by `offsetDays`.
export async function copyProgramAsWave(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { startDate: string; name?: string | undefined },
) {
  const source = (await getProgram(ctx.db, id)) ?? fail('not_found');
  const p = source.program;
  const offsetDays = Math.round((Date.parse(body.startDate) - Date.parse(p.startDate)) / dayMs);
  const quotas = (await listQuotas(ctx.db, [id])).map((q) => ({
    kecamatanCode: q.kecamatanCode,
    quota: q.quota,
    taken: 0,
  }));
  const copy = await ctx.db.transaction(async (tx) => {
    const row = await insertProgram(tx, {
      organisationId: p.organisationId,
      name: body.name ?? nextWaveName(p.name),
      type: p.type,
      description: p.description,
      capacity: p.capacity,
      selection: p.selection,
      startDate: body.startDate,
      endDate: addDays(p.endDate, offsetDays),
      venue: p.venue,
      eligibility: p.eligibility,
      minAttendanceRatio: p.minAttendanceRatio,
      hours: p.hours,
      priorityRule: p.priorityRule,
      previousProgramId: p.id,
    });
    await replaceQuotas(tx, row.id, quotas);
    await recordChange(tx, actor, {
      action: 'copy_wave',
      entity: 'program',
      entityId: row.id,
      after: { ...row, quotas, copiedFrom: p.id },
    });
    return row;
  });
  return { programId: copy.id, offsetDays, addDays: (date: string) => addDays(date, offsetDays) };
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
      applicationDeadline: body.applicationDeadline ?? null,
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
export async function factsFor(ctx: AppContext, businessId: string, on: string): Promise<EligibilityFacts> {
  // Two independent reads, side by side (an application's latency under a burst).
  const [found, exclusions] = await Promise.all([
    getEligibilityFacts(ctx, businessId, on),
    exclusionFactsFor(ctx, businessId),
  ]);
  const facts = found ?? fail('not_found', { field: 'businessId' });
  return { ...facts, exclusions };
}

export function explainEligibility(rule: unknown, facts: Parameters<typeof evaluateEligibility>[1]) {
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

// A correction of attendance revoked a participant's certificate: the application is no longer
// completed, and goes back to enrolled (an application event, audited) until it completes again.
export async function undoCompletion(tx: Tx, actor: Actor, applicationId: string, reason: string) {
  const row = await unmarkCompletedRow(tx, applicationId);
  if (!row) return false;
  await insertEvents(tx, [
    {
      applicationId,
      kind: 'completion_undone',
      fromStatus: 'completed',
      toStatus: 'enrolled',
      actorId: actor.userId,
      note: reason,
    },
  ]);
  await recordChange(tx, actor, {
    action: 'undo_completion',
    entity: 'application',
    entityId: applicationId,
    before: { status: 'completed' },
    after: { status: 'enrolled' },
  });
  return true;
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
