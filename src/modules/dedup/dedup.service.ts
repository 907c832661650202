import type { Tx } from '../../db/client.ts';
import type { businesses, dedupDecisions, people } from '../../db/schema.ts';
import {
  businessKey,
  compareRecords,
  type DedupReason,
  nameExactlyEqual,
  nikDifferences,
  type PairFeatures,
  scorePair,
} from '../../domain/dedup.ts';
import { maskNik } from '../../domain/nik.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import {
  markMerged,
  moveBusiness,
  repointMerged,
  repointMergedOf,
  unmarkMerged,
} from '../businesses/businesses.service.ts';
import type { JobItem } from '../jobs/jobs.schema.ts';
import {
  claimJobForResume,
  commitJobProgress,
  completeJob,
  createJob,
  findJob,
  type JobHandler,
  type JobRecord,
  presentJob,
  runClaimedJob,
  workerId,
} from '../jobs/jobs.service.ts';
import {
  type CandidateRow,
  countComparablePeople,
  deleteCandidatePair,
  deleteCandidatesOfPerson,
  deleteDecision,
  findDedupRuns,
  getBusinessesForUpdate,
  getDecision,
  getDecisionForUpdate,
  getPeople,
  getPersonForUpdate,
  insertDecision,
  listBusinessesOfPeople,
  listBusinessesOfPersonForUpdate,
  listRecentMerges,
  listStoredCandidates,
  replaceCandidates,
  repointLoginsOf,
  repointOwnerLogins,
  restoreDecision,
  touchesKecamatan,
} from './dedup.queries.ts';
import type {
  DedupPair,
  DedupPerson,
  DedupRunResult,
  DedupStatus,
  DismissBody,
  MergeBody,
  MergeResult,
  RecentMerge,
} from './dedup.schema.ts';

type Person = typeof people.$inferSelect;
type Business = typeof businesses.$inferSelect;

// A kecamatan officer reviews only the pairs of people it may both see (each has a business in
// the kecamatan): a pair across kecamatan is left to the roles that see the whole registry, so
// that neither a listing nor a merge hands one kecamatan another's personal data or logins.
function kecamatanOf(actor: Actor): string | null {
  switch (actor.role) {
    case 'kecamatan_officer':
      return actor.regionCode ?? '-';
    case 'admin':
    case 'program_officer':
    case 'sopd_officer':
    case 'owner':
      return null;
  }
}

async function seesBoth(tx: Tx, actor: Actor, x: string, y: string) {
  const kecamatan = kecamatanOf(actor);
  if (!kecamatan) return true;
  return (await touchesKecamatan(tx, [x], kecamatan)) && (await touchesKecamatan(tx, [y], kecamatan));
}

const orderedPair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

async function loadPeople(ctx: AppContext, ids: string[]) {
  const byId = new Map<string, Person>();
  const businessesOf = new Map<string, Business[]>();
  const unique = [...new Set(ids)];
  // Bounded IN lists: the CLI may ask for every person in a large registry.
  for (let start = 0; start < unique.length; start += 5000) {
    const chunk = unique.slice(start, start + 5000);
    for (const person of await getPeople(ctx.db, chunk)) byId.set(person.id, person);
    for (const business of await listBusinessesOfPeople(ctx.db, chunk)) {
      businessesOf.set(business.ownerId, [...(businessesOf.get(business.ownerId) ?? []), business]);
    }
  }
  return { byId, businessesOf };
}

function explain(row: CandidateRow, a: Person, b: Person) {
  const { a: _a, b: _b, score: _score, ...features } = row;
  return scorePair(features satisfies PairFeatures, { nameExact: nameExactlyEqual(a.name, b.name) });
}

function reasonsOf(row: CandidateRow, a: Person, b: Person): DedupReason[] {
  return explain(row, a, b).reasons;
}

function presentPerson(ctx: AppContext, person: Person, owned: Business[]): DedupPerson {
  return {
    id: person.id,
    name: person.name,
    nik: maskNik(person.nik),
    sex: person.sex,
    birthDate: person.birthDate,
    phone: person.phone ? maskPhone(person.phone) : null,
    address: person.address,
    businesses: owned.map((b) => {
      const isVillage = b.regionCode.length > 8;
      return {
        id: b.id,
        ref: b.ref,
        name: b.name,
        kelurahan: isVillage ? b.regionCode : null,
        kelurahanName: isVillage ? (ctx.regions.get(b.regionCode)?.name ?? null) : null,
        kecamatan: b.kecamatanCode,
        kecamatanName: ctx.regions.get(b.kecamatanCode)?.name ?? null,
      };
    }),
  };
}

