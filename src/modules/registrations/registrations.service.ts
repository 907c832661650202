import { createHash, randomBytes } from 'node:crypto';
import {
  kecamatanScope,
  kecamatanWithin,
  reachesKecamatan,
  requirePermission,
} from '../../access/access.service.ts';
import { searchKbli } from '../../domain/kbli-search.ts';
import { maskNik } from '../../domain/nik.ts';
import { officeDate, startOfOfficeDay } from '../../domain/office-time.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import {
  type Cell,
  matchHeader,
  type RegistryRecord,
  validateRegistryRow,
} from '../../domain/registry-row.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import { createBusiness } from '../businesses/businesses.service.ts';
import { countCandidates } from '../dedup/dedup.service.ts';
import { officeTimeZone, settingsRegionCode } from '../settings/settings.service.ts';
import {
  countRegistrations,
  decideRegistration,
  findMatchingPerson,
  getRegistration,
  getRegistrationByClientKey,
  getRegistrationByToken,
  getRegistrationPhoto,
  getVisitByClientKey,
  insertRegistration,
  insertVisit,
  listRegistrationRows,
  listVerifiedSince,
  type RegistrationRow,
  updateFixedRegistration,
} from './registrations.queries.ts';
import {
  consentVersion,
  type FieldRegistrationBody,
  type ListRegistrationsQuery,
  maxRegistrationPhotoBytes,
  type RegistrationItem,
  type RegistryOverview,
  type VisitBody,
} from './registrations.schema.ts';

// ---- the form's fields, checked as the registry import checks a row ----

// Every field as typed (the server-rendered form sends text; the API's numbers are turned into
// text), so that one validator, the import's, judges both.
export type RegistrationDraft = {
  nik: string;
  name: string;
  sex: string;
  birthDate: string;
  phone: string;
  address: string;
  regionCode: string;
  businessName: string;
  kbli: string;
  annualTurnover: string;
  workers: string;
  covidImpacted: string;
};

export type DraftField = keyof RegistrationDraft;

export const draftFields: readonly DraftField[] = [
  'nik',
  'name',
  'sex',
  'birthDate',
  'phone',
  'address',
  'regionCode',
  'businessName',
  'kbli',
  'annualTurnover',
  'workers',
  'covidImpacted',
];

// The import's column for each field of the form.
const columnOf: Record<DraftField, string> = {
  nik: 'nik',
  name: 'nama',
  sex: 'jenis_kelamin',
  birthDate: 'tanggal_lahir',
  phone: 'telepon',
  address: 'alamat',
  regionCode: 'kode_wilayah',
  businessName: 'nama_usaha',
  kbli: 'kbli',
  annualTurnover: 'omzet_tahunan',
  workers: 'tenaga_kerja',
  covidImpacted: 'terdampak_covid',
};
const fieldOfColumn = new Map(
  Object.entries(columnOf).map(([field, column]) => [column, field as DraftField]),
);
const header = matchHeader(draftFields.map((f) => columnOf[f]));

export type FieldIssue = { field: DraftField; code: string };

export type CheckedDraft =
  | { ok: true; record: RegistryRecord; warnings: FieldIssue[] }
  | { ok: false; errors: FieldIssue[] };

// Warnings that make the owner look again before sending (a typo in the birth date is likelier
// than a NIK that disagrees with its holder); the officer sees them on the visit.
export const confirmableWarnings = new Set(['nik_birthdate_mismatch', 'nik_sex_mismatch']);

export async function checkDraft(
  ctx: AppContext,
  draft: RegistrationDraft,
  kecamatanHeld: string | null,
): Promise<CheckedDraft> {
  const kabkotaCode = await settingsRegionCode(ctx);
  const cells: Cell[] = draftFields.map((f) => {
    const value = draft[f].trim();
    return value === '' ? null : value;
  });
  const outcome = validateRegistryRow(cells, header, {
    regions: ctx.regions,
    kbli: ctx.kbli,
    kabkotaCode,
    kecamatanScope: kecamatanHeld,
  });
  const issue = (i: { column: string | null; code: string }): FieldIssue => ({
    field: fieldOfColumn.get(i.column ?? '') ?? 'nik',
    code: i.code,
  });
  const errors: FieldIssue[] = outcome.ok ? [] : outcome.errors.map(issue);
  // What the import leaves optional and an owner registering must give.
  for (const field of ['sex', 'birthDate', 'phone', 'address', 'regionCode'] as const) {
    if (draft[field].trim() === '' && !errors.some((e) => e.field === field))
      errors.push({ field, code: 'required' });
  }
  // The kelurahan must be a village of this office's kab/kota.
  const code = normalizeRegionCode(draft.regionCode);
  if (
    code &&
    (code.length !== 13 || !code.startsWith(`${kabkotaCode}.`)) &&
    !errors.some((e) => e.field === 'regionCode')
  )
    errors.push({ field: 'regionCode', code: 'region_outside_office' });
  if (kecamatanHeld && code && !code.startsWith(`${kecamatanHeld}.`))
    errors.push({ field: 'regionCode', code: 'region_outside_scope' });
  if (!outcome.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, record: outcome.record, warnings: outcome.warnings.map(issue) };
}

