import { ApiError, api } from './api';
import type { CheckInResult } from './types';

// Check-ins taken while the venue has no signal are kept on the phone with the time of
// arrival and sent when the connection returns (the API accepts `checkedInAt` for that).
export type QueuedCheckIn = { sessionId: string; applicationId: string; checkedInAt: string };

const key = 'pulih.attendanceQueue';

export function readQueue(): QueuedCheckIn[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? (parsed as QueuedCheckIn[]) : [];
  } catch {
    return [];
  }
}

function writeQueue(queue: QueuedCheckIn[]) {
  try {
    window.localStorage.setItem(key, JSON.stringify(queue));
  } catch {
    // storage full or disabled: the check-in stays only in memory
  }
}

export function enqueue(item: QueuedCheckIn) {
  const queue = readQueue().filter(
    (q) => !(q.sessionId === item.sessionId && q.applicationId === item.applicationId),
  );
  writeQueue([...queue, item]);
}

export function dequeue(sessionId: string, applicationId: string) {
  writeQueue(readQueue().filter((q) => !(q.sessionId === sessionId && q.applicationId === applicationId)));
}

export function checkIn(
  sessionId: string,
  applicationId: string,
  checkedInAt?: string,
): Promise<CheckInResult> {
  return api<CheckInResult>(`/sessions/${sessionId}/attendance`, {
    method: 'POST',
    body: { applicationId, method: 'manual', ...(checkedInAt ? { checkedInAt } : {}) },
  });
}

// Sends what is queued for one session; keeps what still cannot reach the server.
export async function flush(sessionId: string): Promise<{ sent: number; failed: ApiError[] }> {
  let sent = 0;
  const failed: ApiError[] = [];
  for (const item of readQueue().filter((q) => q.sessionId === sessionId)) {
    try {
      await checkIn(item.sessionId, item.applicationId, item.checkedInAt);
      dequeue(item.sessionId, item.applicationId);
      sent++;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'network_error') break;
      // The server refused it for good (e.g. withdrawn meanwhile): drop it, report it.
      dequeue(item.sessionId, item.applicationId);
      if (e instanceof ApiError) failed.push(e);
    }
  }
  return { sent, failed };
}
