import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { newClientId } from '../../lib/send-once';
import type { SessionDetail } from '../../lib/types';

// What the officer's phone keeps for working without signal, in IndexedDB:
// - `sessions`: the last list of participants of each session opened, to show with no signal;
// - `outbox`: check-ins not yet accepted by the server. Keyed by session and participant,
//   so a participant can wait in it once per session whatever is tapped or scanned twice.
// The service worker (sw.ts) clears `sessions` on logout; it opens this database by name.
export const offlineDbName = 'pulih-offline';
const version = 1;

export type SavedSession = { id: string; savedAt: string; detail: SessionDetail };

export type OutboxError = { status: number; code: string; message: string };

export type OutboxItem = {
  key: string;
  // Made on the phone, to tell check-ins apart in its own records and logs.
  clientId: string;
  sessionId: string;
  applicationId: string;
  method: 'qr' | 'manual';
  // The code scanned from the invitation card; the server checks it when the item is sent.
  token: string | null;
  // The phone's clock when the participant was checked in: the time the server records.
  checkedInAt: string;
  state: 'pending' | 'failed';
  attempts: number;
  error: OutboxError | null;
};

interface OfflineSchema extends DBSchema {
  sessions: { key: string; value: SavedSession };
  outbox: { key: string; value: OutboxItem; indexes: { bySession: string } };
}

let opening: Promise<IDBPDatabase<OfflineSchema>> | null = null;

function db(): Promise<IDBPDatabase<OfflineSchema>> {
  opening ??= openDB<OfflineSchema>(offlineDbName, version, {
    upgrade(database) {
      database.createObjectStore('sessions', { keyPath: 'id' });
      const outbox = database.createObjectStore('outbox', { keyPath: 'key' });
      outbox.createIndex('bySession', 'sessionId');
    },
    // Another tab holds an older version open; let it go rather than block this one.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase | null)?.close();
      opening = null;
    },
    terminated() {
      opening = null;
    },
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

export const outboxKey = (sessionId: string, applicationId: string) => `${sessionId}/${applicationId}`;

export async function saveSession(detail: SessionDetail): Promise<SavedSession> {
  const saved = { id: detail.id, savedAt: new Date().toISOString(), detail };
  await (await db()).put('sessions', saved);
  return saved;
}

export async function loadSession(id: string): Promise<SavedSession | null> {
  return (await (await db()).get('sessions', id)) ?? null;
}

export async function forgetSession(id: string): Promise<void> {
  await (await db()).delete('sessions', id);
}

// Brings the saved list in line with what the server now says about one participant.
export async function patchSavedSession(
  sessionId: string,
  applicationId: string,
  checkIn: { checkedInAt: string; method: 'qr' | 'manual' } | null,
): Promise<void> {
  const tx = (await db()).transaction('sessions', 'readwrite');
  const saved = await tx.store.get(sessionId);
  if (saved) {
    const participants = saved.detail.participants.map((p) =>
      p.applicationId === applicationId
        ? { ...p, checkedInAt: checkIn?.checkedInAt ?? null, method: checkIn?.method ?? null }
        : p,
    );
    await tx.store.put({ ...saved, detail: { ...saved.detail, participants } });
  }
  await tx.done;
}

// Adds a check-in unless this participant already waits in the outbox for this session; the
// first one stays, as the server keeps the first check-in. Answers the item that now waits.
export async function addToOutbox(
  input: Pick<OutboxItem, 'sessionId' | 'applicationId' | 'method' | 'token'>,
): Promise<{ item: OutboxItem; added: boolean }> {
  const tx = (await db()).transaction('outbox', 'readwrite');
  const key = outboxKey(input.sessionId, input.applicationId);
  const existing = await tx.store.get(key);
  if (existing) {
    await tx.done;
    return { item: existing, added: false };
  }
  const item: OutboxItem = {
    ...input,
    key,
    clientId: newClientId(),
    checkedInAt: new Date().toISOString(),
    state: 'pending',
    attempts: 0,
    error: null,
  };
  await tx.store.add(item);
  await tx.done;
  return { item, added: true };
}

export async function listOutbox(sessionId?: string): Promise<OutboxItem[]> {
  const database = await db();
  const items = sessionId
    ? await database.getAllFromIndex('outbox', 'bySession', sessionId)
    : await database.getAll('outbox');
  return items.sort((a, b) => a.checkedInAt.localeCompare(b.checkedInAt));
}

export async function getOutboxItem(key: string): Promise<OutboxItem | null> {
  return (await (await db()).get('outbox', key)) ?? null;
}

export async function removeFromOutbox(key: string): Promise<void> {
  await (await db()).delete('outbox', key);
}

export async function updateOutboxItem(key: string, change: Partial<OutboxItem>): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite');
  const item = await tx.store.get(key);
  if (item) await tx.store.put({ ...item, ...change, key });
  await tx.done;
}
