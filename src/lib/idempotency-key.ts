import { createHash } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import { z } from 'zod';

// A POST route that honours `Idempotency-Key` declares it in its options
// (`config: { idempotent: true }`), like its access: src/modules/idempotency does the work and
// the OpenAPI document (lib/openapi.ts) shows the header on exactly those operations.
declare module 'fastify' {
  interface FastifyContextConfig {
    idempotent?: boolean;
  }
}

export const idempotencyHeader = 'idempotency-key';

export function isIdempotent(route: Pick<RouteOptions, 'config'>): boolean {
  return (route.config as { idempotent?: boolean } | undefined)?.idempotent === true;
}

// A UUID is what clients should send; any printable ASCII token up to 255 characters is taken.
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .describe(
    'A key of the client’s choosing (a UUID) that makes a retry safe: a repeat with the same key and ' +
      'the same request gets the first answer again (header idempotent-replayed: true) without the ' +
      'work being done twice; while the first is still running, idempotency_in_progress (409); the same ' +
      'key with another request, idempotency_key_reused (422). Keys are kept for 24 hours.',
  );

export const idempotencyHeaders = z.object({ [idempotencyHeader]: idempotencyKey.optional() });

// Object keys in a fixed order, so that the same request always hashes the same.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

// What "the same request" means: method, path with its query, and the parsed body.
export function hashRequest(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, url, canonical(body ?? null)]))
    .digest('hex');
}
