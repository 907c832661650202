import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { z } from 'zod';
import type { createMultiHandoverBody } from '../../../../src/modules/aid/aid.schema';
import { ApiError, api, isTransient } from '../../lib/api';
import { newClientId } from '../../lib/send-once';
import type { AidHandover } from '../../lib/types';

// Handovers recorded on the phone at the recipient's place, kept in IndexedDB until the server
// has them: the same way check-ins wait (features/training/outbox.ts), in a database of its own.
// Each carries a key made on the phone; the server answers a resend with the same key with the
// handover it already recorded, so a lost answer or a second tab never records it twice.
const dbName = 'pulih-aid-outbox';

export type HandoverBody = z.input<typeof createMultiHandoverBody>;

export type PendingHandover = {
  clientKey: string;
  businessId: string;
  // what the officer sees in the list while it waits
  label: string;
  body: HandoverBody & { clientKey: string };
  savedAt: string;
  state: 'pending' | 'failed';
  attempts: number;
  error: { status: number; code: string; message: string } | null;
};

interface Schema extends DBSchema {
  handovers: { key: string; value: PendingHandover };
}

let opening: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  opening ??= openDB<Schema>(dbName, 1, {
    upgrade(database) {
      database.createObjectStore('handovers', { keyPath: 'clientKey' });
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

export async function queueHandover(input: {
  businessId: string;
  label: string;
  body: HandoverBody;
}): Promise<PendingHandover> {
  const clientKey = newClientId();
  const item: PendingHandover = {
    clientKey,
    businessId: input.businessId,
    label: input.label,
    body: { ...input.body, clientKey },
    savedAt: new Date().toISOString(),
    state: 'pending',
    attempts: 0,
    error: null,
  };
  await (await db()).put('handovers', item);
  announce();
  return item;
}

export async function listPendingHandovers(): Promise<PendingHandover[]> {
  const items = await (await db()).getAll('handovers');
  return items.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function discardHandover(clientKey: string): Promise<void> {
  await (await db()).delete('handovers', clientKey);
  announce();
}

const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('pulih-aid-outbox') : null;
channel?.addEventListener('message', () => {
  for (const listener of listeners) listener();
});

export function onHandoverOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce() {
  for (const listener of listeners) listener();
  channel?.postMessage('changed');
}

export type HandoverSyncReport = {
  sent: Array<{ item: PendingHandover; handover: AidHandover }>;
  failed: PendingHandover[];
  interrupted: ApiError | null;
};

async function sendAll(): Promise<HandoverSyncReport> {
  const report: HandoverSyncReport = { sent: [], failed: [], interrupted: null };
  for (const item of (await listPendingHandovers()).filter((i) => i.state === 'pending')) {
    try {
      const handover = await api<AidHandover>('/aid/handovers', { method: 'POST', body: item.body });
      await (await db()).delete('handovers', item.clientKey);
      report.sent.push({ item, handover });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e));
      const database = await db();
      if (isTransient(error)) {
        await database.put('handovers', { ...item, attempts: item.attempts + 1 });
        report.interrupted = error;
        break;
      }
      const failed: PendingHandover = {
        ...item,
        state: 'failed',
        attempts: item.attempts + 1,
        error: { status: error.status, code: error.code, message: error.message },
      };
      await database.put('handovers', failed);
      report.failed.push(failed);
    }
  }
  if (report.sent.length > 0 || report.failed.length > 0) announce();
  return report;
}

let running: Promise<HandoverSyncReport> = Promise.resolve({ sent: [], failed: [], interrupted: null });

// One sync at a time on this phone (across tabs through Web Locks where there are).
export function syncHandovers(): Promise<HandoverSyncReport> {
  const run = async (): Promise<HandoverSyncReport> =>
    typeof navigator.locks?.request === 'function'
      ? await navigator.locks.request('pulih-aid-outbox-sync', sendAll)
      : await sendAll();
  running = running.then(run, run);
  return running;
}
