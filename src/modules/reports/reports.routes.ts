import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../lib/http.ts';
import { summary } from './reports.schema.ts';
import { getSummary } from './reports.service.ts';

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/summary',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the summary report',
        operationId: 'getSummaryReport',
        tags: ['reports'],
        response: { 200: summary },
      },
    },
    async (request) => getSummary(app.ctx, requireActor(request)),
  );
};
