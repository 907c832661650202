import {
  kecamatanWithin,
  registryScope,
  requireAccess,
  requirePermission,
} from '../../access/access.service.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getEventRow, listEventParticipants } from '../events/events.service.ts';
import { getProgramRow, listParticipants } from '../programs/programs.service.ts';
import { type ImportContext, readSalesFile } from './sales.import.ts';
import {
  insertSales,
  listBusinessesWithSales,
  listSales as listSaleRows,
  type Period,
  type SaleRow,
  soldAfter,
  totalInKecamatan,
  totalOfBusiness,
  totalsOfBusinesses,
  totalsOfEvent,
} from './sales.queries.ts';
import type {
  BusinessSalesSummary,
  CohortSales,
  EventSales,
  SaleBody,
  SaleItem,
  SalesByBusiness,
  SalesImportSummary,
} from './sales.schema.ts';

// Sales as recorded by a business's owner (on a phone, in a few seconds) or an office within
// the business's scope, or imported from an event's cash book; and the totals officers read:
// per business, per program cohort before and after the training, and per event. The module
// asks events and programs for who took part (their services), never their tables.

export { listBusinessesWithSales, soldAfter };

function present(row: SaleRow): SaleItem {
  return {
    id: row.id,
    businessId: row.businessId,
    date: row.date,
    amount: row.amount,
    channel: row.channel,
    note: row.note,
    eventId: row.eventId,
    source: row.source,
    createdAt: row.createdAt,
  };
}

function checkPeriod(period: Period) {
  if (period.from && period.to && period.to < period.from)
    fail('validation_failed', { field: 'to' }, 'to is before from');
}

export async function recordSale(ctx: AppContext, actor: Actor, businessId: string, body: SaleBody) {
  await requireAccess(ctx, actor, 'recordSales', [businessId]);
  if (body.eventId) {
    const event = await getEventRow(ctx, body.eventId).catch(() => fail('not_found', { field: 'eventId' }));
    const participants = await listEventParticipants(ctx, event.id);
    if (!participants.some((p) => p.businessId === businessId))
      fail('not_participating', { field: 'eventId' });
  }
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await insertSales(tx, [
      {
        businessId,
        date: body.date,
        amount: body.amount,
        channel: body.channel,
        note: body.note || null,
        eventId: body.eventId ?? null,
        source: 'entry',
        createdBy: actor.userId,
      },
    ]);
    if (!created) throw new Error('insert returned no row');
    await recordChange(tx, actor, { action: 'create', entity: 'sale', entityId: created.id, after: created });
    return created;
  });
  return present(row);
}

export async function listSales(
  ctx: AppContext,
  actor: Actor,
  businessId: string,
  query: Period & { limit: number; cursor?: string | undefined },
) {
  await requireAccess(ctx, actor, 'readSales', [businessId]);
  checkPeriod(query);
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listSaleRows(ctx.db, businessId, query, { limit: query.limit, after });
  const result = pageOf(rows, query.limit, (r) => [r.date, r.id]);
  return { items: result.items.map(present), nextCursor: result.nextCursor };
}

export async function getBusinessSalesSummary(
  ctx: AppContext,
  actor: Actor,
  businessId: string,
  period: Period,
): Promise<BusinessSalesSummary> {
  await requireAccess(ctx, actor, 'readSales', [businessId]);
  checkPeriod(period);
  const totals = await totalOfBusiness(ctx.db, businessId, period);
  return { businessId, from: period.from ?? null, to: period.to ?? null, ...totals };
}

