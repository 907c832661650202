import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { businesses } from '../db/schema.ts';

// The scope SQL of the access layer, one function per kind of record an id may name. Each
// answers which of the ids the scope reaches; an id it does not answer is out of reach or absent
// (the two are told apart by no one: a record one may not reach does not exist for one).

// Businesses, and through them their owners, applications, participants, products and aid.
// The record scope of an actor over the registry (made by registryScope in access.service).
export type RegistryScope = { kecamatanCode?: string | null; ownerId?: string | null };

// Whether a scope reaches every business: businessWithinScope is then `true`.
export const wholeRegistry = (scope: RegistryScope) => !scope.kecamatanCode && !scope.ownerId;

// The scope as a condition on the `businesses` row of a statement: the one rule, used here and
// by statements that check the reach in the same round trip as their read (an application).
export function businessWithinScope(scope: RegistryScope): SQL {
  return (
    and(
      scope.kecamatanCode ? eq(businesses.kecamatanCode, scope.kecamatanCode) : undefined,
      scope.ownerId ? eq(businesses.ownerId, scope.ownerId) : undefined,
    ) ?? sql`true`
  );
}

export async function businessesWithin(db: DbOrTx, scope: RegistryScope, ids: readonly string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(inArray(businesses.id, [...ids]), businessWithinScope(scope)));
  return new Set(rows.map((r) => r.id));
}
