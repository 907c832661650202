import { createHash, randomBytes } from 'node:crypto';
import { aidScope, kecamatanScope, registryScope } from '../../access/access.service.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { passwordProblem } from '../../domain/password-policy.ts';
import { AppError, fail } from '../../lib/errors.ts';
import { cachedSession } from '../../lib/session-cache.ts';
import { type Actor, can, capabilitiesOf } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  countLoginAttempts,
  deleteInvitesOfUser,
  deleteLoginAttempt,
  deleteToken,
  deleteTokenOfUser,
  deleteTokensOfUser,
  getActorByTokenHash,
  getUserById,
  getUserForLogin,
  insertLoginAttempt,
  insertToken,
  listTokensOfUser,
  nthRecentAttemptAt,
  takeInvite,
  updatePassword,
} from './auth.queries.ts';
import type { ApiTokenBody, LoginBody, Me, PasswordBody } from './auth.schema.ts';
import { hashPassword, passwords } from './password.ts';

export const sessionTtlMs = 12 * 60 * 60 * 1000;
export const inviteTtlMs = 7 * 24 * 60 * 60 * 1000;

// Login limits of the contract: failures per username and per address in a sliding window.
export const loginLimits = { windowMs: 15 * 60 * 1000, perUsername: 10, perAddress: 30 };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// An unknown username is checked against this hash, so that it costs what a known one costs
// and the answer's timing does not tell which usernames exist.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

export type LoginContext = { address: string; userAgent?: string | undefined };

export class LoginLimited extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('login_limited', { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export async function login(db: Db, body: LoginBody, context: LoginContext) {
  const username = body.username;
  const since = new Date(Date.now() - loginLimits.windowMs);
  // Written before the check: concurrent guesses see each other's rows.
  const attemptId = await insertLoginAttempt(db, { username, address: context.address });
  const byUsername = await countLoginAttempts(db, { username, since, upTo: attemptId - 1 });
  const byAddress = await countLoginAttempts(db, { address: context.address, since, upTo: attemptId - 1 });
  if (byUsername >= loginLimits.perUsername || byAddress >= loginLimits.perAddress) {
    // Not a guess: the password was not checked, so it does not count against the limit.
    await deleteLoginAttempt(db, attemptId);
    const oldest =
      byUsername >= loginLimits.perUsername
        ? await nthRecentAttemptAt(db, { username, since }, loginLimits.perUsername)
        : await nthRecentAttemptAt(db, { address: context.address, since }, loginLimits.perAddress);
    const liftsAt = (oldest?.getTime() ?? Date.now()) + loginLimits.windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((liftsAt - Date.now()) / 1000));
    const user = await getUserForLogin(db, username);
    await recordChange(db, null, {
      action: 'login_limited',
      entity: 'user',
      entityId: user?.id ?? null,
      after: { username, address: context.address },
    });
    throw new LoginLimited(retryAfterSeconds);
  }

  const user = await getUserForLogin(db, username);
  const valid = await passwords.verify(body.password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !valid || user.disabledAt) {
    await recordChange(db, null, {
      action: 'login_failed',
      entity: 'user',
      entityId: user?.id ?? null,
      after: {
        username,
        address: context.address,
        reason: !user ? 'unknown_user' : user.disabledAt ? 'disabled' : 'wrong_password',
      },
    });
    return fail('invalid_credentials');
  }
  await deleteLoginAttempt(db, attemptId);
  const token = randomBytes(32).toString('base64url');
  await insertToken(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    kind: 'session',
    expiresAt: new Date(Date.now() + sessionTtlMs),
    userAgent: context.userAgent?.slice(0, 300) ?? null,
    address: context.address,
  });
  return token;
}

export async function logout(db: Db, token: string) {
  await deleteToken(db, hashToken(token));
}

// Every session and token of a user ends now (disabled, or a new one-time password).
export async function endSessionsOfUser(tx: DbOrTx, userId: string) {
  await deleteTokensOfUser(tx, userId);
}

// An invitation token replaces any earlier one of the user.
export async function replaceInviteToken(tx: DbOrTx, userId: string, token: string, expiresAt: Date) {
  await deleteInvitesOfUser(tx, userId);
  await insertToken(tx, { tokenHash: hashToken(token), userId, kind: 'invite', expiresAt });
}

async function issueApiToken(db: Db, userId: string, name: string, expiresAt: Date | null) {
  const token = `plh_${randomBytes(32).toString('base64url')}`;
  const { id } = await insertToken(db, { tokenHash: hashToken(token), userId, kind: 'api', name, expiresAt });
  return { id, token };
}

// For code that acts on a user's behalf (the demo loader, benchmarks); people get theirs
// through createOwnApiToken, always with an expiry.
export async function createApiToken(db: Db, userId: string, name: string, expiresAt: Date | null = null) {
  return (await issueApiToken(db, userId, name, expiresAt)).token;
}

