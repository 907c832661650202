import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { handleError } from '../lib/error-handler.ts';
import type { Actor, Role } from '../policies.ts';
import { type Access, registerAccessGuard } from './access.route.ts';
import { aidScope, kecamatanScope, reachesKecamatan, registryScope } from './access.service.ts';

// The route guard: what a route declares is what is checked, before its handler runs.

const actorOf = (role: Role, extra: Partial<Actor> = {}): Actor => ({
  userId: '11111111-1111-4111-8111-111111111111',
  username: role,
  role,
  organisationId: null,
  regionCode: null,
  personId: null,
  ...extra,
});

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function serverWith(access: Access | undefined, as: Actor | null) {
  app = Fastify();
  app.decorateRequest('actor', null);
  registerAccessGuard(app);
  app.setErrorHandler(handleError);
  app.addHook('onRequest', async (request) => {
    request.actor = as;
  });
  let reached = 0;
  app.get('/thing', { config: access ? { access } : {}, schema: { summary: 'x' } }, async () => {
    reached += 1;
    return { ok: true };
  });
  await app.ready();
  return { app, reached: () => reached };
}

describe('the access guard', () => {
  it('refuses to start a documented route that declares no access', async () => {
    await expect(serverWith(undefined, null)).rejects.toThrow(/GET \/thing declares no access/);
  });

  it('answers 403 with the capability to a role without it, before the handler', async () => {
    const server = await serverWith('writePrograms', actorOf('owner'));
    const response = await server.app.inject({ method: 'GET', url: '/thing' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: 'forbidden',
      details: { capability: 'writePrograms' },
    });
    expect(server.reached()).toBe(0);
  });

  it('lets a role holding the capability through', async () => {
    const server = await serverWith('writePrograms', actorOf('program_officer'));
    expect((await server.app.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(200);
    expect(server.reached()).toBe(1);
  });

  it('answers 401 to no one on a signed-in route, and serves a public one to anyone', async () => {
    const signedIn = await serverWith('signedIn', null);
    const refused = await signedIn.app.inject({ method: 'GET', url: '/thing' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('unauthenticated');
    await signedIn.app.close();
    const open = await serverWith('public', null);
    expect((await open.app.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(200);
  });
});

describe('record scope', () => {
  it('holds a kecamatan office to its kecamatan, and one without a region to none', () => {
    const office = actorOf('kecamatan_officer', { regionCode: '62.71.02' });
    expect(registryScope(office)).toEqual({ kecamatanCode: '62.71.02' });
    expect(kecamatanScope(office)).toBe('62.71.02');
    expect(reachesKecamatan(office, '62.71.02')).toBe(true);
    expect(reachesKecamatan(office, '62.71.03')).toBe(false);
    const lost = actorOf('kecamatan_officer');
    expect(kecamatanScope(lost)).toBe('-');
    expect(reachesKecamatan(lost, '62.71.02')).toBe(false);
  });

  it('holds an owner to their own businesses and an SOPD to its own aid', () => {
    const personId = '22222222-2222-4222-8222-222222222222';
    expect(registryScope(actorOf('owner', { personId }))).toEqual({ ownerId: personId });
    expect(aidScope(actorOf('owner', { personId }))).not.toEqual({});
    const organisationId = '33333333-3333-4333-8333-333333333333';
    expect(aidScope(actorOf('sopd_officer', { organisationId }))).toEqual({ organisationId });
    expect(registryScope(actorOf('sopd_officer', { organisationId }))).toEqual({});
  });

  it('leaves admins and program officers the whole registry and all aid', () => {
    for (const role of ['admin', 'program_officer'] as const) {
      expect(registryScope(actorOf(role))).toEqual({});
      expect(aidScope(actorOf(role))).toEqual({});
      expect(kecamatanScope(actorOf(role))).toBeNull();
    }
  });
});
