import { reachesKecamatan, registryScope, requirePermission } from '../../access/access.service.ts';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { type BusinessSize, classifyBusinessSize } from '../../domain/business-size.ts';
import type { EligibilityFacts } from '../../domain/eligibility.ts';
import { ownerAgeAt } from '../../domain/eligibility.ts';
import type { BusinessStatus } from '../../domain/enums.ts';
import { normalizeKbli } from '../../domain/kbli.ts';
import { nameSearchQuery } from '../../domain/name-search.ts';
import { checkNikAgainstRecord, maskBirthDate, maskNik, parseNik } from '../../domain/nik.ts';
import { maskPhone, normalizePhone } from '../../domain/phone.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { Issue } from '../../domain/result.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import { csvExport, type RegistryRecord, xlsxExport } from './businesses.export.ts';
import {
  type BusinessCriteria,
  type BusinessKeyset,
  type BusinessRow,
  type BusinessScope,
  decideIdentityReview,
  getBusiness,
  getBusinessFacts,
  getBusinessForUpdate,
  getIdentityReview,
  getOpenIdentityReviewForUpdate,
  getPersonById,
  getPersonByNik,
  insertBusiness,
  insertIdentityReview,
  insertPerson,
  listBusinesses as listBusinessRows,
  listOpenIdentityReviews,
  type PersonRow,
  personInScope,
  updateBusiness as updateBusinessRow,
  updatePerson,
} from './businesses.queries.ts';

export { onRegistryChanged, type RegistryChange, registryChanged } from './registry.events.ts';
// The registry's writes for the other modules, in sets (registry.queries.ts): the import's bulk
// upserts and dedup's merges go through here, so people and businesses have one writer.
export {
  type BusinessWrite,
  copyBusinesses,
  copyPeople,
  insertBusinessesJson,
  insertBusinessesSet,
  insertPeopleJson,
  insertPeopleSet,
  markMerged,
  moveBusiness,
  type NewPerson,
  newBusinessesCopy,
  newPeopleCopy,
  newPeopleJson,
  type PersonUpdate,
  repointMerged,
  repointMergedOf,
  unmarkMerged,
  updateBusinessesSet,
  updatePeopleSet,
} from './registry.queries.ts';

import {
  type BusinessItem,
  type CreateBusinessBody,
  type IdentityReview,
  isIdentityQuery,
  type LookupBusinessesBody,
  type UpdateBusinessBody,
} from './businesses.schema.ts';

type Row = { business: BusinessRow; owner: PersonRow };

