import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, page, requireActor } from '../../lib/http.ts';
import {
  application,
  applyBody,
  createProgramBody,
  eligibilityBody,
  eligibilityResult,
  fieldsResponse,
  listApplicationsQuery,
  listProgramsQuery,
  program,
  updateProgramBody,
} from './programs.schema.ts';
import {
  apply,
  checkEligibility,
  createProgram,
  getProgramItem,
  listApplications,
  listEligibilityFields,
  listPrograms,
  runSelection,
  updateProgram,
  withdraw,
} from './programs.service.ts';

export const programRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/programs',
    { schema: { tags: ['programs'], querystring: listProgramsQuery, response: { 200: page(program) } } },
    async (request) => {
      requireActor(request, 'readPrograms');
      const { limit, cursor, type } = request.query;
      return listPrograms(app.ctx, { type }, { limit, cursor });
    },
  );

  app.get(
    '/programs/fields',
    { schema: { tags: ['programs'], response: { 200: fieldsResponse } } },
    async (request) => {
      requireActor(request, 'readPrograms');
      return { fields: listEligibilityFields() };
    },
  );

  app.post(
    '/programs',
    {
      schema: {
        tags: ['programs'],
        body: createProgramBody,
        response: { 201: program, 400: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, 'writePrograms');
      reply.status(201);
      return createProgram(app.ctx, actor, request.body);
    },
  );

  app.get(
    '/programs/:id',
    { schema: { tags: ['programs'], params: idParams, response: { 200: program, 404: errorBody } } },
    async (request) => {
      requireActor(request, 'readPrograms');
      return getProgramItem(app.ctx, request.params.id);
    },
  );

  app.patch(
    '/programs/:id',
    {
      schema: {
        tags: ['programs'],
        params: idParams,
        body: updateProgramBody,
        response: { 200: program, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'writePrograms');
      return updateProgram(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.post(
    '/programs/:id/eligibility',
    {
      schema: {
        tags: ['programs'],
        params: idParams,
        body: eligibilityBody,
        response: { 200: eligibilityResult, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'readPrograms');
      return checkEligibility(app.ctx, actor, request.params.id, request.body.businessId);
    },
  );

  app.post(
    '/programs/:id/applications',
    {
      schema: {
        tags: ['applications'],
        params: idParams,
        body: applyBody,
        response: { 201: application, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, 'apply');
      reply.status(201);
      return apply(app.ctx, actor, request.params.id, request.body.businessId);
    },
  );

  app.get(
    '/programs/:id/applications',
    {
      schema: {
        tags: ['applications'],
        params: idParams,
        querystring: listApplicationsQuery,
        response: { 200: page(application), 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'readApplications');
      const { limit, cursor, status } = request.query;
      return listApplications(app.ctx, actor, request.params.id, { status }, { limit, cursor });
    },
  );

  app.post(
    '/programs/:id/selection',
    {
      schema: {
        tags: ['applications'],
        description:
          'Fills the seats of a priority program from its pending applications; the rest are waitlisted.',
        params: idParams,
        response: { 200: z.object({ enrolled: z.number(), waitlisted: z.number() }), 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'decideApplications');
      return runSelection(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/applications/:id/withdraw',
    {
      schema: {
        tags: ['applications'],
        params: idParams,
        response: { 200: application, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'apply');
      return withdraw(app.ctx, actor, request.params.id);
    },
  );
};
