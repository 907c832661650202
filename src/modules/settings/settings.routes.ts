import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, requireActor } from '../../lib/http.ts';
import { logoBody, maxLogoBytes, settingsBody, settingsResponse } from './settings.schema.ts';
import { getLogo, getSettings, setLogo, updateSettings } from './settings.service.ts';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  // Every signed-in user reads them: pickers follow the region, pages show the office.
  app.get(
    '/settings',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: "Get the office's settings",
        operationId: 'getSettings',
        tags: ['settings'],
        response: { 200: settingsResponse, 401: errorBody },
      },
    },
    async (request) => {
      requireActor(request);
      return getSettings(app.ctx);
    },
  );

  app.put(
    '/settings',
    {
      config: { access: 'manageSettings' },
      schema: {
        summary: "Change the office's settings",
        operationId: 'updateSettings',
        tags: ['settings'],
        body: settingsBody,
        response: { 200: settingsResponse, 400: errorBody, 403: errorBody, 422: errorBody },
      },
    },
    async (request) => updateSettings(app.ctx, requireActor(request), request.body),
  );

  app.put(
    '/settings/logo',
    {
      config: { access: 'manageSettings' },
      bodyLimit: Math.ceil(maxLogoBytes / 3) * 4 + 64 * 1024,
      schema: {
        summary: 'Upload the letterhead emblem',
        operationId: 'uploadSettingsLogo',
        tags: ['settings'],
        description:
          'JSON {contentType, dataBase64}: the emblem on the letterhead, PNG or JPEG, at most 512 KB.',
        body: logoBody,
        response: { 200: settingsResponse, 400: errorBody, 403: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (request) => setLogo(app.ctx, requireActor(request), request.body),
  );

  app.get(
    '/settings/logo',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Get the letterhead emblem',
        operationId: 'getSettingsLogo',
        tags: ['settings'],
        description: 'The letterhead emblem (404 when none).',
        produces: ['image/png', 'image/jpeg'],
      },
    },
    async (request, reply) => {
      requireActor(request);
      const logo = (await getLogo(app.ctx)) ?? fail('not_found');
      return reply.type(logo.contentType).header('cache-control', 'private, max-age=300').send(logo.bytes);
    },
  );
};