export function presentBusiness(ctx: AppContext, row: Row): BusinessItem {
  const { business: b, owner: o } = row;
  const isVillage = b.regionCode.length > 8;
  return {
    id: b.id,
    ref: b.ref,
    name: b.name,
    kbli: b.kbli,
    kbliTitle: b.kbli ? (ctx.kbli.get(b.kbli)?.title ?? null) : null,
    kelurahan: isVillage ? b.regionCode : null,
    kelurahanName: isVillage ? (ctx.regions.get(b.regionCode)?.name ?? null) : null,
    kecamatan: b.kecamatanCode,
    kecamatanName: ctx.regions.get(b.kecamatanCode)?.name ?? null,
    nib: b.nib,
    capital: b.capital,
    annualTurnover: b.annualTurnover,
    workers: b.workers,
    size: classifyBusinessSize({ annualTurnover: b.annualTurnover, capital: b.capital }),
    covidImpacted: b.covidImpacted,
    status: b.status,
    owner: {
      id: o.id,
      name: o.name,
      nik: maskNik(o.nik),
      nikMasked: true,
      sex: o.sex,
      birthDate: o.birthDate ? maskBirthDate(o.birthDate) : null,
      phone: o.phone ? maskPhone(o.phone) : null,
      address: o.address,
    },
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

export function resolveRegion(ctx: AppContext, input: string) {
  const code = normalizeRegionCode(input);
  const region = code ? ctx.regions.get(code) : undefined;
  if (!code || !region || code.length < 8)
    return fail('invalid_region', { field: 'regionCode', value: input });
  return { regionCode: code, kecamatanCode: ctx.regions.kecamatanOf(code) ?? code };
}

function resolveKbli(ctx: AppContext, input: string | null | undefined) {
  if (!input) return { kbli: null, kbliVersion: null };
  const code = normalizeKbli(input) ?? fail('invalid_kbli', { field: 'kbli', value: input });
  return { kbli: code, kbliVersion: ctx.kbli.get(code)?.version ?? 2020 };
}

function resolvePhone(input: string | null | undefined) {
  if (!input) return null;
  const phone = normalizePhone(input);
  return phone.ok ? phone.value : fail('invalid_phone', { field: 'owner.phone', issue: phone.error });
}

// The registry filters as the routes and other modules give them (covidImpacted already a boolean).
export type BusinessFilter = {
  q?: string | undefined;
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  kbli?: string | undefined;
  size?: BusinessSize | undefined;
  status?: BusinessStatus | undefined;
  covidImpacted?: boolean | undefined;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidFilter(field: string, value: unknown): never {
  return fail('validation_failed', [
    { path: `querystring.${field}`, message: `Not a valid ${field}: ${String(value)}` },
  ]);
}

function regionFilter(field: 'kecamatan' | 'kelurahan', input: string | undefined) {
  if (!input) return undefined;
  const code = normalizeRegionCode(input);
  const expected = field === 'kecamatan' ? 8 : 13;
  return code?.length === expected ? code : invalidFilter(field, input);
}

function identityOf(text: string): NonNullable<BusinessCriteria['identity']> {
  const digits = text.replace(/[\s.()+-]/g, '');
  const phone = normalizePhone(text);
  return { nik: /^\d{16}$/.test(digits) ? digits : null, phone: phone.ok ? phone.value : null };
}

// Words of a name (src/domain/name-search.ts). A NIK or phone number is refused: it would land
// in the URL and the access log, and a look-up by identifier is for the roles that may reveal
// (POST /businesses/lookup). A search with no word in it (only punctuation) matches nothing.
function searchOf(q: string | undefined): Pick<BusinessCriteria, 'nameQuery'> | null {
  const text = q?.trim().replace(/\s+/g, ' ');
  if (!text) return {};
  if (isIdentityQuery(text)) {
    return fail('validation_failed', [
      {
        path: 'querystring.q',
        message: 'A NIK or phone number is looked up with POST /businesses/lookup, never in a URL.',
      },
    ]);
  }
  const nameQuery = nameSearchQuery(text);
  return nameQuery ? { nameQuery } : null;
}

// Normalises and checks the filter before any row is read (an export has sent nothing yet).
// Null when nothing can match.
function criteriaOf(filter: BusinessFilter): BusinessCriteria | null {
  const kbli = filter.kbli ? (normalizeKbli(filter.kbli) ?? invalidFilter('kbli', filter.kbli)) : undefined;
  const criteria: BusinessCriteria = {
    kecamatan: regionFilter('kecamatan', filter.kecamatan),
    kelurahan: regionFilter('kelurahan', filter.kelurahan),
    kbli,
    size: filter.size,
    status: filter.status,
    covidImpacted: filter.covidImpacted,
  };
  const search = searchOf(filter.q);
  return search ? { ...criteria, ...search } : null;
}

// A kelurahan outside the asked (or the officer's) kecamatan matches nothing; saying so here
// spares a walk through the whole kecamatan looking for it.
function contradicts(scope: BusinessScope, criteria: BusinessCriteria) {
  const kecamatanOfKelurahan = criteria.kelurahan?.slice(0, 8);
  return (
    kecamatanOfKelurahan !== undefined &&
    [criteria.kecamatan, scope.kecamatanCode].some((k) => k && k !== kecamatanOfKelurahan)
  );
}

function keysetOf(cursor: string | undefined): BusinessKeyset {
  const values = decodeCursor(cursor, 2);
  if (!values) return null;
  const [key, id] = values;
  if (typeof key !== 'string' || typeof id !== 'string' || !uuidPattern.test(id)) {
    return fail('validation_failed', { field: 'cursor' }, 'The cursor is not valid.');
  }
  return [key, id];
}

export async function listBusinesses(
  ctx: AppContext,
  actor: Actor,
  filter: BusinessFilter,
  page: { limit: number; cursor?: string | undefined },
) {
  const after = keysetOf(page.cursor);
  const criteria = criteriaOf(filter);
  const scope = registryScope(actor);
  if (!criteria || contradicts(scope, criteria)) return { items: [], nextCursor: null };
  const rows = await listBusinessRows(ctx.db, scope, criteria, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.sortKey, r.business.id]);
  return { items: result.items.map((r) => presentBusiness(ctx, r)), nextCursor: result.nextCursor };
}

// The businesses of the owner with this NIK or phone number, for the roles that may reveal
// personal data; the look-up itself is personal-data access and is logged, found or not (with
// the identifier masked: the log is read by more people than the registry's owners).
export async function lookupBusinesses(ctx: AppContext, actor: Actor, body: LookupBusinessesBody) {
  const identity = identityOf(body.q.trim());
  const scope = registryScope(actor);
  const rows =
    identity.nik || identity.phone
      ? await listBusinessRows(ctx.db, scope, { identity }, { limit: body.limit, after: null })
      : [];
  const items = rows.slice(0, body.limit).map((r) => presentBusiness(ctx, r));
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'view',
    subject: 'businesses:lookup',
    filter: {
      nik: identity.nik ? maskNik(identity.nik) : null,
      phone: identity.phone ? maskPhone(identity.phone) : null,
    },
    rows: items.length,
  });
  return { items, nextCursor: null };
}