function decodeAfter(cursor: string | undefined) {
  const values = decodeCursor(cursor, 3);
  if (!values) return null;
  const [score, a, b] = values;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (
    typeof score !== 'number' ||
    typeof a !== 'string' ||
    typeof b !== 'string' ||
    !uuid.test(a) ||
    !uuid.test(b)
  ) {
    return fail('validation_failed', { field: 'cursor' }, 'The cursor is not valid.');
  }
  return { score, a, b };
}

// ---------------------------------------------------------------------------------------------
// Detection runs: a background job computes the review queue into dedup_candidates.

export const dedupJobKind = 'dedup';

/**
 * Asks for a detection run that starts after this call, so that it sees every change committed
 * before it: answers the run waiting to start if there is one (at most one waits: a unique
 * index), else queues a new one. A run in progress is not enough, since it may have started
 * before the caller's changes. `pulih serve`'s worker runs it; GET /dedup/status follows it.
 *
 * Call it after a change to many people at once, such as a non-dry-run import once it has
 * finished; `actor` is whoever caused it (null for the system, e.g. a CLI import). Cheap: a
 * queued run is shared by everyone who asks while it waits.
 */
export async function enqueueDedupRun(ctx: AppContext, actor: Actor | null): Promise<JobRecord> {
  try {
    return await createJob(ctx, actor, { kind: dedupJobKind, payload: {} });
  } catch (error) {
    if (uniqueViolation(error) !== 'jobs_one_queued_dedup_key') throw error;
  }
  // Another caller queued one first: the newest run. A worker may have started it since, which is
  // as good (it started after this call); had it already finished, queue another.
  const { newest } = await findDedupRuns(ctx.db, dedupJobKind);
  return newest ?? enqueueDedupRun(ctx, actor);
}

// "Recompute" on the review page: a run queued or in progress answers the request (the reviewer
// asks for the queue to reflect the registry, and such a run started after whatever they did).
export async function requestDedupRun(ctx: AppContext, actor: Actor): Promise<JobItem> {
  const { active } = await findDedupRuns(ctx.db, dedupJobKind);
  return presentJob(active ?? (await enqueueDedupRun(ctx, actor)));
}

function runResultOf(job: JobRecord | null): DedupRunResult | null {
  const result = job?.result as Partial<DedupRunResult> | null | undefined;
  return result && typeof result.computedAt === 'string' && typeof result.seconds === 'number'
    ? (result as DedupRunResult)
    : null;
}

export async function getDedupStatus(ctx: AppContext): Promise<DedupStatus> {
  const runs = await findDedupRuns(ctx.db, dedupJobKind);
  const last = runResultOf(runs.succeeded);
  return {
    computedAt: last ? new Date(last.computedAt) : null,
    expectedSeconds: last ? last.seconds : null,
    run: runs.active ? presentJob(runs.active) : null,
    lastRun: runs.ended ? presentJob(runs.ended) : null,
  };
}

