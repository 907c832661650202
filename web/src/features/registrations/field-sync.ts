import { ApiError, api, isTransient } from '../../lib/api';
import {
  type FieldOutboxItem,
  listVisits,
  listWalks,
  removeVisit,
  removeWalk,
  updateVisit,
  updateWalk,
  type WalkItem,
} from './field-store';

// Sends the visits waiting on the phone. A visit is sent with its client key: the server records
// it once, and answers a resend (a lost answer, two tabs) with the visit it already has.

type VisitResult = { registrationId: string; status: string; replayed: boolean };

const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('pulih-field-outbox') : null;
channel?.addEventListener('message', () => {
  for (const listener of listeners) listener();
});

export function onFieldOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceFieldChange() {
  for (const listener of listeners) listener();
  channel?.postMessage('changed');
}

export type FieldSyncReport = {
  sent: VisitResult[];
  registered: WalkItem[];
  failed: (FieldOutboxItem | WalkItem)[];
  interrupted: ApiError | null;
};

function send(item: FieldOutboxItem): Promise<VisitResult> {
  return api<VisitResult>(`/registrations/${item.registrationId}/visits`, {
    method: 'POST',
    body: { clientKey: item.clientKey, visitedAt: item.visitedAt, ...item.visit },
  });
}

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e)));

// Businesses registered on a walk: the same client key on every attempt, so the server keeps one.
async function sendWalks(report: FieldSyncReport) {
  for (const item of (await listWalks()).filter((w) => w.state === 'pending')) {
    try {
      await api('/registrations', { method: 'POST', body: { ...item.body, clientKey: item.clientKey } });
      await removeWalk(item.clientKey);
      report.registered.push(item);
    } catch (e) {
      const error = asApiError(e);
      if (isTransient(error)) {
        await updateWalk(item.clientKey, { attempts: item.attempts + 1 });
        report.interrupted = error;
        return;
      }
      const failed: Partial<WalkItem> = {
        state: 'failed',
        attempts: item.attempts + 1,
        error: { status: error.status, code: error.code, message: error.message, details: error.details },
      };
      await updateWalk(item.clientKey, failed);
      report.failed.push({ ...item, ...failed });
    }
  }
}

async function sendAll(): Promise<FieldSyncReport> {
  const report: FieldSyncReport = { sent: [], registered: [], failed: [], interrupted: null };
  await sendWalks(report);
  if (report.interrupted) return report;
  const pending = (await listVisits()).filter((item) => item.state === 'pending');
  for (const item of pending) {
    try {
      report.sent.push(await send(item));
      await removeVisit(item.registrationId);
    } catch (e) {
      const error = asApiError(e);
      if (isTransient(error)) {
        await updateVisit(item.registrationId, { attempts: item.attempts + 1 });
        report.interrupted = error;
        break;
      }
      const failed: Partial<FieldOutboxItem> = {
        state: 'failed',
        attempts: item.attempts + 1,
        error: { status: error.status, code: error.code, message: error.message },
      };
      await updateVisit(item.registrationId, failed);
      report.failed.push({ ...item, ...failed });
    }
  }
  if (report.sent.length + report.registered.length + report.failed.length > 0) announceFieldChange();
  return report;
}

let running: Promise<FieldSyncReport> = Promise.resolve({
  sent: [],
  registered: [],
  failed: [],
  interrupted: null,
});

// One sync at a time on this phone (Web Locks across tabs, chaining within one).
export function syncFieldOutbox(): Promise<FieldSyncReport> {
  const run = async (): Promise<FieldSyncReport> =>
    typeof navigator.locks?.request === 'function'
      ? await navigator.locks.request('pulih-field-sync', sendAll)
      : await sendAll();
  running = running.then(run, run);
  return running;
}
