import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { openDataQuery, openDataResponse } from './open-data.schema.ts';
import { getOpenData, getOpenDataPackage, openDataCsv } from './open-data.service.ts';

const tags = ['open data'];
// Figures change when the office records something; a portal harvesting hourly is well served.
const cacheControl = 'public, max-age=300';

export const openDataRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/open-data/programs.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Open data: figures per program and kecamatan (JSON)',
        operationId: 'getOpenDataProgramsJson',
        tags,
        description: 'Counts only, never a person; counts of 1 and 2 are null.',
        querystring: openDataQuery,
        response: { 200: openDataResponse, 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', cacheControl).header('access-control-allow-origin', '*');
      return getOpenData(app.ctx, request.query.year);
    },
  );

  app.get(
    '/open-data/programs.csv',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Open data: figures per program and kecamatan (CSV)',
        operationId: 'getOpenDataProgramsCsv',
        tags,
        description: 'The JSON rows as CSV (UTF-8, comma); an empty count is a suppressed 1 or 2.',
        querystring: openDataQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const data = await getOpenData(app.ctx, request.query.year);
      const name = `program-pemulihan-umkm${request.query.year ? `-${request.query.year}` : ''}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', cacheControl)
        .header('access-control-allow-origin', '*')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(openDataCsv(data.items));
    },
  );

  app.get(
    '/open-data/package.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Open data: the dataset’s metadata for a CKAN portal',
        operationId: 'getOpenDataPackage',
        tags,
        description:
          'A CKAN package (name, title, notes, license_id, organization, tags, resources, extras) with DCAT-style frequency, temporal and spatial coverage, as Satu Data Indonesia portals harvest.',
        response: { 200: z.record(z.string(), z.unknown()), 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', cacheControl).header('access-control-allow-origin', '*');
      return getOpenDataPackage(app.ctx, publicBaseUrl(app.ctx, request));
    },
  );
};
