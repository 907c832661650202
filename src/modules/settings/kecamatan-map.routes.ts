import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, requireActor } from '../../lib/http.ts';
import { kecamatanMapBody, kecamatanMapState, maxKecamatanMapBytes } from './kecamatan-map.schema.ts';
import { getKecamatanMapInfo, removeKecamatanMap, uploadKecamatanMap } from './kecamatan-map.service.ts';

const tags = ['settings'];

// The office's kecamatan map: uploaded, replaced and removed by an admin; the outcomes
// dashboard draws it (GET /reports/outcomes/map).
export const kecamatanMapRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settings/kecamatan-map',
    {
      config: { access: 'manageSettings' },
      schema: {
        summary: 'Describe the uploaded kecamatan map',
        operationId: 'getKecamatanMap',
        tags,
        description: 'The kecamatan the map draws and those of the region it lacks; map null when none.',
        response: { 200: kecamatanMapState, 401: errorBody, 403: errorBody },
      },
    },
    async () => getKecamatanMapInfo(app.ctx),
  );

  app.put(
    '/settings/kecamatan-map',
    {
      config: { access: 'manageSettings' },
      bodyLimit: maxKecamatanMapBytes,
      schema: {
        summary: 'Upload the kecamatan map (GeoJSON)',
        operationId: 'uploadKecamatanMap',
        tags,
        description:
          'A FeatureCollection of Polygon/MultiPolygon features, each matched to a kecamatan of the office’s ' +
          'region by `property`, read as a code or a name. At most 4 MB and 200,000 positions. Errors: ' +
          'kecamatan_map_invalid, kecamatan_map_geometry, kecamatan_map_unknown_kecamatan, ' +
          'kecamatan_map_duplicate (details.feature: the feature’s index), kecamatan_map_too_large.',
        body: kecamatanMapBody,
        response: { 200: kecamatanMapState, 400: errorBody, 403: errorBody, 413: errorBody, 422: errorBody },
      },
    },
    async (request) => uploadKecamatanMap(app.ctx, requireActor(request), request.body),
  );

  app.delete(
    '/settings/kecamatan-map',
    {
      config: { access: 'manageSettings' },
      schema: {
        summary: 'Remove the kecamatan map',
        operationId: 'removeKecamatanMap',
        tags,
        response: { 204: z.null(), 401: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      await removeKecamatanMap(app.ctx, requireActor(request));
      return reply.status(204).send(null);
    },
  );
};
