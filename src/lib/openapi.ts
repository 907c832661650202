import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessOf, rolesOf } from '../access/access.route.ts';
import { idempotencyHeaders, isIdempotent } from './idempotency-key.ts';
import { errorBody } from './schema.ts';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type TransformObjectInput = Parameters<typeof jsonSchemaTransformObject>[0];

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The statuses any route may answer whatever its handler does, added to every operation in
// one place so the document lists every status the server answers (lib/error-handler.ts
// decides them): 400 for input its schema or the database refuses, 500 for what we did not
// expect; 401 and 403 unless the route is public (security: []); 404 for a route with a
// path parameter; and for a request with a body, 403 for a cross-site request, 409 and 422
// when the database refuses it, 413 and 415 for its size and type.
export function sharedErrorStatuses(method: string, url: string, isPublic: boolean): number[] {
  const statuses = [400, 500];
  if (!isPublic) statuses.push(401, 403);
  if (url.includes(':') || url.includes('{')) statuses.push(404);
  if (stateChanging.has(method)) statuses.push(403, 409, 413, 415, 422);
  return [...new Set(statuses)];
}

const fileTypes: [RegExp, string[]][] = [
  [/\.pdf$/, ['application/pdf']],
  [/\.xlsx$/, ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']],
  [/\/photo$/, ['image/jpeg', 'image/png', 'image/webp']],
];

// A route that answers a file or nothing declares no 2xx schema (the serializer would get in
// the way); the document still says what success looks like.
function successOf(method: string, url: string, produces: unknown) {
  if (method === 'DELETE') return { 204: z.null().describe('Done; no content') };
  const types = Array.isArray(produces)
    ? (produces as string[])
    : (fileTypes.find(([pattern]) => pattern.test(url))?.[1] ?? ['application/octet-stream']);
  const file = z.string().meta({ format: 'binary' });
  return {
    200: {
      description: 'The file',
      content: Object.fromEntries(types.map((type) => [type, { schema: file }])),
    },
  };
}

// What the route declares it needs (src/access/access.route.ts), shown on the operation: the
// capability and the roles holding it; a public route asks for no credentials (security: []).
function accessDeclaration(route: TransformInput['route'], schema: { description?: unknown }) {
  const access = accessOf(route);
  if (access === undefined) return {};
  const roles = rolesOf(access);
  const needs =
    access === 'public'
      ? 'Public: no login needed.'
      : access === 'signedIn'
        ? 'Needs a logged-in user (any role).'
        : `Needs the ${access} capability (roles: ${roles.join(', ')}).`;
  const description = typeof schema.description === 'string' ? `${schema.description}\n\n${needs}` : needs;
  return {
    description,
    'x-pulih-permission': access,
    'x-pulih-roles': roles,
    ...(access === 'public' ? { security: [] } : {}),
  };
}

export function openApiTransform(input: TransformInput) {
  const { route, url } = input;
  let { schema } = input;
  if (schema && !schema.hide) {
    schema = { ...schema, ...accessDeclaration(route, schema) };
    const methods = ([] as string[]).concat(route.method);
    const isPublic = Array.isArray(schema.security) && schema.security.length === 0;
    const response: Record<string, unknown> = { ...((schema.response as Record<string, unknown>) ?? {}) };
    for (const method of methods) {
      // A file that is not there (no photo, no emblem yet) is a 404 even without a path id.
      if (!Object.keys(response).some((status) => status.startsWith('2'))) {
        Object.assign(response, successOf(method, url, schema.produces));
        if (method === 'GET') response[404] ??= errorBody;
      }
      for (const status of sharedErrorStatuses(method, url, isPublic)) response[status] ??= errorBody;
    }
    // The routes that honour Idempotency-Key show it as a header parameter (lib/idempotency-key.ts).
    if (isIdempotent(route)) {
      const headers = schema.headers as z.ZodObject | undefined;
      schema = {
        ...schema,
        headers: headers ? headers.extend(idempotencyHeaders.shape) : idempotencyHeaders,
      };
    }
    input = { ...input, schema: { ...schema, response } };
  }
  const out = jsonSchemaTransform(input);
  // Paths in the document are relative to the /api/v1 server.
  return { ...out, url: out.url.replace(/^\/api\/v1/, '') };
}

type Json = unknown;

function refsIn(value: Json, into: Set<string>) {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') into.add(inner);
      else refsIn(inner, into);
    }
  }
}

// Every zod schema with an id is registered globally, in an input and an output form; the
// document keeps only the components that an operation reaches, directly or through another
// component, so that it describes this API and nothing else.
export function openApiTransformObject(input: TransformObjectInput) {
  const document = jsonSchemaTransformObject(input);
  // A fresh object built by the call above: pruning it in place touches nothing shared.
  const schemas: Record<string, Json> | undefined =
    'components' in document ? document.components?.schemas : undefined;
  if (!schemas) return document;
  const prefix = '#/components/schemas/';
  const reached = new Set<string>();
  const queue = new Set<string>();
  refsIn(document.paths, queue);
  while (queue.size > 0) {
    const [ref] = queue as Set<string> & [string];
    queue.delete(ref);
    if (!ref.startsWith(prefix)) continue;
    const name = ref.slice(prefix.length);
    if (reached.has(name) || !(name in schemas)) continue;
    reached.add(name);
    refsIn(schemas[name], queue);
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
  return document;
}