const exportBatch = 1000;

export type ExportOptions = { format: 'csv' | 'xlsx'; personalData: boolean };

function registryRecord(row: Row, personal: boolean): RegistryRecord {
  const { business: b, owner: o } = row;
  return {
    nik: personal ? o.nik : maskNik(o.nik),
    nama: o.name,
    jenis_kelamin: o.sex,
    tanggal_lahir: o.birthDate ? (personal ? o.birthDate : maskBirthDate(o.birthDate)) : null,
    telepon: o.phone ? (personal ? o.phone : maskPhone(o.phone)) : null,
    alamat: o.address,
    kode_wilayah: b.regionCode,
    nama_usaha: b.name,
    kbli: b.kbli,
    nib: b.nib,
    modal_usaha: b.capital,
    omzet_tahunan: b.annualTurnover,
    tenaga_kerja: b.workers,
    terdampak_covid: b.covidImpacted === null ? null : b.covidImpacted ? 'ya' : 'tidak',
    status_usaha: b.status,
    ref: b.ref,
  };
}

// The filtered registry as a CSV or XLSX file in the registry file layout, read in keyset
// batches so that memory stays flat for a million rows. NIK, birth date and phone are masked
// unless the role may see them and the request asks for them. Every export is logged (UU PDP)
// once its last row is out, with the number of rows, before the response ends.
export function exportBusinesses(
  ctx: AppContext,
  actor: Actor,
  filter: BusinessFilter,
  options: ExportOptions,
) {
  if (options.personalData) requirePermission(actor, 'revealPersonalData');
  const criteria = criteriaOf(filter);
  const scope = registryScope(actor);
  async function* batches() {
    if (!criteria || contradicts(scope, criteria)) return;
    let after: BusinessKeyset = null;
    for (;;) {
      const rows = await listBusinessRows(ctx.db, scope, criteria, { limit: exportBatch, after });
      const batch = rows.slice(0, exportBatch);
      if (batch.length > 0) yield batch.map((r) => registryRecord(r, options.personalData));
      const last = batch.at(-1);
      if (rows.length <= exportBatch || !last) return;
      after = [last.sortKey, last.business.id];
    }
  }
  const logged = { ...filter, format: options.format, personalData: options.personalData };
  const onEnd = async (rows: number, completed: boolean) => {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'export',
      subject: 'businesses',
      filter: completed ? logged : { ...logged, interrupted: true },
      rows,
    });
  };
  const stamp = new Date().toISOString().slice(0, 16).replace(/\D/g, '');
  return options.format === 'csv'
    ? {
        filename: `registri-usaha-${stamp}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: csvExport(batches(), onEnd),
      }
    : {
        filename: `registri-usaha-${stamp}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body: xlsxExport(batches(), onEnd),
      };
}

export async function getBusinessItem(ctx: AppContext, actor: Actor, id: string) {
  const row = (await getBusiness(ctx.db, registryScope(actor), id)) ?? fail('not_found');
  return presentBusiness(ctx, row);
}

type Resolved = {
  region: ReturnType<typeof resolveRegion>;
  kbli: ReturnType<typeof resolveKbli>;
};

async function insertBusinessOf(
  tx: Tx,
  actor: Actor,
  ownerId: string,
  body: CreateBusinessBody,
  resolved: Resolved,
) {
  const business = await insertBusiness(tx, {
    ref: body.ref ?? null,
    ownerId,
    name: body.name,
    ...resolved.kbli,
    ...resolved.region,
    nib: body.nib ?? null,
    capital: body.capital ?? null,
    annualTurnover: body.annualTurnover ?? null,
    workers: body.workers ?? null,
    covidImpacted: body.covidImpacted ?? null,
    status: body.status ?? 'aktif',
  });
  await recordChange(tx, actor, {
    action: 'create',
    entity: 'business',
    entityId: business.id,
    after: business,
  });
  return business;
}

function businessConflict(error: unknown): never {
  const constraint = uniqueViolation(error);
  if (constraint === 'businesses_ref_key') return fail('ref_taken');
  if (constraint === 'businesses_owner_name_key') return fail('business_exists');
  throw error;
}

