import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, noStore } from '../../lib/http.ts';
import { loginBody, meResponse } from './auth.schema.ts';
import { getSessionUser, login, logout, presentMe, sessionTtlMs } from './auth.service.ts';

export const sessionCookie = 'pulih_session';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Log in',
        operationId: 'login',
        tags: ['auth'],
        body: loginBody,
        response: { 200: meResponse, 401: errorBody },
      },
    },
    async (request, reply) => {
      const token = await login(app.ctx.db, request.body);
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

  app.post(
    '/auth/logout',
    {
      schema: {
        summary: 'Log out',
        operationId: 'logout',
        tags: ['auth'],
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) await logout(app.ctx.db, token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
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
};
