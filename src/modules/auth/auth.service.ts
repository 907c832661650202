import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { fail } from '../../lib/errors.ts';
import { type Actor, capabilitiesOf } from '../../policies.ts';
import { deleteToken, getActorByTokenHash, getUserByUsername, insertToken } from './auth.queries.ts';
import type { LoginBody, Me } from './auth.schema.ts';
import { verifyPassword } from './password.ts';

export const sessionTtlMs = 12 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(db: Db, body: LoginBody) {
  const user = await getUserByUsername(db, body.username);
  const valid = user ? await verifyPassword(body.password, user.passwordHash) : false;
  if (!user || !valid) return fail('invalid_credentials');
  const token = randomBytes(32).toString('base64url');
  await insertToken(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    kind: 'session',
    expiresAt: new Date(Date.now() + sessionTtlMs),
  });
  return token;
}

export async function logout(db: Db, token: string) {
  await deleteToken(db, hashToken(token));
}

export async function createApiToken(db: Db, userId: string, name: string) {
  const token = `plh_${randomBytes(32).toString('base64url')}`;
  await insertToken(db, { tokenHash: hashToken(token), userId, kind: 'api', name, expiresAt: null });
  return token;
}

export async function getSessionUser(db: Db, token: string) {
  return getActorByTokenHash(db, hashToken(token));
}

export function toActor(user: NonNullable<Awaited<ReturnType<typeof getSessionUser>>>): Actor {
  return {
    userId: user.userId,
    username: user.username,
    role: user.role,
    organisationId: user.organisationId,
    regionCode: user.regionCode,
    personId: user.personId,
  };
}

export function presentMe(user: NonNullable<Awaited<ReturnType<typeof getSessionUser>>>): Me {
  return {
    id: user.userId,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    organisation:
      user.organisationId && user.organisationName
        ? { id: user.organisationId, name: user.organisationName, regionCode: user.regionCode }
        : null,
    personId: user.personId,
    capabilities: capabilitiesOf(toActor(user)),
  };
}
