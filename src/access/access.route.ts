import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { requireActor } from '../lib/http.ts';
import { type Capability, policy } from '../policies.ts';
import { requirePermission } from './access.service.ts';

// What a route needs, declared in its options (`config: { access: 'writePrograms' }`): a
// capability, 'signedIn' for any logged-in user (what they reach is then decided by the service,
// e.g. their own sessions), or 'public'. The declaration is the check: the guard below runs it
// before the handler (after the request is parsed, as before), and the OpenAPI document shows it
// (x-pulih-permission, x-pulih-roles; lib/openapi.ts).
export type Access = Capability | 'signedIn' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export function accessOf(route: Pick<RouteOptions, 'config'>): Access | undefined {
  return (route.config as { access?: Access } | undefined)?.access;
}

export function rolesOf(access: Access): readonly string[] {
  return access === 'public' || access === 'signedIn' ? [] : policy[access];
}

function guard(access: Exclude<Access, 'public'>) {
  return async (request: FastifyRequest) => {
    const actor = requireActor(request);
    if (access !== 'signedIn') requirePermission(actor, access);
  };
}

// Every documented route must declare its access; one that does not is refused at start-up, so
// that no route is open by omission. Undocumented routes (hidden: health, pages) may declare it.
export function registerAccessGuard(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const access = accessOf(route);
    const documented = !(route.schema as { hide?: boolean } | undefined)?.hide;
    if (access === undefined) {
      if (documented) throw new Error(`${String(route.method)} ${route.url} declares no access`);
      return;
    }
    if (access === 'public') return;
    const before = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [guard(access), ...before];
  });
}
