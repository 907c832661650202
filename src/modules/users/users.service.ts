import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { AppContext } from '../../lib/context.ts';
import { checkViolation, fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor, Role } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  checkPasswordPolicy,
  endSessionsOfUser,
  inviteTtlMs,
  replaceInviteToken,
} from '../auth/auth.service.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { getPersonContact } from '../businesses/businesses.service.ts';
import {
  findOrCreateKecamatanOffice,
  getOrganisationById,
  getUserByName,
  getUserRowForUpdate,
  getUserWithOrganisation,
  insertOrganisation,
  insertUser,
  listOrganisations,
  listOrganisationsWithUsers,
  listUsers as listUserRows,
  lockActiveAdmins,
  updateOrganisation as updateOrganisationRow,
  updateUser as updateUserRow,
  upsertOrganisation,
} from './users.queries.ts';
import type {
  CreatedUser,
  CreateOrganisationBody,
  CreateUserBody,
  Invitation,
  ListUsersQuery,
  OrganisationItem,
  UpdateOrganisationBody,
  UpdateUserBody,
  UserItem,
} from './users.schema.ts';

export type OrganisationInput = {
  code: string;
  name: string;
  kind: 'platform' | 'dinas' | 'sopd' | 'kecamatan';
  regionCode?: string | null;
};

export async function ensureOrganisation(db: DbOrTx, input: OrganisationInput) {
  return upsertOrganisation(db, input);
}

export type NewUser = {
  username: string;
  displayName: string;
  role: Role;
  organisationId?: string | null;
  personId?: string | null;
  nip?: string | null;
  position?: string | null;
  password?: string | undefined;
};

// Creates the user unless the username exists; the password is returned only when created.
export async function ensureUser(db: DbOrTx, input: NewUser) {
  const existing = await getUserByName(db, input.username);
  if (existing) return { user: existing, password: null };
  const password = input.password ?? generatePassword();
  const { password: _omit, ...fields } = input;
  const user = await insertUser(db, { ...fields, passwordHash: await hashPassword(password) });
  if (!user) return { user: (await getUserByName(db, input.username))!, password: null };
  await recordChange(db, null, {
    action: 'create',
    entity: 'user',
    entityId: user.id,
    after: { username: user.username, role: user.role, organisationId: user.organisationId },
  });
  return { user, password };
}

// First start: the platform organisation and the admin, whose password is printed once.
export async function ensureAdmin(db: Db, password = process.env.PULIH_ADMIN_PASSWORD) {
  const platform = await ensureOrganisation(db, { code: 'pulih', name: 'Pulih', kind: 'platform' });
  return ensureUser(db, {
    username: 'admin',
    displayName: 'Administrator',
    role: 'admin',
    organisationId: platform.id,
    password: password || undefined,
  });
}

// The administrator as the actor of work that no logged-in user asked for (the CLI).
export async function getAdministratorActor(db: Db): Promise<Actor> {
  const { user } = await ensureAdmin(db);
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    organisationId: user.organisationId,
    regionCode: null,
    personId: user.personId,
  };
}

export { listOrganisations };

// ---- accounts -------------------------------------------------------------------------

type UserRow = NonNullable<Awaited<ReturnType<typeof getUserWithOrganisation>>>;

async function presentUser(ctx: AppContext, row: UserRow): Promise<UserItem> {
  const { user, organisation } = row;
  const person = user.personId ? await getPersonContact(ctx.db, user.personId) : null;
  return {
    id: user.id,
    username: user.username,
    name: user.displayName,
    role: user.role,
    organisation,
    kecamatan: organisation?.kind === 'kecamatan' ? organisation.regionCode : null,
    personId: user.personId,
    personName: person?.name ?? null,
    nip: user.nip,
    position: user.position,
    active: user.disabledAt === null,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
    passwordChangedAt: user.passwordChangedAt,
  };
}

export async function listUsers(ctx: AppContext, query: ListUsersQuery) {
  const after = decodeCursor(query.cursor, 1)?.[0];
  const rows = await listUserRows(
    ctx.db,
    {
      q: query.q,
      role: query.role,
      ...(query.active === undefined ? {} : { active: query.active === 'true' }),
    },
    typeof after === 'string' ? after : null,
    query.limit,
  );
  const result = pageOf(rows, query.limit, (r) => [r.user.username]);
  const items: UserItem[] = [];
  for (const row of result.items) items.push(await presentUser(ctx, row));
  return { items, nextCursor: result.nextCursor };
}

export async function getUser(ctx: AppContext, id: string) {
  const row = (await getUserWithOrganisation(ctx.db, id)) ?? fail('not_found');
  return presentUser(ctx, row);
}

type ScopeInput = {
  kecamatan?: string | null | undefined;
  organisationId?: string | null | undefined;
  personId?: string | null | undefined;
};

