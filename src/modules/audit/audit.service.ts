import type { DbOrTx } from '../../db/client.ts';
import { maskBirthDate, maskNik } from '../../domain/nik.ts';
import { endOfOfficeDay, startOfOfficeDay } from '../../domain/office-time.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { AppContext } from '../../lib/context.ts';
import { type Language, translator } from '../../lib/i18n.ts';
import { type Actor, can } from '../../policies.ts';
import { auditCsv, auditXlsx } from './audit.export.ts';
import {
  type AuditRowFilter,
  insertAuditEntry,
  insertPersonalDataAccess,
  listAuditEntries,
  recordNames,
} from './audit.queries.ts';
import type { AuditEntry, AuditFilter } from './audit.schema.ts';

export type AuditAction = 'create' | 'update' | 'delete' | (string & {});

// Called inside the transaction that makes the change, so the log and the change commit together.
export async function recordChange(
  db: DbOrTx,
  actor: Actor | null,
  change: { action: AuditAction; entity: string; entityId: string | null; before?: unknown; after?: unknown },
) {
  await insertAuditEntry(db, {
    actorId: actor?.userId ?? null,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId,
    before: toJson(change.before),
    after: toJson(change.after),
  });
}

export async function recordPersonalDataAccess(
  db: DbOrTx,
  actor: Actor,
  access: { kind: 'view' | 'export'; subject: string; filter?: unknown; rows?: number },
) {
  await insertPersonalDataAccess(db, {
    actorId: actor.userId,
    kind: access.kind,
    subject: access.subject,
    filter: toJson(access.filter),
    rows: access.rows ?? 1,
  });
}

// Buffers (photos) and Dates do not belong in the log as they are.
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && 'type' in v && (v as { type: unknown }).type === 'Buffer'
        ? '[binary]'
        : v,
    ),
  );
}

const personalKeys: Record<string, (value: string) => string> = {
  nik: maskNik,
  birthDate: maskBirthDate,
  birth_date: maskBirthDate,
  phone: maskPhone,
};

// The audit log keeps full values (a change must be reconstructable), but reading it is not
// a reason to see a NIK: entries are masked on the way out.
export function maskPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const mask = personalKeys[key];
      return [key, mask && typeof v === 'string' ? mask(v) : maskPersonalData(v)];
    }),
  );
}

// The period is given in the office's calendar days; the log stores instants. The office time
// zone is a setting: the caller (audit.routes) reads it, because settings records its changes
// here and audit.service must not import it back.
function rowFilter(filter: AuditFilter, timeZone: string): AuditRowFilter {
  return {
    entity: filter.entity,
    entityId: filter.entityId,
    actorId: filter.actorId,
    since: filter.from ? startOfOfficeDay(filter.from, timeZone) : undefined,
    until: filter.to ? endOfOfficeDay(filter.to, timeZone) : undefined,
  };
}

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>[number];

// Names where the reader may see them: a person's name is personal data, so only a role that
// may reveal personal data gets it; the rest of a record is named for every reader of the log.
async function present(ctx: AppContext, actor: Actor, rows: AuditRow[]): Promise<AuditEntry[]> {
  const names = await recordNames(ctx.db, rows, { people: can(actor, 'revealPersonalData') });
  return rows.map((r) => ({
    ...r,
    recordName: r.entityId ? (names.get(`${r.entity}:${r.entityId}`) ?? null) : null,
    before: maskPersonalData(r.before),
    after: maskPersonalData(r.after),
  }));
}

export async function listAudit(
  ctx: AppContext,
  actor: Actor,
  filter: AuditFilter & { before?: number | undefined; limit: number },
  timeZone: string,
) {
  const rows = rowFilter(filter, timeZone);
  const found = await listAuditEntries(ctx.db, { ...rows, before: filter.before, limit: filter.limit });
  const more = found.length > filter.limit;
  const page = more ? found.slice(0, filter.limit) : found;
  return { rows: await present(ctx, actor, page), more, timeZone };
}

// Every entry of the filter, a thousand at a time, newest first (for the export).
export async function* auditBatches(ctx: AppContext, actor: Actor, filter: AuditFilter, timeZone: string) {
  const rows = rowFilter(filter, timeZone);
  let before: number | undefined;
  for (;;) {
    const found = await listAuditEntries(ctx.db, { ...rows, before, limit: 1000 });
    const page = found.slice(0, 1000);
    if (page.length > 0) yield await present(ctx, actor, page);
    if (found.length <= 1000) return;
    before = page.at(-1)?.id;
  }
}

// The log as a file for the auditor: the same filter, names and masking as the page, times in
// the office zone. The export itself is logged (with its filter and row count) once written.
export async function exportAudit(
  ctx: AppContext,
  actor: Actor,
  filter: AuditFilter,
  options: { format: 'csv' | 'xlsx'; lang: Language; timeZone: string },
) {
  const { timeZone } = options;
  const t = translator(options.lang, 'audit');
  const logged = { ...filter, format: options.format };
  const onEnd = async (rows: number, completed: boolean) => {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'export',
      subject: 'audit',
      filter: completed ? logged : { ...logged, interrupted: true },
      rows,
    });
  };
  const stamp = new Date().toISOString().slice(0, 16).replace(/\D/g, '');
  const batches = auditBatches(ctx, actor, filter, timeZone);
  return options.format === 'csv'
    ? {
        filename: `jejak-audit-${stamp}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: auditCsv(batches, t, timeZone, onEnd),
      }
    : {
        filename: `jejak-audit-${stamp}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        body: auditXlsx(batches, t, timeZone, onEnd),
      };
}