// The job: counts the people it compares (its progress: none until the swap commits, since the
// detection is one statement), then replaces the queue and completes in one transaction, so a
// crash leaves the old queue and the job queued again.
export const runDedupJob: JobHandler = async (ctx, run) => {
  const started = performance.now();
  const people = await countComparablePeople(ctx.db);
  await ctx.db.transaction((tx) =>
    commitJobProgress(tx, run, {
      done: 0,
      total: people,
      checkpoint: { position: null, rowsPerSecond: null },
      result: null,
    }),
  );
  await ctx.db.transaction(async (tx) => {
    const { pairs, computedAt } = await replaceCandidates(tx);
    const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
    const result: DedupRunResult = { pairs, people, computedAt: computedAt.toISOString(), seconds };
    await completeJob(tx, run, {
      done: people,
      total: people,
      checkpoint: { position: null, rowsPerSecond: seconds > 0 ? people / seconds : null },
      result,
    });
  });
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs detection in this process (`pulih dedup`): queues a run and claims it like a worker would;
// when a server's worker took it first, waits for that one (or takes it over once it goes stale).
export async function runDedupNow(
  ctx: AppContext,
  actor: Actor | null,
  options: { pollMs?: number } = {},
): Promise<DedupRunResult> {
  const worker = workerId('cli');
  const id = (await enqueueDedupRun(ctx, actor)).id;
  for (;;) {
    const job = await findJob(ctx, id);
    if (!job) throw new Error(`duplicate detection run ${id} vanished`);
    switch (job.status) {
      case 'succeeded':
        return runResultOf(job) ?? fail('internal_error', { job: id });
      case 'failed':
      case 'cancelled':
        throw new Error(`duplicate detection run ${id} ${job.status}: ${job.error ?? ''}`);
      case 'queued':
      case 'running': {
        const claimed = await claimJobForResume(ctx, id, worker);
        if (claimed) {
          await runClaimedJob(ctx, { job: claimed, worker, signal: new AbortController().signal });
        } else {
          await sleep(options.pollMs ?? 1000);
        }
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The review queue

// Pairs by score, both people side by side, read from the queue the last run stored. Birth dates
// are shown in full (the reviewer needs them and holds revealPersonalData), so every page is
// logged as a view.
export async function listCandidates(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
) {
  const rows = await listStoredCandidates(ctx.db, {
    kecamatan: kecamatanOf(actor),
    after: decodeAfter(page.cursor),
    limit: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const { byId, businessesOf } = await loadPeople(
    ctx,
    pageRows.flatMap((r) => [r.a, r.b]),
  );
  const items: DedupPair[] = pageRows.flatMap((row) => {
    const a = byId.get(row.a);
    const b = byId.get(row.b);
    if (!a || !b) return [];
    const { reasons, signals } = explain(row, a, b);
    return [
      {
        a: presentPerson(ctx, a, businessesOf.get(a.id) ?? []),
        b: presentPerson(ctx, b, businessesOf.get(b.id) ?? []),
        score: row.score,
        reasons,
        signals,
        nikDifferences: nikDifferences(a.nik, b.nik),
      },
    ];
  });
  if (items.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'view',
      subject: 'dedup:candidates',
      filter: { cursor: page.cursor ?? null, kecamatan: kecamatanOf(actor) },
      rows: items.length * 2,
    });
  }
  const last = pageRows.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.score, last.a, last.b]) : null };
}

export type ExportedPair = {
  a: { id: string; nik: string; ref: string | null; name: string };
  b: { id: string; nik: string; ref: string | null; name: string };
  score: number;
  reasons: DedupReason[];
};

// Every candidate pair of the stored queue with full NIKs and the ref of each person's first
// business, for the operator's `pulih dedup` (which runs detection first). Logged as an export of
// personal data.
export async function exportCandidates(ctx: AppContext, actor: Actor): Promise<ExportedPair[]> {
  const rows = await listStoredCandidates(ctx.db);
  const { byId, businessesOf } = await loadPeople(
    ctx,
    rows.flatMap((r) => [r.a, r.b]),
  );
  const side = (person: Person) => ({
    id: person.id,
    nik: person.nik,
    ref: businessesOf.get(person.id)?.[0]?.ref ?? null,
    name: person.name,
  });
  const pairs = rows.flatMap((row) => {
    const a = byId.get(row.a);
    const b = byId.get(row.b);
    return a && b ? [{ a: side(a), b: side(b), score: row.score, reasons: reasonsOf(row, a, b) }] : [];
  });
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: 'dedup:pairs',
    rows: pairs.length * 2,
  });
  return pairs;
}

function kelurahanOf(owned: Business[]) {
  return owned.map((b) => b.regionCode).filter((code) => code.length > 8);
}

// The score and reasons stored with a decision, measured on the two records as they are now.
function judge(a: Person, b: Person, ownedA: Business[], ownedB: Business[]) {
  const features = compareRecords(
    { ...a, kelurahan: kelurahanOf(ownedA), businesses: ownedA.map((o) => businessKey(o.kbli, o.name)) },
    { ...b, kelurahan: kelurahanOf(ownedB), businesses: ownedB.map((o) => businessKey(o.kbli, o.name)) },
  );
  return scorePair(features, { nameExact: nameExactlyEqual(a.name, b.name) });
}

