import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { idempotencyKeys } from '../../db/schema.ts';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

// Takes the key for this request in one statement: a new key, an expired one, or one whose
// first request was abandoned (its lease ran out with no answer: the process died) for the
// same request. Answers whether this request now holds it.
export async function claimIdempotencyKey(
  db: DbOrTx,
  claim: { actor: string; key: string; requestHash: string; leaseSeconds: number; ttlSeconds: number },
) {
  const lockedUntil = sql`now() + make_interval(secs => ${claim.leaseSeconds})`;
  const expiresAt = sql`now() + make_interval(secs => ${claim.ttlSeconds})`;
  const rows = await db
    .insert(idempotencyKeys)
    .values({ actor: claim.actor, key: claim.key, requestHash: claim.requestHash, lockedUntil, expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.actor, idempotencyKeys.key],
      set: {
        requestHash: claim.requestHash,
        status: null,
        contentType: null,
        body: null,
        lockedUntil,
        createdAt: sql`now()`,
        expiresAt,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} < now()
        or (${idempotencyKeys.status} is null and ${idempotencyKeys.lockedUntil} < now()
            and ${idempotencyKeys.requestHash} = ${claim.requestHash})`,
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function getIdempotencyKey(db: DbOrTx, actor: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.actor, actor), eq(idempotencyKeys.key, key)));
  return row ?? null;
}

// Keeps the first answer; a request that took over an abandoned key and finished second
// leaves the stored answer alone.
export async function storeIdempotentAnswer(
  db: DbOrTx,
  held: { actor: string; key: string; requestHash: string },
  answer: { status: number; contentType: string | null; body: string },
) {
  await db
    .update(idempotencyKeys)
    .set({ ...answer, lockedUntil: null })
    .where(
      and(
        eq(idempotencyKeys.actor, held.actor),
        eq(idempotencyKeys.key, held.key),
        eq(idempotencyKeys.requestHash, held.requestHash),
        isNull(idempotencyKeys.status),
      ),
    );
}

// The request ended without an answer worth keeping (a server error, a rate limit): the key
// is free again for the retry.
export async function releaseIdempotencyKey(
  db: DbOrTx,
  held: { actor: string; key: string; requestHash: string },
) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.actor, held.actor),
        eq(idempotencyKeys.key, held.key),
        eq(idempotencyKeys.requestHash, held.requestHash),
        isNull(idempotencyKeys.status),
      ),
    );
}

export async function deleteExpiredIdempotencyKeys(db: DbOrTx) {
  const rows = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, sql`now()`))
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
