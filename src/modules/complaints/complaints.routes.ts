import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import {
  type ComplaintLimits,
  complaintsPerMinuteFromEnv,
  createComplaintLimits,
} from './complaints.limits.ts';
import { complaintPages } from './complaints.pages.tsx';
import {
  complaintCodeParams,
  complaintCounts,
  complaintCreateBody,
  complaintDetail,
  complaintListQuery,
  complaintNoteBody,
  complaintOfficer,
  complaintPage,
  complaintPatchBody,
  publicComplaintBody,
  publicComplaintResult,
  publicComplaintStatus,
} from './complaints.schema.ts';
import {
  addComplaintNote,
  changeComplaint,
  complaintCountsFor,
  complaintOfficers,
  createComplaint,
  fileComplaint,
  getComplaint,
  getPublicComplaintStatus,
  listComplaints,
} from './complaints.service.ts';

const tags = ['complaints'];

// The officers' side, under /api/v1 with the other modules.
export const complaintRoutes: FastifyPluginAsyncZod = async (api) => {
  api.get(
    '/complaints',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'List complaints',
        operationId: 'listComplaints',
        tags,
        description:
          'Complaints within the actor’s scope, newest first, filtered by status, overdue (open past the ' +
          'due date), program, assigned to me, or a code/name/LAPOR! reference. Phones masked.',
        querystring: complaintListQuery,
        response: { 200: complaintPage, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => listComplaints(api.ctx, requireActor(request), request.query),
  );

  api.post(
    '/complaints',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'Enter a complaint received by phone, WhatsApp, visit or SP4N-LAPOR!',
        operationId: 'createComplaint',
        tags,
        body: complaintCreateBody,
        response: { 201: complaintDetail, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return createComplaint(api.ctx, requireActor(request), request.body);
    },
  );

  api.get(
    '/complaints/counts',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'Count complaints per program and status',
        operationId: 'countComplaints',
        tags,
        description: 'For the dashboard: complaints per program and status, and how many are overdue.',
        response: { 200: complaintCounts, 403: errorBody },
      },
    },
    async (request) => complaintCountsFor(api.ctx, requireActor(request)),
  );

  api.get(
    '/complaints/officers',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'List the staff a complaint can be assigned to',
        operationId: 'listComplaintOfficers',
        tags,
        response: { 200: z.object({ items: z.array(complaintOfficer) }), 403: errorBody },
      },
    },
    async (request) => ({ items: await complaintOfficers(api.ctx, requireActor(request)) }),
  );

  api.get(
    '/complaints/:id',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'Get a complaint with its notes and the messages sent',
        operationId: 'getComplaint',
        tags,
        description: 'The full complaint (phone, message, internal notes); the view is logged.',
        params: idParams,
        response: { 200: complaintDetail, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => getComplaint(api.ctx, requireActor(request), request.params.id),
  );

  api.patch(
    '/complaints/:id',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'Assign, change the status, link or answer a complaint',
        operationId: 'updateComplaint',
        tags,
        description:
          'An answer is published on the status page and sent to the complainant through the ' +
          'notifications outbox (template complaint_answered); answering an open complaint closes it ' +
          '(selesai). Closing or rejecting needs an answer (complaint_answer_required).',
        params: idParams,
        body: complaintPatchBody,
        response: { 200: complaintDetail, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      changeComplaint(
        api.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        (code) => `${publicBaseUrl(api.ctx, request)}/pengaduan/${code}`,
      ),
  );

  api.post(
    '/complaints/:id/notes',
    {
      config: { access: 'handleComplaints' },
      schema: {
        summary: 'Add an internal note to a complaint',
        operationId: 'addComplaintNote',
        tags,
        description: 'Internal: never shown on the status page nor sent.',
        params: idParams,
        body: complaintNoteBody,
        response: { 201: complaintDetail, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return addComplaintNote(api.ctx, requireActor(request), request.params.id, request.body.text);
    },
  );
};

function publicComplaintApi(limits: ComplaintLimits): FastifyPluginAsyncZod {
  return async (api) => {
    api.post(
      '/public/complaints',
      {
        config: { access: 'public' },
        schema: {
          summary: 'File a complaint (pengaduan) without an account',
          operationId: 'fileComplaint',
          tags: ['public'],
          security: [],
          description:
            'Answered with a tracking code. The phone is used only to answer this complaint (UU PDP). ' +
            'Limited per IP (rate_limited).',
          body: publicComplaintBody,
          response: { 201: publicComplaintResult, 400: errorBody, 404: errorBody, 429: errorBody },
        },
      },
      async (request, reply) => {
        noStore(reply);
        await limits.file(request, reply);
        reply.status(201);
        return fileComplaint(api.ctx, request.body);
      },
    );

    api.get(
      '/public/complaints/:code',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Get the status of a complaint by its tracking code',
          operationId: 'getPublicComplaintStatus',
          tags: ['public'],
          security: [],
          description: 'Status and time of the last change only: nothing about who complained.',
          params: complaintCodeParams,
          response: { 200: publicComplaintStatus, 400: errorBody, 404: errorBody, 429: errorBody },
        },
      },
      async (request, reply) => {
        noStore(reply);
        await limits.lookup(request, reply);
        const found = (await getPublicComplaintStatus(api.ctx, request.params.code)) ?? fail('not_found');
        return { status: found.status, updatedAt: found.updatedAt };
      },
    );
  };
}

// Mounted at the root: the JSON API under /api/v1/public/complaints and the pages /pengaduan
// share the same rate-limit counters. Form bodies are parsed only inside this plugin.
export const publicComplaints: FastifyPluginAsync<{ perMinute?: number }> = async (app, options) => {
  await app.register(rateLimit, { global: false });
  await app.register(formbody);
  const limits = createComplaintLimits(app, options.perMinute ?? complaintsPerMinuteFromEnv());
  await app.register(publicComplaintApi(limits), { prefix: '/api/v1' });
  await app.register(complaintPages(limits));
};