async function lockPair(tx: Tx, x: string, y: string) {
  // Always in id order, so two reviewers merging crossing pairs cannot deadlock.
  const [first, second] = orderedPair(x, y);
  const one = await getPersonForUpdate(tx, first);
  const two = await getPersonForUpdate(tx, second);
  const byId = new Map([one, two].filter((p): p is Person => p !== null).map((p) => [p.id, p]));
  const px = byId.get(x);
  const py = byId.get(y);
  if (!px || !py) return fail('not_found');
  return [px, py] as const;
}

// Merge `duplicateId` into `survivorId` in one transaction: the duplicate's businesses (and with
// them their applications, attendance, certificates, aid and products, which reference the
// business) move to the survivor; the duplicate stays as a record, pointing at the survivor;
// every moved row is audited with its before and after. A moved business whose name the survivor
// already uses (without a ref) keeps both: it is renamed "Name (2)", and the audit shows it.
export async function mergePeople(ctx: AppContext, actor: Actor, body: MergeBody): Promise<MergeResult> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [survivor, duplicate] = await lockPair(tx, body.survivorId, body.duplicateId);
      if (survivor.mergedInto !== null || duplicate.mergedInto !== null) {
        return fail('conflict', { reason: 'already_merged' }, 'One of these people was already merged.');
      }
      if (!(await seesBoth(tx, actor, survivor.id, duplicate.id))) fail('not_found');

      const kept = await listBusinessesOfPersonForUpdate(tx, survivor.id);
      const moving = await listBusinessesOfPersonForUpdate(tx, duplicate.id);
      const verdict = judge(survivor, duplicate, kept, moving);
      const taken = new Set(kept.filter((b) => b.ref === null).map((b) => b.name.toLowerCase()));
      const moved: MergeResult['businesses'] = [];
      for (const business of moving) {
        let name = business.name;
        for (let n = 2; business.ref === null && taken.has(name.toLowerCase()); n++)
          name = `${business.name} (${n})`;
        if (business.ref === null) taken.add(name.toLowerCase());
        const after = await moveBusiness(tx, business.id, { ownerId: survivor.id, name });
        await recordChange(tx, actor, {
          action: 'merge',
          entity: 'business',
          entityId: business.id,
          before: business,
          after,
        });
        moved.push({ id: business.id, name, renamedFrom: name === business.name ? null : business.name });
      }

      // An owner who logs in as the duplicate keeps seeing their businesses.
      const logins = await repointOwnerLogins(tx, duplicate.id, survivor.id);
      for (const login of logins) {
        await recordChange(tx, actor, {
          action: 'merge',
          entity: 'user',
          entityId: login.id,
          before: { personId: duplicate.id },
          after: { personId: survivor.id },
        });
      }

      const merged = (await markMerged(tx, duplicate.id, survivor.id)) ?? fail('conflict');
      await recordChange(tx, actor, {
        action: 'merge',
        entity: 'person',
        entityId: duplicate.id,
        before: duplicate,
        after: merged,
      });
      const earlierMerged = await repointMerged(tx, duplicate.id, survivor.id);
      for (const earlier of earlierMerged) {
        await recordChange(tx, actor, {
          action: 'merge',
          entity: 'person',
          entityId: earlier.id,
          before: { mergedInto: duplicate.id },
          after: { mergedInto: survivor.id },
        });
      }

      // The duplicate is no one's candidate any more.
      await deleteCandidatesOfPerson(tx, duplicate.id);

      const [personA, personB] = orderedPair(survivor.id, duplicate.id);
      const before = await getDecision(tx, personA, personB);
      const decision = await insertDecision(tx, {
        personA,
        personB,
        decision: 'merged',
        score: verdict.score,
        reasons: verdict.reasons,
        decidedBy: actor.userId,
        undo: {
          survivorId: survivor.id,
          duplicateId: duplicate.id,
          businesses: moved.map((b) => ({ id: b.id, name: b.renamedFrom ?? b.name })),
          logins: logins.map((l) => l.id),
          earlier: earlierMerged.map((p) => p.id),
          previous: before,
        } satisfies MergeUndo,
      });
      await recordChange(tx, actor, {
        action: 'merge',
        entity: 'dedup_decision',
        entityId: `${personA}:${personB}`,
        before,
        after: { ...decision, survivorId: survivor.id, duplicateId: duplicate.id },
      });
      return { survivorId: survivor.id, duplicateId: duplicate.id, businesses: moved };
    });
  } catch (error) {
    // A business of the same name created for the survivor while we merged.
    if (uniqueViolation(error) === 'businesses_owner_name_key') return fail('business_exists');
    throw error;
  }
}

