import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, idParams, noStore, page, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import {
  attendanceQuery,
  businessEvent,
  createEventBody,
  eventDetail,
  eventItem,
  eventParticipant,
  listEventsQuery,
  participantBody,
  participantParams,
  participantUpdateBody,
  updateEventBody,
} from './events.schema.ts';
import {
  addParticipant,
  attendancePdf,
  boothListPdf,
  createEvent,
  getEventDetail,
  listEvents,
  listEventsOfBusiness,
  removeParticipant,
  updateEvent,
  updateParticipant,
} from './events.service.ts';

function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string) {
  noStore(reply);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .send(pdf);
}

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events',
    {
      config: { access: 'readEvents' },
      schema: {
        summary: 'List promotion events',
        operationId: 'listEvents',
        tags: ['events'],
        description: 'Bazaars, exhibitions (pameran) and business meetings (temu bisnis), newest first.',
        querystring: listEventsQuery,
        response: { 200: page(eventItem), 400: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { limit, cursor, kind } = request.query;
      return listEvents(
        app.ctx,
        requireActor(request),
        { kind },
        { limit, cursor },
        publicBaseUrl(app.ctx, request),
      );
    },
  );

  app.post(
    '/events',
    {
      config: { access: 'manageEvents' },
      schema: {
        summary: 'Create a promotion event',
        operationId: 'createEvent',
        tags: ['events'],
        body: createEventBody,
        response: { 201: eventItem, 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return createEvent(app.ctx, requireActor(request), request.body, publicBaseUrl(app.ctx, request));
    },
  );

  app.get(
    '/events/:id',
    {
      config: { access: 'readEvents' },
      schema: {
        summary: 'Get a promotion event with its participants',
        operationId: 'getEvent',
        tags: ['events'],
        params: idParams,
        response: { 200: eventDetail, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      getEventDetail(app.ctx, requireActor(request), request.params.id, publicBaseUrl(app.ctx, request)),
  );

  app.patch(
    '/events/:id',
    {
      config: { access: 'manageEvents' },
      schema: {
        summary: 'Change a promotion event',
        operationId: 'updateEvent',
        tags: ['events'],
        params: idParams,
        body: updateEventBody,
        response: { 200: eventItem, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      updateEvent(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      ),
  );

  app.post(
    '/events/:id/participants',
    {
      config: { access: 'manageEvents' },
      schema: {
        summary: 'Add a business to an event',
        operationId: 'addEventParticipant',
        tags: ['events'],
        description: 'With its booth number, unique within the event (409 booth_taken).',
        params: idParams,
        body: participantBody,
        response: { 201: eventParticipant, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return addParticipant(app.ctx, requireActor(request), request.params.id, request.body);
    },
  );

  app.patch(
    '/events/:id/participants/:businessId',
    {
      config: { access: 'manageEvents' },
      schema: {
        summary: 'Change a participant’s booth',
        operationId: 'updateEventParticipant',
        tags: ['events'],
        params: participantParams,
        body: participantUpdateBody,
        response: { 200: eventParticipant, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) =>
      updateParticipant(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.params.businessId,
        request.body.booth,
      ),
  );

  app.delete(
    '/events/:id/participants/:businessId',
    {
      config: { access: 'manageEvents' },
      schema: {
        summary: 'Remove a business from an event',
        operationId: 'removeEventParticipant',
        tags: ['events'],
        description: 'Sales already recorded for the event stay.',
        params: participantParams,
        response: { 204: z.null(), 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      await removeParticipant(app.ctx, requireActor(request), request.params.id, request.params.businessId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/businesses/:id/events',
    {
      config: { access: 'readBusinesses' },
      schema: {
        summary: 'List the events a business takes part in',
        operationId: 'listEventsOfBusiness',
        tags: ['events'],
        description: 'For the business’s owner (its sale form) and the offices within its scope.',
        params: idParams,
        response: { 200: z.object({ items: z.array(businessEvent) }), 403: errorBody, 404: errorBody },
      },
    },
    async (request) => listEventsOfBusiness(app.ctx, requireActor(request), request.params.id),
  );

  app.get(
    '/events/:id/booths.pdf',
    {
      config: { access: 'readEvents' },
      schema: {
        summary: 'Print the booth list',
        operationId: 'printEventBooths',
        tags: ['events'],
        description: 'The participants by booth with their products, as a PDF on the office letterhead.',
        params: idParams,
        response: { 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await boothListPdf(
        app.ctx,
        requireActor(request),
        request.params.id,
        publicBaseUrl(app.ctx, request),
      );
      return sendPdf(reply, pdf, fileName);
    },
  );

  app.get(
    '/events/:id/attendance.pdf',
    {
      config: { access: 'readEvents' },
      schema: {
        summary: 'Print the event’s attendance list',
        operationId: 'printEventAttendance',
        tags: ['events'],
        description:
          'The daftar hadir of one event day for the participants to sign, on the office letterhead.',
        params: idParams,
        querystring: attendanceQuery,
        response: { 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await attendancePdf(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.query.date,
        publicBaseUrl(app.ctx, request),
      );
      return sendPdf(reply, pdf, fileName);
    },
  );
};
