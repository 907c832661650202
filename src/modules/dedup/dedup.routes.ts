import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, noStore, page, requireActor } from '../../lib/http.ts';
import { jobItem } from '../jobs/jobs.schema.ts';
import {
  candidatesQuery,
  dedupPair,
  dedupStatus,
  dismissBody,
  dismissResult,
  mergeBody,
  mergeResult,
  undoMergeResult,
} from './dedup.schema.ts';
import {
  dismissPair,
  getDedupStatus,
  listCandidates,
  mergePeople,
  requestDedupRun,
  undoMerge,
} from './dedup.service.ts';

export const dedupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dedup/candidates',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'List likely duplicate people',
        operationId: 'listDedupCandidates',
        tags: ['dedup'],
        description:
          'People who are probably one person, by score, side by side with the reasons, as the last ' +
          'detection run stored them (GET /dedup/status says when; POST /dedup/runs recomputes). Pairs ' +
          'decided or merged since are left out. A kecamatan officer sees the pairs where both people ' +
          'have a business in the kecamatan (and may merge or dismiss only those). Every page is logged as a view of personal data (UU PDP).',
        querystring: candidatesQuery,
        response: { 200: page(dedupPair), 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return listCandidates(app.ctx, actor, request.query);
    },
  );

  app.get(
    '/dedup/status',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Get the duplicate search status',
        operationId: 'getDedupStatus',
        tags: ['dedup'],
        description:
          'When the review queue was computed, and the detection run queued or in progress (poll this ' +
          'while one is).',
        response: { 200: dedupStatus, 401: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      noStore(reply);
      return getDedupStatus(app.ctx);
    },
  );

  app.post(
    '/dedup/runs',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Start a duplicate search',
        operationId: 'startDedupRun',
        tags: ['dedup'],
        description:
          'Recomputes the review queue in the background: answers the run queued or in progress if there ' +
          'is one, else queues a new one. Follow it with GET /dedup/status.',
        response: { 202: jobItem, 401: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.status(202);
      return requestDedupRun(app.ctx, actor);
    },
  );

  app.post(
    '/dedup/merge',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Merge two people',
        operationId: 'mergePeople',
        tags: ['dedup'],
        description:
          'Merge the duplicate into the survivor in one transaction: its businesses (with their ' +
          'applications and aid) move to the survivor, the duplicate stays as a record pointing at the ' +
          'survivor, and every change is audited.',
        body: mergeBody,
        response: { 200: mergeResult, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return mergePeople(app.ctx, actor, request.body);
    },
  );

  app.post(
    '/dedup/merge/undo',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Undo a merge of two people',
        operationId: 'undoMerge',
        tags: ['dedup'],
        description:
          'Undoes a merge within the undo period (30 days) by a role that sees both people: the duplicate is ' +
          'a person again with its businesses (and their names), owner logins and earlier merged people; ' +
          'every change is audited. 409 once the period is over or a merged business has moved since.',
        body: mergeBody,
        response: { 200: undoMergeResult, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return undoMerge(app.ctx, actor, request.body);
    },
  );

  app.post(
    '/dedup/dismiss',
    {
      config: { access: 'revealPersonalData' },
      schema: {
        summary: 'Dismiss a pair as different people',
        operationId: 'dismissDedupPair',
        tags: ['dedup'],
        description: 'Record that two people are not the same person; the pair is never proposed again.',
        body: dismissBody,
        response: { 200: dismissResult, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return dismissPair(app.ctx, actor, request.body);
    },
  );
};
