import { requireAccess, requirePermission } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getBusinessSummary } from '../businesses/businesses.service.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { listStorefrontProducts, storefrontUrlOf } from '../storefronts/storefronts.service.ts';
import { type EventListRow, renderBoothListPdf, renderEventAttendancePdf } from './events.pdf.ts';
import {
  countParticipants,
  deleteParticipant,
  type EventRow,
  getEvent,
  getEventForUpdate,
  getParticipant,
  insertEvent,
  insertParticipant,
  listEventDates,
  listEvents as listEventRows,
  listEventsOfBusiness as listEventsOfBusinessRows,
  listParticipants,
  type ParticipantRow,
  updateEvent as updateEventRow,
  updateParticipantBooth,
} from './events.queries.ts';
import type {
  CreateEventBody,
  EventDetail,
  EventItem,
  EventParticipant,
  ParticipantBody,
  UpdateEventBody,
} from './events.schema.ts';

// Promotion events (bazaar, pameran, temu bisnis): dates, venue, the businesses taking part and
// their booths, a public page /acara/{id}, and the printed booth and attendance lists. The sales
// made at an event are the sales module's (it asks this module who took part).

export const eventPagePath = (id: string) => `/acara/${id}`;

// Printed in Indonesian, as every office document.
export const eventKindLabel: Record<EventRow['kind'], string> = {
  bazaar: 'Bazar',
  pameran: 'Pameran',
  temu_bisnis: 'Temu Bisnis',
};

function present(row: EventRow, participantCount: number, baseUrl: string): EventItem {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    startDate: row.startDate,
    endDate: row.endDate,
    venue: row.venue,
    description: row.description,
    participantCount,
    publicUrl: `${baseUrl}${eventPagePath(row.id)}`,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function presentParticipants(ctx: AppContext, rows: ParticipantRow[]): Promise<EventParticipant[]> {
  const out: EventParticipant[] = [];
  for (const row of rows) {
    const business = await getBusinessSummary(ctx, row.businessId);
    if (!business) continue;
    out.push({
      businessId: row.businessId,
      businessName: business.name,
      ownerName: business.owner.name,
      kecamatan: business.kecamatan,
      kecamatanName: business.kecamatanName,
      booth: row.booth,
    });
  }
  return out;
}

// For the sales module and the pages: the event, or 404.
export async function getEventRow(ctx: AppContext, id: string): Promise<EventRow> {
  return (await getEvent(ctx.db, id)) ?? fail('not_found');
}

export async function listEventParticipants(ctx: AppContext, id: string): Promise<EventParticipant[]> {
  return presentParticipants(ctx, await listParticipants(ctx.db, id));
}

export async function listEvents(
  ctx: AppContext,
  actor: Actor,
  filter: { kind?: EventRow['kind'] | undefined },
  page: { limit: number; cursor?: string | undefined },
  baseUrl: string,
) {
  requirePermission(actor, 'readEvents');
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listEventRows(ctx.db, filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.startDate, r.id]);
  const counts = await countParticipants(
    ctx.db,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) => present(r, counts.get(r.id) ?? 0, baseUrl)),
    nextCursor: result.nextCursor,
  };
}

export async function getEventDetail(
  ctx: AppContext,
  actor: Actor,
  id: string,
  baseUrl: string,
): Promise<EventDetail> {
  requirePermission(actor, 'readEvents');
  const row = await getEventRow(ctx, id);
  const participants = await listEventParticipants(ctx, id);
  return { ...present(row, participants.length, baseUrl), participants };
}

export async function createEvent(ctx: AppContext, actor: Actor, body: CreateEventBody, baseUrl: string) {
  requirePermission(actor, 'manageEvents');
  const row = await ctx.db.transaction(async (tx) => {
    const created = await insertEvent(tx, {
      name: body.name,
      kind: body.kind,
      startDate: body.startDate,
      endDate: body.endDate,
      venue: body.venue,
      description: body.description || null,
      createdBy: actor.userId,
    });
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'promotion_event',
      entityId: created.id,
      after: created,
    });
    return created;
  });
  return present(row, 0, baseUrl);
}

export async function updateEvent(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: UpdateEventBody,
  baseUrl: string,
) {
  requirePermission(actor, 'manageEvents');
  const row = await ctx.db.transaction(async (tx) => {
    const before = (await getEventForUpdate(tx, id)) ?? fail('not_found');
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined),
    ) as UpdateEventBody;
    if (changes.description === '') changes.description = null;
    const startDate = changes.startDate ?? before.startDate;
    const endDate = changes.endDate ?? before.endDate;
    if (endDate < startDate) fail('validation_failed', { field: 'endDate' }, 'endDate is before startDate');
    const after = await updateEventRow(tx, id, changes);
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'promotion_event',
      entityId: id,
      before,
      after,
    });
    return after;
  });
  return present(row, (await countParticipants(ctx.db, [id])).get(id) ?? 0, baseUrl);
}

function participantConflict(error: unknown): never {
  const constraint = uniqueViolation(error);
  if (constraint === 'event_participants_booth_key') fail('booth_taken', { field: 'booth' });
  if (constraint) fail('already_participating', { field: 'businessId' });
  throw error;
}