export async function createBusiness(ctx: AppContext, actor: Actor, body: CreateBusinessBody) {
  const warnings: Issue[] = [];
  const parsed = parseNik(body.owner.nik, ctx.regions);
  if (!parsed.ok) return fail('invalid_nik', { field: 'owner.nik', issue: parsed.error });
  warnings.push(...parsed.warnings);
  warnings.push(
    ...checkNikAgainstRecord(parsed.value, { birthDate: body.owner.birthDate, sex: body.owner.sex }),
  );
  const region = resolveRegion(ctx, body.regionCode);
  if (!reachesKecamatan(actor, region.kecamatanCode)) fail('forbidden');
  const kbli = resolveKbli(ctx, body.kbli);
  const phone = resolvePhone(body.owner.phone);

  let outcome: { row: Row } | { reviewId: string };
  try {
    outcome = await ctx.db.transaction(async (tx) => {
      let owner = await getPersonByNik(tx, parsed.value.nik);
      // The NIK of a person the officer may not see (another kecamatan's owner): attaching would
      // hand over their personal data and let the officer rewrite it. Nothing of that person is
      // answered; the link is left for an officer who sees both, and the attempt is audited.
      if (owner && !(await personInScope(tx, registryScope(actor), owner.id))) {
        const review =
          (await insertIdentityReview(tx, {
            personId: owner.id,
            kecamatanCode: region.kecamatanCode,
            request: body,
            requestedBy: actor.userId,
          })) ?? fail('conflict');
        await recordChange(tx, actor, {
          action: 'identity_review',
          entity: 'person',
          entityId: owner.id,
          after: { reviewId: review.id, kecamatanCode: region.kecamatanCode, businessName: body.name },
        });
        return { reviewId: review.id };
      }
      if (!owner) {
        owner = await insertPerson(tx, {
          nik: parsed.value.nik,
          name: body.owner.name,
          sex: body.owner.sex ?? parsed.value.sex,
          birthDate: body.owner.birthDate ?? parsed.value.birthDate,
          phone,
          address: body.owner.address ?? null,
        });
        await recordChange(tx, actor, {
          action: 'create',
          entity: 'person',
          entityId: owner.id,
          after: owner,
        });
      }
      const business = await insertBusinessOf(tx, actor, owner.id, body, { region, kbli });
      return { row: { business, owner } };
    });
  } catch (error) {
    return businessConflict(error);
  }
  if ('reviewId' in outcome) return fail('identity_review', { reviewId: outcome.reviewId });
  return { ...presentBusiness(ctx, outcome.row), warnings };
}

// ---- identity reviews: a NIK registered in one kecamatan that belongs to a person of another ----

export async function listIdentityReviews(
  ctx: AppContext,
  page: { limit: number; cursor?: string | undefined },
) {
  const values = decodeCursor(page.cursor, 2);
  const after = values ? ([String(values[0]), String(values[1])] as [string, string]) : null;
  if (after && !uuidPattern.test(after[1])) fail('validation_failed', { field: 'cursor' });
  const rows = await listOpenIdentityReviews(ctx.db, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.cursorAt, r.review.id]);
  return {
    items: result.items.map(
      (r): IdentityReview => ({
        id: r.review.id,
        createdAt: r.review.createdAt,
        requestedBy: r.requestedBy,
        kecamatan: r.review.kecamatanCode,
        kecamatanName: ctx.regions.get(r.review.kecamatanCode)?.name ?? null,
        businessName: (r.review.request as CreateBusinessBody).name,
        person: { id: r.person.id, name: r.person.name, nik: maskNik(r.person.nik) },
      }),
    ),
    nextCursor: result.nextCursor,
  };
}

// Registers the requested business for the existing person (whose own record stays as it is).
export async function linkIdentityReview(ctx: AppContext, actor: Actor, id: string) {
  const stored = (await getIdentityReview(ctx.db, id)) ?? fail('not_found');
  const body = stored.request as CreateBusinessBody;
  const resolved = { region: resolveRegion(ctx, body.regionCode), kbli: resolveKbli(ctx, body.kbli) };
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const review =
        (await getOpenIdentityReviewForUpdate(tx, id)) ??
        fail('conflict', { reason: 'already_decided' }, 'This review was already decided.');
      const owner = (await getPersonById(tx, review.personId)) ?? fail('not_found');
      const business = await insertBusinessOf(tx, actor, owner.id, body, resolved);
      const decided =
        (await decideIdentityReview(tx, id, {
          status: 'linked',
          businessId: business.id,
          decidedBy: actor.userId,
        })) ?? fail('conflict');
      await recordChange(tx, actor, {
        action: 'link',
        entity: 'identity_review',
        entityId: id,
        before: review,
        after: decided,
      });
      return { business, owner };
    });
    return presentBusiness(ctx, row);
  } catch (error) {
    return businessConflict(error);
  }
}

