import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import {
  attendanceParams,
  cancelSessionBody,
  certificateParams,
  certificatePreview,
  certificateVerification,
  checkInBody,
  checkInResult,
  completion,
  createSeriesBody,
  createSessionBody,
  daftarHadirQuery,
  invitationCardsQuery,
  issueResult,
  revokeBody,
  session,
  sessionDetail,
  sessionList,
  sessionSeriesResult,
  undoAttendanceQuery,
  updateSessionBody,
} from './training.schema.ts';
import {
  cancelSession,
  certificatePdf,
  classCertificatesPdf,
  classCertificatesZip,
  createSession,
  createSessionSeries,
  daftarHadirPdf,
  getCompletion,
  getSessionDetail,
  invitationCardsPdf,
  issueCertificates,
  listSessions,
  previewCertificates,
  recordAttendance,
  revokeCertificate,
  undoAttendance,
  updateSession,
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

  app.post(
    '/programs/:id/sessions/series',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Add a series of sessions to a program',
        operationId: 'createSessionSeries',
        tags: ['training'],
        description:
          'Creates one session per day of a date range (optionally only some weekdays) or per listed date, with the same times, venue, trainers and lesson hours; all or none. Days are numbered by date.',
        params: idParams,
        body: createSeriesBody,
        response: { 201: sessionSeriesResult, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const items = await createSessionSeries(app.ctx, actor, request.params.id, request.body);
      reply.status(201);
      return { items };
    },
  );

  app.patch(
    '/sessions/:id',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Edit or move a session',
        operationId: 'updateSession',
        tags: ['training'],
        description:
          'Changes the date, times, venue, topic, trainers or lesson hours of a session (audited).',
        params: idParams,
        body: updateSessionBody,
        response: { 200: session, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return updateSession(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.post(
    '/sessions/:id/cancel',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Cancel a session',
        operationId: 'cancelSession',
        tags: ['training'],
        description:
          'Cancels a day with a reason: it stays listed as cancelled (also on the participants’ status pages) and no longer counts for completion.',
        params: idParams,
        body: cancelSessionBody,
        response: { 200: session, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return cancelSession(app.ctx, actor, request.params.id, request.body.reason);
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
        description:
          'Undoes a mistaken check-in (audited). Answers 204, or 404 when there was none. When the participant has a valid certificate it answers 409 certificate_exists unless revokeCertificate=true, which revokes the certificate in the same step.',
        params: attendanceParams,
        querystring: undoAttendanceQuery,
        response: { 204: z.null(), 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await undoAttendance(app.ctx, actor, request.params.id, request.params.applicationId, {
        revokeCertificate: request.query.revokeCertificate === 'true',
        ...(request.query.reason ? { reason: request.query.reason } : {}),
      });
      return reply.status(204).send(null);
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
          'Marks the participants who meet the completion rule as completed and issues their certificates, once the last (non-cancelled) session has ended (409 program_not_ended before). Idempotent.',
        params: idParams,
        response: { 200: issueResult, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return issueCertificates(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/programs/:id/certificates/preview',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Preview who gets a certificate',
        operationId: 'previewCertificates',
        tags: ['training'],
        description:
          'Before issuing: each participant with their attendance and whether they get a certificate now, already have one, or are below the completion rule; and whether issuing is open yet.',
        params: idParams,
        response: { 200: certificatePreview, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return previewCertificates(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/programs/:id/certificates.pdf',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Print the class’s certificates',
        operationId: 'printClassCertificates',
        tags: ['training'],
        description:
          'Every valid certificate of the program (in the caller’s scope) in one PDF, one page each, streamed. The export is logged.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { stream, fileName } = await classCertificatesPdf(
        app.ctx,
        actor,
        request.params.id,
        publicBaseUrl(app.ctx, request),
      );
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(stream);
    },
  );

  app.get(
    '/programs/:id/certificates.zip',
    {
      config: { access: 'readParticipants' },
      schema: {
        summary: 'Download the class’s certificates as a ZIP',
        operationId: 'downloadClassCertificates',
        tags: ['training'],
        description:
          'Every valid certificate of the program (in the caller’s scope) as a ZIP of single PDFs, streamed. The export is logged.',
        params: idParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { stream, fileName } = await classCertificatesZip(
        app.ctx,
        actor,
        request.params.id,
        publicBaseUrl(app.ctx, request),
      );
      noStore(reply);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(stream);
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