export async function addParticipant(ctx: AppContext, actor: Actor, id: string, body: ParticipantBody) {
  requirePermission(actor, 'manageEvents');
  await getEventRow(ctx, id);
  const business = await getBusinessSummary(ctx, body.businessId);
  if (!business) return fail('not_found', { field: 'businessId' });
  if (business.status === 'tutup')
    return fail('validation_failed', { field: 'businessId' }, 'The business has closed.');
  try {
    await ctx.db.transaction(async (tx) => {
      const row = await insertParticipant(tx, {
        eventId: id,
        businessId: body.businessId,
        booth: body.booth || null,
      });
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'event_participant',
        entityId: `${id}/${body.businessId}`,
        after: row,
      });
    });
  } catch (error) {
    participantConflict(error);
  }
  return (
    (await listEventParticipants(ctx, id)).find((p) => p.businessId === body.businessId) ?? fail('not_found')
  );
}

export async function updateParticipant(
  ctx: AppContext,
  actor: Actor,
  id: string,
  businessId: string,
  booth: string | null | undefined,
) {
  requirePermission(actor, 'manageEvents');
  try {
    await ctx.db.transaction(async (tx) => {
      const before = (await getParticipant(tx, id, businessId)) ?? fail('not_found');
      const after = await updateParticipantBooth(tx, id, businessId, booth || null);
      await recordChange(tx, actor, {
        action: 'update',
        entity: 'event_participant',
        entityId: `${id}/${businessId}`,
        before,
        after,
      });
    });
  } catch (error) {
    participantConflict(error);
  }
  return (await listEventParticipants(ctx, id)).find((p) => p.businessId === businessId) ?? fail('not_found');
}

export async function removeParticipant(ctx: AppContext, actor: Actor, id: string, businessId: string) {
  requirePermission(actor, 'manageEvents');
  await ctx.db.transaction(async (tx) => {
    const before = (await deleteParticipant(tx, id, businessId)) ?? fail('not_found');
    await recordChange(tx, actor, {
      action: 'delete',
      entity: 'event_participant',
      entityId: `${id}/${businessId}`,
      before,
    });
  });
}

async function listRows(ctx: AppContext, id: string, baseUrl: string): Promise<EventListRow[]> {
  const participants = await listEventParticipants(ctx, id);
  const rows: EventListRow[] = [];
  for (const p of participants) {
    const products = await listStorefrontProducts(ctx, p.businessId, baseUrl);
    rows.push({
      booth: p.booth,
      businessName: p.businessName,
      ownerName: p.ownerName,
      kecamatanName: p.kecamatanName,
      products: products.map((x) => x.name).join(', '),
    });
  }
  return rows;
}

export async function boothListPdf(ctx: AppContext, actor: Actor, id: string, baseUrl: string) {
  requirePermission(actor, 'readEvents');
  const event = await getEventRow(ctx, id);
  const pdf = await renderBoothListPdf({
    eventName: event.name,
    kindLabel: eventKindLabel[event.kind],
    startDate: event.startDate,
    endDate: event.endDate,
    venue: event.venue,
    rows: await listRows(ctx, id, baseUrl),
    letterhead: await getLetterhead(ctx),
  });
  return { pdf, fileName: `daftar-stan-${event.startDate}.pdf` };
}

export async function attendancePdf(
  ctx: AppContext,
  actor: Actor,
  id: string,
  date: string | undefined,
  baseUrl: string,
) {
  requirePermission(actor, 'readEvents');
  const event = await getEventRow(ctx, id);
  const day = date ?? event.startDate;
  if (day < event.startDate || day > event.endDate) {
    fail('validation_failed', { field: 'date' }, 'The date is not a day of the event.');
  }
  const pdf = await renderEventAttendancePdf({
    eventName: event.name,
    kindLabel: eventKindLabel[event.kind],
    startDate: event.startDate,
    endDate: event.endDate,
    venue: event.venue,
    date: day,
    rows: await listRows(ctx, id, baseUrl),
    letterhead: await getLetterhead(ctx),
  });
  return { pdf, fileName: `daftar-hadir-acara-${day}.pdf` };
}

// The public page: the event and its participants with their listed products (no personal data).
export async function getPublicEvent(ctx: AppContext, id: string, baseUrl: string) {
  const event = await getEvent(ctx.db, id);
  if (!event) return null;
  const participants = [];
  for (const p of await listEventParticipants(ctx, id)) {
    const storefrontUrl = await storefrontUrlOf(ctx, p.businessId, baseUrl);
    if (!storefrontUrl) continue;
    participants.push({
      businessId: p.businessId,
      businessName: p.businessName,
      kecamatanName: p.kecamatanName,
      booth: p.booth,
      storefrontUrl,
      products: await listStorefrontProducts(ctx, p.businessId, baseUrl),
    });
  }
  return { event, participants, url: `${baseUrl}${eventPagePath(id)}` };
}

// The sitemap's event pages.
export async function listPublicEventPages(ctx: AppContext, baseUrl: string, limit: number) {
  const rows = await listEventDates(ctx.db, limit);
  return rows.map((r) => ({ url: `${baseUrl}${eventPagePath(r.id)}`, updatedAt: r.updatedAt }));
}

export type PublicEvent = NonNullable<Awaited<ReturnType<typeof getPublicEvent>>>;

// The events a business takes part in, for its owner's sale form and its page (its scope).
export async function listEventsOfBusiness(ctx: AppContext, actor: Actor, businessId: string) {
  await requireAccess(ctx, actor, 'readBusinesses', [businessId]);
  const rows = await listEventsOfBusinessRows(ctx.db, businessId);
  return {
    items: rows.map((r) => ({
      id: r.event.id,
      name: r.event.name,
      kind: r.event.kind,
      startDate: r.event.startDate,
      endDate: r.event.endDate,
      venue: r.event.venue,
      booth: r.booth,
    })),
  };
}
