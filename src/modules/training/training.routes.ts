import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import {
  attendanceParams,
  certificateParams,
  certificateVerification,
  checkInBody,
  checkInResult,
  completion,
  createSessionBody,
  daftarHadirQuery,
  invitationCardsQuery,
  issueResult,
  revokeBody,
  session,
  sessionDetail,
  sessionList,
} from './training.schema.ts';
import {
  certificatePdf,
  createSession,
  daftarHadirPdf,
  getCompletion,
  getSessionDetail,
  invitationCardsPdf,
  issueCertificates,
  listSessions,
  recordAttendance,
  revokeCertificate,
  undoAttendance,
  verifyCertificate,
} from './training.service.ts';

export const trainingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/programs/:id/sessions',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Add a session to a program',
        operationId: 'createSession',
        tags: ['training'],
        params: idParams,
        body: createSessionBody,
        response: { 201: session, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const created = await createSession(app.ctx, actor, request.params.id, request.body);
      reply.status(201);
      return created;
    },
  );

  app.get(
    '/programs/:id/sessions',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'List a program’s sessions',
        operationId: 'listSessions',
        tags: ['training'],
        params: idParams,
        response: { 200: sessionList, 404: errorBody },
      },
    },
    async (request) => {
      return { items: await listSessions(app.ctx, request.params.id), nextCursor: null };
    },
  );

  app.get(
    '/sessions/:id',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Get one session with its attendance',
        operationId: 'getSession',
        tags: ['training'],
        description: 'The session with every participant and whether they have checked in (NIK masked).',
        params: idParams,
        response: { 200: sessionDetail, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getSessionDetail(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/sessions/:id/attendance',
    {
      config: { access: 'recordAttendance' },
      schema: {
        summary: 'Check a participant in',
        operationId: 'checkIn',
        tags: ['training'],
        description:
          'Checks a participant in, by applicationId or by the code of the QR on the invitation card (token). Idempotent: resending the same check-in answers 200 with duplicate: true and the first time.',
        params: idParams,
        body: checkInBody,
        response: {
          200: checkInResult,
          201: checkInResult,
          400: errorBody,
          404: errorBody,
          409: errorBody,
          422: errorBody,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const result = await recordAttendance(app.ctx, actor, request.params.id, request.body);
      reply.status(result.duplicate ? 200 : 201);
      return result;
    },
  );

  app.delete(
    '/sessions/:id/attendance/:applicationId',
    {
      config: { access: 'recordAttendance' },
      schema: {
        summary: 'Undo a check-in',
        operationId: 'undoCheckIn',
        tags: ['training'],
        description: 'Undoes a mistaken check-in (audited). Answers 204, or 404 when there was none.',
        params: attendanceParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await undoAttendance(app.ctx, actor, request.params.id, request.params.applicationId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/sessions/:id/daftar-hadir.pdf',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Print the daftar hadir',
        operationId: 'printDaftarHadir',
        tags: ['training'],
        description: 'The attendance list (daftar hadir) of the session as a PDF, NIK and phone masked.',
        params: idParams,
        querystring: daftarHadirQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { pdf, fileName } = await daftarHadirPdf(
        app.ctx,
        actor,
        request.params.id,
        request.query.filled === 'true',
      );
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );

  app.get(
    '/programs/:id/invitation-cards.pdf',
    {
      config: { access: 'recordAttendance' },
      schema: {
        summary: 'Print participants’ invitation cards',
        operationId: 'printInvitationCards',
        tags: ['training'],
        description:
          'Printable invitation cards (A4, 2 × 4 per page) for the participants, each with a QR code to check in with. No NIK on them; the export is logged.',
        params: idParams,
        querystring: invitationCardsQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { pdf, fileName } = await invitationCardsPdf(
        app.ctx,
        actor,
        request.params.id,
        request.query.applicationId,
      );
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );

  app.get(
    '/programs/:id/completion',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Get who completed the program',
        operationId: 'getCompletion',
        tags: ['training'],
        params: idParams,
        response: { 200: completion, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return getCompletion(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/programs/:id/certificates',
    {
      config: { access: 'issueCertificates' },
      schema: {
        summary: 'Issue certificates to graduates',
        operationId: 'issueCertificates',
        tags: ['training'],
        description:
          'Marks the participants who meet the completion rule as completed and issues their certificates. Idempotent.',
        params: idParams,
        response: { 200: issueResult, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return issueCertificates(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/certificates/:code',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Verify a certificate',
        operationId: 'verifyCertificate',
        tags: ['training'],
        description: 'Public verification of a certificate; no login.',
        security: [],
        params: certificateParams,
        response: { 200: certificateVerification, 404: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      return verifyCertificate(app.ctx, request.params.code);
    },
  );

  app.get(
    '/certificates/:code/pdf',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Download a certificate',
        operationId: 'getCertificatePdf',
        tags: ['training'],
        description: 'The certificate as an A4 PDF; public, marked DICABUT when revoked.',
        security: [],
        params: certificateParams,
      },
    },
    async (request, reply) => {
      const { code, pdf } = await certificatePdf(
        app.ctx,
        request.params.code,
        publicBaseUrl(app.ctx, request),
      );
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-cache')
        .header('content-disposition', `inline; filename="sertifikat-${code}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/certificates/:code/revoke',
    {
      config: { access: 'issueCertificates' },
      schema: {
        summary: 'Revoke a certificate',
        operationId: 'revokeCertificate',
        tags: ['training'],
        params: certificateParams,
        body: revokeBody,
        response: { 200: certificateVerification, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return revokeCertificate(app.ctx, actor, request.params.code, request.body.reason);
    },
  );
};
