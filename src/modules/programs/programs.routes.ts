import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, listQuery, page, requireActor } from '../../lib/http.ts';
// Route-only: a next wave's sessions are the training module's (training imports programs).
import { createSession, listSessions } from '../training/training.service.ts';
import {
  apply,
  listApplicationEvents,
  listApplications,
  markNoShow,
  withdraw,
} from './applications.service.ts';
import { applyInBulk } from './bulk-applications.service.ts';
import { listLinesOfFile, maxListFileBytes } from './list-file.ts';
import {
  application,
  applicationEvent,
  applyBody,
  bulkApplyBody,
  bulkApplyResponse,
  copyProgramBody,
  createProgramBody,
  eligibilityBody,
  eligibilityResult,
  fieldsResponse,
  listApplicationsQuery,
  listProgramsQuery,
  program,
  programFeedback,
  resolveListBody,
  resolveListResponse,
  scoresBody,
  scoresResult,
  selectionResult,
  updateProgramBody,
} from './programs.schema.ts';
import {
  checkEligibility,
  copyProgramAsWave,
  createProgram,
  getProgramItem,
  listEligibilityFields,
  listPrograms,
  setArchived,
  updateProgram,
} from './programs.service.ts';
import { enterScores, getProgramFeedback } from './ratings.service.ts';
import { resolveList } from './resolve-list.service.ts';
import { runSelection } from './selection.service.ts';

