import type { SQL } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { kecamatanScope } from '../../access/access.service.ts';
import {
  type ClauseDescription,
  describeRule,
  type EligibilityFieldName,
  validateRule,
} from '../../domain/eligibility.ts';
import { maskNik } from '../../domain/nik.ts';
import { maskPhone, normalizePhone, whatsappLink } from '../../domain/phone.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import { RuleNotScreenable, ruleToSql } from '../../domain/rule-sql.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Language, translator } from '../../lib/i18n.ts';
import type { Actor } from '../../policies.ts';
import { recordPersonalDataAccess } from '../audit/audit.service.ts';
import { getOrganisationName, getProgramRow } from '../programs/programs.service.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { formatDateRange, renderInvitationsPdf } from './screening.pdf.ts';
import {
  countEligibleByKecamatan,
  type EligibleRow,
  listEligibleRows,
  ruleCondition,
  type ScreeningScope,
} from './screening.queries.ts';
import type {
  EligibleBusiness,
  KecamatanCount,
  RuleClauseText,
  RuleDescription,
  RulePreview,
  ScreeningResult,
} from './screening.schema.ts';

type ProgramRow = NonNullable<Awaited<ReturnType<typeof getProgramRow>>>;

const firstPageSize = 50;
// A printed list longer than this is asked for per kecamatan.
export const invitationRowLimit = 2000;

// ---- the rule in words ----

const setOps = new Set(['eq', 'in', 'neq', 'not_in']);
const compareOps = new Set(['lt', 'lte', 'gt', 'gte']);
const specificSetFields = new Set(['kecamatan', 'kelurahan', 'kbli', 'size', 'status', 'ownerSex']);

function listFormat(lang: Language, words: string[]) {
  return new Intl.ListFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    style: 'long',
    type: 'disjunction',
  }).format(words);
}

function numberFormat(lang: Language, value: number, style: 'decimal' | 'rupiah' = 'decimal') {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    ...(style === 'rupiah' ? { style: 'currency', currency: 'IDR' } : {}),
    maximumFractionDigits: style === 'rupiah' ? 0 : 2,
  }).format(value);
}

// "Industri Barang Anyaman dari Rotan dan Bambu" reads as "barang anyaman dari rotan dan bambu"
// after "usaha".
function kbliWords(title: string) {
  return title.replace(/^Industri\s+/i, '').toLowerCase();
}

function valueWord(ctx: AppContext, t: TFunction, lang: Language, field: string, value: unknown): string {
  const text = String(value);
  switch (field as EligibilityFieldName) {
    case 'kecamatan':
    case 'kelurahan':
      return ctx.regions.get(text)?.name ?? text;
    case 'kbli': {
      const entry = ctx.kbli.get(text);
      return entry
        ? t('value.kbli', { title: kbliWords(entry.title), code: text })
        : t('value.kbliCode', { code: text });
    }
    case 'size':
    case 'status':
    case 'ownerSex':
    case 'exclusions':
      return t(`value.${field}.${text}`, { defaultValue: text });
    case 'annualTurnover':
      return typeof value === 'number' ? numberFormat(lang, value, 'rupiah') : text;
    case 'workers':
      return typeof value === 'number'
        ? t('value.people', { count: value, n: numberFormat(lang, value) })
        : text;
    case 'ownerAge':
      return typeof value === 'number'
        ? t('value.years', { count: value, n: numberFormat(lang, value) })
        : text;
    case 'covidImpacted':
      return typeof value === 'boolean' ? t(value ? 'value.yes' : 'value.no') : text;
  }
  return text;
}

export function clauseText(ctx: AppContext, lang: Language, clause: ClauseDescription): string {
  const t = translator(lang, 'rules');
  const { field, op, values } = clause;
  if (op === 'complex') return t('clause.complex', { rule: JSON.stringify(values[0] ?? null) });
  const subject = t(`subject.${field}`, { defaultValue: field });
  const words = values.map((v) => valueWord(ctx, t, lang, field, v));
  if (field === 'covidImpacted' && (op === 'true' || op === 'false')) return t(`clause.covidImpacted.${op}`);
  if (field === 'exclusions') {
    if (op === 'listed' || op === 'not_listed')
      return t(`clause.exclusions.${op}`, { values: listFormat(lang, words) });
    if (op === 'true' || op === 'false') return t(`clause.exclusions.${op}`);
  }
  if (op === 'true' || op === 'false') return t(`clause.bool.${op}`, { subject });
  if (setOps.has(op)) {
    const which = op === 'eq' || op === 'in' ? 'in' : 'not_in';
    const list = listFormat(lang, words);
    return specificSetFields.has(field)
      ? t(`clause.${field}.${which}`, { values: list })
      : t(`clause.generic.${which}`, { subject, values: list });
  }
  if (compareOps.has(op)) return t(`clause.compare.${op}`, { subject, value: words[0] ?? '' });
  return t('clause.complex', { rule: JSON.stringify(values) });
}

