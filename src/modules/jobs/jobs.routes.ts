import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, requireActor } from '../../lib/http.ts';
import { jobItem } from './jobs.schema.ts';
import { getJobItem, retryJob } from './jobs.service.ts';

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/jobs/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Get a background job',
        operationId: 'getJob',
        tags: ['jobs'],
        description:
          'A background job: status, progress (rows done, total, rows/s, seconds left) and result.',
        params: idParams,
        response: { 200: jobItem, 401: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getJobItem(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Retry a failed job',
        operationId: 'retryJob',
        tags: ['jobs'],
        description: 'Queues a failed job again; it resumes after its last committed checkpoint.',
        params: idParams,
        response: { 200: jobItem, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return retryJob(app.ctx, actor, request.params.id);
    },
  );
};
