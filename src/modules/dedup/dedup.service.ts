import type { Tx } from '../../db/client.ts';
import type { businesses, people } from '../../db/schema.ts';
import {
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
  type CandidateRow,
  findCandidatePairs,
  getDecision,
  getPeople,
  getPersonForUpdate,
  insertDecision,
  listBusinessesOfPeople,
  listBusinessesOfPersonForUpdate,
  markMerged,
  moveBusiness,
  repointMerged,
  touchesKecamatan,
} from './dedup.queries.ts';
import type { DedupPair, DedupPerson, DismissBody, MergeBody, MergeResult } from './dedup.schema.ts';

type Person = typeof people.$inferSelect;
type Business = typeof businesses.$inferSelect;

// A kecamatan officer reviews the pairs that touch the kecamatan (either person has a business
// there); the other roles that may see personal data review them all.
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

function reasonsOf(row: CandidateRow, a: Person, b: Person): DedupReason[] {
  const { a: _a, b: _b, score: _score, ...features } = row;
  return scorePair(features satisfies PairFeatures, { nameExact: nameExactlyEqual(a.name, b.name) }).reasons;
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

// The review queue: pairs by score, both people side by side. Birth dates are shown in full (the
// reviewer needs them and holds revealPersonalData), so every page is logged as a view.
export async function listCandidates(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
) {
  const rows = await findCandidatePairs(ctx.db, {
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
    return [
      {
        a: presentPerson(ctx, a, businessesOf.get(a.id) ?? []),
        b: presentPerson(ctx, b, businessesOf.get(b.id) ?? []),
        score: row.score,
        reasons: reasonsOf(row, a, b),
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

// Every candidate pair with full NIKs and the ref of each person's first business, for the
// operator's `pulih dedup`. Logged as an export of personal data.
export async function exportCandidates(ctx: AppContext, actor: Actor): Promise<ExportedPair[]> {
  const rows = await findCandidatePairs(ctx.db);
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
    { ...a, kelurahan: kelurahanOf(ownedA) },
    { ...b, kelurahan: kelurahanOf(ownedB) },
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
      const kecamatan = kecamatanOf(actor);
      if (kecamatan && !(await touchesKecamatan(tx, [survivor.id, duplicate.id], kecamatan)))
        fail('not_found');

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

      const merged = (await markMerged(tx, duplicate.id, survivor.id)) ?? fail('conflict');
      await recordChange(tx, actor, {
        action: 'merge',
        entity: 'person',
        entityId: duplicate.id,
        before: duplicate,
        after: merged,
      });
      for (const earlier of await repointMerged(tx, duplicate.id, survivor.id)) {
        await recordChange(tx, actor, {
          action: 'merge',
          entity: 'person',
          entityId: earlier.id,
          before: { mergedInto: duplicate.id },
          after: { mergedInto: survivor.id },
        });
      }

      const [personA, personB] = orderedPair(survivor.id, duplicate.id);
      const before = await getDecision(tx, personA, personB);
      const decision = await insertDecision(tx, {
        personA,
        personB,
        decision: 'merged',
        score: verdict.score,
        reasons: verdict.reasons,
        decidedBy: actor.userId,
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

// "Not the same person": stored once per pair, never proposed again.
export async function dismissPair(ctx: AppContext, actor: Actor, body: DismissBody) {
  const [a, b] = orderedPair(body.a, body.b);
  return ctx.db.transaction(async (tx) => {
    const [personA, personB] = await lockPair(tx, a, b);
    const kecamatan = kecamatanOf(actor);
    if (kecamatan && !(await touchesKecamatan(tx, [a, b], kecamatan))) fail('not_found');
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