export async function dismissIdentityReview(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const review =
      (await getOpenIdentityReviewForUpdate(tx, id)) ??
      ((await getIdentityReview(tx, id))
        ? fail('conflict', { reason: 'already_decided' }, 'This review was already decided.')
        : fail('not_found'));
    const decided =
      (await decideIdentityReview(tx, id, { status: 'dismissed', decidedBy: actor.userId })) ??
      fail('conflict');
    await recordChange(tx, actor, {
      action: 'dismiss',
      entity: 'identity_review',
      entityId: id,
      before: review,
      after: decided,
    });
  });
}

export async function updateBusiness(ctx: AppContext, actor: Actor, id: string, body: UpdateBusinessBody) {
  if ((body.regionCode !== undefined || body.ref !== undefined) && !can(actor, 'editRegistryKeys'))
    fail('forbidden');
  const region = body.regionCode ? resolveRegion(ctx, body.regionCode) : null;
  if (region && !reachesKecamatan(actor, region.kecamatanCode)) fail('forbidden');
  const kbli = body.kbli === undefined ? {} : resolveKbli(ctx, body.kbli);
  const phone = body.owner?.phone === undefined ? undefined : resolvePhone(body.owner.phone);

  try {
    const row = await ctx.db.transaction(async (tx) => {
      const before = (await getBusinessForUpdate(tx, registryScope(actor), id)) ?? fail('not_found');
      const { owner: ownerPatch, regionCode: _region, kbli: _kbli, ...fields } = body;
      const business = await updateBusinessRow(tx, id, { ...fields, ...kbli, ...(region ?? {}) });
      await recordChange(tx, actor, {
        action: 'update',
        entity: 'business',
        entityId: id,
        before: before.business,
        after: business,
      });
      let owner = before.owner;
      if (ownerPatch && Object.keys(ownerPatch).length > 0) {
        owner = await updatePerson(tx, owner.id, {
          ...ownerPatch,
          ...(phone === undefined ? {} : { phone }),
        });
        await recordChange(tx, actor, {
          action: 'update',
          entity: 'person',
          entityId: owner.id,
          before: before.owner,
          after: owner,
        });
      }
      return { business, owner };
    });
    return presentBusiness(ctx, row);
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'businesses_ref_key') return fail('ref_taken');
    if (constraint === 'businesses_owner_name_key') return fail('business_exists');
    throw error;
  }
}

export async function revealPersonalData(ctx: AppContext, actor: Actor, id: string) {
  const row = (await getBusiness(ctx.db, registryScope(actor), id)) ?? fail('not_found');
  await recordPersonalDataAccess(ctx.db, actor, { kind: 'view', subject: `person:${row.owner.id}` });
  return { nik: row.owner.nik, birthDate: row.owner.birthDate, phone: row.owner.phone };
}

// Used by other modules (programs) to judge eligibility without reading our tables.
export async function getEligibilityFacts(
  ctx: AppContext,
  businessId: string,
  on: string,
): Promise<EligibilityFacts | null> {
  const row = await getBusinessFacts(ctx.db, businessId);
  return row ? eligibilityFactsOf(row.business, row.owner, on) : null;
}

// The facts a program's rule is judged on, from the business's and its owner's columns (read
// by getEligibilityFacts, or by the caller's own statement), on the program's first day.
export function eligibilityFactsOf(
  b: {
    kecamatanCode: string;
    regionCode: string;
    kbli: string | null;
    annualTurnover: number | null;
    capital: number | null;
    covidImpacted: boolean | null;
    workers: number | null;
    status: EligibilityFacts['status'];
  },
  o: { birthDate: string | null; sex: EligibilityFacts['ownerSex'] },
  on: string,
): EligibilityFacts {
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

export async function getBusinessSummary(ctx: AppContext, businessId: string) {
  const row = await getBusinessFacts(ctx.db, businessId);
  return row ? presentBusiness(ctx, row) : null;
}

// The person an owner's account belongs to: their name, and the phone an invitation goes to.
// Takes the handle, so that it can be read inside the caller's transaction.
export async function getPersonContact(db: DbOrTx, personId: string) {
  const person = await getPersonById(db, personId);
  return person ? { id: person.id, name: person.name, phone: person.phone } : null;
}
