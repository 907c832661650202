import type { DbOrTx } from '../../db/client.ts';
import { maskBirthDate, maskNik } from '../../domain/nik.ts';
import { maskPhone } from '../../domain/phone.ts';
import type { Actor } from '../../policies.ts';
import { insertAuditEntry, insertPersonalDataAccess } from './audit.queries.ts';

export type AuditAction = 'create' | 'update' | 'delete' | (string & {});

// Called inside the transaction that makes the change, so the log and the change commit together.
export async function recordChange(
  db: DbOrTx,
  actor: Actor | null,
  change: { action: AuditAction; entity: string; entityId: string | null; before?: unknown; after?: unknown },
) {
  await insertAuditEntry(db, {
    actorId: actor?.userId ?? null,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId,
    before: toJson(change.before),
    after: toJson(change.after),
  });
}

export async function recordPersonalDataAccess(
  db: DbOrTx,
  actor: Actor,
  access: { kind: 'view' | 'export'; subject: string; filter?: unknown; rows?: number },
) {
  await insertPersonalDataAccess(db, {
    actorId: actor.userId,
    kind: access.kind,
    subject: access.subject,
    filter: toJson(access.filter),
    rows: access.rows ?? 1,
  });
}

// Buffers (photos) and Dates do not belong in the log as they are.
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && 'type' in v && (v as { type: unknown }).type === 'Buffer'
        ? '[binary]'
        : v,
    ),
  );
}

const personalKeys: Record<string, (value: string) => string> = {
  nik: maskNik,
  birthDate: maskBirthDate,
  birth_date: maskBirthDate,
  phone: maskPhone,
};

// The audit log keeps full values (a change must be reconstructable), but reading it is not
// a reason to see a NIK: entries are masked on the way out.
export function maskPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const mask = personalKeys[key];
      return [key, mask && typeof v === 'string' ? mask(v) : maskPersonalData(v)];
    }),
  );
}
