import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { fail } from '../lib/errors.ts';
import { type Actor, type Capability, can } from '../policies.ts';
import {
  businessesWithin,
  businessWithinScope,
  type RegistryScope,
  wholeRegistry,
} from './access.queries.ts';

export type { RegistryScope };

// The access layer, in the manner of Immich's access checks: a permission (a capability of
// src/policies.ts, which names the roles holding it) plus, when records are named, the ids
// asked for, answered by the scope SQL of access.queries.ts. This file is also the one place
// that turns an actor into its record scope; the modules' queries take that scope as data in
// their `where`. Nothing outside src/access and src/policies.ts compares roles (access.test.ts).

const nobody = '00000000-0000-0000-0000-000000000000';

// Which registry records (businesses, their owners, and what hangs off a business) an actor
// reaches: a kecamatan office its kecamatan, an owner their own businesses, the rest all.

export function registryScope(actor: Actor): RegistryScope {
  switch (actor.role) {
    case 'kecamatan_officer':
      return { kecamatanCode: actor.regionCode ?? '-' };
    case 'owner':
      return { ownerId: actor.personId ?? nobody };
    case 'admin':
    case 'program_officer':
    case 'sopd_officer':
      return {};
  }
}

// Which aid (stock, allocations, handovers) an actor reaches: an SOPD its own organisation's,
// admins and program officers all, others none.
export type AidScope = { organisationId?: string | null };

export function aidScope(actor: Actor): AidScope {
  switch (actor.role) {
    case 'sopd_officer':
      return { organisationId: actor.organisationId ?? nobody };
    case 'admin':
    case 'program_officer':
      return {};
    case 'kecamatan_officer':
    case 'owner':
      return { organisationId: nobody };
  }
}

// The one kecamatan an actor is held to in figures, screening and imports, or null for the
// whole kabupaten/kota. A kecamatan office without a region reaches no kecamatan ('-').
export function kecamatanScope(actor: Actor): string | null {
  return actor.role === 'kecamatan_officer' ? (actor.regionCode ?? '-') : null;
}

// The kecamatan a request may look at: the one asked for (or all), held to the actor's own; a
// kecamatan office asking for another is refused (403, field kecamatan).
export function kecamatanWithin(actor: Actor, asked: string | undefined): string | undefined {
  const own = kecamatanScope(actor);
  if (own === null) return asked;
  if (asked && asked !== own) return fail('forbidden', { field: 'kecamatan' });
  return own;
}

// Which complaints an actor reaches: a kecamatan office those linked (through a business or an
// application) to its kecamatan, and those it entered or was assigned, even unlinked; the
// kabupaten-wide offices all. An unlinked complaint (a call about nothing in the registry) is
// the kabupaten's to handle, so it stays out of other kecamatan offices' lists.
export type ComplaintScope = { kecamatanCode?: string; userId?: string };

export function complaintScope(actor: Actor): ComplaintScope {
  const own = kecamatanScope(actor);
  return own === null ? {} : { kecamatanCode: own, userId: actor.userId };
}

// Whether a kecamatan is within the actor's reach (creating or moving a business there).
export function reachesKecamatan(actor: Actor, kecamatanCode: string): boolean {
  const held = kecamatanScope(actor);
  return held === null || held === kecamatanCode;
}

// The role half: refuses with 403 and the capability that was missing.
export function requirePermission(actor: Actor, permission: Capability): Actor {
  return can(actor, permission) ? actor : fail('forbidden', { capability: permission });
}

// Permissions whose ids name businesses (and so everything reached through a business).
const byBusiness = new Set<Capability>([
  'readBusinesses',
  'writeBusinesses',
  'revealPersonalData',
  'apply',
  'readProducts',
  'writeProducts',
  'editStorefronts',
  'readSales',
  'recordSales',
]);

// The ids (of the kind the permission is about) that the actor may reach with it.
export async function accessibleIds(
  ctx: AppContext,
  actor: Actor,
  permission: Capability,
  ids: readonly string[],
): Promise<Set<string>> {
  if (!can(actor, permission)) return new Set();
  if (byBusiness.has(permission)) return businessesWithin(ctx.db, registryScope(actor), ids);
  throw new Error(`No access check for ${permission} with ids`);
}

// The reach of accessibleIds for a permission over businesses, as a condition on the
// `businesses` row of the caller's own statement: true exactly when accessibleIds would answer
// that business (same capability, same scope). For a decision that reads the business and
// checks the reach in one round trip (an application under a burst).
export function businessReachCondition(actor: Actor, permission: Capability): SQL {
  return businessReachLimit(actor, permission) ?? sql`true`;
}

// businessReachCondition, or null when the actor reaches every business (the condition would be
// `true`): a statement may then leave the businesses row out altogether. For an application's
// first read, planning that row's lookup was a third of the read's database time (the
// businesses table's many indexes are looked at by every plan; docs/benchmarks.md, apply-floor).
export function businessReachLimit(actor: Actor, permission: Capability): SQL | null {
  if (!byBusiness.has(permission)) throw new Error(`No access check for ${permission} over businesses`);
  if (!can(actor, permission)) return sql`false`;
  const scope = registryScope(actor);
  return wholeRegistry(scope) ? null : businessWithinScope(scope);
}

export async function mayAccess(
  ctx: AppContext,
  actor: Actor,
  permission: Capability,
  ids: readonly string[],
): Promise<boolean> {
  const reached = await accessibleIds(ctx, actor, permission, ids);
  return ids.every((id) => reached.has(id));
}

// Role allows the permission (else 403), and, when ids are given, every id is within reach
// (else 404, with the details given: a record out of reach does not exist for the actor).
export async function requireAccess(
  ctx: AppContext,
  actor: Actor,
  permission: Capability,
  ids?: readonly string[],
  notFound?: Record<string, unknown>,
): Promise<Actor> {
  requirePermission(actor, permission);
  if (ids && !(await mayAccess(ctx, actor, permission, ids))) fail('not_found', notFound);
  return actor;
}