// The typed body of the officer's API in the form's terms.
export function draftOfFields(body: FieldRegistrationBody): RegistrationDraft {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    nik: body.nik,
    name: body.name,
    sex: body.sex,
    birthDate: body.birthDate,
    phone: body.phone,
    address: body.address,
    regionCode: body.regionCode,
    businessName: body.businessName,
    kbli: text(body.kbli),
    annualTurnover: text(body.annualTurnover),
    workers: text(body.workers),
    covidImpacted:
      body.covidImpacted === null || body.covidImpacted === undefined
        ? ''
        : body.covidImpacted
          ? 'ya'
          : 'tidak',
  };
}

// ---- photos ----

const signatures: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export type Photo = { data: Buffer; contentType: string };

// The type stored is the one the bytes are (it is served back as such), whatever the client said.
export function checkPhoto(data: Buffer): Photo {
  if (data.length > maxRegistrationPhotoBytes)
    fail('photo_too_large', { maxBytes: maxRegistrationPhotoBytes, bytes: data.length });
  const contentType = Object.keys(signatures).find((type) => signatures[type]!(data));
  return contentType ? { data, contentType } : fail('unsupported_media', { field: 'photo' });
}

const photoOf = (photo: { dataBase64: string } | null | undefined) =>
  photo ? checkPhoto(Buffer.from(photo.dataBase64, 'base64')) : null;

// ---- self-registration ----

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
export const statusPathOfToken = (token: string) => `/daftar-usaha/status/${token}`;

function registrationValues(record: RegistryRecord) {
  const { person, business } = record;
  return {
    nik: person.nik,
    name: person.name,
    sex: person.sex ?? person.nikSex,
    birthDate: person.birthDate ?? person.nikBirthDate,
    phone: person.phone ?? '',
    address: person.address ?? '',
    regionCode: business.regionCode,
    kecamatanCode: business.kecamatanCode,
    businessName: business.name,
    kbli: business.kbli,
    kbliVersion: business.kbliVersion,
    annualTurnover: business.annualTurnover,
    workers: business.workers,
    covidImpacted: business.covidImpacted,
  };
}

// An owner's registration, accepted as menunggu_verifikasi whether or not the registry already
// holds this NIK (or a person with the same phone and birth date): the match is kept for the
// verifying officer and nothing of it reaches the answer, which is the same status link either way.
export async function registerInPublic(
  ctx: AppContext,
  record: RegistryRecord,
  warnings: FieldIssue[],
  photo: Photo | null,
): Promise<{ statusPath: string }> {
  const values = registrationValues(record);
  const token = randomBytes(24).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    const match = await findMatchingPerson(tx, values.nik, values.phone, values.birthDate);
    const row =
      (await insertRegistration(tx, {
        ...values,
        tokenHash: hashToken(token),
        source: 'public',
        photo: photo?.data ?? null,
        photoType: photo?.contentType ?? null,
        consentVersion,
        consentAt: new Date(),
        matchPersonId: match,
        warnings: warnings.map((w) => w.code),
      })) ?? fail('conflict');
    await recordChange(tx, null, {
      action: 'register',
      entity: 'registration',
      entityId: row.id,
      after: { source: 'public', kecamatanCode: values.kecamatanCode, consentVersion },
    });
  });
  return { statusPath: statusPathOfToken(token) };
}

export type PublicRegistrationStatus = {
  status: RegistrationRow['status'];
  businessName: string;
  createdAt: Date;
  updatedAt: Date;
  // What the officer asked to fix (perlu_perbaikan) or why it was refused (ditolak).
  officerNote: string | null;
  // The owner's own answers, to correct them (NIK masked: it is never changed here).
  draft: RegistrationDraft;
  maskedNik: string;
};

