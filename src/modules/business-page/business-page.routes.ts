import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, requireActor } from '../../lib/http.ts';
import { businessDetail } from '../businesses/businesses.schema.ts';
import { getBusinessDetail } from './business-page.service.ts';

export const businessPageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/businesses/:id',
    {
      config: { access: 'readBusinesses' },
      schema: {
        summary: 'Get one business',
        operationId: 'getBusiness',
        tags: ['businesses'],
        params: idParams,
        response: { 200: businessDetail, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getBusinessDetail(app.ctx, actor, request.params.id);
    },
  );
};
