import { z } from 'zod';
import { accessKinds } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';

export const auditEntry = z
  .object({
    id: z.number(),
    at: z.date(),
    actorId: z.uuid().nullable(),
    actor: z.string().nullable().describe('Username of who acted; null for the system'),
    actorName: z.string().nullable().describe('Display name of who acted'),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    recordName: z
      .string()
      .nullable()
      .describe(
        'Name of the record (person, business, program, user, organisation, application, product), ' +
          "when the reader may see it; a person's name needs revealPersonalData",
      ),
    before: z.unknown().describe('NIK, birth date and phone are masked'),
    after: z.unknown().describe('NIK, birth date and phone are masked'),
  })
  .meta({ id: 'AuditEntry' });

export const auditPage = z
  .object({
    items: z.array(auditEntry),
    nextCursor: z.string().nullable(),
    timeZone: z.string().describe('The office time zone (settings): the period filter and the export use it'),
  })
  .meta({ id: 'AuditPage' });

export const personalDataAccessEntry = z
  .object({
    id: z.number(),
    at: z.date(),
    actor: z.string().nullable(),
    kind: z.enum(accessKinds),
    subject: z.string(),
    filter: z.unknown(),
    rows: z.number(),
  })
  .meta({ id: 'PersonalDataAccess' });

const auditFilterShape = {
  entity: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.uuid().optional().describe('Only what this user did'),
  from: z.iso.date().optional().describe('First day of the period, in the office time zone'),
  to: z.iso.date().optional().describe('Last day of the period (inclusive), in the office time zone'),
};

const periodInOrder = (q: { from?: string | undefined; to?: string | undefined }) =>
  !q.from || !q.to || q.from <= q.to;
const periodMessage = { message: 'The period ends before it starts', path: ['to'] };

export const listAuditQuery = listQuery.extend(auditFilterShape).refine(periodInOrder, periodMessage);

export const exportAuditQuery = z
  .object({
    ...auditFilterShape,
    format: z.enum(['csv', 'xlsx']).default('csv'),
    lang: z
      .enum(['id', 'en'])
      .optional()
      .describe('Language of the headings and names; else Accept-Language, then id'),
  })
  .refine(periodInOrder, periodMessage);

export type AuditFilter = {
  entity?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};
export type AuditEntry = z.infer<typeof auditEntry>;
export type PersonalDataAccessEntry = z.infer<typeof personalDataAccessEntry>;
