import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, idParams, requireActor } from '../../lib/http.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import { answerFollowUp, listFollowUps, openFollowUps } from './follow-ups.service.ts';
import {
  breakdownQuery,
  followUpAnswerBody,
  followUpItem,
  followUpList,
  followUpOpenBody,
  followUpOpenResult,
  funnelReport,
  outcomeBreakdown,
  outcomeMap,
  outcomesQuery,
  outcomesReport,
} from './outcomes.schema.ts';
import {
  getFunnelFor,
  getOutcomeBreakdownFor,
  getOutcomeFiguresFor,
  getOutcomeMapFor,
} from './outcomes.service.ts';

const tags = ['outcomes'];

export const outcomeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/programs/:id/follow-ups',
    {
      config: { access: 'writePrograms' },
      schema: {
        summary: 'Open a follow-up for every graduate of a program',
        operationId: 'openFollowUps',
        tags,
        description:
          'One follow-up per graduate (completed application) for the due day; opening the same day ' +
          'again opens none twice. Each graduate is asked through the notifications outbox ' +
          '(followup.requested) with a personal link /tindak-lanjut/{token}, answered without login.',
        params: idParams,
        body: followUpOpenBody,
        response: { 200: followUpOpenResult, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      openFollowUps(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      ),
  );

  app.get(
    '/programs/:id/follow-ups',
    {
      config: { access: 'followUpGraduates' },
      schema: {
        summary: 'List the follow-ups of a program and their answers',
        operationId: 'listFollowUps',
        tags,
        description:
          'Every follow-up with its personal link, a WhatsApp click-to-chat link carrying it, and the ' +
          'latest answer (null until answered). A kecamatan office sees its own kecamatan’s graduates.',
        params: idParams,
        response: { 200: followUpList, 403: errorBody, 404: errorBody },
      },
    },
    async (request) =>
      listFollowUps(app.ctx, requireActor(request), request.params.id, publicBaseUrl(app.ctx, request)),
  );

  app.post(
    '/follow-ups/:id/answers',
    {
      config: { access: 'followUpGraduates' },
      schema: {
        summary: 'Record the answers a graduate gave by phone or on a visit',
        operationId: 'answerFollowUp',
        tags,
        description:
          'Kept beside earlier answers; the latest is the follow-up’s answer. Sales far above the recorded ' +
          'business size are refused (follow_up_sales_implausible) unless confirmed.',
        params: idParams,
        body: followUpAnswerBody,
        response: { 200: followUpItem, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request) =>
      answerFollowUp(
        app.ctx,
        requireActor(request),
        request.params.id,
        request.body,
        publicBaseUrl(app.ctx, request),
      ),
  );

  app.get(
    '/reports/outcomes',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the outcome figures per program and per kecamatan',
        operationId: 'getOutcomesReport',
        tags: ['reports'],
        description:
          'Graduates, asked, answered, new entrepreneurs, active after follow-up and recovered (with its ' +
          'denominator), and turnover and workers before and after (quartiles), as docs/figures.md ' +
          'defines them. A kecamatan office sees its own kecamatan only.',
        querystring: outcomesQuery,
        response: { 200: outcomesReport, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => getOutcomeFiguresFor(app.ctx, requireActor(request), request.query),
  );

  app.get(
    '/reports/funnel',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the funnel from application to new entrepreneur',
        operationId: 'getFunnelReport',
        tags: ['reports'],
        description:
          'Applications registered → eligible → enrolled → completed → equipped → selling → new ' +
          'entrepreneurs, in total, per program and per kecamatan. A kecamatan office sees its own only.',
        querystring: outcomesQuery,
        response: { 200: funnelReport, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => getFunnelFor(app.ctx, requireActor(request), request.query),
  );

  app.get(
    '/reports/outcomes/breakdown',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the outcome figures by program, kecamatan, KBLI, cohort or month',
        operationId: 'getOutcomeBreakdown',
        tags: ['reports'],
        description:
          'cohort: the month the training ended; month: the month the graduate’s latest follow-up was due ' +
          '(empty when none was opened). The rows add up to the totals of /reports/outcomes.',
        querystring: breakdownQuery,
        response: { 200: outcomeBreakdown, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { by, ...filter } = request.query;
      return getOutcomeBreakdownFor(app.ctx, requireActor(request), filter, by);
    },
  );

  app.get(
    '/reports/outcomes/map',
    {
      config: { access: 'readReports' },
      schema: {
        summary: 'Get the kecamatan map with each kecamatan’s figures',
        operationId: 'getOutcomeMap',
        tags: ['reports'],
        description:
          'The boundaries the office uploaded (settings) with participants, graduates, answered, new ' +
          'entrepreneurs and active after follow-up per kecamatan, for the dashboard’s choropleth; map ' +
          'null when none was uploaded. A kecamatan office gets figures for its own kecamatan only.',
        querystring: outcomesQuery,
        response: { 200: outcomeMap, 400: errorBody, 403: errorBody },
      },
    },
    async (request) => getOutcomeMapFor(app.ctx, requireActor(request), request.query),
  );
};