export async function getSessionUser(db: DbOrTx, token: string) {
  return getActorByTokenHash(db, hashToken(token));
}

// The same, through the short session cache (src/lib/session-cache.ts): the actor of every API
// request. A revoked session or a changed user is forgotten at once in this process.
export async function getRequestSessionUser(db: DbOrTx, token: string) {
  const tokenHash = hashToken(token);
  return cachedSession(db, tokenHash, () => getActorByTokenHash(db, tokenHash));
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getSessionUser>>>;

export function toActor(user: SessionUser): Actor {
  return {
    userId: user.userId,
    username: user.username,
    role: user.role,
    organisationId: user.organisationId,
    regionCode: user.regionCode,
    personId: user.personId,
  };
}

export function presentMe(user: SessionUser): Me {
  const actor = toActor(user);
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
    mustChangePassword: user.mustChangePassword,
    capabilities: capabilitiesOf(actor),
    scope: {
      kecamatan: kecamatanScope(actor),
      ownBusinesses: registryScope(actor).ownerId !== undefined,
      ownOrganisationAid: can(actor, 'readAid') && aidScope(actor).organisationId !== undefined,
    },
  };
}

export function checkPasswordPolicy(password: string, username: string) {
  const problem = passwordProblem(password, username);
  if (problem) fail('password_too_weak', { reason: problem, path: 'body.newPassword' });
}

// One's own password: the current one proves it is them; every other session and token of
// theirs ends, the one in hand stays.
export async function changeOwnPassword(db: Db, actor: Actor, tokenId: string, body: PasswordBody) {
  const user = (await getUserById(db, actor.userId)) ?? fail('unauthenticated');
  if (!(await passwords.verify(body.currentPassword, user.passwordHash))) fail('wrong_current_password');
  checkPasswordPolicy(body.newPassword, user.username);
  if (body.newPassword === body.currentPassword)
    fail('password_too_weak', { reason: 'unchanged', path: 'body.newPassword' });
  const passwordHash = await hashPassword(body.newPassword);
  await db.transaction(async (tx) => {
    await updatePassword(tx, user.id, { passwordHash, mustChangePassword: false });
    await deleteTokensOfUser(tx, user.id, tokenId);
    await recordChange(tx, actor, { action: 'password_changed', entity: 'user', entityId: user.id });
  });
}

// An invitation link sets the first password of a user (an owner, usually) who never had one
// they knew; it works once.
export async function acceptInvite(db: Db, token: string, newPassword: string) {
  return db.transaction(async (tx) => {
    const invite = (await takeInvite(tx, hashToken(token))) ?? fail('invite_invalid');
    const user = (await getUserById(tx, invite.userId)) ?? fail('invite_invalid');
    if (user.disabledAt) fail('invite_invalid');
    checkPasswordPolicy(newPassword, user.username);
    await updatePassword(tx, user.id, {
      passwordHash: await hashPassword(newPassword),
      mustChangePassword: false,
    });
    await deleteTokensOfUser(tx, user.id);
    await recordChange(tx, null, { action: 'invite_accepted', entity: 'user', entityId: user.id });
    return { username: user.username };
  });
}

export async function listOwnSessions(db: Db, actor: Actor, currentTokenId: string) {
  const rows = await listTokensOfUser(db, actor.userId, 'session');
  return rows.map(({ name: _name, ...r }) => ({ ...r, current: r.id === currentTokenId }));
}

export async function endOwnSession(db: Db, actor: Actor, id: string) {
  if (!(await deleteTokenOfUser(db, actor.userId, id, 'session'))) fail('not_found');
  await recordChange(db, actor, { action: 'session_ended', entity: 'user', entityId: actor.userId });
}

export async function listOwnApiTokens(db: Db, actor: Actor) {
  const rows = await listTokensOfUser(db, actor.userId, 'api');
  return rows.map((r) => ({ id: r.id, name: r.name ?? '', createdAt: r.createdAt, expiresAt: r.expiresAt }));
}

export async function createOwnApiToken(db: Db, actor: Actor, body: ApiTokenBody) {
  const expiresAt = new Date(Date.now() + body.expiresInDays * 24 * 60 * 60 * 1000);
  const { id, token } = await issueApiToken(db, actor.userId, body.name, expiresAt);
  await recordChange(db, actor, {
    action: 'api_token_created',
    entity: 'user',
    entityId: actor.userId,
    after: { name: body.name, expiresAt },
  });
  return { id, name: body.name, createdAt: new Date(), expiresAt, token };
}

export async function revokeOwnApiToken(db: Db, actor: Actor, id: string) {
  if (!(await deleteTokenOfUser(db, actor.userId, id, 'api'))) fail('not_found');
  await recordChange(db, actor, { action: 'api_token_revoked', entity: 'user', entityId: actor.userId });
}
