import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fail } from '../../lib/errors.ts';
import { errorBody, idParams, noStore, requireActor } from '../../lib/http.ts';
import { pickLanguage } from '../../lib/i18n.ts';
import { publicBaseUrl } from '../../lib/public-url.ts';
import {
  describeRuleBody,
  eligiblePage,
  eligibleQuery,
  invitationsQuery,
  previewRuleBody,
  ruleDescription,
  rulePreview,
  screeningQuery,
  screeningResult,
} from './screening.schema.ts';
import {
  describeRuleText,
  invitationsPdf,
  listEligible,
  previewRule,
  runScreening,
} from './screening.service.ts';

const languageOf = (request: FastifyRequest) => pickLanguage(undefined, request.headers['accept-language']);

export const screeningRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/programs/:id/screening',
    {
      config: { access: 'screenRegistry' },
      schema: {
        summary: 'Screen the registry for a program',
        operationId: 'startScreening',
        tags: ['screening'],
        description:
          'Runs the program’s eligibility rule over the whole registry as one SQL query: eligible businesses ' +
          'per kecamatan (and how many have applied) and the first page of them, each with a WhatsApp ' +
          'invitation link. A kecamatan officer screens their own kecamatan.',
        params: idParams,
        querystring: screeningQuery,
        response: { 200: screeningResult, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      noStore(reply);
      return runScreening(
        app.ctx,
        actor,
        request.params.id,
        request.query,
        publicBaseUrl(app.ctx, request),
        languageOf(request),
      );
    },
  );

  app.get(
    '/programs/:id/screening/eligible',
    {
      config: { access: 'screenRegistry' },
      schema: {
        summary: 'List the businesses a screening found eligible',
        operationId: 'listScreenedEligible',
        tags: ['screening'],
        description: 'The eligible businesses of the program, by name, page by page.',
        params: idParams,
        querystring: eligibleQuery,
        response: { 200: eligiblePage, 400: errorBody, 403: errorBody, 404: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { limit, cursor, ...filter } = request.query;
      noStore(reply);
      return listEligible(
        app.ctx,
        actor,
        request.params.id,
        filter,
        { limit, cursor },
        publicBaseUrl(app.ctx, request),
      );
    },
  );

  app.get(
    '/programs/:id/screening/invitations.pdf',
    {
      config: { access: 'screenRegistry' },
      schema: {
        summary: 'Print invitations for the eligible businesses',
        operationId: 'printScreeningInvitations',
        tags: ['screening'],
        description:
          'A printable A4 list of the businesses to invite (by default those that have not applied yet), ' +
          'by kecamatan and kelurahan, phone numbers masked, with columns for notes. At most 2,000 rows: ' +
          'ask per kecamatan for longer lists.',
        params: idParams,
        querystring: invitationsQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { pdf, fileName } = await invitationsPdf(
        app.ctx,
        actor,
        request.params.id,
        request.query,
        publicBaseUrl(app.ctx, request),
      );
      noStore(reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .send(pdf);
    },
  );

  app.post(
    '/rules/describe',
    {
      config: { access: 'composeRules' },
      schema: {
        summary: 'Describe a rule in words',
        operationId: 'describeRule',
        tags: ['screening'],
        description:
          'Checks an eligibility rule and reads it clause by clause in plain language (Indonesian unless ' +
          '`lang` or Accept-Language asks for English), e.g. while a program officer builds it.',
        body: describeRuleBody,
        response: {
          200: ruleDescription.extend({ summary: z.string() }),
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request) => {
      const lang = request.body.lang ?? languageOf(request);
      return describeRuleText(app.ctx, request.body.rule, lang);
    },
  );

  app.post(
    '/rules/preview',
    {
      config: { access: 'composeRules' },
      schema: {
        summary: 'Count the businesses a rule admits',
        operationId: 'previewRule',
        tags: ['screening'],
        description: 'How many businesses in the registry an (unsaved) rule admits, per kecamatan.',
        body: previewRuleBody,
        response: { 200: rulePreview, 400: errorBody, 401: errorBody, 403: errorBody, 422: errorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return previewRule(app.ctx, actor, request.body.rule, request.body.startDate);
    },
  );
};
