import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import {
  apiTokenBody,
  apiTokenItem,
  createdApiToken,
  inviteAcceptBody,
  loginBody,
  meResponse,
  passwordBody,
  sessionItem,
} from './auth.schema.ts';
import {
  acceptInvite,
  changeOwnPassword,
  createOwnApiToken,
  endOwnSession,
  getSessionUser,
  LoginLimited,
  listOwnApiTokens,
  listOwnSessions,
  login,
  logout,
  presentMe,
  revokeOwnApiToken,
  sessionTtlMs,
} from './auth.service.ts';

export const sessionCookie = 'pulih_session';

// Routes a user whose password is a one-time one may still reach: to see who they are, to
// choose a password, to leave.
export const openWhilePasswordMustChange = new Set([
  '/api/v1/auth/me',
  '/api/v1/auth/password',
  '/api/v1/auth/logout',
]);

const ok = z.object({ ok: z.literal(true) });

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in',
        operationId: 'login',
        tags: ['auth'],
        body: loginBody,
        response: { 200: meResponse, 401: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      let token: string;
      try {
        token = await login(app.ctx.db, request.body, {
          address: request.ip,
          userAgent: request.headers['user-agent'],
        });
      } catch (error) {
        if (error instanceof LoginLimited) reply.header('retry-after', String(error.retryAfterSeconds));
        throw error;
      }
      reply.setCookie(sessionCookie, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: sessionTtlMs / 1000,
      });
      const user = (await getSessionUser(app.ctx.db, token)) ?? fail('invalid_credentials');
      noStore(reply);
      return presentMe(user);
    },
  );

  // Ends what the request came with: the session cookie, or the API token it was sent as.
  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log out',
        operationId: 'logout',
        tags: ['auth'],
        response: { 200: ok },
      },
    },
    async (request, reply) => {
      const token = request.sessionToken ?? request.cookies[sessionCookie];
      if (token) await logout(app.ctx.db, token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Get the logged-in user',
        operationId: 'getCurrentUser',
        tags: ['auth'],
        response: { 200: meResponse, 401: errorBody },
      },
    },
    async (request, reply) => {
      const token = request.sessionToken ?? fail('unauthenticated');
      const user = (await getSessionUser(app.ctx.db, token)) ?? fail('unauthenticated');
      noStore(reply);
      return presentMe(user);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Change my password',
        operationId: 'changeOwnPassword',
        tags: ['auth'],
        body: passwordBody,
        response: { 200: ok, 401: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await changeOwnPassword(app.ctx.db, actor, request.tokenId ?? fail('unauthenticated'), request.body);
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/invite',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Accept an invitation and set a password',
        operationId: 'acceptInvite',
        tags: ['auth'],
        description: 'Sets the password of an invited user from the link they were sent; works once.',
        body: inviteAcceptBody,
        response: { 200: z.object({ username: z.string() }), 410: errorBody, 422: errorBody },
      },
    },
    async (request) => acceptInvite(app.ctx.db, request.body.token, request.body.newPassword),
  );

  app.get(
    '/auth/sessions',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'List my sessions',
        operationId: 'listOwnSessions',
        tags: ['auth'],
        response: { 200: z.object({ items: z.array(sessionItem) }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return { items: await listOwnSessions(app.ctx.db, actor, request.tokenId ?? '') };
    },
  );

  app.delete(
    '/auth/sessions/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'End one of my sessions',
        operationId: 'endOwnSession',
        tags: ['auth'],
        params: idParams,
        response: { 200: ok, 404: errorBody },
      },
    },
    async (request) => {
      await endOwnSession(app.ctx.db, requireActor(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/tokens',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'List my API tokens',
        operationId: 'listApiTokens',
        tags: ['auth'],
        response: { 200: z.object({ items: z.array(apiTokenItem) }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return { items: await listOwnApiTokens(app.ctx.db, actor) };
    },
  );

  app.post(
    '/auth/tokens',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Create an API token',
        operationId: 'createApiToken',
        tags: ['auth'],
        body: apiTokenBody,
        response: { 201: createdApiToken },
      },
    },
    async (request, reply) => {
      const created = await createOwnApiToken(app.ctx.db, requireActor(request), request.body);
      noStore(reply);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        summary: 'Revoke an API token',
        operationId: 'revokeApiToken',
        tags: ['auth'],
        params: idParams,
        response: { 200: ok, 404: errorBody },
      },
    },
    async (request) => {
      await revokeOwnApiToken(app.ctx.db, requireActor(request), request.params.id);
      return { ok: true as const };
    },
  );
};