// What a merge stored to be undone (dedup_decisions.undo).
type MergeUndo = {
  survivorId: string;
  duplicateId: string;
  businesses: { id: string; name: string }[];
  logins: string[];
  earlier: string[];
  previous: typeof dedupDecisions.$inferSelect | null;
};

// A merge can be undone for this long; after it, the merged person's history has moved on.
export const mergeUndoDays = 30;

// Undoes a merge within the undo period, by a role that sees both people (a kecamatan officer:
// the survivor and every moved business in the kecamatan): the duplicate is a person again and
// gets back its businesses (with their names), its owner logins and the people merged into it;
// the decision the merge replaced is restored. Every change is audited.
export async function undoMerge(ctx: AppContext, actor: Actor, body: MergeBody) {
  return ctx.db.transaction(async (tx) => {
    const [survivor, duplicate] = await lockPair(tx, body.survivorId, body.duplicateId);
    const [personA, personB] = orderedPair(survivor.id, duplicate.id);
    const decision = await getDecisionForUpdate(tx, personA, personB);
    const undo = decision?.undo as MergeUndo | null | undefined;
    if (
      !decision ||
      decision.decision !== 'merged' ||
      !undo ||
      undo.survivorId !== survivor.id ||
      duplicate.mergedInto !== survivor.id
    ) {
      return fail('not_found');
    }
    const kecamatan = kecamatanOf(actor);
    const owned = await getBusinessesForUpdate(
      tx,
      undo.businesses.map((b) => b.id),
    );
    if (
      kecamatan &&
      (!(await touchesKecamatan(tx, [survivor.id], kecamatan)) ||
        owned.some((b) => b.kecamatanCode !== kecamatan))
    ) {
      return fail('not_found');
    }
    if (Date.now() - decision.decidedAt.getTime() > mergeUndoDays * 86_400_000) {
      return fail(
        'conflict',
        { reason: 'undo_period_over', days: mergeUndoDays },
        'The undo period is over.',
      );
    }
    if (owned.length !== undo.businesses.length || owned.some((b) => b.ownerId !== survivor.id)) {
      return fail('conflict', { reason: 'businesses_moved' }, 'A merged business has moved since.');
    }
    const names = new Map(undo.businesses.map((b) => [b.id, b.name]));
    for (const business of owned) {
      const after = await moveBusiness(tx, business.id, {
        ownerId: duplicate.id,
        name: names.get(business.id) ?? business.name,
      });
      await recordChange(tx, actor, {
        action: 'unmerge',
        entity: 'business',
        entityId: business.id,
        before: business,
        after,
      });
    }
    for (const login of await repointLoginsOf(tx, undo.logins, survivor.id, duplicate.id)) {
      await recordChange(tx, actor, {
        action: 'unmerge',
        entity: 'user',
        entityId: login.id,
        before: { personId: survivor.id },
        after: { personId: duplicate.id },
      });
    }
    for (const earlier of await repointMergedOf(tx, undo.earlier, survivor.id, duplicate.id)) {
      await recordChange(tx, actor, {
        action: 'unmerge',
        entity: 'person',
        entityId: earlier.id,
        before: { mergedInto: survivor.id },
        after: { mergedInto: duplicate.id },
      });
    }
    const restored = (await unmarkMerged(tx, duplicate.id, survivor.id)) ?? fail('conflict');
    await recordChange(tx, actor, {
      action: 'unmerge',
      entity: 'person',
      entityId: duplicate.id,
      before: duplicate,
      after: restored,
    });
    await deleteDecision(tx, personA, personB);
    if (undo.previous) {
      await restoreDecision(tx, {
        ...undo.previous,
        decidedAt: new Date(undo.previous.decidedAt),
      });
    }
    await recordChange(tx, actor, {
      action: 'unmerge',
      entity: 'dedup_decision',
      entityId: `${personA}:${personB}`,
      before: decision,
      after: undo.previous,
    });
    return {
      survivorId: survivor.id,
      duplicateId: duplicate.id,
      businesses: undo.businesses.map((b) => b.id),
    };
  });
}