export async function getPublicRegistration(
  ctx: AppContext,
  token: string,
): Promise<PublicRegistrationStatus | null> {
  const row = await getRegistrationByToken(ctx.db, hashToken(token));
  if (!row) return null;
  const shownNote = row.status === 'perlu_perbaikan' || row.status === 'ditolak';
  return {
    status: row.status,
    businessName: row.businessName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    officerNote: shownNote ? row.officerNote : null,
    maskedNik: maskNik(row.nik),
    draft: {
      nik: row.nik,
      name: row.name,
      sex: row.sex,
      birthDate: row.birthDate,
      phone: row.phone,
      address: row.address,
      regionCode: row.regionCode,
      businessName: row.businessName,
      kbli: row.kbli ?? '',
      annualTurnover: row.annualTurnover === null ? '' : String(row.annualTurnover),
      workers: row.workers === null ? '' : String(row.workers),
      covidImpacted: row.covidImpacted === null ? '' : row.covidImpacted ? 'ya' : 'tidak',
    },
  };
}

// The owner's correction through the status link: the same checks, the NIK as registered, and the
// registration waits again. Only while it is perlu_perbaikan (else registration_not_fixable).
export async function fixRegistration(
  ctx: AppContext,
  token: string,
  record: RegistryRecord,
  warnings: FieldIssue[],
  photo: Photo | null,
) {
  const row = (await getRegistrationByToken(ctx.db, hashToken(token))) ?? fail('not_found');
  if (record.person.nik !== row.nik) fail('validation_failed', { field: 'nik' });
  const values = registrationValues(record);
  await ctx.db.transaction(async (tx) => {
    const match = await findMatchingPerson(tx, values.nik, values.phone, values.birthDate);
    const updated = await updateFixedRegistration(tx, row.id, {
      ...values,
      matchPersonId: match,
      warnings: warnings.map((w) => w.code),
      ...(photo ? { photo: photo.data, photoType: photo.contentType } : {}),
    });
    if (!updated) fail('registration_not_fixable');
    await recordChange(tx, null, {
      action: 'fix',
      entity: 'registration',
      entityId: row.id,
      after: { kecamatanCode: values.kecamatanCode },
    });
  });
}

export function searchKbliTitles(ctx: AppContext, q: string) {
  return searchKbli(ctx.kbli.list(2020), q).map((k) => ({
    code: k.code,
    title: k.title,
    version: k.version,
  }));
}

// ---- the officer's queue and visit ----

function presentRegistration(ctx: AppContext, row: RegistrationRow): RegistrationItem {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    owner: { name: row.name, nik: maskNik(row.nik), sex: row.sex, phone: row.phone, address: row.address },
    business: {
      name: row.businessName,
      kbli: row.kbli,
      kbliTitle: row.kbli ? (ctx.kbli.get(row.kbli)?.title ?? null) : null,
      annualTurnover: row.annualTurnover,
      workers: row.workers,
      covidImpacted: row.covidImpacted,
    },
    kelurahan: row.regionCode,
    kelurahanName: ctx.regions.get(row.regionCode)?.name ?? null,
    kecamatan: row.kecamatanCode,
    kecamatanName: ctx.regions.get(row.kecamatanCode)?.name ?? null,
    hasPhoto: row.photoType !== null,
    possibleDuplicate: row.matchPersonId !== null,
    warnings: Array.isArray(row.warnings) ? (row.warnings as string[]) : [],
    officerNote: row.officerNote,
    businessId: row.businessId,
  };
}

// The queue of a kecamatan, newest first. Phone and address are shown in full (the officer
// arranges and makes the visit), so every page is logged as a view of personal data.
export async function listRegistrations(ctx: AppContext, actor: Actor, query: ListRegistrationsQuery) {
  requirePermission(actor, 'verifyRegistrations');
  const kecamatan = kecamatanWithin(actor, query.kecamatan) ?? null;
  const cursor = decodeCursor(query.cursor, 2);
  const rows = await listRegistrationRows(ctx.db, {
    kecamatan,
    status: query.status,
    after: cursor ? { at: new Date(cursor[0] as string), id: cursor[1] as string } : null,
    limit: query.limit + 1,
  });
  const result = pageOf(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id]);
  if (result.items.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'view',
      subject: 'registrations',
      filter: { kecamatan, status: query.status ?? null, cursor: query.cursor ?? null },
      rows: result.items.length,
    });
  }
  return { items: result.items.map((r) => presentRegistration(ctx, r)), nextCursor: result.nextCursor };
}

export async function getRegistrationItem(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'verifyRegistrations');
  const row = (await getRegistration(ctx.db, id, kecamatanScope(actor))) ?? fail('not_found');
  await recordPersonalDataAccess(ctx.db, actor, { kind: 'view', subject: `registration:${id}` });
  return presentRegistration(ctx, row);
}

