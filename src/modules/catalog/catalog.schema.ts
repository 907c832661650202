import { z } from 'zod';

// The web app imports these, so this file depends on zod only.

export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];
export const maxPhotoBytes = 3 * 1024 * 1024;

const rupiah = z.number().int().min(0).max(1e12);
const cursor = z.string().max(500).optional();

export const productFields = z.object({
  name: z.string().trim().min(2).max(200),
  description: z.string().trim().max(5000).nullish(),
  price: rupiah.describe('Rupiah, whole'),
  unit: z.string().trim().min(1).max(40).nullish().describe('e.g. buah, set, kg'),
  published: z.boolean().optional(),
});

export const createProductBody = productFields.extend({ businessId: z.uuid() }).meta({ id: 'CreateProduct' });

export const updateProductBody = productFields.partial().meta({ id: 'UpdateProduct' });

export const productPhotoBody = z
  .object({
    // Checked by the service, so that another type answers unsupported_media rather than validation_failed.
    contentType: z.string().trim().max(100).describe(photoContentTypes.join(', ')),
    dataBase64: z.string().min(1),
  })
  .meta({ id: 'ProductPhoto' });

export const listProductsQuery = z.object({
  businessId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor,
});

export const publicProductsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kecamatan: z.string().trim().max(20).optional().describe('Kecamatan code, e.g. 62.71.02'),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor,
});

export const catalogBusiness = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kecamatan: z.string(),
    kecamatanName: z.string().nullable(),
    kelurahanName: z.string().nullable(),
  })
  .meta({ id: 'CatalogBusiness' });

export const publicProduct = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    price: z.number(),
    unit: z.string().nullable(),
    photoUrl: z.string().nullable(),
    business: catalogBusiness,
    whatsappUrl: z.string().nullable().describe('https://wa.me/<digits>?text=<order message>'),
    pageUrl: z.string(),
  })
  .meta({ id: 'CatalogProduct' });

export const productItem = z
  .object({
    id: z.uuid(),
    businessId: z.uuid(),
    businessName: z.string().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    price: z.number(),
    unit: z.string().nullable(),
    published: z.boolean(),
    photoType: z.string().nullable(),
    photoUrl: z.string().nullable(),
    pageUrl: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Product' });

export type CreateProductBody = z.infer<typeof createProductBody>;
export type UpdateProductBody = z.infer<typeof updateProductBody>;
export type ProductPhotoBody = z.infer<typeof productPhotoBody>;
export type PublicProductsQuery = z.infer<typeof publicProductsQuery>;
export type CatalogBusiness = z.infer<typeof catalogBusiness>;
export type PublicProduct = z.infer<typeof publicProduct>;
export type ProductItem = z.infer<typeof productItem>;
