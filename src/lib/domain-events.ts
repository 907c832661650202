import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { rowsOf } from '../db/sql-rows.ts';

// Domain events, published inside the transaction of the decision they describe. Subscribers
// are registered at assembly (src/app/app-context.ts), so the publishing modules (programs,
// training, aid, complaints) import only this file and never the modules that listen: the
// notifications module writes its outbox rows in the same transaction, so a message is queued
// exactly when the decision commits (the transactional outbox).
//
// A subscriber must use only `tx` (PGlite has one connection) and must not fail the decision
// for a reason of its own: it writes rows, it does not call out.

// Application status events, in the programs module's words (application_events.kind).
export type ApplicationNotice = {
  applicationId: string;
  // applied, enrolled, selected, waitlisted, promoted, withdrawn, …
  kind: string;
  // the application_events id: one event, one message however often it is published
  eventId: number;
};

export type DomainEvent =
  | { type: 'application.status'; items: ApplicationNotice[] }
  | { type: 'certificate.issued'; items: { applicationId: string; code: string }[] }
  // training: a session moved (new date/time) or cancelled; key tells one change from another
  | {
      type: 'session.changed';
      sessionId: string;
      change: 'moved' | 'cancelled';
      key: string;
      date?: string | undefined;
      startsAt?: string | undefined;
    }
  // aid: a handover appointment for an allocation
  | {
      type: 'handover.scheduled';
      allocationId: string;
      businessId: string;
      item: string;
      at: string;
      place?: string | undefined;
      key: string;
    }
  // a follow-up (monitoring) the office asks a participant for
  | { type: 'followup.requested'; applicationId: string; link?: string | undefined; key: string }
  // complaints: the answer goes to the complainant, who may not be in the registry
  | {
      type: 'complaint.answered';
      complaintId: string;
      code: string;
      name: string;
      phone: string | null;
      email?: string | null | undefined;
      programId?: string | null | undefined;
      link?: string | undefined;
      key: string;
    };

export type DomainEventType = DomainEvent['type'];
type Subscriber = (tx: Tx, event: DomainEvent) => Promise<void>;

// Keyed by subscriber: subscribing again replaces, so assembling twice in one process is harmless.
const subscribers = new Map<string, Subscriber>();

export function subscribe(name: string, subscriber: Subscriber): void {
  subscribers.set(name, subscriber);
}

export async function publish(tx: Tx, event: DomainEvent): Promise<void> {
  for (const subscriber of subscribers.values()) await subscriber(tx, event);
}

// ---- prepared: for a decision taken in one database statement ----
//
// An application is decided by one statement in the database (the pulih_apply function), which
// cannot call subscribers between its steps. So it asks them beforehand, with the application's
// id and status token, for the outbox rows each outcome it may reach would queue; the statement
// writes those of the outcome it reached, keyed by the event it recorded
// ('application_event:<id>', as a published event is). A subscriber that writes on an
// application event registers both: `subscribe` for the events published by other decisions
// (a withdrawal, a promotion, the selection run) and `prepareFor` for these.

export type ApplicationDraft = {
  applicationId: string;
  businessId: string;
  programId: string;
  statusToken: string;
  // the event kinds the decision may record (enrolled or waitlisted; applied; …)
  kinds: readonly string[];
};

// notification_outbox rows per event kind, in the table's column names, without event_key and
// application_id (the statement sets both).
export type PreparedOutbox = Record<string, Record<string, unknown>[]>;

// The business and the program a preparer reads for: each an id, or an expression of the
// caller's statement (the public form finds the business in the statement that reads it).
export type ApplicationTarget = { businessId: string | SQL; programId: string | SQL };

// A preparer in two halves, so that its read can ride in the caller's own statement (one round
// trip for everything an application needs): `read` is a scalar SQL expression (one JSON
// value) over the business and the program; `render` makes the outbox rows from that value for
// the application id and token of the draft, and may be called again for another id and token
// without reading again.
export type Preparer = {
  read: (target: ApplicationTarget) => SQL;
  render: (db: DbOrTx, data: unknown, draft: ApplicationDraft) => Promise<PreparedOutbox>;
};

const preparers = new Map<string, Preparer>();

export function prepareFor(name: string, preparer: Preparer): void {
  preparers.set(name, preparer);
}

// What the preparers read, as one JSON object keyed by preparer, for the caller's statement.
export function applicationEventReads(target: ApplicationTarget): SQL {
  const parts = [...preparers].map(([name, p]) => sql`${name}::text, ${p.read(target)}`);
  return parts.length === 0 ? sql`'{}'::json` : sql`json_build_object(${sql.join(parts, sql`, `)})`;
}

// The outbox rows of every preparer, from what applicationEventReads read.
export async function renderApplicationEvent(
  db: DbOrTx,
  read: Record<string, unknown>,
  draft: ApplicationDraft,
): Promise<PreparedOutbox> {
  const merged: PreparedOutbox = {};
  for (const [name, preparer] of preparers)
    for (const [kind, rows] of Object.entries(await preparer.render(db, read[name] ?? null, draft)))
      merged[kind] = [...(merged[kind] ?? []), ...rows];
  return merged;
}

// Both halves, on their own round trip (a caller without a statement of its own).
export async function readApplicationEvent(
  db: DbOrTx,
  target: { businessId: string; programId: string },
): Promise<Record<string, unknown>> {
  const [row] = rowsOf<{ data: Record<string, unknown> | string }>(
    await db.execute(sql`select ${applicationEventReads(target)} as data`),
  );
  const data = row?.data ?? {};
  return typeof data === 'string' ? (JSON.parse(data) as Record<string, unknown>) : data;
}