export async function getRegistrationPhotoFor(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'verifyRegistrations');
  return (await getRegistrationPhoto(ctx.db, id, kecamatanScope(actor))) ?? fail('not_found');
}

function businessBodyOf(
  row: Pick<
    RegistrationRow,
    | 'nik'
    | 'name'
    | 'sex'
    | 'birthDate'
    | 'phone'
    | 'address'
    | 'regionCode'
    | 'businessName'
    | 'kbli'
    | 'annualTurnover'
    | 'workers'
    | 'covidImpacted'
  >,
) {
  return {
    name: row.businessName,
    kbli: row.kbli,
    regionCode: row.regionCode,
    annualTurnover: row.annualTurnover,
    workers: row.workers,
    covidImpacted: row.covidImpacted,
    owner: {
      nik: row.nik,
      name: row.name,
      sex: row.sex,
      birthDate: row.birthDate,
      phone: row.phone,
      address: row.address,
    },
  };
}

// A visit synced from the officer's phone. A client key seen before answers what was recorded
// then (a resend after a lost answer); the database's unique key makes a race record it once.
// terverifikasi needs the whole checklist and puts the owner and business in the registry (the
// businesses service: an owner already there gets the business added); perlu_perbaikan and
// ditolak need the note the owner reads on the status link.
export async function recordVisit(ctx: AppContext, actor: Actor, id: string, body: VisitBody) {
  requirePermission(actor, 'verifyRegistrations');
  const seen = await getVisitByClientKey(ctx.db, body.clientKey);
  if (seen) return replayVisit(ctx, actor, id, seen);
  const row = (await getRegistration(ctx.db, id, kecamatanScope(actor))) ?? fail('not_found');
  if (row.status !== 'menunggu_verifikasi' && row.status !== 'perlu_perbaikan')
    fail('registration_decided', { status: row.status });
  const note = body.note?.trim() || null;
  if (body.outcome === 'terverifikasi' && !(body.businessExists && body.ownerMet && body.nikSeen))
    fail('visit_checklist_incomplete');
  if (body.outcome !== 'terverifikasi' && !note) fail('validation_failed', { field: 'note' });
  const photo = photoOf(body.photo);
  const businessId =
    body.outcome === 'terverifikasi' ? (await createBusiness(ctx, actor, businessBodyOf(row))).id : null;
  return ctx.db.transaction(async (tx) => {
    const visit =
      (await insertVisit(tx, {
        registrationId: row.id,
        clientKey: body.clientKey,
        officerId: actor.userId,
        visitedAt: new Date(body.visitedAt),
        outcome: body.outcome,
        businessExists: body.businessExists,
        ownerMet: body.ownerMet,
        nikSeen: body.nikSeen,
        latitude: body.location?.latitude ?? null,
        longitude: body.location?.longitude ?? null,
        note,
        photo: photo?.data ?? null,
        photoType: photo?.contentType ?? null,
      })) ?? fail('conflict');
    const decided =
      (await decideRegistration(tx, row.id, {
        status: body.outcome,
        officerNote: body.outcome === 'terverifikasi' ? null : note,
        businessId,
      })) ?? fail('registration_decided');
    await recordChange(tx, actor, {
      action: 'visit',
      entity: 'registration',
      entityId: row.id,
      before: { status: row.status },
      after: {
        status: decided.status,
        visitId: visit.id,
        businessId,
        checklist: { businessExists: body.businessExists, ownerMet: body.ownerMet, nikSeen: body.nikSeen },
        located: body.location ? true : false,
      },
    });
    return {
      visitId: visit.id,
      registrationId: row.id,
      outcome: visit.outcome,
      status: decided.status,
      businessId,
      replayed: false,
    };
  });
}

async function replayVisit(
  ctx: AppContext,
  actor: Actor,
  id: string,
  seen: { id: string; registrationId: string; outcome: RegistrationRow['status'] & VisitBody['outcome'] },
) {
  // A key is the phone's for one visit: used again for another registration it is a conflict.
  if (seen.registrationId !== id) fail('conflict', { field: 'clientKey' });
  const row = (await getRegistration(ctx.db, id, kecamatanScope(actor))) ?? fail('not_found');
  return {
    visitId: seen.id,
    registrationId: id,
    outcome: seen.outcome,
    status: row.status,
    businessId: row.businessId,
    replayed: true,
  };
}

