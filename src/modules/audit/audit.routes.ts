import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  decodeCursor,
  encodeCursor,
  listQuery,
  noStore,
  page,
  pageOf,
  requireActor,
} from '../../lib/http.ts';
import { pickLanguage } from '../../lib/i18n.ts';
import { getSettings } from '../settings/settings.service.ts';
import { listPersonalDataAccess } from './audit.queries.ts';
import { auditPage, exportAuditQuery, listAuditQuery, personalDataAccessEntry } from './audit.schema.ts';
import { exportAudit, listAudit } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: 'readAudit' },
      schema: {
        summary: 'List the audit log',
        operationId: 'listAuditLog',
        tags: ['audit'],
        description:
          'The change log, newest first, filtered by user (actorId), record (entity, entityId) and period ' +
          '(from, to: days in the office time zone). Names of users and records are resolved; NIK, birth ' +
          'date and phone in the changes are masked.',
        querystring: listAuditQuery,
        response: { 200: auditPage },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit, cursor, ...filter } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const { timeZone } = await getSettings(app.ctx);
      const result = await listAudit(app.ctx, actor, { ...filter, before, limit }, timeZone);
      const last = result.rows.at(-1);
      return {
        items: result.rows,
        nextCursor: result.more && last ? encodeCursor([last.id]) : null,
        timeZone: result.timeZone,
      };
    },
  );

  app.get(
    '/audit/export',
    {
      config: { access: 'readAudit' },
      // A HEAD would run the whole export (and log it) only to drop the body.
      exposeHeadRoute: false,
      schema: {
        summary: 'Export the audit log',
        operationId: 'exportAuditLog',
        tags: ['audit'],
        description:
          "The filtered change log as CSV or XLSX, in the reader's language, times in the office time zone. " +
          'Text cells that a spreadsheet would run as a formula are neutralised; every export is logged in ' +
          'the personal-data log (subject "audit").',
        querystring: exportAuditQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { format, lang, ...filter } = request.query;
      const file = await exportAudit(app.ctx, actor, filter, {
        format,
        lang: pickLanguage(lang, request.headers['accept-language']),
        timeZone: (await getSettings(app.ctx)).timeZone,
      });
      noStore(reply);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );

  app.get(
    '/audit/personal-data',
    {
      config: { access: 'readAudit' },
      schema: {
        summary: 'List personal-data access',
        operationId: 'listPersonalDataAccess',
        tags: ['audit'],
        querystring: listQuery,
        response: { 200: page(personalDataAccessEntry) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const rows = await listPersonalDataAccess(app.ctx.db, { before, limit });
      return pageOf(rows, limit, (r) => [r.id]);
    },
  );
};
