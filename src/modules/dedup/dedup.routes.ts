import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, noStore, page, requireActor } from '../../lib/http.ts';
import {
  candidatesQuery,
  dedupPair,
  dismissBody,
  dismissResult,
  mergeBody,
  mergeResult,
} from './dedup.schema.ts';
import { dismissPair, listCandidates, mergePeople } from './dedup.service.ts';

export const dedupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dedup/candidates',
    {
      schema: {
        tags: ['dedup'],
        description:
          'People who are probably one person, by score, side by side with the reasons. A kecamatan ' +
          'officer sees the pairs where either person has a business in the kecamatan. Every page is logged ' +
          'as a view of personal data (UU PDP).',
        querystring: candidatesQuery,
        response: { 200: page(dedupPair), 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, 'revealPersonalData');
      noStore(reply);
      return listCandidates(app.ctx, actor, request.query);
    },
  );

  app.post(
    '/dedup/merge',
    {
      schema: {
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
      const actor = requireActor(request, 'revealPersonalData');
      return mergePeople(app.ctx, actor, request.body);
    },
  );

  app.post(
    '/dedup/dismiss',
    {
      schema: {
        tags: ['dedup'],
        description: 'Record that two people are not the same person; the pair is never proposed again.',
        body: dismissBody,
        response: { 200: dismissResult, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'revealPersonalData');
      return dismissPair(app.ctx, actor, request.body);
    },
  );
};
