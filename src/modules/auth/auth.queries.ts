import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { authTokens, organisations, users } from '../../db/schema.ts';

export async function getUserByUsername(db: DbOrTx, username: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.username, username), isNull(users.disabledAt)));
  return row ?? null;
}

export async function getActorByTokenHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      organisationId: users.organisationId,
      organisationName: organisations.name,
      regionCode: organisations.regionCode,
      personId: users.personId,
    })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        isNull(users.disabledAt),
        or(isNull(authTokens.expiresAt), gt(authTokens.expiresAt, new Date())),
      ),
    );
  return row ?? null;
}

export async function insertToken(
  db: DbOrTx,
  values: {
    tokenHash: string;
    userId: string;
    kind: 'session' | 'api';
    name?: string;
    expiresAt: Date | null;
  },
) {
  await db.insert(authTokens).values(values);
}

export async function deleteToken(db: DbOrTx, tokenHash: string) {
  await db.delete(authTokens).where(eq(authTokens.tokenHash, tokenHash));
}
