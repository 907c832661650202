import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { businesses } from '../db/schema.ts';
import type { RegistryScope } from './access.service.ts';

// The scope SQL of the access layer, one function per kind of record an id may name. Each
// answers which of the ids the scope reaches; an id it does not answer is out of reach or absent
// (the two are told apart by no one: a record one may not reach does not exist for one).

// Businesses, and through them their owners, applications, participants, products and aid.
export async function businessesWithin(db: DbOrTx, scope: RegistryScope, ids: readonly string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: businesses.id })
    .from(businesses)
    .where(
      and(
        inArray(businesses.id, [...ids]),
        scope.kecamatanCode ? eq(businesses.kecamatanCode, scope.kecamatanCode) : undefined,
        scope.ownerId ? eq(businesses.ownerId, scope.ownerId) : undefined,
      ),
    );
  return new Set(rows.map((r) => r.id));
}