function clauseTexts(ctx: AppContext, lang: Language, rule: unknown): RuleClauseText[] {
  return describeRule(rule).map((c) => ({ ...c, text: clauseText(ctx, lang, c) }));
}

export function ruleSummary(lang: Language, clauses: RuleClauseText[]): string {
  const t = translator(lang, 'rules');
  return clauses.length === 0 ? t('everyone') : clauses.map((c) => c.text).join(t('summaryJoin'));
}

const today = () => new Date().toISOString().slice(0, 10);

function isScreenable(rule: unknown) {
  try {
    ruleToSql(rule, { on: today() });
    return true;
  } catch (error) {
    if (error instanceof RuleNotScreenable) return false;
    throw error;
  }
}

export function describeRuleText(
  ctx: AppContext,
  rule: unknown,
  lang: Language,
): RuleDescription & { summary: string } {
  const issues = validateRule(rule);
  if (issues.length > 0) return { valid: false, issues, screenable: false, clauses: [], summary: '' };
  const clauses = clauseTexts(ctx, lang, rule);
  return {
    valid: true,
    issues: [],
    screenable: isScreenable(rule),
    clauses,
    summary: ruleSummary(lang, clauses),
  };
}

// ---- screening ----

function compile(rule: unknown, on: string): SQL {
  const issues = validateRule(rule);
  if (issues.length > 0) return fail('invalid_rule', issues);
  try {
    return ruleCondition(ruleToSql(rule, { on }));
  } catch (error) {
    if (error instanceof RuleNotScreenable) {
      return fail('invalid_rule', [{ code: error.code, message: error.message }]);
    }
    throw error;
  }
}

// A kecamatan officer screens their own kecamatan only.
function scopeOf(actor: Actor, kecamatan: string | undefined): ScreeningScope {
  const asked = kecamatan ? (normalizeRegionCode(kecamatan) ?? kecamatan) : undefined;
  const own = kecamatanScope(actor);
  if (own === null) return { kecamatan: asked };
  if (asked && asked !== own) return fail('forbidden', { field: 'kecamatan' });
  return { kecamatan: own };
}

async function loadProgram(ctx: AppContext, programId: string) {
  const program = (await getProgramRow(ctx, programId)) ?? fail('not_found');
  const organisation = await getOrganisationName(ctx, program.organisationId);
  return { program, organisation, where: compile(program.eligibility, program.startDate) };
}

export function applicationUrl(base: string, programId: string) {
  return `${base.replace(/\/+$/, '')}/daftar/${programId}`;
}

type Invitation = { program: ProgramRow; organisation: string; link: string };

function inviteMessage(invitation: Invitation, row: EligibleRow): string {
  const t = translator('id', 'screening');
  const { program } = invitation;
  return t('invite.message', {
    owner: row.ownerName,
    business: row.name,
    organisation: invitation.organisation,
    program: program.name,
    dates: formatDateRange(program.startDate, program.endDate),
    place: program.venue ? t('invite.place', { venue: program.venue }) : '',
    link: invitation.link,
  });
}

function presentEligible(ctx: AppContext, invitation: Invitation, row: EligibleRow): EligibleBusiness {
  const phone = row.ownerPhone ? normalizePhone(row.ownerPhone) : null;
  const isVillage = row.regionCode.length > 8;
  return {
    businessId: row.businessId,
    name: row.name,
    ownerName: row.ownerName,
    nik: maskNik(row.ownerNik),
    phone: row.ownerPhone ? maskPhone(row.ownerPhone) : null,
    kecamatan: row.kecamatanCode,
    kecamatanName: ctx.regions.get(row.kecamatanCode)?.name ?? null,
    kelurahan: isVillage ? row.regionCode : null,
    kelurahanName: isVillage ? (ctx.regions.get(row.regionCode)?.name ?? null) : null,
    applicationStatus: row.applicationStatus as EligibleBusiness['applicationStatus'],
    // whatsappLink masks any NIK-like run; the message carries none.
    whatsappUrl: phone?.ok ? whatsappLink(phone.value, inviteMessage(invitation, row)) : null,
  };
}

function presentCounts(ctx: AppContext, rows: { kecamatan: string; eligible: number; applied: number }[]) {
  return rows.map(
    (r): KecamatanCount => ({
      kecamatan: r.kecamatan,
      kecamatanName: ctx.regions.get(r.kecamatan)?.name ?? null,
      eligible: r.eligible,
      applied: r.applied,
    }),
  );
}

async function eligiblePage(
  ctx: AppContext,
  actor: Actor,
  loaded: Awaited<ReturnType<typeof loadProgram>>,
  filter: ScreeningScope & { applied?: boolean | undefined },
  page: { limit: number; cursor?: string | undefined },
  base: string,
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listEligibleRows(ctx.db, loaded.where, loaded.program.id, filter, {
    limit: page.limit,
    after,
    order: 'name',
  });
  const result = pageOf(rows, page.limit, (r) => [r.name.toLowerCase(), r.businessId]);
  const invitation = {
    program: loaded.program,
    organisation: loaded.organisation,
    link: applicationUrl(base, loaded.program.id),
  };
  // Names with working phone links are personal data in view.
  if (result.items.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'view',
      subject: 'screening',
      filter: { programId: loaded.program.id, ...filter, cursor: page.cursor ?? null },
      rows: result.items.length,
    });
  }
  return {
    items: result.items.map((r) => presentEligible(ctx, invitation, r)),
    nextCursor: result.nextCursor,
  };
}

