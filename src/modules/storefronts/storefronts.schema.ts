import { z } from 'zod';

// The web app imports these, so this file depends on zod only.

export const storefrontSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case letters, digits and single hyphens')
  .describe('The storefront’s address: /toko/{slug}');

// A pasted link; the service checks it belongs to the platform (src/domain/storefront.ts).
const link = z.string().trim().max(300).nullish();

export const updateStorefrontBody = z
  .object({
    slug: storefrontSlug.optional(),
    tokopediaUrl: link,
    shopeeUrl: link,
    tiktokShopUrl: link,
    instagramUrl: link,
    showTrainings: z
      .boolean()
      .optional()
      .describe('The owner consents to show the trainings completed (certificates) on the storefront'),
  })
  .meta({ id: 'UpdateStorefront' });

export const orderClickDay = z.object({
  productId: z.uuid(),
  productName: z.string(),
  day: z.string(),
  clicks: z.number(),
});

export const storefrontSettings = z
  .object({
    businessId: z.uuid(),
    businessName: z.string(),
    slug: z.string(),
    url: z.string().describe('The public address of the storefront'),
    tokopediaUrl: z.string().nullable(),
    shopeeUrl: z.string().nullable(),
    tiktokShopUrl: z.string().nullable(),
    instagramUrl: z.string().nullable(),
    showTrainings: z.boolean(),
    consentRecordedAt: z.date().nullable(),
    // WhatsApp order clicks of the last 90 days, per product and office day
    orderClicks: z.array(orderClickDay),
  })
  .meta({ id: 'StorefrontSettings' });

export type UpdateStorefrontBody = z.infer<typeof updateStorefrontBody>;
export type StorefrontSettings = z.infer<typeof storefrontSettings>;
