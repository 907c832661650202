import { z } from 'zod';
import { businessStatuses, sexes } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';

const nik = z.string().trim().min(1).max(40);
const rupiah = z.number().int().min(0).max(1e15);
const isoDate = z.iso.date();

export const businessStatus = z.enum(businessStatuses);
export const businessSize = z.enum(['mikro', 'kecil', 'menengah', 'besar']);

export const ownerInput = z.object({
  nik,
  name: z.string().trim().min(2).max(200),
  sex: z.enum(sexes).nullish(),
  birthDate: isoDate.nullish(),
  phone: z.string().trim().max(30).nullish(),
  address: z.string().trim().max(500).nullish(),
});

export const businessFields = z.object({
  ref: z.string().trim().min(1).max(100).nullish(),
  name: z.string().trim().min(2).max(200),
  kbli: z.string().trim().max(10).nullish(),
  regionCode: z.string().trim().min(2).max(20).describe('Kelurahan (or kecamatan) code, dots optional'),
  nib: z
    .string()
    .trim()
    .regex(/^\d{13}$/, 'NIB is 13 digits')
    .nullish(),
  capital: rupiah.nullish(),
  annualTurnover: rupiah.nullish(),
  workers: z.number().int().min(0).max(1_000_000).nullish(),
  covidImpacted: z.boolean().nullish(),
  status: businessStatus.optional(),
});

export const createBusinessBody = businessFields.extend({ owner: ownerInput }).meta({ id: 'CreateBusiness' });

export const updateBusinessBody = businessFields
  .partial()
  .extend({ owner: ownerInput.omit({ nik: true }).partial().optional() })
  .meta({ id: 'UpdateBusiness' });

// A query of digits (and the separators people type in numbers) is an identifier, a NIK or a
// phone number: personal data, so it is looked up only through POST /businesses/lookup (in the
// body, logged) and never in a URL. Shared with the web app, which picks the route by it.
export function isIdentityQuery(q: string): boolean {
  return /^\d{8,}$/.test(q.trim().replace(/[\s.()+-]/g, ''));
}

export const lookupBusinessesBody = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine(isIdentityQuery, 'An exact NIK or a phone number')
    .describe('An exact NIK or a phone number in any usual format'),
  limit: z.number().int().min(1).max(200).default(50),
});

// The registry filters, shared by the list and the export. Region codes are Kemendagri codes,
// dots optional; `q` is words of a name (the business's or the owner's, in order, the last one
// possibly begun: src/domain/name-search.ts); a NIK or phone number is refused here (see
// lookupBusinessesBody).
export const businessFilterQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kecamatan: z
    .string()
    .trim()
    .regex(/^\d{2}\.?\d{2}\.?\d{2}$/, 'A kecamatan code: 62.71.02')
    .optional(),
  kelurahan: z
    .string()
    .trim()
    .regex(/^\d{2}\.?\d{2}\.?\d{2}\.?\d{4}$/, 'A kelurahan/desa code: 62.71.02.1004')
    .optional(),
  kbli: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'A five-digit KBLI code')
    .optional(),
  size: businessSize.optional().describe('PP 7/2021 class, by annual turnover or else capital'),
  status: businessStatus.optional(),
  covidImpacted: z.enum(['true', 'false']).optional(),
});

export const listBusinessesQuery = listQuery.extend(businessFilterQuery.shape);

export const exportBusinessesQuery = businessFilterQuery.extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  personalData: z
    .enum(['true', 'false'])
    .default('false')
    .describe('Full NIK, birth date and phone; needs the revealPersonalData capability, and is logged'),
});

export const businessOwner = z.object({
  id: z.uuid(),
  name: z.string(),
  nik: z.string().describe('Masked unless the role may see it'),
  nikMasked: z.boolean(),
  sex: z.enum(sexes).nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const businessItem = z
  .object({
    id: z.uuid(),
    ref: z.string().nullable(),
    name: z.string(),
    kbli: z.string().nullable(),
    kbliTitle: z.string().nullable(),
    kelurahan: z.string().nullable(),
    kelurahanName: z.string().nullable(),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    nib: z.string().nullable(),
    capital: z.number().nullable(),
    annualTurnover: z.number().nullable(),
    workers: z.number().nullable(),
    size: businessSize.nullable(),
    covidImpacted: z.boolean().nullable(),
    status: businessStatus,
    owner: businessOwner,
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Business' });

export const businessDetail = businessItem
  .extend({
    applications: z.array(
      z.object({
        id: z.uuid(),
        programId: z.uuid(),
        programName: z.string(),
        status: z.string(),
        certificateCode: z.string().nullable(),
      }),
    ),
    aid: z.array(
      z.object({
        id: z.uuid(),
        item: z.string(),
        quantity: z.number(),
        status: z.string(),
        sopd: z.string(),
      }),
    ),
    products: z.array(
      z.object({ id: z.uuid(), name: z.string(), price: z.number(), published: z.boolean() }),
    ),
  })
  .meta({ id: 'BusinessDetail' });

export const personalData = z
  .object({ nik: z.string(), birthDate: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'PersonalData' });

export type CreateBusinessBody = z.infer<typeof createBusinessBody>;
export type UpdateBusinessBody = z.infer<typeof updateBusinessBody>;
export type LookupBusinessesBody = z.infer<typeof lookupBusinessesBody>;
export type ListBusinessesQuery = z.infer<typeof listBusinessesQuery>;
export type BusinessFilterQuery = z.infer<typeof businessFilterQuery>;
export type ExportBusinessesQuery = z.infer<typeof exportBusinessesQuery>;
export type BusinessItem = z.infer<typeof businessItem>;
export type BusinessDetail = z.infer<typeof businessDetail>;

export const identityReview = z
  .object({
    id: z.uuid(),
    createdAt: z.date(),
    requestedBy: z.string().nullable(),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    businessName: z.string(),
    person: z.object({ id: z.uuid(), name: z.string(), nik: z.string().describe('Masked') }),
  })
  .meta({ id: 'IdentityReview' });

export type IdentityReview = z.infer<typeof identityReview>;
