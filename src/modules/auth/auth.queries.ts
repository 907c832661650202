import { and, count, desc, eq, gt, gte, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { authTokens, loginAttempts, organisations, users } from '../../db/schema.ts';
import { forgetSessions } from '../../lib/session-cache.ts';

// Disabled users too: a login must take as long for them as for anyone (equal timing).
export async function getUserForLogin(db: DbOrTx, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ?? null;
}

export async function getUserById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

// Sessions and API tokens authenticate; an invitation only lets its holder set a password.
export async function getActorByTokenHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      tokenId: authTokens.id,
      tokenKind: authTokens.kind,
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      organisationId: users.organisationId,
      organisationName: organisations.name,
      regionCode: organisations.regionCode,
      personId: users.personId,
      mustChangePassword: users.mustChangePassword,
    })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        inArray(authTokens.kind, ['session', 'api']),
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
    kind: 'session' | 'api' | 'invite';
    name?: string;
    expiresAt: Date | null;
    userAgent?: string | null;
    address?: string | null;
  },
) {
  const [row] = await db.insert(authTokens).values(values).returning({ id: authTokens.id });
  return row!;
}

export async function deleteToken(db: DbOrTx, tokenHash: string) {
  forgetSessions();
  await db.delete(authTokens).where(eq(authTokens.tokenHash, tokenHash));
}

// Consumes an invitation: the delete is the check, so a link works once even when opened twice.
export async function takeInvite(db: DbOrTx, tokenHash: string) {
  forgetSessions();
  const [row] = await db
    .delete(authTokens)
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        eq(authTokens.kind, 'invite'),
        gt(authTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: authTokens.userId });
  return row ?? null;
}

export async function listTokensOfUser(db: DbOrTx, userId: string, kind: 'session' | 'api') {
  return db
    .select({
      id: authTokens.id,
      name: authTokens.name,
      createdAt: authTokens.createdAt,
      expiresAt: authTokens.expiresAt,
      userAgent: authTokens.userAgent,
      address: authTokens.address,
    })
    .from(authTokens)
    .where(
      and(
        eq(authTokens.userId, userId),
        eq(authTokens.kind, kind),
        or(isNull(authTokens.expiresAt), gt(authTokens.expiresAt, new Date())),
      ),
    )
    .orderBy(desc(authTokens.createdAt));
}

export async function deleteTokenOfUser(db: DbOrTx, userId: string, id: string, kind: 'session' | 'api') {
  forgetSessions();
  const rows = await db
    .delete(authTokens)
    .where(and(eq(authTokens.id, id), eq(authTokens.userId, userId), eq(authTokens.kind, kind)))
    .returning({ id: authTokens.id });
  return rows.length > 0;
}

// Ends every session, token and invitation of a user, but the one given (the session that
// asked, when a user changes their own password).
export async function deleteTokensOfUser(db: DbOrTx, userId: string, exceptTokenId?: string) {
  forgetSessions();
  await db
    .delete(authTokens)
    .where(and(eq(authTokens.userId, userId), exceptTokenId ? ne(authTokens.id, exceptTokenId) : undefined));
}

export async function deleteInvitesOfUser(db: DbOrTx, userId: string) {
  await db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.kind, 'invite')));
}

export async function updatePassword(
  db: DbOrTx,
  userId: string,
  values: { passwordHash: string; mustChangePassword: boolean },
) {
  forgetSessions();
  await db
    .update(users)
    .set({ ...values, passwordChangedAt: new Date() })
    .where(eq(users.id, userId));
}

export async function insertLoginAttempt(db: DbOrTx, values: { username: string; address: string }) {
  const [row] = await db.insert(loginAttempts).values(values).returning({ id: loginAttempts.id });
  return row!.id;
}

export async function deleteLoginAttempt(db: DbOrTx, id: number) {
  await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
}

// Attempts in the window up to and including `upTo`: each attempt counts those made before it
// (committed, since each is written on its own), so a burst of guesses cannot all slip under
// the limit together.
export async function countLoginAttempts(
  db: DbOrTx,
  filter: { username?: string; address?: string; since: Date; upTo: number },
) {
  const [row] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        filter.username !== undefined ? eq(loginAttempts.username, filter.username) : undefined,
        filter.address !== undefined ? eq(loginAttempts.address, filter.address) : undefined,
        gte(loginAttempts.at, filter.since),
        lte(loginAttempts.id, filter.upTo),
      ),
    );
  return row?.n ?? 0;
}

// The attempt whose leaving the window lifts the limit: the `limit`-th most recent.
export async function nthRecentAttemptAt(
  db: DbOrTx,
  filter: { username?: string; address?: string; since: Date },
  n: number,
) {
  const [row] = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(
      and(
        filter.username !== undefined ? eq(loginAttempts.username, filter.username) : undefined,
        filter.address !== undefined ? eq(loginAttempts.address, filter.address) : undefined,
        gte(loginAttempts.at, filter.since),
      ),
    )
    .orderBy(desc(loginAttempts.at))
    .offset(n - 1)
    .limit(1);
  return row?.at ?? null;
}
