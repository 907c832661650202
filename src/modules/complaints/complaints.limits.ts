import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '../../lib/errors.ts';

// Limits per client IP on the public complaint form (filing) and on tracking-code lookups
// (trying codes). Counted in this process's memory, like the public application form's.

export type ComplaintLimits = {
  file: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  lookup: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
};

export function createComplaintLimits(app: FastifyInstance, perMinute: number): ComplaintLimits {
  const check =
    (limit: ReturnType<FastifyInstance['createRateLimit']>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const state = await limit(request);
      if (!state.isAllowed && state.isExceeded) {
        reply.header('retry-after', String(state.ttlInSeconds));
        fail('rate_limited', { retryAfter: state.ttlInSeconds });
      }
    };
  return {
    file: check(app.createRateLimit({ max: perMinute, timeWindow: 60_000 })),
    lookup: check(app.createRateLimit({ max: perMinute * 6, timeWindow: 60_000 })),
  };
}

export function complaintsPerMinuteFromEnv() {
  const value = Number(process.env.PULIH_PUBLIC_COMPLAINTS_PER_MINUTE ?? 5);
  return Number.isInteger(value) && value > 0 ? value : 5;
}
