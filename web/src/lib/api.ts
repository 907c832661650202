// The web app talks to the server only over HTTP. Every failure becomes an ApiError
// whose `code` is one of the server's stable error codes (translated via errors:<code>),
// or `network_error` when the request never reached the server (weak signal).
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const apiBase = '/api/v1';

type Options = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  // Sent as Idempotency-Key on the POSTs that honour it (the OpenAPI document lists them).
  idempotencyKey?: string;
};

const unauthenticatedListeners = new Set<() => void>();

// The session can expire while a page is open; the auth provider listens and returns to login.
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const { method = 'GET', body, signal, idempotencyKey } = options;
  // A FormData body (a file upload) sets its own multipart content type.
  const headers: Record<string, string> =
    body === undefined || body instanceof FormData
      ? { accept: 'application/json' }
      : { 'content-type': 'application/json', accept: 'application/json' };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let payload: unknown = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (!response.ok) {
    const error = readError(payload);
    if (response.status === 401 && !path.startsWith('/auth/')) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw new ApiError(
      response.status,
      error?.code ?? (response.status >= 500 ? 'internal_error' : 'unknown_error'),
      error?.message ?? response.statusText,
      error?.details,
    );
  }
  return payload as T;
}

function readError(payload: unknown): { code: string; message: string; details?: unknown } | null {
  if (payload && typeof payload === 'object' && 'error' in payload) {
    const error = (payload as { error: unknown }).error;
    if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
      const message = 'message' in error && typeof error.message === 'string' ? error.message : error.code;
      return { code: error.code, message, details: 'details' in error ? error.details : undefined };
    }
  }
  return null;
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export type Page<T> = { items: T[]; nextCursor: string | null };

// Anything thrown on the way to or from the server, as an ApiError (the one error type the
// query layer and the screens deal with).
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unknown_error', error instanceof Error ? error.message : String(error));
}

// Worth trying again as it is: no signal, the server struggling or asking to slow down, or the
// sign-in expired (retried after a new login). Any other 4xx is the server's final word.
export function isTransient(error: ApiError): boolean {
  return (
    error.code === 'network_error' ||
    error.status === 0 ||
    error.status === 401 ||
    error.status === 429 ||
    error.status >= 500
  );
}

// Reads a picked file as base64 without the data: prefix, as the API expects.
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const result = String(reader.result);
      resolve(result.slice(result.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