// Each role's scope (PRODUCT.md): a kecamatan officer works for one kecamatan office, an SOPD
// officer for one SOPD, an owner is one person of the registry; officers of the Dinas and
// administrators may belong to an organisation of theirs.
async function resolveScope(ctx: AppContext, db: DbOrTx, role: Role, input: ScopeInput) {
  const organisationOfKind = async (kinds: readonly string[]) => {
    if (!input.organisationId) return null;
    const org = await getOrganisationById(db, input.organisationId);
    if (!org || !kinds.includes(org.kind)) fail('invalid_scope', { path: 'body.organisationId', role });
    return org!.id;
  };
  switch (role) {
    case 'admin': {
      const own = await organisationOfKind(['platform', 'dinas']);
      const platform =
        own ?? (await ensureOrganisation(db, { code: 'pulih', name: 'Pulih', kind: 'platform' })).id;
      return { organisationId: platform, personId: null };
    }
    case 'program_officer':
      return { organisationId: await organisationOfKind(['dinas']), personId: null };
    case 'kecamatan_officer': {
      if (input.kecamatan) {
        const code = normalizeRegionCode(input.kecamatan);
        const region = code ? ctx.regions.get(code) : undefined;
        if (!code || region?.level !== 'kecamatan') fail('invalid_region', { path: 'body.kecamatan' });
        const office = await findOrCreateKecamatanOffice(db, code!, `Kantor Kecamatan ${region!.name}`);
        return { organisationId: office.id, personId: null };
      }
      const org = await organisationOfKind(['kecamatan']);
      return {
        organisationId: org ?? fail('invalid_scope', { path: 'body.kecamatan', role }),
        personId: null,
      };
    }
    case 'sopd_officer': {
      const org = await organisationOfKind(['sopd']);
      return {
        organisationId: org ?? fail('invalid_scope', { path: 'body.organisationId', role }),
        personId: null,
      };
    }
    case 'owner': {
      const person = input.personId ? await getPersonContact(db, input.personId) : null;
      if (!person) fail('invalid_scope', { path: 'body.personId', role });
      return { organisationId: null, personId: person!.id };
    }
  }
}

// What an account change looks like in the audit log: never a password hash.
const auditedFields = (user: {
  username: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  personId: string | null;
  nip: string | null;
  position: string | null;
  disabledAt?: Date | null;
}) => ({
  username: user.username,
  name: user.displayName,
  role: user.role,
  organisationId: user.organisationId,
  personId: user.personId,
  nip: user.nip,
  position: user.position,
  active: !user.disabledAt,
});

