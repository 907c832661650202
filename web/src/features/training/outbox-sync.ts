import { ApiError, api, isTransient } from '../../lib/api';
import type { CheckInResult } from '../../lib/types';
import { listOutbox, type OutboxItem, patchSavedSession, removeFromOutbox, updateOutboxItem } from './outbox';

// Sends the outbox to the server. Duplicates cannot arise: the outbox holds one item per
// session and participant, and the server answers a resend with the first check-in
// (duplicate: true), so an item sent twice (a lost answer, two tabs) still counts once.

export type OutboxChange =
  | { type: 'changed' }
  | { type: 'sent'; sessionId: string; applicationId: string; result: CheckInResult };

const listeners = new Set<(change: OutboxChange) => void>();
// Other tabs of the app on this phone hear about changes too.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('pulih-outbox') : null;
channel?.addEventListener('message', (event: MessageEvent<OutboxChange>) => {
  for (const listener of listeners) listener(event.data);
});

export function onOutboxChange(listener: (change: OutboxChange) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announce(change: OutboxChange) {
  for (const listener of listeners) listener(change);
  channel?.postMessage(change);
}

export type SyncReport = {
  sent: { item: OutboxItem; result: CheckInResult }[];
  failed: OutboxItem[];
  // Stopped early: no signal, the login expired, or the server is struggling.
  interrupted: ApiError | null;
};

function send(item: OutboxItem): Promise<CheckInResult> {
  const who = item.token ? { token: item.token } : { applicationId: item.applicationId };
  return api<CheckInResult>(`/sessions/${item.sessionId}/attendance`, {
    method: 'POST',
    body: { ...who, method: item.method, checkedInAt: item.checkedInAt },
  });
}

async function sendAll(): Promise<SyncReport> {
  const report: SyncReport = { sent: [], failed: [], interrupted: null };
  const pending = (await listOutbox()).filter((item) => item.state === 'pending');
  for (const item of pending) {
    try {
      const result = await send(item);
      await patchSavedSession(item.sessionId, item.applicationId, result);
      await removeFromOutbox(item.key);
      report.sent.push({ item, result });
      announce({ type: 'sent', sessionId: item.sessionId, applicationId: item.applicationId, result });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e));
      if (isTransient(error)) {
        await updateOutboxItem(item.key, { attempts: item.attempts + 1 });
        report.interrupted = error;
        break;
      }
      const failed: Partial<OutboxItem> = {
        state: 'failed',
        attempts: item.attempts + 1,
        error: { status: error.status, code: error.code, message: error.message },
      };
      await updateOutboxItem(item.key, failed);
      report.failed.push({ ...item, ...failed });
      announce({ type: 'changed' });
    }
  }
  return report;
}

let running: Promise<SyncReport> = Promise.resolve({ sent: [], failed: [], interrupted: null });

// One sync at a time on this phone: across tabs through the Web Locks API where there is
// one, within the tab by chaining. A call made during a sync runs after it, so a check-in
// added meanwhile is not left waiting for the next interval.
export function syncOutbox(): Promise<SyncReport> {
  const run = async (): Promise<SyncReport> =>
    typeof navigator.locks?.request === 'function'
      ? await navigator.locks.request('pulih-outbox-sync', sendAll)
      : await sendAll();
  running = running.then(run, run);
  return running;
}
