import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  aidStock,
  applications,
  auditLog,
  businesses,
  organisations,
  people,
  personalDataAccess,
  products,
  programs,
  users,
} from '../../db/schema.ts';

export async function insertAuditEntry(db: DbOrTx, entry: typeof auditLog.$inferInsert) {
  await db.insert(auditLog).values(entry);
}

export async function insertPersonalDataAccess(db: DbOrTx, entry: typeof personalDataAccess.$inferInsert) {
  await db.insert(personalDataAccess).values(entry);
}

export type AuditRowFilter = {
  entity?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  // Instants, already moved from the office's calendar days.
  since?: Date | undefined;
  until?: Date | undefined;
};

export async function listAuditEntries(
  db: DbOrTx,
  filter: AuditRowFilter & { before?: number | null | undefined; limit: number },
) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorId: auditLog.actorId,
      actor: users.username,
      actorName: users.displayName,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
        filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
        filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
        filter.since ? gte(auditLog.at, filter.since) : undefined,
        filter.until ? lt(auditLog.at, filter.until) : undefined,
        filter.before ? lt(auditLog.id, filter.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Names of the records a page of the log is about, one query per kind of record (a page names
// at most a few hundred ids), rather than a join of every table to every log row.
export async function recordNames(
  db: DbOrTx,
  wanted: { entity: string; entityId: string | null }[],
  options: { people: boolean },
): Promise<Map<string, string>> {
  const idsOf = (entity: string) => [
    ...new Set(
      wanted
        .filter((w) => w.entity === entity && w.entityId && uuidPattern.test(w.entityId))
        .map((w) => w.entityId as string),
    ),
  ];
  const names = new Map<string, string>();
  const put = (entity: string, rows: { id: string; name: string | null }[]) => {
    for (const r of rows) if (r.name) names.set(`${entity}:${r.id}`, r.name);
  };
  const personIds = idsOf('person');
  if (options.people && personIds.length > 0) {
    put(
      'person',
      await db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, personIds)),
    );
  }
  const businessIds = idsOf('business');
  if (businessIds.length > 0) {
    put(
      'business',
      await db
        .select({ id: businesses.id, name: businesses.name })
        .from(businesses)
        .where(inArray(businesses.id, businessIds)),
    );
  }
  const programIds = idsOf('program');
  if (programIds.length > 0) {
    put(
      'program',
      await db
        .select({ id: programs.id, name: programs.name })
        .from(programs)
        .where(inArray(programs.id, programIds)),
    );
  }
  const userIds = idsOf('user');
  if (userIds.length > 0) {
    put(
      'user',
      await db
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(inArray(users.id, userIds)),
    );
  }
  const organisationIds = idsOf('organisation');
  if (organisationIds.length > 0) {
    put(
      'organisation',
      await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, organisationIds)),
    );
  }
  const applicationIds = idsOf('application');
  if (applicationIds.length > 0) {
    const rows = await db
      .select({ id: applications.id, business: businesses.name, program: programs.name })
      .from(applications)
      .innerJoin(businesses, eq(businesses.id, applications.businessId))
      .innerJoin(programs, eq(programs.id, applications.programId))
      .where(inArray(applications.id, applicationIds));
    put(
      'application',
      rows.map((r) => ({ id: r.id, name: `${r.business} — ${r.program}` })),
    );
  }
  const productIds = idsOf('product');
  if (productIds.length > 0) {
    put(
      'product',
      await db
        .select({ id: products.id, name: products.name })
        .from(products)
        .where(inArray(products.id, productIds)),
    );
  }
  const stockIds = idsOf('aid_stock');
  if (stockIds.length > 0) {
    put(
      'aid_stock',
      await db
        .select({ id: aidStock.id, name: aidStock.item })
        .from(aidStock)
        .where(inArray(aidStock.id, stockIds)),
    );
  }
  return names;
}

export async function listPersonalDataAccess(db: DbOrTx, filter: { before?: number | null; limit: number }) {
  return db
    .select({
      id: personalDataAccess.id,
      at: personalDataAccess.at,
      actor: users.username,
      kind: personalDataAccess.kind,
      subject: personalDataAccess.subject,
      filter: personalDataAccess.filter,
      rows: personalDataAccess.rows,
    })
    .from(personalDataAccess)
    .leftJoin(users, eq(users.id, personalDataAccess.actorId))
    .where(filter.before ? lt(personalDataAccess.id, filter.before) : undefined)
    .orderBy(desc(personalDataAccess.id))
    .limit(filter.limit + 1);
}