export async function createUser(ctx: AppContext, actor: Actor, body: CreateUserBody): Promise<CreatedUser> {
  if (body.password) checkPasswordPolicy(body.password, body.username);
  const temporary = body.password ? null : generatePassword();
  const passwordHash = await hashPassword(body.password ?? temporary!);
  const id = await ctx.db.transaction(async (tx) => {
    const scope = await resolveScope(ctx, tx, body.role, body);
    let user: Awaited<ReturnType<typeof insertUser>>;
    try {
      user = await insertUser(tx, {
        username: body.username,
        displayName: body.name,
        role: body.role,
        ...scope,
        nip: body.nip ?? null,
        position: body.position ?? null,
        passwordHash,
        mustChangePassword: temporary !== null,
      });
    } catch (error) {
      if (checkViolation(error)) fail('invalid_scope', { role: body.role });
      throw error;
    }
    if (!user) return fail('username_taken', { path: 'body.username' });
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'user',
      entityId: user.id,
      after: auditedFields(user),
    });
    return user.id;
  });
  const created = await getUser(ctx, id);
  return temporary ? { ...created, temporaryPassword: temporary } : created;
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, body: UpdateUserBody) {
  await ctx.db.transaction(async (tx) => {
    const before = (await getUserRowForUpdate(tx, id)) ?? fail('not_found');
    const role = body.role ?? before.role;
    const scopeChanged =
      body.role !== undefined ||
      body.kecamatan !== undefined ||
      body.organisationId !== undefined ||
      body.personId !== undefined;
    const scope = scopeChanged
      ? await resolveScope(ctx, tx, role, {
          kecamatan: body.kecamatan,
          // a new role does not inherit an organisation of another kind
          organisationId:
            body.organisationId !== undefined
              ? body.organisationId
              : role === before.role
                ? before.organisationId
                : null,
          personId: body.personId !== undefined ? body.personId : before.personId,
        })
      : {};
    const disabling = body.active === false && before.disabledAt === null;
    const leavesAdmins =
      before.role === 'admin' && before.disabledAt === null && (disabling || role !== 'admin');
    if (leavesAdmins) {
      const admins = await lockActiveAdmins(tx);
      if (admins.filter((a) => a.id !== id).length === 0) fail('last_admin');
    }
    const after = await updateUserRow(tx, id, {
      ...(body.name !== undefined ? { displayName: body.name } : {}),
      role,
      ...scope,
      ...(body.nip !== undefined ? { nip: body.nip } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
      ...(body.active === undefined
        ? {}
        : { disabledAt: body.active ? null : (before.disabledAt ?? new Date()) }),
    }).catch((error: unknown) =>
      checkViolation(error) ? fail('invalid_scope', { role }) : Promise.reject(error),
    );
    // A disabled user's sessions and tokens end with the change, not when they expire.
    if (disabling) await endSessionsOfUser(tx, id);
    const action = disabling ? 'disable' : body.active === true && before.disabledAt ? 'enable' : 'update';
    await recordChange(tx, actor, {
      action,
      entity: 'user',
      entityId: id,
      before: auditedFields(before),
      after: auditedFields(after!),
    });
  });
  return getUser(ctx, id);
}

// A new one-time password: every session and token of the user ends, and the first login
// with it must choose a new one.
export async function resetPassword(ctx: AppContext, actor: Actor, id: string) {
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  await ctx.db.transaction(async (tx) => {
    (await getUserRowForUpdate(tx, id)) ?? fail('not_found');
    await updateUserRow(tx, id, { passwordHash, mustChangePassword: true, passwordChangedAt: new Date() });
    await endSessionsOfUser(tx, id);
    await recordChange(tx, actor, { action: 'password_reset', entity: 'user', entityId: id });
  });
  return { temporaryPassword };
}

export async function resetPasswordByUsername(ctx: AppContext, actor: Actor, username: string) {
  const user = (await getUserByName(ctx.db, username.toLowerCase())) ?? fail('not_found');
  return resetPassword(ctx, actor, user.id);
}

export async function setActiveByUsername(ctx: AppContext, actor: Actor, username: string, active: boolean) {
  const user = (await getUserByName(ctx.db, username.toLowerCase())) ?? fail('not_found');
  return updateUser(ctx, actor, user.id, { active });
}

// An invitation: a link that sets the user's password once, within a week. For an owner
// with a phone, the same text as a WhatsApp link the officer opens to send it.
export async function inviteUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  base: string,
  officeName: string,
): Promise<Invitation> {
  const user = await getUser(ctx, id);
  if (!user.active) fail('conflict', { reason: 'disabled' });
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + inviteTtlMs);
  await ctx.db.transaction(async (tx) => {
    await replaceInviteToken(tx, id, token, expiresAt);
    await recordChange(tx, actor, {
      action: 'invite_created',
      entity: 'user',
      entityId: id,
      after: { expiresAt },
    });
  });
  const link = `${base}/undangan/${token}`;
  const person = user.personId ? await getPersonContact(ctx.db, user.personId) : null;
  const phone = person?.phone?.replace(/\D/g, '') ?? '';
  const text =
    `Halo ${user.name}, ${officeName} mengundang Anda memakai Pulih. ` +
    `Nama pengguna Anda: ${user.username}. Buat kata sandi Anda di ${link} (berlaku 7 hari, sekali pakai).`;
  return {
    link,
    whatsappUrl: phone ? `https://wa.me/${phone}?text=${encodeURIComponent(text)}` : null,
    expiresAt,
  };
}

// ---- organisations --------------------------------------------------------------------

export async function listOrganisationItems(ctx: AppContext): Promise<OrganisationItem[]> {
  const rows = await listOrganisationsWithUsers(ctx.db);
  return rows.map((r) => ({
    ...r,
    regionName: r.regionCode ? (ctx.regions.label(r.regionCode) ?? null) : null,
  }));
}

function checkOrganisationRegion(ctx: AppContext, kind: string, regionCode: string | null | undefined) {
  if (kind !== 'kecamatan') {
    if (regionCode) fail('invalid_scope', { path: 'body.regionCode' });
    return null;
  }
  const code = regionCode ? normalizeRegionCode(regionCode) : null;
  if (!code || ctx.regions.get(code)?.level !== 'kecamatan')
    fail('invalid_region', { path: 'body.regionCode' });
  return code!;
}

export async function createOrganisation(ctx: AppContext, actor: Actor, body: CreateOrganisationBody) {
  const regionCode = checkOrganisationRegion(ctx, body.kind, body.regionCode);
  const org = await ctx.db.transaction(async (tx) => {
    const row = await insertOrganisation(tx, {
      code: `${body.kind}-${randomBytes(4).toString('hex')}`,
      name: body.name,
      kind: body.kind,
      regionCode,
    });
    await recordChange(tx, actor, { action: 'create', entity: 'organisation', entityId: row.id, after: row });
    return row;
  });
  return (await listOrganisationItems(ctx)).find((o) => o.id === org.id)!;
}

export async function updateOrganisation(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: UpdateOrganisationBody,
) {
  await ctx.db.transaction(async (tx) => {
    const before = (await getOrganisationById(tx, id)) ?? fail('not_found');
    if (before.kind === 'platform') fail('forbidden');
    const regionCode =
      body.regionCode !== undefined ? checkOrganisationRegion(ctx, before.kind, body.regionCode) : undefined;
    const after = await updateOrganisationRow(tx, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(regionCode !== undefined ? { regionCode } : {}),
    });
    await recordChange(tx, actor, { action: 'update', entity: 'organisation', entityId: id, before, after });
  });
  return (await listOrganisationItems(ctx)).find((o) => o.id === id) ?? fail('not_found');
}
