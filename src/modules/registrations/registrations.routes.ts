import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, noStore, page, requireActor } from '../../lib/http.ts';
import { createRegistrationLimits, registrationsPerMinuteFromEnv } from './registrations.limits.ts';
import { registrationPages } from './registrations.pages.tsx';
import {
  fieldRegistrationBody,
  fieldRegistrationResult,
  kbliMatches,
  kbliSearchQuery,
  listRegistrationsQuery,
  maxRegistrationPhotoBytes,
  registrationItem,
  registryOverview,
  registryOverviewQuery,
  visitBody,
  visitResult,
} from './registrations.schema.ts';
import {
  getRegistrationItem,
  getRegistrationPhotoFor,
  getRegistryOverview,
  listRegistrations,
  recordVisit,
  registerInField,
  searchKbliTitles,
} from './registrations.service.ts';

const tags = ['registrations'];
// A photo of up to 3 MB arrives base64-encoded, above the server's default body limit.
const photoBodyLimit = Math.ceil((maxRegistrationPhotoBytes * 4) / 3) + 64 * 1024;
const errors = { 400: errorBody, 403: errorBody, 404: errorBody };

// The kecamatan officer's side, under /api/v1: the queue, the visit, the walk registration and
// the registry page.
export const registrationRoutes: FastifyPluginAsyncZod = async (api) => {
  api.get(
    '/registrations',
    {
      config: { access: 'verifyRegistrations' },
      schema: {
        summary: 'List self-registrations',
        operationId: 'listRegistrations',
        tags,
        description:
          'The registrations of the actor’s kecamatan (all for the kabupaten-wide offices), newest first, by ' +
          'status. The phone’s offline list of the day is this list. Phone and address in full (the officer ' +
          'visits): every page is logged as a view of personal data; the NIK is masked.',
        querystring: listRegistrationsQuery,
        response: { 200: page(registrationItem), ...errors },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return listRegistrations(api.ctx, requireActor(request), request.query);
    },
  );

  api.get(
    '/registrations/overview',
    {
      config: { access: 'verifyRegistrations' },
      schema: {
        summary: 'Get the registry page of a kecamatan',
        operationId: 'getRegistryOverview',
        tags,
        description:
          'New registrations (7 days), awaiting verification, needing a fix, verified this month (office time ' +
          'zone), possible duplicates among the waiting ones, and pairs in the dedup review queue this office sees.',
        querystring: registryOverviewQuery,
        response: { 200: registryOverview, ...errors },
      },
    },
    async (request) => getRegistryOverview(api.ctx, requireActor(request), request.query.kecamatan),
  );

  api.get(
    '/registrations/:id',
    {
      config: { access: 'verifyRegistrations' },
      schema: {
        summary: 'Get a self-registration',
        operationId: 'getRegistration',
        tags,
        params: idParams,
        response: { 200: registrationItem, ...errors },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return getRegistrationItem(api.ctx, requireActor(request), request.params.id);
    },
  );

  api.get(
    '/registrations/:id/photo',
    {
      config: { access: 'verifyRegistrations' },
      schema: {
        summary: 'Get the photo of a self-registration',
        operationId: 'getRegistrationPhoto',
        tags,
        params: idParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const { bytes, contentType } = await getRegistrationPhotoFor(
        api.ctx,
        requireActor(request),
        request.params.id,
      );
      reply.header('cache-control', 'private, no-store');
      return reply.type(contentType).send(bytes);
    },
  );

  api.post(
    '/registrations/:id/visits',
    {
      config: { access: 'verifyRegistrations' },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Record a verification visit',
        operationId: 'recordRegistrationVisit',
        tags,
        description:
          'The outcome of the visit, synced from the phone: terverifikasi (the whole checklist; the owner and ' +
          'business enter the registry), perlu_perbaikan (the note is what the owner must fix, shown on their ' +
          'status link) or ditolak (the note is the reason). A client key seen before answers the visit already ' +
          'recorded (replayed: true).',
        params: idParams,
        body: visitBody,
        response: {
          200: visitResult,
          201: visitResult,
          ...errors,
          409: errorBody,
          413: errorBody,
          415: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await recordVisit(api.ctx, requireActor(request), request.params.id, request.body);
      reply.status(result.replayed ? 200 : 201);
      return result;
    },
  );

  api.post(
    '/registrations',
    {
      config: { access: 'verifyRegistrations' },
      bodyLimit: photoBodyLimit,
      schema: {
        summary: 'Register a business found on a walk',
        operationId: 'registerInField',
        tags,
        description:
          'An officer’s registration, entered offline and synced: the checks of the owner’s form, within the ' +
          'officer’s kecamatan. It enters the registry at once (officer-entered), or waits in the queue when ' +
          'the registry refuses it (warnings say why). A client key seen before answers the registration ' +
          'already recorded. Field errors: registration_invalid with details.fields.',
        body: fieldRegistrationBody,
        response: {
          200: fieldRegistrationResult,
          201: fieldRegistrationResult,
          ...errors,
          409: errorBody,
          413: errorBody,
          415: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await registerInField(api.ctx, requireActor(request), request.body);
      reply.status(result.replayed ? 200 : 201);
      return result;
    },
  );

  api.get(
    '/public/kbli',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Search KBLI codes by words',
        operationId: 'searchKbli',
        tags: ['public'],
        security: [],
        description: 'KBLI 2020 codes whose title or sector holds the words ("anyaman rotan"), best first.',
        querystring: kbliSearchQuery,
        response: { 200: kbliMatches, 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { items: searchKbliTitles(api.ctx, request.query.q) };
    },
  );
};

// The server-rendered /daftar-usaha pages at the root, with their own rate-limit counters.
export const registrationPublicPages: FastifyPluginAsync<{ perMinute?: number }> = async (app, options) => {
  await app.register(rateLimit, { global: false });
  await app.register(formbody);
  const limits = createRegistrationLimits(app, options.perMinute ?? registrationsPerMinuteFromEnv());
  await app.register(registrationPages(limits));
};
