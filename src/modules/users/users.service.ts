import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor, Role } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { getUserByName, insertUser, listOrganisations, upsertOrganisation } from './users.queries.ts';

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
