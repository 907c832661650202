import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAccessGuard } from './access/access.route.ts';
import type { AppContext } from './lib/context.ts';
import { errorPayload, handleError, handleFrameworkError } from './lib/error-handler.ts';
import { AppError } from './lib/errors.ts';
import { openApiTransform, openApiTransformObject } from './lib/openapi.ts';
import { registerSecurity, type TrustProxy, trustProxyFromEnv } from './lib/security.ts';
import { languageCookie, startPages } from './lib/start-preload.ts';
import { aidRoutes } from './modules/aid/aid.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes, openWhilePasswordMustChange, sessionCookie } from './modules/auth/auth.routes.ts';
import { getRequestSessionUser, toActor } from './modules/auth/auth.service.ts';
import { authFormRoutes } from './modules/auth/auth-form.routes.ts';
import { businessPageRoutes } from './modules/business-page/business-page.routes.ts';
import { businessRoutes } from './modules/businesses/businesses.routes.ts';
import { catalogPages } from './modules/catalog/catalog.pages.tsx';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { complaintRoutes, publicComplaints } from './modules/complaints/complaints.routes.ts';
import { dedupRoutes } from './modules/dedup/dedup.routes.ts';
import { eventPages } from './modules/events/events.pages.tsx';
import { eventRoutes } from './modules/events/events.routes.ts';
import { exclusionRoutes } from './modules/exclusions/exclusions.routes.ts';
import { registerIdempotency } from './modules/idempotency/idempotency.service.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { jobRoutes } from './modules/jobs/jobs.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { openDataPages } from './modules/open-data/open-data.pages.tsx';
import { openDataRoutes } from './modules/open-data/open-data.routes.ts';
import { followUpPages } from './modules/outcomes/follow-ups.pages.tsx';
import { outcomeRoutes } from './modules/outcomes/outcomes.routes.ts';
import { programRoutes } from './modules/programs/programs.routes.ts';
import { ratingPages } from './modules/programs/ratings.pages.tsx';
import { publicApply } from './modules/public-apply/public-apply.routes.ts';
import { referenceRoutes } from './modules/reference/reference.routes.ts';
import { registrationPublicPages, registrationRoutes } from './modules/registrations/registrations.routes.ts';
import { activityReportRoutes } from './modules/reports/activity-report.routes.ts';
import { reportRoutes } from './modules/reports/reports.routes.ts';
import { salesRoutes } from './modules/sales/sales.routes.ts';
import { screeningRoutes } from './modules/screening/screening.routes.ts';
import { kecamatanMapRoutes } from './modules/settings/kecamatan-map.routes.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { sitemapPages } from './modules/sitemap/sitemap.pages.ts';
import { storefrontPages } from './modules/storefronts/storefronts.pages.tsx';
import { storefrontRoutes } from './modules/storefronts/storefronts.routes.ts';
import { storefrontUrlOf } from './modules/storefronts/storefronts.service.ts';
import { trainingPages } from './modules/training/training.pages.tsx';
import { trainingRoutes } from './modules/training/training.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';

export const webDist = resolve(dirname(fileURLToPath(import.meta.url)), '../web/dist');

export type ServerOptions = {
  logger?: boolean;
  // Proxies whose X-Forwarded-* headers are believed (see lib/security.ts); TRUST_PROXY by default.
  trustProxy?: TrustProxy;
};

