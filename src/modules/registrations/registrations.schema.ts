import { z } from 'zod';
import { registrationSources, registrationStatuses, sexes, visitOutcomes } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';

// Self-registration (/daftar-usaha) and the kecamatan officer's verification visit. Shared with
// the web app (the officer's queue and visit form).

export const registrationStatus = z.enum(registrationStatuses);
export const visitOutcome = z.enum(visitOutcomes);
export const registrationSource = z.enum(registrationSources);

export const maxRegistrationPhotoBytes = 3 * 1024 * 1024;
export const registrationPhotoType = z.enum(['image/jpeg', 'image/png', 'image/webp']);
export const registrationPhoto = z.object({
  contentType: registrationPhotoType,
  dataBase64: z.base64().max(4_200_000),
});

// The consent text the owner agrees to (locales registration.json, consent.text): its version is
// stored with each registration (UU PDP No. 27/2022), so a later change of wording is traceable.
export const consentVersion = 'daftar-usaha-2026-12';

const clientKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,100}$/)
  .describe('Made on the phone; a resend with the same key is recorded once');

// The fields of the form, as typed: the server applies the registry import's checks to them.
export const registrationFields = z.object({
  nik: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(200),
  sex: z.enum(sexes),
  birthDate: z.iso.date(),
  phone: z.string().trim().min(1).max(30),
  address: z.string().trim().min(1).max(500),
  regionCode: z.string().trim().min(2).max(20).describe('The kelurahan/desa code'),
  businessName: z.string().trim().min(1).max(200),
  kbli: z.string().trim().max(10).nullish(),
  annualTurnover: z.number().int().min(0).max(1e15).nullish(),
  workers: z.number().int().min(0).max(1_000_000).nullish(),
  covidImpacted: z.boolean().nullish(),
});

// An officer's registration of a business found on a walk, entered offline and synced later.
export const fieldRegistrationBody = registrationFields
  .extend({
    clientKey,
    consent: z.literal(true).describe('The owner agreed to the consent text (UU PDP), asked by the officer'),
    photo: registrationPhoto.nullish(),
  })
  .meta({ id: 'FieldRegistrationBody' });

export const visitBody = z
  .object({
    clientKey,
    visitedAt: z.iso.datetime({ offset: true }).describe('The phone’s clock at the visit'),
    outcome: visitOutcome,
    businessExists: z.boolean(),
    ownerMet: z.boolean(),
    nikSeen: z.boolean(),
    location: z
      .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
      .nullish()
      .describe('Only with the owner’s consent'),
    note: z
      .string()
      .trim()
      .max(1000)
      .nullish()
      .describe(
        'What to fix (perlu_perbaikan, shown to the owner) or why refused (ditolak): required for both',
      ),
    photo: registrationPhoto.nullish(),
  })
  .meta({ id: 'RegistrationVisitBody' });

export const listRegistrationsQuery = listQuery.extend({
  status: registrationStatus.optional(),
  kecamatan: z
    .string()
    .trim()
    .regex(/^\d{2}\.\d{2}\.\d{2}$/)
    .optional(),
});

export const registrationItem = z
  .object({
    id: z.uuid(),
    status: registrationStatus,
    source: registrationSource,
    createdAt: z.date(),
    decidedAt: z.date().nullable(),
    owner: z.object({
      name: z.string(),
      nik: z.string().describe('Masked: the officer compares the last four digits with the KTP'),
      sex: z.enum(sexes),
      phone: z.string(),
      address: z.string(),
    }),
    business: z.object({
      name: z.string(),
      kbli: z.string().nullable(),
      kbliTitle: z.string().nullable(),
      annualTurnover: z.number().nullable(),
      workers: z.number().nullable(),
      covidImpacted: z.boolean().nullable(),
    }),
    kelurahan: z.string(),
    kelurahanName: z.string().nullable(),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    hasPhoto: z.boolean(),
    possibleDuplicate: z
      .boolean()
      .describe('The registry already holds this NIK, or a person with the same phone and birth date'),
    warnings: z.array(z.string()),
    officerNote: z.string().nullable(),
    businessId: z.uuid().nullable(),
  })
  .meta({ id: 'Registration' });

export const visitResult = z
  .object({
    visitId: z.uuid(),
    registrationId: z.uuid(),
    outcome: visitOutcome,
    status: registrationStatus,
    businessId: z.uuid().nullable(),
    replayed: z.boolean().describe('True when this client key was recorded before'),
  })
  .meta({ id: 'RegistrationVisitResult' });

export const fieldRegistrationResult = z
  .object({
    id: z.uuid(),
    status: registrationStatus,
    businessId: z.uuid().nullable(),
    replayed: z.boolean(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'FieldRegistrationResult' });

const listed = z.object({
  id: z.uuid(),
  name: z.string(),
  businessName: z.string(),
  status: registrationStatus,
  at: z.date(),
});

export const registryOverviewQuery = z.object({
  kecamatan: z
    .string()
    .trim()
    .regex(/^\d{2}\.\d{2}\.\d{2}$/)
    .optional(),
});

export const registryOverview = z
  .object({
    kecamatan: z.string().nullable(),
    kecamatanName: z.string().nullable(),
    counts: z.object({
      newThisWeek: z.number().describe('Registered in the last 7 days'),
      awaitingVerification: z.number(),
      needsFix: z.number().describe('perlu_perbaikan: waiting for the owner'),
      verifiedThisMonth: z.number().describe('In the office’s calendar month'),
      possibleDuplicates: z.number().describe('Registrations awaiting verification that match the registry'),
      duplicatesToReview: z
        .number()
        .describe('Pairs in the dedup review queue this office sees (at most 1000)'),
    }),
    newest: z.array(listed),
    verifiedRecently: z.array(listed),
  })
  .meta({ id: 'RegistryOverview' });

export const kbliSearchQuery = z.object({ q: z.string().trim().min(1).max(100) });
export const kbliMatches = z.object({
  items: z.array(z.object({ code: z.string(), title: z.string(), version: z.number() })),
});

export type RegistrationFields = z.infer<typeof registrationFields>;
export type FieldRegistrationBody = z.infer<typeof fieldRegistrationBody>;
export type VisitBody = z.infer<typeof visitBody>;
export type RegistrationItem = z.infer<typeof registrationItem>;
export type RegistryOverview = z.infer<typeof registryOverview>;
export type ListRegistrationsQuery = z.infer<typeof listRegistrationsQuery>;
