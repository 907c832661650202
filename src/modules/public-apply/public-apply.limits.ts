import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeNik } from '../../domain/nik.ts';
import { fail } from '../../lib/errors.ts';

// Two limits on public applications: per client IP (one phone trying many NIKs) and per NIK
// (many phones or IPs trying one NIK's phone number). The counters live in this process's
// memory (@fastify/rate-limit's local store): with several app processes behind a load
// balancer each process counts on its own, so the effective limit is N × perMinute; a shared
// store (Redis) is the step up when that matters.

export type PublicApplyLimits = { check: (request: FastifyRequest, reply: FastifyReply) => Promise<void> };

const nikKey = (request: FastifyRequest) => {
  const body = request.body as { nik?: unknown } | null | undefined;
  const nik = normalizeNik(typeof body?.nik === 'string' ? body.nik : '');
  // The key is a hash: the limiter's memory holds no NIK.
  return `nik:${createHash('sha256').update(nik).digest('base64url')}`;
};

export function createLimits(app: FastifyInstance, perMinute: number): PublicApplyLimits {
  const byIp = app.createRateLimit({ max: perMinute, timeWindow: 60_000 });
  const byNik = app.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: nikKey });
  return {
    check: async (request, reply) => {
      for (const limit of [byIp, byNik]) {
        const state = await limit(request);
        if (!state.isAllowed && state.isExceeded) {
          reply.header('retry-after', String(state.ttlInSeconds));
          fail('rate_limited', { retryAfter: state.ttlInSeconds });
        }
      }
    },
  };
}

export function perMinuteFromEnv() {
  const value = Number(process.env.PULIH_PUBLIC_APPLY_PER_MINUTE ?? 5);
  return Number.isInteger(value) && value > 0 ? value : 5;
}
