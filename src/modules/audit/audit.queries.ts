import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { auditLog, personalDataAccess, users } from '../../db/schema.ts';

export async function insertAuditEntry(db: DbOrTx, entry: typeof auditLog.$inferInsert) {
  await db.insert(auditLog).values(entry);
}

export async function insertPersonalDataAccess(db: DbOrTx, entry: typeof personalDataAccess.$inferInsert) {
  await db.insert(personalDataAccess).values(entry);
}

export async function listAuditEntries(
  db: DbOrTx,
  filter: {
    entity?: string | undefined;
    entityId?: string | undefined;
    before?: number | null;
    limit: number;
  },
) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actor: users.username,
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
        filter.before ? lt(auditLog.id, filter.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
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
