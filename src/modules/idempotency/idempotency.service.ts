import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import type { AppContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { hashRequest, idempotencyHeader, idempotencyKey, isIdempotent } from '../../lib/idempotency-key.ts';
import {
  claimIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  getIdempotencyKey,
  releaseIdempotencyKey,
  storeIdempotentAnswer,
} from './idempotency.queries.ts';

// Idempotency-Key on the POSTs that declare `config: { idempotent: true }`: a client that lost
// the answer (its connection dropped, the process behind the load balancer was killed) sends
// the same request with the same key again and gets the first answer, not the work done twice.
// The layer wraps the handler and knows nothing of what it does:
//   - before the handler (after the access check), the key is claimed for (actor, key) with a
//     hash of the request; a key already answered is replayed; a key whose first request is
//     still running is waited on for a moment, then idempotency_in_progress (409); the same
//     key with another request is idempotency_key_reused (422);
//   - when the answer is sent, it is stored with the key (status, type, body). A server error
//     or a rate limit is not kept: the key is released, so the retry does the work.
// A claim holds a lease: if its process dies before it answers, a retry of the same request
// takes the key over once the lease has run out. The work itself stays protected by the
// database's own rules (one application per business and program), so even a request taken
// over while the first was still running cannot do it twice.

export type IdempotencySettings = {
  // how long a first request may run before a retry may take its key over
  leaseSeconds: number;
  // how long a repeat waits for the first request's answer before idempotency_in_progress
  waitMs: number;
  // how long answers are kept
  ttlSeconds: number;
};

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export function idempotencySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): IdempotencySettings {
  return {
    leaseSeconds: positive(env.PULIH_IDEMPOTENCY_LEASE_SECONDS, 30),
    waitMs: positive(env.PULIH_IDEMPOTENCY_WAIT_MS, 2_000),
    ttlSeconds: 24 * 3600,
  };
}

type Held = { actor: string; key: string; requestHash: string };

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: Held | null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pollMs = 50;

function keyOf(request: FastifyRequest): string | null {
  const value = request.headers[idempotencyHeader];
  if (value === undefined) return null;
  const parsed = idempotencyKey.safeParse(value);
  if (!parsed.success)
    throw new AppError('validation_failed', [
      { path: `headers.${idempotencyHeader}`, message: 'invalid key' },
    ]);
  return parsed.data;
}

function claimer(ctx: AppContext, settings: IdempotencySettings): preHandlerHookHandler {
  return async function claim(request: FastifyRequest, reply: FastifyReply) {
    const key = keyOf(request);
    if (key === null) return;
    const held: Held = {
      actor: request.actor?.userId ?? 'public',
      key,
      requestHash: hashRequest(request.method, request.url, request.body),
    };
    const deadline = Date.now() + settings.waitMs;
    for (;;) {
      if (await claimIdempotencyKey(ctx.db, { ...held, ...settings })) {
        request.idempotency = held;
        return;
      }
      const row = await getIdempotencyKey(ctx.db, held.actor, key);
      // released or expired in between: claim again (within the same bound)
      if (!row) {
        if (Date.now() >= deadline) throw new AppError('idempotency_in_progress');
        continue;
      }
      if (row.requestHash !== held.requestHash) throw new AppError('idempotency_key_reused');
      if (row.status !== null) {
        reply.status(row.status).header('idempotent-replayed', 'true');
        if (row.contentType) reply.header('content-type', row.contentType);
        return reply.send(row.body ?? '');
      }
      if (Date.now() >= deadline) throw new AppError('idempotency_in_progress');
      await sleep(pollMs);
    }
  };
}

function recorder(ctx: AppContext): onSendHookHandler {
  return async function record(request, reply, payload) {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = null;
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : null;
    // A stream (a file) is not kept; the routes that honour keys answer JSON.
    if (status >= 500 || status === 429 || body === null) {
      await releaseIdempotencyKey(ctx.db, held);
      return payload;
    }
    const type = reply.getHeader('content-type');
    await storeIdempotentAnswer(ctx.db, held, {
      status,
      contentType: typeof type === 'string' ? type : null,
      body,
    });
    return payload;
  };
}

const existing = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : ([hooks].flat() as T[]));

// Registered on the root instance before the routes: wraps each route that declares
// `idempotent: true`. Its claim runs after the access guard (src/access/access.route.ts),
// whichever onRoute hook runs first, because the guard puts itself in front.
export function registerIdempotency(
  app: FastifyInstance,
  ctx: AppContext,
  settings: IdempotencySettings = idempotencySettingsFromEnv(),
) {
  app.decorateRequest('idempotency', null);
  const claim = claimer(ctx, settings);
  const record = recorder(ctx);
  app.addHook('onRoute', (route) => {
    if (!isIdempotent(route)) return;
    route.preHandler = [...existing(route.preHandler), claim];
    route.onSend = [...existing(route.onSend), record];
  });
}

// The job worker's ticker (src/app/app-context.ts): expired keys are deleted at most every
// ten minutes per process; several processes doing it is harmless.
const pruneEveryMs = 10 * 60_000;
const lastPrune = new WeakMap<AppContext, number>();

export async function pruneIdempotencyKeys(ctx: AppContext, now = Date.now()): Promise<number> {
  if (now - (lastPrune.get(ctx) ?? 0) < pruneEveryMs) return 0;
  lastPrune.set(ctx, now);
  return deleteExpiredIdempotencyKeys(ctx.db);
}
