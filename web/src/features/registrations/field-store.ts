import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type {
  FieldRegistrationBody,
  RegistrationItem,
} from '../../../../src/modules/registrations/registrations.schema';
import type { PhotoUpload } from '../../lib/image';
import type { Wire } from '../../lib/types';

// What the kecamatan officer's phone keeps for a day of visits without signal, in IndexedDB:
// - `lists`: the last queue of registrations opened (names, addresses, phones), to show with no
//   signal; the service worker (sw.ts) clears it on logout;
// - `outbox`: visits not yet accepted by the server, one per registration, each with the client
//   key the server records it under, so a resend after a lost answer counts once.
// The same design as the attendance outbox (features/training/outbox.ts), in a database of its own.
export const fieldDbName = 'pulih-field';
const version = 1;

export type Registration = Wire<RegistrationItem>;
export type SavedList = { key: string; savedAt: string; items: Registration[] };

export type VisitDraft = {
  outcome: 'terverifikasi' | 'perlu_perbaikan' | 'ditolak';
  businessExists: boolean;
  ownerMet: boolean;
  nikSeen: boolean;
  note: string | null;
  location: { latitude: number; longitude: number } | null;
  photo: PhotoUpload | null;
};

export type FieldOutboxItem = {
  registrationId: string;
  clientKey: string;
  visitedAt: string;
  visit: VisitDraft;
  state: 'pending' | 'failed';
  attempts: number;
  error: { status: number; code: string; message: string } | null;
};

// A business registered on a walk, waiting to be sent (POST /registrations with its client key).
export type WalkItem = {
  clientKey: string;
  savedAt: string;
  body: Omit<FieldRegistrationBody, 'clientKey'>;
  state: 'pending' | 'failed';
  attempts: number;
  error: { status: number; code: string; message: string; details?: unknown } | null;
};

// Reference lists the walk form needs with no signal: the kecamatan's kelurahan, the KBLI codes.
export type SavedReference = { key: string; items: { code: string; name: string }[] };

interface FieldSchema extends DBSchema {
  lists: { key: string; value: SavedList };
  outbox: { key: string; value: FieldOutboxItem };
  walks: { key: string; value: WalkItem };
  reference: { key: string; value: SavedReference };
}

let opening: Promise<IDBPDatabase<FieldSchema>> | null = null;

function db(): Promise<IDBPDatabase<FieldSchema>> {
  opening ??= openDB<FieldSchema>(fieldDbName, version, {
    upgrade(database) {
      database.createObjectStore('lists', { keyPath: 'key' });
      database.createObjectStore('outbox', { keyPath: 'registrationId' });
      database.createObjectStore('walks', { keyPath: 'clientKey' });
      database.createObjectStore('reference', { keyPath: 'key' });
    },
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

export function newClientKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `v-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function saveList(key: string, items: Registration[]): Promise<SavedList> {
  const saved = { key, savedAt: new Date().toISOString(), items };
  await (await db()).put('lists', saved);
  return saved;
}

export async function loadList(key: string): Promise<SavedList | null> {
  return (await (await db()).get('lists', key)) ?? null;
}

// A registration visited on the phone waits here; a second tap on the same one keeps the first.
export async function addVisit(registrationId: string, visit: VisitDraft): Promise<FieldOutboxItem> {
  const tx = (await db()).transaction('outbox', 'readwrite');
  const existing = await tx.store.get(registrationId);
  if (existing && existing.state === 'pending') {
    await tx.done;
    return existing;
  }
  const item: FieldOutboxItem = {
    registrationId,
    clientKey: newClientKey(),
    visitedAt: new Date().toISOString(),
    visit,
    state: 'pending',
    attempts: 0,
    error: null,
  };
  await tx.store.put(item);
  await tx.done;
  return item;
}

export async function listVisits(): Promise<FieldOutboxItem[]> {
  return (await db()).getAll('outbox');
}

export async function removeVisit(registrationId: string): Promise<void> {
  await (await db()).delete('outbox', registrationId);
}

export async function updateVisit(registrationId: string, change: Partial<FieldOutboxItem>): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite');
  const item = await tx.store.get(registrationId);
  if (item) await tx.store.put({ ...item, ...change });
  await tx.done;
}

export async function addWalk(body: WalkItem['body']): Promise<WalkItem> {
  const item: WalkItem = {
    clientKey: newClientKey(),
    savedAt: new Date().toISOString(),
    body,
    state: 'pending',
    attempts: 0,
    error: null,
  };
  await (await db()).put('walks', item);
  return item;
}

export async function listWalks(): Promise<WalkItem[]> {
  return (await db()).getAll('walks');
}

export async function removeWalk(clientKey: string): Promise<void> {
  await (await db()).delete('walks', clientKey);
}

export async function updateWalk(clientKey: string, change: Partial<WalkItem>): Promise<void> {
  const tx = (await db()).transaction('walks', 'readwrite');
  const item = await tx.store.get(clientKey);
  if (item) await tx.store.put({ ...item, ...change });
  await tx.done;
}

export async function saveReference(key: string, items: SavedReference['items']): Promise<void> {
  await (await db()).put('reference', { key, items });
}

export async function loadReference(key: string): Promise<SavedReference['items'] | null> {
  return (await (await db()).get('reference', key))?.items ?? null;
}