// Files under assets/ carry a hash of their content in their name: a phone keeps them for a
// year without asking again. The rest (index.html, the service worker, the icon) keep their
// names across versions and are checked with the server each time.
export function cacheControlOf(path: string): string {
  return /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: process.env.LOG_LEVEL ?? 'info' } : false,
    trustProxy: options.trustProxy ?? trustProxyFromEnv(),
    bodyLimit: 2 * 1024 * 1024,
    // A URL the router cannot take (bad encoding, a path parameter over 100 characters) is
    // bad input like any other, answered in the same shape and never with the URL quoted back.
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('tokenId', null);
  registerAccessGuard(app);
  // Idempotency-Key on the POSTs that declare it; before the routes, like the guard.
  registerIdempotency(app, ctx);

  await registerSecurity(app, { publicUrl: ctx.publicUrl, mediaUrl: ctx.media.publicUrlOf('probe.webp') });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pulih API',
        version: '1',
        description: 'Economic-recovery programs for micro and small businesses.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/api/v1' }],
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: sessionCookie },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookie: [] }, { bearer: [] }],
    },
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies[sessionCookie];
    if (!token) return;
    const user = await getRequestSessionUser(ctx.db, token);
    if (user) {
      request.actor = toActor(user);
      request.sessionToken = token;
      request.tokenId = user.tokenId;
      // A one-time password opens nothing but the way to choose one's own.
      if (
        user.mustChangePassword &&
        request.url.startsWith('/api/') &&
        !openWhilePasswordMustChange.has(request.url.split('?')[0] ?? '')
      )
        throw new AppError('password_change_required');
    }
  });

  app.setErrorHandler(handleError);

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  const apiRoutes: FastifyPluginAsync = async (api) => {
    await api.register(authRoutes);
    await api.register(referenceRoutes);
    await api.register(businessRoutes);
    await api.register(businessPageRoutes);
    await api.register(importRoutes);
    await api.register(jobRoutes);
    await api.register(programRoutes);
    await api.register(trainingRoutes);
    await api.register(aidRoutes);
    await api.register(catalogRoutes);
    await api.register(reportRoutes);
    await api.register(activityReportRoutes);
    await api.register(auditRoutes);
    await api.register(dedupRoutes);
    await api.register(screeningRoutes);
    await api.register(exclusionRoutes);
    await api.register(userRoutes);
    await api.register(settingsRoutes);
    await api.register(kecamatanMapRoutes);
    await api.register(notificationRoutes);
    await api.register(complaintRoutes);
    await api.register(storefrontRoutes);
    await api.register(eventRoutes);
    await api.register(salesRoutes);
    await api.register(openDataRoutes);
    await api.register(outcomeRoutes);
    await api.register(registrationRoutes);
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
  await app.register(apiRoutes, { prefix: '/api/v1' });

  await app.register(catalogPages, { storefrontUrlOf });
  await app.register(sitemapPages);
  await app.register(trainingPages);
  await app.register(publicApply);
  await app.register(ratingPages);

  await app.register(publicComplaints);
  await app.register(storefrontPages);
  await app.register(eventPages);
  await app.register(openDataPages);
  await app.register(followUpPages);
  await app.register(registrationPublicPages);
  await app.register(authFormRoutes);

  const indexHtml = resolve(webDist, 'index.html');
  if (existsSync(indexHtml)) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: false,
      index: false,
      // The build writes a brotli and a gzip copy of each file beside it (web/precompress.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => reply.header('cache-control', cacheControlOf(path)),
    });
    const pageFor = startPages(webDist);
    // A server that listens (not one only injected into by tests) loads what the drawn
    // dashboard needs before its first visitor.
    app.addHook('onListen', async () => pageFor.warm());
    app.setNotFoundHandler(async (request, reply) => {
      if (request.url.startsWith('/api/') || request.method !== 'GET') {
        return reply.status(404).send(errorPayload('route_not_found'));
      }
      const path = request.url.split('?')[0] ?? '/';
      const language = request.cookies[languageCookie];
      const encodings = request.headers['accept-encoding'];
      // With a session, the dashboard comes drawn with the visitor's own figures: the answers of
      // the API's own routes, asked as this visitor (their cookie), so the page shows exactly
      // what the API shows them; without one, or if anything fails, the page the app draws.
      const drawn = request.actor
        ? await pageFor
            .drawn(path, language, encodings, (apiPath) => apiAnswer(app, request, apiPath))
            .catch((error: unknown) => {
              request.log.warn({ err: error }, 'dashboard not drawn by the server');
              return null;
            })
        : null;
      const page = drawn ?? pageFor(path, language, encodings);
      reply
        .type('text/html')
        .header('cache-control', drawn ? 'private, no-store' : 'no-cache')
        .header('vary', 'cookie, accept-encoding');
      if (page.encoding) reply.header('content-encoding', page.encoding);
      return reply.send(page.body);
    });
  } else {
    app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorPayload('route_not_found')));
  }
  return app;
}

// The body of GET /api/v1<path> as the API answers the visitor of `request` (same session,
// same language), or null for anything but a 200.
async function apiAnswer(app: FastifyInstance, request: FastifyRequest, path: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  for (const name of ['cookie', 'authorization', 'accept-language', 'user-agent'] as const) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1${path}`,
    headers,
    remoteAddress: request.ip,
  });
  return response.statusCode === 200 ? response.json() : null;
}
