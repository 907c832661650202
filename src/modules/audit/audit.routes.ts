import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, listQuery, page, pageOf, requireActor } from '../../lib/http.ts';
import { listAuditEntries, listPersonalDataAccess } from './audit.queries.ts';

const auditEntry = z
  .object({
    id: z.number(),
    at: z.date(),
    actor: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

const accessEntry = z
  .object({
    id: z.number(),
    at: z.date(),
    actor: z.string().nullable(),
    kind: z.enum(['view', 'export']),
    subject: z.string(),
    filter: z.unknown(),
    rows: z.number(),
  })
  .meta({ id: 'PersonalDataAccess' });

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        querystring: listQuery.extend({
          entity: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
        }),
        response: { 200: page(auditEntry) },
      },
    },
    async (request) => {
      requireActor(request, 'readAudit');
      const { limit, cursor, entity, entityId } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const rows = await listAuditEntries(app.ctx.db, { entity, entityId, before, limit });
      return pageOf(rows, limit, (r) => [r.id]);
    },
  );

  app.get(
    '/audit/personal-data',
    { schema: { tags: ['audit'], querystring: listQuery, response: { 200: page(accessEntry) } } },
    async (request) => {
      requireActor(request, 'readAudit');
      const { limit, cursor } = request.query;
      const before = decodeCursor(cursor, 1)?.[0] as number | undefined;
      const rows = await listPersonalDataAccess(app.ctx.db, { before, limit });
      return pageOf(rows, limit, (r) => [r.id]);
    },
  );
};
