import { z } from 'zod';
import { listQuery } from '../../lib/schema.ts';

export const auditEntry = z
  .object({
    id: z.number(),
    at: z.date(),
    actor: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().describe('NIK, birth date and phone are masked'),
    after: z.unknown().describe('NIK, birth date and phone are masked'),
  })
  .meta({ id: 'AuditEntry' });

export const personalDataAccessEntry = z
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

export const listAuditQuery = listQuery.extend({
  entity: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
});

export type AuditEntry = z.infer<typeof auditEntry>;
export type PersonalDataAccessEntry = z.infer<typeof personalDataAccessEntry>;
