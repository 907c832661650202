import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { storefrontSettings, updateStorefrontBody } from './storefronts.schema.ts';
import { getStorefrontSettings, updateStorefront } from './storefronts.service.ts';

export const storefrontRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/businesses/:id/storefront',
    {
      config: { access: 'editStorefronts' },
      schema: {
        summary: 'Get a business’s storefront settings',
        operationId: 'getStorefront',
        tags: ['storefronts'],
        description:
          'The storefront /toko/{slug} (made on first request, its slug from the business name), its links, the consent to show trainings, and WhatsApp order clicks of the last 90 days.',
        params: idParams,
        response: { 200: storefrontSettings, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      getStorefrontSettings(
        app.ctx,
        requireActor(request),
        request.params.id,
        publicBaseUrl(app.ctx, request),
      ),
  );

  app.put(
    '/businesses/:id/storefront',
    {
      config: { access: 'editStorefronts' },
      schema: {
        summary: 'Change a business’s storefront',
        operationId: 'updateStorefront',
        tags: ['storefronts'],
        description:
          'Slug, marketplace and social links (each checked against its platform), and the owner’s consent to show completed trainings. A field left out is kept; null clears a link.',
        params: idParams,
        body: updateStorefrontBody,
        response: { 200: storefrontSettings, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) =>
      updateStorefront(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      ),
  );
};