// Officers: the businesses that sold in a period, largest first, within the actor's kecamatan.
export async function getSalesByBusiness(
  ctx: AppContext,
  actor: Actor,
  query: Period & { kecamatan?: string | undefined; limit: number },
): Promise<SalesByBusiness> {
  requirePermission(actor, 'readReports');
  checkPeriod(query);
  const asked = query.kecamatan ? (normalizeRegionCode(query.kecamatan) ?? query.kecamatan) : undefined;
  const kecamatanCode = kecamatanWithin(actor, asked);
  const filter = { from: query.from, to: query.to, kecamatanCode };
  const rows = await listBusinessesWithSales(ctx.db, { ...filter, limit: query.limit });
  const all = await totalInKecamatan(ctx.db, filter);
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    total: all.total,
    count: all.count,
    businesses: all.businesses,
    items: rows.map((r) => ({
      businessId: r.businessId,
      businessName: r.businessName,
      kecamatan: r.kecamatanCode,
      kecamatanName: ctx.regions.get(r.kecamatanCode)?.name ?? null,
      total: r.total,
      count: r.count,
      lastDate: r.lastDate,
    })),
  };
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// The same calendar day `months` later (or earlier), clamped to the month's last day.
function addMonths(isoDate: string, months: number): string {
  const [y = 0, m = 1, d = 1] = isoDate.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

// A program's cohort (its graduates) before and after the training: the `months` before the
// program's first day against the `months` after its last day, each business and in all.
export function cohortWindows(startDate: string, endDate: string, months: number) {
  return {
    before: { from: addMonths(startDate, -months), to: addDays(startDate, -1) },
    after: { from: addDays(endDate, 1), to: addMonths(endDate, months) },
  };
}

export async function getCohortSales(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  months: number,
): Promise<CohortSales> {
  requirePermission(actor, 'readReports');
  const program = (await getProgramRow(ctx, programId)) ?? fail('not_found');
  const graduates = (await listParticipants(ctx, programId, registryScope(actor))).filter(
    (p) => p.status === 'completed',
  );
  const ids = graduates.map((g) => g.businessId);
  const windows = cohortWindows(program.startDate, program.endDate, months);
  const before = await totalsOfBusinesses(ctx.db, ids, windows.before);
  const after = await totalsOfBusinesses(ctx.db, ids, windows.after);
  const items = graduates.map((g) => ({
    businessId: g.businessId,
    businessName: g.businessName,
    kecamatanName: g.kecamatanName,
    before: before.get(g.businessId)?.total ?? 0,
    after: after.get(g.businessId)?.total ?? 0,
  }));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    programId,
    months,
    ...windows,
    graduates: graduates.length,
    withSalesBefore: items.filter((i) => i.before > 0).length,
    withSalesAfter: items.filter((i) => i.after > 0).length,
    totalBefore: sum(items.map((i) => i.before)),
    totalAfter: sum(items.map((i) => i.after)),
    items: items.sort((a, b) => b.after - a.after || a.businessName.localeCompare(b.businessName)),
  };
}

export async function getEventSales(ctx: AppContext, actor: Actor, eventId: string): Promise<EventSales> {
  requirePermission(actor, 'readEvents');
  await getEventRow(ctx, eventId);
  const participants = await listEventParticipants(ctx, eventId);
  const totals = new Map((await totalsOfEvent(ctx.db, eventId)).map((r) => [r.businessId, r]));
  const items = participants.map((p) => ({
    businessId: p.businessId,
    businessName: p.businessName,
    booth: p.booth,
    total: totals.get(p.businessId)?.total ?? 0,
    count: totals.get(p.businessId)?.count ?? 0,
  }));
  // Sales of a business that has since left the event still count in the event's total.
  const total = [...totals.values()].reduce((a, r) => a + r.total, 0);
  const count = [...totals.values()].reduce((a, r) => a + r.count, 0);
  return {
    eventId,
    total,
    count,
    participants: participants.length,
    items: items.sort((a, b) => b.total - a.total || (a.booth ?? '').localeCompare(b.booth ?? '')),
  };
}

// An event's cash book: every row checked first; one bad row and nothing is recorded.
export async function importEventSales(
  ctx: AppContext,
  actor: Actor,
  eventId: string,
  file: { data: Buffer; name: string },
  dryRun: boolean,
): Promise<SalesImportSummary> {
  requirePermission(actor, 'manageEvents');
  const event = await getEventRow(ctx, eventId);
  const participants = await listEventParticipants(ctx, eventId);
  const context: ImportContext = {
    startDate: event.startDate,
    endDate: event.endDate,
    byBooth: new Map(participants.flatMap((p) => (p.booth ? [[p.booth, p.businessId] as const] : []))),
    byName: new Map(),
  };
  for (const p of participants) {
    const key = p.businessName.toLowerCase();
    context.byName.set(key, [...(context.byName.get(key) ?? []), p.businessId]);
  }
  const read = await readSalesFile(file.data, file.name, context);
  const total = read.sales.reduce((a, s) => a + s.amount, 0);
  const rejected = new Set(read.errors.map((e) => e.row)).size;
  const summary = { rows: read.rows, rejected, total, dryRun, errors: read.errors.slice(0, 500) };
  if (dryRun || read.errors.length > 0 || read.sales.length === 0) return { ...summary, inserted: 0 };
  await ctx.db.transaction(async (tx) => {
    await insertSales(
      tx,
      read.sales.map((s) => ({
        businessId: s.businessId,
        date: s.date,
        amount: s.amount,
        channel: s.channel as SaleRow['channel'],
        note: s.note,
        eventId,
        source: 'import' as const,
        createdBy: actor.userId,
      })),
    );
    await recordChange(tx, actor, {
      action: 'import',
      entity: 'sale',
      entityId: eventId,
      after: { file: file.name, rows: read.sales.length, total },
    });
  });
  return { ...summary, inserted: read.sales.length };
}
