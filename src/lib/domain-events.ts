import type { Tx } from '../db/client.ts';

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
