import { ApiError, api } from './api';

// A POST whose answer may be lost on a weak signal (an application, a handover recorded at the
// counter): it carries one Idempotency-Key for all its attempts, so sending it again after a
// lost answer gets the first answer back instead of doing the work twice. Retried while the
// failure says nothing about the request itself: no signal, the server busy or restarting, or
// the first attempt still running there (idempotency_in_progress).
const retriable = (error: ApiError) =>
  error.code === 'network_error' ||
  error.code === 'idempotency_in_progress' ||
  error.status === 429 ||
  error.status >= 500;

export type SendOnceOptions = { attempts?: number; wait?: (attempt: number) => Promise<void> };

const backoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));

// A key made on the phone: crypto.randomUUID needs a secure context; getRandomValues works everywhere.
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function postOnce<T>(path: string, body: unknown, options: SendOnceOptions = {}): Promise<T> {
  const { attempts = 3, wait = backoff } = options;
  const idempotencyKey = newClientId();
  for (let attempt = 1; ; attempt++) {
    try {
      return await api<T>(path, { method: 'POST', body, idempotencyKey });
    } catch (error) {
      if (!(error instanceof ApiError) || !retriable(error) || attempt >= attempts) throw error;
      await wait(attempt);
    }
  }
}
