import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeRegionCode } from '../../domain/region.ts';
import { settingsRegionCode } from '../settings/settings.service.ts';

const region = z.object({ code: z.string(), name: z.string(), level: z.string() }).meta({ id: 'Region' });
const kbliItem = z.object({ code: z.string(), title: z.string(), version: z.number() }).meta({ id: 'Kbli' });

// Reference data is public: it is the government's own published codes.
export const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/regions',
    {
      config: { access: 'public' },
      schema: {
        summary: 'List regions',
        operationId: 'listRegions',
        tags: ['reference'],
        querystring: z.object({
          parent: z.string().trim().max(20).optional().describe("default: the office's region (settings)"),
        }),
        response: { 200: z.object({ items: z.array(region) }) },
      },
    },
    async (request, reply) => {
      const asked = request.query.parent;
      // The office's region may change: only an explicit parent is cached for a day.
      reply.header('cache-control', asked ? 'public, max-age=86400' : 'no-cache');
      const given = asked || (await settingsRegionCode(app.ctx));
      const parent = normalizeRegionCode(given) ?? given;
      const items = app.ctx.regions
        .children(parent)
        .map((r) => ({ code: r.code, name: r.name, level: r.level }));
      return { items };
    },
  );

  app.get(
    '/kbli',
    {
      config: { access: 'public' },
      schema: {
        summary: 'List KBLI codes',
        operationId: 'listKbli',
        tags: ['reference'],
        response: { 200: z.object({ items: z.array(kbliItem) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return {
        items: app.ctx.kbli.list().map((k) => ({ code: k.code, title: k.title, version: k.version })),
      };
    },
  );
};
