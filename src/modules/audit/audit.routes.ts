import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, listQuery, page, pageOf, requireActor } from '../../lib/http.ts';
import { listAuditEntries, listPersonalDataAccess } from './audit.queries.ts';
import { auditEntry, listAuditQuery, personalDataAccessEntry } from './audit.schema.ts';
import { maskPersonalData } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        summary: 'List the audit log',
        operationId: 'listAuditLog',
        tags: ['audit'],
        querystring: listAuditQuery,
        response: { 200: page(auditEntry) },
      },
    },
    async (request) => {
      requireActor(request, 'readAudit');
      const { limit, cursor, entity, entityId } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const rows = await listAuditEntries(app.ctx.db, { entity, entityId, before, limit });
      const result = pageOf(rows, limit, (r) => [r.id]);
      return {
        items: result.items.map((r) => ({
          ...r,
          before: maskPersonalData(r.before),
          after: maskPersonalData(r.after),
        })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.get(
    '/audit/personal-data',
    {
      schema: {
        summary: 'List personal-data access',
        operationId: 'listPersonalDataAccess',
        tags: ['audit'],
        querystring: listQuery,
        response: { 200: page(personalDataAccessEntry) },
      },
    },
    async (request) => {
      requireActor(request, 'readAudit');
      const { limit, cursor } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const rows = await listPersonalDataAccess(app.ctx.db, { before, limit });
      return pageOf(rows, limit, (r) => [r.id]);
    },
  );
};
