import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { eventParticipants, promotionEvents } from '../../db/schema.ts';

export type EventRow = typeof promotionEvents.$inferSelect;
export type ParticipantRow = typeof eventParticipants.$inferSelect;

export async function insertEvent(
  db: DbOrTx,
  values: typeof promotionEvents.$inferInsert,
): Promise<EventRow> {
  const [row] = await db.insert(promotionEvents).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function getEvent(db: DbOrTx, id: string): Promise<EventRow | null> {
  const [row] = await db.select().from(promotionEvents).where(eq(promotionEvents.id, id));
  return row ?? null;
}

export async function getEventForUpdate(db: DbOrTx, id: string): Promise<EventRow | null> {
  const [row] = await db.select().from(promotionEvents).where(eq(promotionEvents.id, id)).for('update');
  return row ?? null;
}

export async function updateEvent(
  db: DbOrTx,
  id: string,
  values: Partial<Omit<typeof promotionEvents.$inferInsert, 'id'>>,
): Promise<EventRow> {
  const [row] = await db
    .update(promotionEvents)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(promotionEvents.id, id))
    .returning();
  if (!row) throw new Error(`event ${id} vanished during update`);
  return row;
}

// Newest first: by start date, then id.
export async function listEvents(
  db: DbOrTx,
  filter: { kind?: EventRow['kind'] | undefined },
  page: { limit: number; after: [string, string] | null },
): Promise<EventRow[]> {
  return db
    .select()
    .from(promotionEvents)
    .where(
      and(
        filter.kind ? eq(promotionEvents.kind, filter.kind) : undefined,
        page.after
          ? sql`(${promotionEvents.startDate}, ${promotionEvents.id}) < (${page.after[0]}::date, ${page.after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(promotionEvents.startDate), desc(promotionEvents.id))
    .limit(page.limit + 1);
}

export async function countParticipants(db: DbOrTx, eventIds: string[]) {
  if (eventIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ eventId: eventParticipants.eventId, n: count() })
    .from(eventParticipants)
    .where(inArray(eventParticipants.eventId, eventIds))
    .groupBy(eventParticipants.eventId);
  return new Map(rows.map((r) => [r.eventId, Number(r.n)]));
}

// By booth (as text, those without one last), then when they joined.
export async function listParticipants(db: DbOrTx, eventId: string): Promise<ParticipantRow[]> {
  return db
    .select()
    .from(eventParticipants)
    .where(eq(eventParticipants.eventId, eventId))
    .orderBy(sql`${eventParticipants.booth} asc nulls last`, asc(eventParticipants.createdAt));
}

export async function getParticipant(db: DbOrTx, eventId: string, businessId: string) {
  const [row] = await db
    .select()
    .from(eventParticipants)
    .where(and(eq(eventParticipants.eventId, eventId), eq(eventParticipants.businessId, businessId)));
  return row ?? null;
}

export async function insertParticipant(db: DbOrTx, values: typeof eventParticipants.$inferInsert) {
  const [row] = await db.insert(eventParticipants).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateParticipantBooth(
  db: DbOrTx,
  eventId: string,
  businessId: string,
  booth: string | null,
) {
  const [row] = await db
    .update(eventParticipants)
    .set({ booth })
    .where(and(eq(eventParticipants.eventId, eventId), eq(eventParticipants.businessId, businessId)))
    .returning();
  return row ?? null;
}

export async function deleteParticipant(db: DbOrTx, eventId: string, businessId: string) {
  const [row] = await db
    .delete(eventParticipants)
    .where(and(eq(eventParticipants.eventId, eventId), eq(eventParticipants.businessId, businessId)))
    .returning();
  return row ?? null;
}

// The events a business takes part in, newest first.
export async function listEventsOfBusiness(db: DbOrTx, businessId: string) {
  return db
    .select({ event: promotionEvents, booth: eventParticipants.booth })
    .from(eventParticipants)
    .innerJoin(promotionEvents, eq(promotionEvents.id, eventParticipants.eventId))
    .where(eq(eventParticipants.businessId, businessId))
    .orderBy(desc(promotionEvents.startDate));
}

// The sitemap: every event's page, the latest change first.
export async function listEventDates(db: DbOrTx, limit: number) {
  return db
    .select({ id: promotionEvents.id, updatedAt: promotionEvents.updatedAt })
    .from(promotionEvents)
    .orderBy(desc(promotionEvents.updatedAt), desc(promotionEvents.id))
    .limit(limit);
}