// "Not the same person": stored once per pair, never proposed again.
export async function dismissPair(ctx: AppContext, actor: Actor, body: DismissBody) {
  const [a, b] = orderedPair(body.a, body.b);
  return ctx.db.transaction(async (tx) => {
    const [personA, personB] = await lockPair(tx, a, b);
    if (!(await seesBoth(tx, actor, a, b))) fail('not_found');
    const before = await getDecision(tx, a, b);
    if (before?.decision === 'merged') {
      return fail('conflict', { reason: 'already_merged' }, 'These people were already merged.');
    }
    const owned = await listBusinessesOfPeople(tx, [a, b]);
    const verdict = judge(
      personA,
      personB,
      owned.filter((x) => x.ownerId === a),
      owned.filter((x) => x.ownerId === b),
    );
    const decision = await insertDecision(tx, {
      personA: a,
      personB: b,
      decision: 'not_same',
      score: verdict.score,
      reasons: verdict.reasons,
      decidedBy: actor.userId,
    });
    await deleteCandidatePair(tx, a, b);
    await recordChange(tx, actor, {
      action: 'dismiss',
      entity: 'dedup_decision',
      entityId: `${a}:${b}`,
      before,
      after: decision,
    });
    return { a, b, decision: 'not_same' as const };
  });
}

function decodeMergesAfter(cursor: string | undefined): [string, string, string] | null {
  const values = decodeCursor(cursor, 3);
  if (!values) return null;
  const [at, a, b] = values;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (
    typeof at !== 'string' ||
    Number.isNaN(Date.parse(at)) ||
    typeof a !== 'string' ||
    typeof b !== 'string' ||
    !uuid.test(a) ||
    !uuid.test(b)
  )
    return fail('validation_failed', { field: 'cursor' }, 'The cursor is not valid.');
  return [at, a, b];
}

// The merges that can still be undone, newest first (a kecamatan officer: those they may undo).
// Names and masked NIKs of both people: each page is logged as a view of personal data.
export async function listMerges(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: RecentMerge[]; nextCursor: string | null }> {
  const periodMs = mergeUndoDays * 86_400_000;
  const rows = await listRecentMerges(ctx.db, {
    since: new Date(Date.now() - periodMs),
    kecamatan: kecamatanOf(actor),
    after: decodeMergesAfter(page.cursor),
    limit: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const undos = pageRows.map((row) => row.undo as MergeUndo);
  const found = await getPeople(
    ctx.db,
    undos.flatMap((u) => [u.survivorId, u.duplicateId]),
  );
  const byId = new Map(found.map((p) => [p.id, p]));
  const person = (id: string) => {
    const p = byId.get(id);
    return p ? { id, name: p.name, nik: maskNik(p.nik) } : null;
  };
  const items = pageRows.flatMap((row, i): RecentMerge[] => {
    const undo = undos[i];
    const survivor = undo && person(undo.survivorId);
    const duplicate = undo && person(undo.duplicateId);
    if (!undo || !survivor || !duplicate) return [];
    return [
      {
        survivor,
        duplicate,
        businesses: undo.businesses,
        mergedAt: row.decidedAt,
        mergedBy: row.decidedBy,
        undoUntil: new Date(row.decidedAt.getTime() + periodMs),
      },
    ];
  });
  if (items.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'view',
      subject: 'dedup:merges',
      filter: { cursor: page.cursor ?? null, kecamatan: kecamatanOf(actor) },
      rows: items.length * 2,
    });
  }
  const last = pageRows.at(-1);
  return {
    items,
    nextCursor: more && last ? encodeCursor([last.cursorAt, last.personA, last.personB]) : null,
  };
}

// How many pairs of the review queue this actor sees (its kecamatan's), up to `cap`: a figure for
// the kecamatan's registry page, which links to the queue itself.
export async function countCandidates(ctx: AppContext, actor: Actor, cap = 1000): Promise<number> {
  const rows = await listStoredCandidates(ctx.db, { kecamatan: kecamatanOf(actor), limit: cap });
  return rows.length;
}
