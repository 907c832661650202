import { z } from 'zod';
import { organisationKinds } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';
import { roleSchema } from '../auth/auth.schema.ts';

export const organisationKindSchema = z.enum(organisationKinds);

const kecamatanCode = z
  .string()
  .trim()
  .regex(/^\d{2}\.?\d{2}\.?\d{2}$/, 'kecamatan code, e.g. 62.71.02');

// Lowercase, so that "Dinas" and "dinas" are one account; dots for "kec.bukitbatu".
const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,49}$/, '3–50 letters, digits, dots, dashes or underscores');

const nip = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{18}$/, 'NIP: 18 digits'));

export const organisationItem = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: organisationKindSchema,
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    users: z.number().int(),
  })
  .meta({ id: 'Organisation' });

export const userItem = z
  .object({
    id: z.uuid(),
    username: z.string(),
    name: z.string(),
    role: roleSchema,
    organisation: z
      .object({
        id: z.uuid(),
        name: z.string(),
        kind: organisationKindSchema,
        regionCode: z.string().nullable(),
      })
      .nullable(),
    kecamatan: z.string().nullable().describe('the kecamatan code of a kecamatan officer'),
    personId: z.uuid().nullable(),
    personName: z.string().nullable(),
    nip: z.string().nullable(),
    position: z.string().nullable(),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.date(),
    passwordChangedAt: z.date().nullable(),
  })
  .meta({ id: 'User' });

export const createdUser = userItem
  .extend({ temporaryPassword: z.string().optional().describe('when no password was given; shown once') })
  .meta({ id: 'CreatedUser' });

export const createUserBody = z.object({
  username,
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  kecamatan: kecamatanCode.nullish(),
  organisationId: z.uuid().nullish(),
  personId: z.uuid().nullish(),
  nip: nip.nullish(),
  position: z.string().trim().max(200).nullish(),
  password: z.string().min(10).max(200).optional(),
});

export const updateUserBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: roleSchema,
    kecamatan: kecamatanCode.nullable(),
    organisationId: z.uuid().nullable(),
    personId: z.uuid().nullable(),
    nip: nip.nullable(),
    position: z.string().trim().max(200).nullable(),
    active: z.boolean(),
  })
  .partial();

export const listUsersQuery = listQuery.extend({
  q: z.string().trim().max(100).optional(),
  role: roleSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const temporaryPasswordResponse = z.object({ temporaryPassword: z.string() });

export const inviteResponse = z
  .object({
    link: z.string().describe('the page where the user sets their password; works once'),
    whatsappUrl: z.string().nullable().describe('wa.me link with the invitation, when the owner has a phone'),
    expiresAt: z.date(),
  })
  .meta({ id: 'Invitation' });

export const createOrganisationBody = z.object({
  name: z.string().trim().min(1).max(200),
  kind: organisationKindSchema.exclude(['platform']),
  regionCode: kecamatanCode.nullish(),
});

export const updateOrganisationBody = z
  .object({ name: z.string().trim().min(1).max(200), regionCode: kecamatanCode.nullable() })
  .partial();

export type UserItem = z.infer<typeof userItem>;
export type CreatedUser = z.infer<typeof createdUser>;
export type CreateUserBody = z.infer<typeof createUserBody>;
export type UpdateUserBody = z.infer<typeof updateUserBody>;
export type ListUsersQuery = z.infer<typeof listUsersQuery>;
export type OrganisationItem = z.infer<typeof organisationItem>;
export type CreateOrganisationBody = z.infer<typeof createOrganisationBody>;
export type UpdateOrganisationBody = z.infer<typeof updateOrganisationBody>;
export type Invitation = z.infer<typeof inviteResponse>;
