import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { sessionCookie } from './auth.routes.ts';
import { loginBody } from './auth.schema.ts';
import { LoginLimited, login, sessionTtlMs } from './auth.service.ts';

// Only paths inside the web app: never an open redirect (as the sign-in screen's own rule).
export function safeNext(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/login')
  )
    return '/';
  return value;
}

// The sign-in form the server sends already drawn (web/prerender.ts) posts here when it is
// sent before the web app has taken it over (a phone still loading the JavaScript, or none):
// the same sign-in as POST /api/v1/auth/login, answered with a redirect, to where the app would
// have gone, or back to the form with the error's code (the screen shows it). Form bodies are
// parsed only inside this plugin.
export const authFormRoutes: FastifyPluginAsync = async (app) => {
  await app.register(formbody);
  app.post('/login', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const next = safeNext(query.next);
    const back = (code: string) =>
      reply
        .header('cache-control', 'no-store')
        .redirect(`/login?failed=${code}${next === '/' ? '' : `&next=${encodeURIComponent(next)}`}`, 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = loginBody.safeParse({ username: body.username, password: body.password });
    if (!parsed.success) return back('invalid_credentials');
    let token: string;
    try {
      token = await login(app.ctx.db, parsed.data, {
        address: request.ip,
        userAgent: request.headers['user-agent'],
      });
    } catch (error) {
      if (error instanceof LoginLimited) reply.header('retry-after', String(error.retryAfterSeconds));
      if (error instanceof AppError) return back(error.code);
      throw error;
    }
    reply.setCookie(sessionCookie, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: sessionTtlMs / 1000,
    });
    return reply.header('cache-control', 'no-store').redirect(next, 303);
  });
};
