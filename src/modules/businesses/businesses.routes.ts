import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, listQuery, noStore, page, requireActor } from '../../lib/http.ts';
import {
  businessItem,
  createBusinessBody,
  exportBusinessesQuery,
  identityReview,
  listBusinessesQuery,
  lookupBusinessesBody,
  personalData,
  updateBusinessBody,
} from './businesses.schema.ts';
import {
  createBusiness,
  dismissIdentityReview,
  exportBusinesses,
  linkIdentityReview,
  listBusinesses,
  listIdentityReviews,
  lookupBusinesses,
  revealPersonalData,
  updateBusiness,
} from './businesses.service.ts';

const issue = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });

export const businessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/businesses',
    {
      config: { access: 'readBusinesses' },
      schema: {
        summary: 'List businesses',
        operationId: 'listBusinesses',
        tags: ['businesses'],
        querystring: listBusinessesQuery,
        response: { 200: page(businessItem), 400: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, covidImpacted, ...filter } = request.query;
      return listBusinesses(
        app.ctx,
        actor,
        { ...filter, covidImpacted: covidImpacted === undefined ? undefined : covidImpacted === 'true' },
        { limit, cursor },
      );
    },
  );

  app.post(
    '/businesses/lookup',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Look up an owner’s businesses by NIK or phone',
        operationId: 'lookUpBusinesses',
        tags: ['businesses'],
        description:
          'The businesses of the owner with this NIK or phone number (in the body: an identifier never goes ' +
          'into a URL). For the roles that may reveal personal data, within their scope; every look-up is ' +
          'logged as personal-data access (UU PDP), found or not.',
        body: lookupBusinessesBody,
        response: { 200: page(businessItem), 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return lookupBusinesses(app.ctx, actor, request.body);
    },
  );

  app.get(
    '/businesses/export',
    {
      config: { access: 'readBusinesses' },
      // A HEAD would run the whole export (and log it) only to drop the body.
      exposeHeadRoute: false,
      schema: {
        summary: 'Export businesses as CSV or XLSX',
        operationId: 'exportBusinesses',
        tags: ['businesses'],
        description:
          'The filtered registry as a CSV or XLSX file in the registry file layout (it can be imported again). ' +
          'NIK, birth date and phone are masked unless personalData=true, which needs the revealPersonalData ' +
          'capability. Every export is logged with its filter and row count (UU PDP).',
        querystring: exportBusinessesQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { format, personalData, covidImpacted, ...filter } = request.query;
      const file = exportBusinesses(
        app.ctx,
        actor,
        { ...filter, covidImpacted: covidImpacted === undefined ? undefined : covidImpacted === 'true' },
        { format, personalData: personalData === 'true' },
      );
      noStore(reply);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );

  app.post(
    '/businesses',
    {
      config: { access: 'createBusinesses' },
      schema: {
        summary: 'Register a business with its owner',
        operationId: 'createBusiness',
        tags: ['businesses'],
        description:
          'Registers a business, and its owner by NIK unless the registry has them. A NIK of a person the ' +
          'officer may not see (an owner of another kecamatan) is not attached: 409 identity_review, with ' +
          'nothing of that person; the link waits in GET /identity-reviews for an officer who sees both.',
        body: createBusinessBody,
        response: {
          201: businessItem.extend({ warnings: z.array(issue) }),
          400: errorBody,
          403: errorBody,
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.status(201);
      return createBusiness(app.ctx, actor, request.body);
    },
  );

  app.patch(
    '/businesses/:id',
    {
      config: { access: 'writeBusinesses' },
      schema: {
        summary: 'Change a business or its owner',
        operationId: 'updateBusiness',
        tags: ['businesses'],
        params: idParams,
        body: updateBusinessBody,
        response: { 200: businessItem, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return updateBusiness(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.get(
    '/businesses/:id/personal-data',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Reveal the owner’s personal data',
        operationId: 'revealPersonalData',
        tags: ['businesses'],
        description: 'The owner’s full NIK, birth date and phone. Every call is logged (UU PDP).',
        params: idParams,
        response: { 200: personalData, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return revealPersonalData(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/identity-reviews',
    {
      config: { access: 'reviewIdentities' },
      schema: {
        summary: 'List businesses waiting for an identity review',
        operationId: 'listIdentityReviews',
        tags: ['businesses'],
        description:
          'Businesses registered with the NIK of a person of another kecamatan, waiting to be linked to that ' +
          'person or dismissed (oldest first; NIK masked).',
        querystring: listQuery,
        response: { 200: page(identityReview), 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return listIdentityReviews(app.ctx, request.query);
    },
  );

  app.post(
    '/identity-reviews/:id/link',
    {
      config: { access: 'reviewIdentities' },
      schema: {
        summary: 'Register the business for the existing person',
        operationId: 'linkIdentityReview',
        tags: ['businesses'],
        description: 'Registers the requested business for the existing person (audited).',
        params: idParams,
        response: { 200: businessItem, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return linkIdentityReview(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/identity-reviews/:id/dismiss',
    {
      config: { access: 'reviewIdentities' },
      schema: {
        summary: 'Dismiss an identity review',
        operationId: 'dismissIdentityReview',
        tags: ['businesses'],
        description: 'Closes the review without registering the business (audited).',
        params: idParams,
        response: { 204: z.null(), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await dismissIdentityReview(app.ctx, actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
