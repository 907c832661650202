import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, noStore, page, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { getSettings } from '../settings/settings.service.ts';
import {
  createdUser,
  createOrganisationBody,
  createUserBody,
  inviteResponse,
  listUsersQuery,
  organisationItem,
  temporaryPasswordResponse,
  updateOrganisationBody,
  updateUserBody,
  userItem,
} from './users.schema.ts';
import {
  createOrganisation,
  createUser,
  getUser,
  inviteUser,
  listOrganisationItems,
  listUsers,
  resetPassword,
  updateOrganisation,
  updateUser,
} from './users.service.ts';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody };

  app.get(
    '/users',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'List users',
        operationId: 'listUsers',
        tags: ['users'],
        querystring: listUsersQuery,
        response: { 200: page(userItem), 403: errorBody },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return listUsers(app.ctx, request.query);
    },
  );

  app.post(
    '/users',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Create a user',
        operationId: 'createUser',
        tags: ['users'],
        body: createUserBody,
        response: { 201: createdUser, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return reply.status(201).send(await createUser(app.ctx, actor, request.body));
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Get a user',
        operationId: 'getUser',
        tags: ['users'],
        params: idParams,
        response: { 200: userItem, ...errors },
      },
    },
    async (request) => {
      return getUser(app.ctx, request.params.id);
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Edit, disable or enable a user',
        operationId: 'updateUser',
        tags: ['users'],
        description: 'Edits a user; `active: false` disables it and ends its sessions and tokens at once.',
        params: idParams,
        body: updateUserBody,
        response: { 200: userItem, ...errors },
      },
    },
    async (request) => updateUser(app.ctx, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: "Reset a user's password",
        operationId: 'resetUserPassword',
        tags: ['users'],
        description: 'A new one-time password; the user must change it at the next login.',
        params: idParams,
        response: { 200: temporaryPasswordResponse, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return resetPassword(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/users/:id/invite',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Invite an owner to set a password',
        operationId: 'inviteUser',
        tags: ['users'],
        params: idParams,
        response: { 200: inviteResponse, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      const office = (await getSettings(app.ctx)).officeName || 'Pulih';
      return inviteUser(app.ctx, actor, request.params.id, publicBaseUrl(app.ctx, request), office);
    },
  );

  app.get(
    '/organisations',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'List organisations',
        operationId: 'listOrganisations',
        tags: ['users'],
        response: { 200: z.object({ items: z.array(organisationItem) }), 403: errorBody },
      },
    },
    async (request) => {
      return { items: await listOrganisationItems(app.ctx) };
    },
  );

  app.post(
    '/organisations',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Create an organisation',
        operationId: 'createOrganisation',
        tags: ['users'],
        body: createOrganisationBody,
        response: { 201: organisationItem, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      return reply.status(201).send(await createOrganisation(app.ctx, actor, request.body));
    },
  );

  app.patch(
    '/organisations/:id',
    {
      config: { access: 'manageUsers' },
      schema: {
        summary: 'Edit an organisation',
        operationId: 'updateOrganisation',
        tags: ['users'],
        params: idParams,
        body: updateOrganisationBody,
        response: { 200: organisationItem, ...errors },
      },
    },
    async (request) => updateOrganisation(app.ctx, requireActor(request), request.params.id, request.body),
  );
};
