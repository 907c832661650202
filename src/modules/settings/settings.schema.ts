import { z } from 'zod';

export const timeZones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export const logoContentTypes = ['image/png', 'image/jpeg'] as const;
export const maxLogoBytes = 512 * 1024;

const nip = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{18}$/, 'NIP: 18 digits'));

// The office running Pulih: its kabupaten/kota (or province), its letterhead and signatory, its
// time zone and the address its public links are built on. Printed on every document.
export const settingsBody = z.object({
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{2}(\.?\d{2})?$/, 'a kabupaten/kota code such as 62.71, or a province code such as 62')
    .describe('the kabupaten/kota (any of Indonesia), or a province for a province office'),
  officeName: z.string().trim().max(200).describe('e.g. Dinas Perdagangan, Koperasi, UKM dan Perindustrian'),
  officeAddress: z.string().trim().max(300),
  headName: z.string().trim().max(200).describe('the Kepala Dinas who signs documents'),
  headNip: nip.or(z.literal('')),
  headPosition: z.string().trim().max(200).default('Kepala Dinas'),
  placeName: z
    .string()
    .trim()
    .max(100)
    .describe(
      'the place before a date and in the letterhead, e.g. Palangka Raya; default: from the region name',
    ),
  timeZone: z.enum(timeZones),
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .max(300)
    .nullable()
    .describe('the address public links (QR codes, invitations, previews) are built on'),
});

// Without the body's transforms (a response is encoded, not parsed).
export const settingsResponse = z
  .object({
    regionCode: z.string(),
    officeName: z.string(),
    officeAddress: z.string(),
    headName: z.string(),
    headNip: z.string(),
    headPosition: z.string(),
    placeName: z.string(),
    timeZone: z.enum(timeZones),
    publicUrl: z.string().nullable(),
    regionName: z.string().nullable().describe('e.g. Kota Palangka Raya'),
    government: z.string().describe('the letterhead line, e.g. PEMERINTAH KOTA PALANGKA RAYA'),
    place: z.string().describe('the place written before a date on documents, e.g. Palangka Raya'),
    hasLogo: z.boolean(),
  })
  .meta({ id: 'Settings' });

export const logoBody = z.object({
  contentType: z.enum(logoContentTypes),
  dataBase64: z
    .string()
    .min(1)
    .max(Math.ceil(maxLogoBytes / 3) * 4 + 4),
});

export type SettingsBody = z.infer<typeof settingsBody>;
export type Settings = z.infer<typeof settingsResponse>;
export type LogoBody = z.infer<typeof logoBody>;
