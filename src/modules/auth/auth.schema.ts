import { z } from 'zod';
import { userRoles } from '../../domain/enums.ts';
import { minPasswordLength } from '../../domain/password-policy.ts';

export const roleSchema = z.enum(userRoles);

export const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const newPassword = z.string().min(minPasswordLength).max(200);

export const passwordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword,
});

export const inviteAcceptBody = z.object({
  token: z.string().min(20).max(200),
  newPassword,
});

export const meResponse = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    organisation: z.object({ id: z.uuid(), name: z.string(), regionCode: z.string().nullable() }).nullable(),
    personId: z.uuid().nullable(),
    mustChangePassword: z.boolean(),
    capabilities: z.array(z.string()),
    // Which records the actor reaches, from the access layer's scopes (src/access), so that the
    // web app shows a kecamatan office or an owner its share without comparing role names.
    scope: z.object({
      // The kecamatan the actor is held to, or null for the whole kabupaten/kota ('-': none).
      kecamatan: z.string().nullable(),
      // Only the businesses the actor owns (and what hangs off them).
      ownBusinesses: z.boolean(),
      // Only its own organisation's aid stock and allocations.
      ownOrganisationAid: z.boolean(),
    }),
  })
  .meta({ id: 'Me' });

export const sessionItem = z
  .object({
    id: z.uuid(),
    createdAt: z.date(),
    expiresAt: z.date().nullable(),
    userAgent: z.string().nullable(),
    address: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'LoginSession' });

export const apiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});

export const apiTokenItem = z
  .object({ id: z.uuid(), name: z.string(), createdAt: z.date(), expiresAt: z.date().nullable() })
  .meta({ id: 'ApiToken' });

export const createdApiToken = apiTokenItem
  .extend({ token: z.string().describe('shown once; send as Authorization: Bearer') })
  .meta({ id: 'CreatedApiToken' });

export type LoginBody = z.infer<typeof loginBody>;
export type PasswordBody = z.infer<typeof passwordBody>;
export type ApiTokenBody = z.infer<typeof apiTokenBody>;
export type Me = z.infer<typeof meResponse>;
export type SessionItem = z.infer<typeof sessionItem>;
export type ApiTokenItem = z.infer<typeof apiTokenItem>;
export type CreatedApiToken = z.infer<typeof createdApiToken>;