// Runs the program's rule over the whole registry: counts per kecamatan and the first page.
export async function runScreening(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  query: { kecamatan?: string | undefined },
  base: string,
  lang: Language,
): Promise<ScreeningResult> {
  const started = performance.now();
  const loaded = await loadProgram(ctx, programId);
  const scope = scopeOf(actor, query.kecamatan);
  const [counts, first] = await Promise.all([
    countEligibleByKecamatan(ctx.db, loaded.where, programId, scope),
    eligiblePage(ctx, actor, loaded, scope, { limit: firstPageSize }, base),
  ]);
  const byKecamatan = presentCounts(ctx, counts);
  return {
    programId,
    ranAt: new Date(),
    milliseconds: Math.round(performance.now() - started),
    rule: clauseTexts(ctx, lang, loaded.program.eligibility),
    applicationUrl: applicationUrl(base, programId),
    total: {
      eligible: byKecamatan.reduce((sum, k) => sum + k.eligible, 0),
      applied: byKecamatan.reduce((sum, k) => sum + k.applied, 0),
    },
    byKecamatan,
    eligible: first,
  };
}

export async function listEligible(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  query: { kecamatan?: string | undefined; applied?: 'true' | 'false' | undefined },
  page: { limit: number; cursor?: string | undefined },
  base: string,
) {
  const loaded = await loadProgram(ctx, programId);
  const scope = scopeOf(actor, query.kecamatan);
  const applied = query.applied === undefined ? undefined : query.applied === 'true';
  return eligiblePage(ctx, actor, loaded, { ...scope, applied }, page, base);
}

// Counts for a rule being edited, before it is saved to a program.
export async function previewRule(
  ctx: AppContext,
  actor: Actor,
  rule: unknown,
  startDate: string | undefined,
): Promise<RulePreview> {
  const started = performance.now();
  const where = compile(rule, startDate ?? today());
  const counts = await countEligibleByKecamatan(ctx.db, where, null, scopeOf(actor, undefined));
  return {
    total: counts.reduce((sum, k) => sum + k.eligible, 0),
    byKecamatan: presentCounts(ctx, counts).map(({ applied: _applied, ...k }) => k),
    milliseconds: Math.round(performance.now() - started),
  };
}

// The printable list of the businesses to invite (by default: eligible, not applied yet).
export async function invitationsPdf(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  query: { kecamatan?: string | undefined; applied: 'true' | 'false' | 'all' },
  base: string,
) {
  const loaded = await loadProgram(ctx, programId);
  const scope = scopeOf(actor, query.kecamatan);
  const applied = query.applied === 'all' ? undefined : query.applied === 'true';
  const [rows, counts] = await Promise.all([
    listEligibleRows(
      ctx.db,
      loaded.where,
      programId,
      { ...scope, applied },
      {
        limit: invitationRowLimit,
        after: null,
        order: 'region',
      },
    ),
    countEligibleByKecamatan(ctx.db, loaded.where, programId, scope),
  ]);
  const shown = rows.slice(0, invitationRowLimit);
  const total = counts.reduce(
    (sum, k) => sum + (applied === undefined ? k.eligible : applied ? k.applied : k.eligible - k.applied),
    0,
  );
  const clauses = clauseTexts(ctx, 'id', loaded.program.eligibility);
  const pdf = await renderInvitationsPdf({
    letterhead: await getLetterhead(ctx),
    organisation: loaded.organisation,
    programName: loaded.program.name,
    startDate: loaded.program.startDate,
    endDate: loaded.program.endDate,
    venue: loaded.program.venue,
    area: scope.kecamatan ? (ctx.regions.get(scope.kecamatan)?.name ?? scope.kecamatan) : null,
    rule: ruleSummary('id', clauses),
    applicationUrl: applicationUrl(base, programId),
    total,
    rows: shown.map((r) => ({
      business: r.name,
      owner: r.ownerName,
      kelurahan: r.regionCode.length > 8 ? (ctx.regions.get(r.regionCode)?.name ?? r.regionCode) : '-',
      phone: r.ownerPhone ? maskPhone(r.ownerPhone) : null,
    })),
  });
  if (shown.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'export',
      subject: 'screening_invitations',
      filter: { programId, ...scope, applied: query.applied },
      rows: shown.length,
    });
  }
  const area = scope.kecamatan ? `-${scope.kecamatan.replace(/\./g, '')}` : '';
  return { pdf, fileName: `undangan-${programId.slice(0, 8)}${area}.pdf` };
}
