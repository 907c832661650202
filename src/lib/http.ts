import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../policies.ts';
import { fail } from './errors.ts';

export { errorBody, idParams, listQuery, page } from './schema.ts';

// The actor of a request. What the actor may do is the route's declared access, checked before
// the handler runs (src/access/access.route.ts); what it may reach, the service's requireAccess.
export function requireActor(request: FastifyRequest): Actor {
  return request.actor ?? fail('unauthenticated');
}

// Numbers in a cursor are row numbers, ids or scores (the dedup queue's is a fraction): finite
// and small enough to also survive a tampered cursor that puts one where a time is expected (the
// driver turns it into a Date).
const isCursorNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15;

// Keyset cursors: opaque to clients, a JSON array of the sort key of the last item.
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => (typeof v === 'string' && v.length <= 100) || isCursorNumber(v))
    )
      return values as (string | number)[];
  } catch {}
  return fail('validation_failed', { field: 'cursor' }, 'The cursor is not valid.');
}

export function pageOf<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor(key(last)) : null };
}

export function noStore(reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
}