// A business an officer found on a walk, entered on the phone (offline) and synced: the same
// checks as the owner's form, within the officer's kecamatan, recorded once per client key. The
// officer met the owner and saw the KTP, so the business goes into the registry at once (an
// officer-entered business); if the registry refuses it (an owner of another kecamatan, a
// business of that name already there) it waits in the queue like an owner's registration.
export async function registerInField(ctx: AppContext, actor: Actor, body: FieldRegistrationBody) {
  requirePermission(actor, 'verifyRegistrations');
  const earlier = await getRegistrationByClientKey(ctx.db, body.clientKey);
  if (earlier) {
    if (earlier.createdBy !== actor.userId) fail('conflict', { field: 'clientKey' });
    return {
      id: earlier.id,
      status: earlier.status,
      businessId: earlier.businessId,
      replayed: true,
      warnings: [],
    };
  }
  const checked = await checkDraft(ctx, draftOfFields(body), kecamatanScope(actor));
  if (!checked.ok) return fail('registration_invalid', { fields: checked.errors });
  const values = registrationValues(checked.record);
  if (!reachesKecamatan(actor, values.kecamatanCode)) fail('forbidden', { field: 'regionCode' });
  const photo = photoOf(body.photo);
  const warnings = checked.warnings.map((w) => w.code);
  const row = await ctx.db.transaction(async (tx) => {
    const match = await findMatchingPerson(tx, values.nik, values.phone, values.birthDate);
    const inserted = await insertRegistration(tx, {
      ...values,
      tokenHash: hashToken(randomBytes(24).toString('base64url')),
      source: 'officer',
      photo: photo?.data ?? null,
      photoType: photo?.contentType ?? null,
      consentVersion,
      consentAt: new Date(),
      matchPersonId: match,
      warnings,
      clientKey: body.clientKey,
      createdBy: actor.userId,
    });
    if (inserted)
      await recordChange(tx, actor, {
        action: 'register',
        entity: 'registration',
        entityId: inserted.id,
        after: { source: 'officer', kecamatanCode: values.kecamatanCode, consentVersion },
      });
    return inserted;
  });
  if (!row) {
    // The same key won a race a moment ago.
    const other = (await getRegistrationByClientKey(ctx.db, body.clientKey)) ?? fail('conflict');
    return { id: other.id, status: other.status, businessId: other.businessId, replayed: true, warnings };
  }
  let businessId: string | null = null;
  try {
    businessId = (await createBusiness(ctx, actor, businessBodyOf(row))).id;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'identity_review' && code !== 'business_exists') throw error;
    return {
      id: row.id,
      status: row.status,
      businessId: null,
      replayed: false,
      warnings: [...warnings, code],
    };
  }
  const decided = await ctx.db.transaction(async (tx) => {
    const updated = await decideRegistration(tx, row.id, {
      status: 'terverifikasi',
      officerNote: null,
      businessId,
    });
    await recordChange(tx, actor, {
      action: 'verify',
      entity: 'registration',
      entityId: row.id,
      after: { status: 'terverifikasi', businessId },
    });
    return updated;
  });
  return { id: row.id, status: decided?.status ?? row.status, businessId, replayed: false, warnings };
}

// ---- the kecamatan's registry page ----

export async function getRegistryOverview(
  ctx: AppContext,
  actor: Actor,
  asked: string | undefined,
  now = new Date(),
): Promise<RegistryOverview> {
  requirePermission(actor, 'verifyRegistrations');
  const kecamatan = kecamatanWithin(actor, asked) ?? null;
  const timeZone = await officeTimeZone(ctx.db);
  const monthStart = startOfOfficeDay(`${officeDate(now, timeZone).slice(0, 8)}01`, timeZone);
  const week = new Date(now.getTime() - 7 * 24 * 3600_000);
  const [counts, newest, verified, duplicates] = await Promise.all([
    countRegistrations(ctx.db, kecamatan, { week, monthStart }),
    listRegistrationRows(ctx.db, { kecamatan, status: 'menunggu_verifikasi', after: null, limit: 10 }),
    listVerifiedSince(ctx.db, kecamatan, monthStart, 10),
    countCandidates(ctx, actor),
  ]);
  const listed = (r: RegistrationRow, at: Date) => ({
    id: r.id,
    name: r.name,
    businessName: r.businessName,
    status: r.status,
    at,
  });
  return {
    kecamatan,
    kecamatanName: kecamatan ? (ctx.regions.get(kecamatan)?.name ?? null) : null,
    counts: { ...counts, duplicatesToReview: duplicates },
    newest: newest.map((r) => listed(r, r.createdAt)),
    verifiedRecently: verified.map((r) => listed(r, r.decidedAt ?? r.updatedAt)),
  };
}
