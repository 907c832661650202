// Applications: submitting (by an officer, an owner or the public form), leaving (withdrawal,
// no-show), and reading them, their events and the public status page. Seats, the waitlist and
// the selection run are selection.service.ts; programs themselves, programs.service.ts.

import { randomBytes, randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import {
  businessReachLimit,
  registryScope,
  requireAccess,
  requirePermission,
} from '../../access/access.service.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { applications, programs } from '../../db/schema.ts';
import type { AppContext } from '../../lib/context.ts';
import {
  applicationEventReads,
  readApplicationEvent,
  renderApplicationEvent,
} from '../../lib/domain-events.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { eligibilityFactsOf } from '../businesses/businesses.service.ts';
import { applyApplication } from './group-commit.ts';
import {
  type ApplicationInputs,
  type ApplicationInputsRow,
  applicationInputsColumns,
  applicationInputsOf,
  getApplication,
  getApplicationByToken,
  getApplicationWithKecamatanForUpdate,
  getProgram,
  listApplications as listApplicationRows,
  listEvents as listEventRows,
  readApplicationInputs,
  type SavedApplication,
  setApplicationStatus,
  unrankedKey,
  waitlistPosition,
} from './programs.queries.ts';
import type { Application, ApplicationEvent, ApplicationSource, EventKind } from './programs.schema.ts';
import { certificateCodesFor, explainEligibility } from './programs.service.ts';
import { type PromotionReason, promoteNext, recordStatus, releaseSeatWithin } from './selection.service.ts';

type ApplicationRow = typeof applications.$inferSelect;
type ProgramRow = typeof programs.$inferSelect;
type ApplicationStatus = ApplicationRow['status'];

// 144 random bits, URL-safe: the status link is the only key to the status page.
const newStatusToken = () => randomBytes(18).toString('base64url');
export const statusPathOf = (token: string | null) => (token ? `/status/${token}` : null);

export type Submitted = {
  id: string;
  status: ApplicationStatus;
  statusToken: string;
  alreadyApplied: boolean;
  // the application as saved (a new or renewed one; absent when answered as it stood)
  row?: SavedApplication;
};

// Applies a business to a program: by an officer, by its owner, or through the public form
// (actor null). With `returnExisting`, an open application of the business is answered with
// its status link instead of `already_applied` (the public form: its applicant has proven
// NIK and phone, and may have lost the link). Two round trips: one read of everything the
// application is judged on (program, business, the owner's facts and exclusions, the actor's
// reach, what its messages need), and the one statement that decides it. `reach`: the access
// layer's condition for the actor (businessReachLimit: null when it reaches every business);
// the public form has proven ownership itself, and passes none. `inputs`: that read, already
// made for this business in the caller's own statement (formApplicationRead).
export async function submitApplication(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  businessId: string,
  source: ApplicationSource,
  options: { returnExisting?: boolean; reach?: SQL | null; inputs?: ApplicationInputs } = {},
): Promise<Submitted & { business: NonNullable<ApplicationInputs['business']> }> {
  const inputs =
    options.inputs ??
    (await readApplicationInputs(ctx.db, {
      programId,
      businessId,
      reach: options.reach ?? null,
      prepared: applicationEventReads({ businessId, programId }),
    }));
  const business = inputs.business;
  if (!business?.reached) return fail('not_found', { field: 'businessId' });
  const program = inputs.program ?? fail('not_found');
  if (program.archived) fail('program_archived');
  const facts = {
    ...eligibilityFactsOf(
      business,
      { birthDate: business.ownerBirthDate, sex: business.ownerSex },
      program.startDate,
    ),
    exclusions: business.exclusions,
  };
  const eligibility = explainEligibility(program.eligibility, facts);
  try {
    const submitted = await enterApplication(
      ctx.db,
      actor,
      {
        program,
        businessId,
        kecamatan: facts.kecamatan,
        eligibility,
        source,
        returnExisting: options.returnExisting ?? false,
      },
      inputs.prepared,
    );
    return { ...submitted, business };
  } catch (error) {
    if (uniqueViolation(error) === 'applications_program_business_key') return fail('already_applied');
    throw error;
  }
}

// The public form's first read, in its own statement (public-apply.queries.ts): the columns of
// submitApplication's read for a business named by that statement (`businessId`, an expression
// of it), and the inputs from its row. No reach: the form proves ownership by NIK and phone.
export const formApplicationRead = {
  columns: (programId: string, businessId: SQL) =>
    applicationInputsColumns({
      programId,
      businessId,
      reach: null,
      prepared: applicationEventReads({ businessId, programId }),
    }),
  inputsOf: applicationInputsOf,
};

export type { ApplicationInputs, ApplicationInputsRow };

export type Judged = {
  program: { id: string; selection: ProgramRow['selection'] };
  businessId: string;
  kecamatan: string | null;
  eligibility: ReturnType<typeof explainEligibility>;
  source: ApplicationSource;
  // An open application is answered with its status (and link) instead of `already_applied`.
  returnExisting: boolean;
};

// The event kinds each outcome may record, whose messages are rendered beforehand.
const kindsOf = {
  ineligible: ['ineligible'],
  pending: ['applied'],
  seat: ['enrolled', 'waitlisted'],
} as const;

// One application, judged before (eligibility over the registry's facts), put in by one
// statement (pulih_apply: the existing application, the seat and quota, the row, its event,
// its messages and the audit log; docs/architecture.md, "Applications"), sent together with
// the applications to the same program that queued up while the previous one ran
// (group-commit.ts: one transaction for all of them).
// Its messages are rendered first for a new application's id and token, from what the
// preparers read (`prepared`: read with the caller's own statement, or here when not given);
// when a closed application of the business stands (ineligible or withdrawn: it applies
// again), the statement answers `stale` with that one's id and token, and they are rendered
// again for it. The single and the bulk path both go through here, so a business in a bulk
// request is judged exactly as it would be alone.
export async function enterApplication(
  db: DbOrTx,
  actor: Actor | null,
  judged: Judged,
  prepared?: Record<string, unknown>,
): Promise<Submitted> {
  const { program, businessId, eligibility } = judged;
  const outcome = !eligibility.eligible
    ? 'ineligible'
    : program.selection === 'priority'
      ? 'pending'
      : 'seat';
  const read = prepared ?? (await readApplicationEvent(db, { businessId, programId: program.id }));
  let target: { id: string; statusToken: string } = { id: randomUUID(), statusToken: newStatusToken() };
  for (let attempt = 1; ; attempt++) {
    const outbox = await renderApplicationEvent(db, read, {
      applicationId: target.id,
      businessId,
      programId: program.id,
      statusToken: target.statusToken,
      kinds: kindsOf[outcome],
    });
    const answer = await applyApplication(db, {
      programId: program.id,
      businessId,
      kecamatan: judged.kecamatan,
      outcome,
      reasons: eligibility.clauses.filter((c) => !c.passed),
      source: judged.source,
      actorId: actor?.userId ?? null,
      id: target.id,
      statusToken: target.statusToken,
      returnExisting: judged.returnExisting,
      outbox,
    });
    if (answer.outcome === 'applied')
      return {
        id: answer.id,
        status: answer.status,
        statusToken: answer.statusToken,
        alreadyApplied: false,
        row: answer.row,
      };
    if (answer.outcome === 'existing') {
      if (!judged.returnExisting) return fail('already_applied');
      return { id: answer.id, status: answer.status, statusToken: answer.statusToken!, alreadyApplied: true };
    }
    // Another request changed the business's application in between, again and again.
    if (attempt === 3) throw new Error(`application of ${businessId} to ${program.id} kept changing`);
    target = { id: answer.id, statusToken: answer.statusToken ?? newStatusToken() };
  }
}

// An officer or an owner applies a business: the reach of the actor over the business is
// checked in the same read as the facts (the access layer's condition, businessReachLimit),
// and the answer is made from what the decision saved, so the request costs two round trips.
export async function apply(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  businessId: string,
): Promise<Application> {
  requirePermission(actor, 'readBusinesses');
  const source = can(actor, 'applyOnBehalf') ? 'officer' : 'owner';
  const submitted = await submitApplication(ctx, actor, programId, businessId, source, {
    reach: businessReachLimit(actor, 'readBusinesses'),
  });
  const { row, business } = submitted;
  if (!row) return getApplicationItem(ctx, submitted.id);
  return {
    id: row.id,
    programId: row.programId,
    businessId: row.businessId,
    status: row.status,
    source: row.source as Application['source'],
    rank: row.score,
    statusPath: statusPathOf(submitted.statusToken),
    reasons: row.reasons as Application['reasons'],
    business: {
      name: business.name,
      ownerName: business.ownerName,
      kecamatan: business.kecamatanCode,
      kecamatanName: ctx.regions.get(business.kecamatanCode)?.name ?? null,
      kelurahanName:
        business.regionCode.length > 8 ? (ctx.regions.get(business.regionCode)?.name ?? null) : null,
    },
    // a new or renewed application has not completed the program
    certificateCode: null,
    preTestScore: row.preTestScore,
    postTestScore: row.postTestScore,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
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
    preTestScore: a.preTestScore,
    postTestScore: a.postTestScore,
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