export const programRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/programs',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'List programs',
        operationId: 'listPrograms',
        tags: ['programs'],
        querystring: listProgramsQuery,
        response: { 200: page(program) },
      },
    },
    async (request) => {
      const { limit, cursor, type, archived } = request.query;
      return listPrograms(app.ctx, { type, archived: archived === 'true' }, { limit, cursor });
    },
  );

  for (const [path, archived] of [
    ['/programs/:id/archive', true],
    ['/programs/:id/unarchive', false],
  ] as const) {
    app.post(
      path,
      {
        config: { access: 'writePrograms' },
        schema: {
          tags: ['programs'],
          summary: archived ? 'Archive a program' : 'Restore an archived program',
          operationId: archived ? 'archiveProgram' : 'unarchiveProgram',
          description: archived
            ? 'Archives a program: it leaves GET /programs (see ?archived=true) and takes no new applications; ' +
              'its applications, sessions, certificates and aid stay. Archiving an archived program changes nothing.'
            : 'Restores an archived program to the lists.',
          params: idParams,
          response: { 200: program, 401: errorBody, 403: errorBody, 404: errorBody },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        return setArchived(app.ctx, actor, request.params.id, archived);
      },
    );
  }

  app.get(
    '/programs/fields',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'List the fields eligibility rules may use',
        operationId: 'listEligibilityFields',
        tags: ['programs'],
        response: { 200: fieldsResponse },
      },
    },
    async (request) => {
      return { fields: listEligibilityFields() };
    },
  );

  app.post(
    '/programs',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Create a program',
        operationId: 'createProgram',
        tags: ['programs'],
        body: createProgramBody,
        response: { 201: program, 400: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.status(201);
      return createProgram(app.ctx, actor, request.body);
    },
  );

  app.post(
    '/programs/:id/copy',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Copy a program as its next wave',
        operationId: 'copyProgramAsWave',
        tags: ['programs'],
        description:
          'Makes the next wave (gelombang) of a program: its name with the next "Gelombang N", rule, ' +
          'quotas, capacity, selection, venue and hours, starting on startDate; its end date and its ' +
          'training sessions move by the same number of days. Both programs link to each other ' +
          '(previousWave, nextWaves). No applications are copied.',
        params: idParams,
        body: copyProgramBody,
        response: { 201: program, 400: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const copied = await copyProgramAsWave(app.ctx, actor, request.params.id, request.body);
      // The days that were held move with the wave, with their venue, trainers and JP.
      const held = (await listSessions(app.ctx, request.params.id)).filter((s) => !s.cancelledAt);
      for (const [index, s] of held.entries())
        await createSession(app.ctx, actor, copied.programId, {
          day: index + 1,
          date: copied.addDays(s.date),
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          topic: s.topic,
          venue: s.venue,
          lessonHours: s.lessonHours,
          trainers: s.trainers,
        });
      reply.status(201);
      return getProgramItem(app.ctx, copied.programId);
    },
  );

  app.get(
    '/programs/:id/feedback',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'Get the participants’ ratings and test scores of a program',
        operationId: 'getProgramFeedback',
        tags: ['programs'],
        description:
          'Average rating (1–5, given by participants from their status link), the number of ratings, ' +
          'the remarks (newest first, without names), and the average pre-test and post-test scores ' +
          'and gain over the participants who have both.',
        params: idParams,
        response: { 200: programFeedback, 404: errorBody },
      },
    },
    async (request) => getProgramFeedback(app.ctx, request.params.id),
  );

  app.put(
    '/applications/:id/scores',
    {
      config: { access: 'recordAttendance' },
      schema: {
        summary: 'Enter a participant’s pre-test and post-test scores',
        operationId: 'enterTestScores',
        tags: ['applications'],
        description: 'Scores 0–100, each optional (null clears it); for enrolled or completed participants.',
        params: idParams,
        body: scoresBody,
        response: { 200: scoresResult, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return enterScores(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.get(
    '/programs/:id',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'Get one program',
        operationId: 'getProgram',
        tags: ['programs'],
        params: idParams,
        response: { 200: program, 404: errorBody },
      },
    },
    async (request) => {
      return getProgramItem(app.ctx, request.params.id);
    },
  );

  app.patch(
    '/programs/:id',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Change a program',
        operationId: 'updateProgram',
        tags: ['programs'],
        params: idParams,
        body: updateProgramBody,
        response: { 200: program, 400: errorBody, 404: errorBody, 409: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return updateProgram(app.ctx, actor, request.params.id, request.body);
    },
  );

  app.post(
    '/programs/:id/eligibility',
    {
      config: { access: 'readPrograms' },
      schema: {
        summary: 'Check a business against a program’s rule',
        operationId: 'checkEligibility',
        tags: ['programs'],
        params: idParams,
        body: eligibilityBody,
        response: { 200: eligibilityResult, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return checkEligibility(app.ctx, actor, request.params.id, request.body.businessId);
    },
  );

  app.post(
    '/programs/:id/applications',
    {
      config: { access: 'apply', idempotent: true },
      schema: {
        summary: 'Apply a business to a program',
        operationId: 'applyToProgram',
        tags: ['applications'],
        params: idParams,
        body: applyBody,
        response: { 201: application, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.status(201);
      return apply(app.ctx, actor, request.params.id, request.body.businessId);
    },
  );

  app.post(
    '/programs/:id/applications/bulk',
    {
      config: { access: 'apply' },
      schema: {
        summary: 'Apply many businesses to a program at once',
        operationId: 'applyInBulk',
        tags: ['applications'],
        description:
          'Enrols (first come) or invites (priority: pending until the selection run) each listed ' +
          'business, in the order listed, each judged as POST /programs/{id}/applications would judge ' +
          'it (eligibility, quotas, capacity, waitlist); one result per listed business. A business ' +
          'outside the caller’s reach is not_found. At most 2,000 per request.',
        params: idParams,
        body: bulkApplyBody,
        response: { 200: bulkApplyResponse, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return applyInBulk(app.ctx, actor, request.params.id, request.body.businessIds);
    },
  );

  app.post(
    '/programs/:id/applications/resolve',
    {
      config: { access: 'apply' },
      schema: {
        summary: 'Resolve a list of NIKs or business refs to businesses',
        operationId: 'resolveApplicantList',
        tags: ['applications'],
        description:
          'Reads each line as an owner’s NIK (16 digits) or a business ref and answers the businesses ' +
          'it names within the caller’s reach (a NIK: every business of its owner), for a bulk ' +
          'enrolment. NIKs come back masked; a line naming nothing within reach is not_found. Changes nothing.',
        params: idParams,
        body: resolveListBody,
        response: { 200: resolveListResponse, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return resolveList(app.ctx, actor, request.params.id, request.body.lines);
    },
  );

  app.post(
    '/programs/:id/applications/resolve-file',
    {
      config: { access: 'apply' },
      bodyLimit: maxListFileBytes + 64 * 1024,
      schema: {
        summary: 'Resolve an uploaded list (XLSX or CSV) of NIKs or business refs to businesses',
        operationId: 'resolveApplicantListFile',
        tags: ['applications'],
        description:
          'Multipart with a `file`: an XLSX (first sheet) or CSV whose first non-empty column holds one ' +
          'NIK or business ref per row; a first row without digits is a header and is skipped. Answers ' +
          'as POST /programs/{id}/applications/resolve, lines numbered by the sheet’s rows. Changes nothing.',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: {
          200: resolveListResponse,
          400: errorBody,
          404: errorBody,
          415: errorBody,
          422: errorBody,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) return fail('unsupported_media');
      let data: Buffer | null = null;
      let name = 'list';
      try {
        for await (const part of request.parts({ limits: { fileSize: maxListFileBytes, files: 1 } })) {
          if (part.type === 'file') {
            data = await part.toBuffer();
            name = part.filename;
          }
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          return fail(
            'validation_failed',
            { field: 'file', maxBytes: maxListFileBytes },
            'The file is too large.',
          );
        throw error;
      }
      if (!data) return fail('validation_failed', { field: 'file' }, 'Attach the list as `file`.');
      const lines = await listLinesOfFile(data, name);
      return resolveList(app.ctx, actor, request.params.id, lines);
    },
  );

  app.get(
    '/programs/:id/applications',
    {
      config: { access: 'readApplications' },
      schema: {
        summary: 'List a program’s applications',
        operationId: 'listApplications',
        tags: ['applications'],
        params: idParams,
        querystring: listApplicationsQuery,
        response: { 200: page(application), 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, status, order } = request.query;
      return listApplications(app.ctx, actor, request.params.id, { status, order }, { limit, cursor });
    },
  );

  app.post(
    '/programs/:id/selection',
    {
      config: { access: 'decideApplications' },
      schema: {
        summary: 'Select participants by priority',
        operationId: 'runSelection',
        tags: ['applications'],
        description:
          'Ranks the pending and waitlisted applications of a priority program by its priorityRule ' +
          '(ties by application time), stores each rank, and fills the free seats in rank order ' +
          'within the kecamatan quotas; the rest are waitlisted. One transaction.',
        params: idParams,
        response: { 200: selectionResult, 400: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return runSelection(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/applications/:id/withdraw',
    {
      config: { access: 'apply' },
      schema: {
        summary: 'Withdraw an application',
        operationId: 'withdrawApplication',
        tags: ['applications'],
        params: idParams,
        response: { 200: application, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return withdraw(app.ctx, actor, request.params.id);
    },
  );

  app.post(
    '/applications/:id/no-show',
    {
      config: { access: 'decideApplications' },
      schema: {
        summary: 'Mark an application as no-show',
        operationId: 'markNoShow',
        tags: ['applications'],
        description:
          'Marks an enrolled participant who did not come as dropped; the seat and its quota go to ' +
          'the first waitlisted application that fits, in the same transaction.',
        params: idParams,
        response: { 200: application, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return markNoShow(app.ctx, actor, request.params.id);
    },
  );

  app.get(
    '/applications/:id/events',
    {
      config: { access: 'readApplications' },
      schema: {
        summary: 'List an application’s history',
        operationId: 'listApplicationEvents',
        tags: ['applications'],
        description: 'What happened to an application, oldest first (applied, selected, promoted, …).',
        params: idParams,
        querystring: listQuery,
        response: { 200: page(applicationEvent), 404: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor } = request.query;
      return listApplicationEvents(app.ctx, actor, request.params.id, { limit, cursor });
    },
  );
};
