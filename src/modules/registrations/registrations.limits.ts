import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeNik } from '../../domain/nik.ts';
import { fail } from '../../lib/errors.ts';

// Two limits on self-registration and its corrections, as on the public application form: per
// client IP (one phone sending many registrations) and per NIK (one NIK registered from many
// phones). The counters live in this process's memory (see public-apply.limits.ts for the
// several-process caveat). The NIK is read from the parsed form, so the check runs after parsing.

export type RegistrationLimits = {
  check: (request: FastifyRequest, reply: FastifyReply, nik: string) => Promise<void>;
};

const nikKeys = new WeakMap<FastifyRequest, string>();

export function createRegistrationLimits(app: FastifyInstance, perMinute: number): RegistrationLimits {
  const byIp = app.createRateLimit({ max: perMinute, timeWindow: 60_000 });
  const byNik = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => nikKeys.get(request) ?? 'nik:none',
  });
  return {
    check: async (request, reply, nik) => {
      // The key is a hash: the limiter's memory holds no NIK.
      nikKeys.set(request, `nik:${createHash('sha256').update(normalizeNik(nik)).digest('base64url')}`);
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

export function registrationsPerMinuteFromEnv() {
  const value = Number(process.env.PULIH_PUBLIC_APPLY_PER_MINUTE ?? 5);
  return Number.isInteger(value) && value > 0 ? value : 5;
}
