import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore } from '../../lib/http.ts';
import { createLimits, type PublicApplyLimits, perMinuteFromEnv } from './public-apply.limits.ts';
import { publicApplyPages } from './public-apply.pages.tsx';
import {
  publicApplicationStatus,
  publicApplyBody,
  publicApplyResult,
  statusTokenParams,
} from './public-apply.schema.ts';
import { applyInPublic, getStatus } from './public-apply.service.ts';

function publicApplyApi(limits: PublicApplyLimits): FastifyPluginAsyncZod {
  return async (api) => {
    api.post(
      '/public/programs/:id/applications',
      {
        config: { access: 'public', idempotent: true },
        schema: {
          summary: 'Apply without an account (NIK and phone)',
          operationId: 'applyPublicly',
          tags: ['public'],
          security: [],
          description:
            'The public application form, without an account: the owner is found by NIK and the phone ' +
            'number the registry holds (both must match; otherwise applicant_not_matched, whichever was ' +
            'wrong). Limited per IP and per NIK (rate_limited). The answer is a status link with no ' +
            'personal data.',
          params: idParams,
          body: publicApplyBody,
          response: {
            200: publicApplyResult,
            201: publicApplyResult,
            400: errorBody,
            404: errorBody,
            409: errorBody,
            422: errorBody,
            429: errorBody,
          },
        },
      },
      async (request, reply) => {
        noStore(reply);
        await limits.check(request, reply);
        const result = await applyInPublic(api.ctx, request.params.id, request.body);
        reply.status(result.outcome === 'applied' ? 201 : 200);
        return result;
      },
    );

    api.get(
      '/public/status/:token',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Get the status behind a status link',
          operationId: 'getPublicStatus',
          tags: ['public'],
          security: [],
          description: 'The status behind a status link: program, status, waitlist place and history.',
          params: statusTokenParams,
          response: { 200: publicApplicationStatus, 404: errorBody },
        },
      },
      async (request, reply) => {
        noStore(reply);
        return (await getStatus(api.ctx, request.params.token)) ?? fail('not_found');
      },
    );
  };
}

// Mounted at the root: the JSON API under /api/v1/public/… and the server-rendered pages
// /daftar/:programId and /status/:token share the same rate-limit counters. Form bodies are
// parsed only inside this plugin.
export const publicApply: FastifyPluginAsync<{ perMinute?: number }> = async (app, options) => {
  await app.register(rateLimit, { global: false });
  await app.register(formbody);
  const limits = createLimits(app, options.perMinute ?? perMinuteFromEnv());
  await app.register(publicApplyApi(limits), { prefix: '/api/v1' });
  await app.register(publicApplyPages(limits));
};
