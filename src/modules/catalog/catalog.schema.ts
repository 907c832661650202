import { z } from 'zod';
import { productCategories, productStatuses } from '../../domain/enums.ts';

// The web app imports these, so this file depends on zod and the enums only.

export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];
export const maxPhotoBytes = 3 * 1024 * 1024;
// The keys of src/domain/catalog-search.ts priceBands (this file stays free of domain code).
export const priceBandKeys = ['lt50k', '50k-100k', '100k-250k', '250k-500k', 'gte500k'] as const;

const rupiah = z.number().int().min(0).max(1e12);
const cursor = z.string().max(500).optional();

export const productFields = z.object({
  name: z.string().trim().min(2).max(200),
  description: z.string().trim().max(5000).nullish(),
  price: rupiah.describe('Rupiah, whole'),
  unit: z.string().trim().min(1).max(40).nullish().describe('e.g. buah, set, kg'),
  published: z.boolean().optional().describe('Shown in the catalogue once approved; false hides it'),
  category: z.enum(productCategories).optional(),
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

export const maxPhotosPerProduct = 8;

export const photoKeyParams = z.object({ id: z.uuid(), key: z.string().regex(/^[0-9a-f]{24}$/) });

export const returnProductBody = z
  .object({ note: z.string().trim().min(3).max(1000).describe('What the owner should change') })
  .meta({ id: 'ReturnProduct' });

export const listProductsQuery = z.object({
  businessId: z.uuid().optional(),
  status: z.enum(productStatuses).optional().describe('submitted: the curation queue'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor,
});

export const publicProductsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kecamatan: z.string().trim().max(20).optional().describe('Kecamatan code, e.g. 62.71.02'),
  category: z.enum(productCategories).optional(),
  price: z.enum(priceBandKeys).optional().describe('A price band of the facets'),
  facets: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: also count the matches per kecamatan, category and price band'),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor,
});

const facetValue = z.object({
  value: z.string(),
  label: z.string().nullable(),
  count: z.number(),
  atLeast: z
    .literal(true)
    .optional()
    .describe('The search matched more products than are counted (1,000): the count is a lower bound'),
});

export const catalogFacets = z
  .object({ kecamatan: z.array(facetValue), category: z.array(facetValue), price: z.array(facetValue) })
  .meta({ id: 'CatalogFacets' });

export const productPhotoItem = z
  .object({
    key: z.string(),
    width: z.number(),
    height: z.number(),
    thumbnailUrl: z.string(),
    cardUrl: z.string().describe('320×240; cardUrl2x is 640×480'),
    cardUrl2x: z.string(),
    largeUrl: z.string(),
    ogImageUrl: z.string().describe('1200×630 JPEG for link previews'),
  })
  .meta({ id: 'ProductPhotoItem' });

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
    photos: z.array(productPhotoItem),
    category: z.enum(productCategories),
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
    category: z.enum(productCategories),
    status: z.enum(productStatuses),
    reviewNote: z.string().nullable(),
    reviewedAt: z.date().nullable(),
    photoType: z.string().nullable(),
    photoUrl: z.string().nullable(),
    photos: z.array(productPhotoItem),
    pageUrl: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Product' });

export type CatalogFacets = z.infer<typeof catalogFacets>;
export type ProductPhotoItem = z.infer<typeof productPhotoItem>;
export type CreateProductBody = z.infer<typeof createProductBody>;
export type UpdateProductBody = z.infer<typeof updateProductBody>;
export type ProductPhotoBody = z.infer<typeof productPhotoBody>;
export type PublicProductsQuery = z.infer<typeof publicProductsQuery>;
export type CatalogBusiness = z.infer<typeof catalogBusiness>;
export type PublicProduct = z.infer<typeof publicProduct>;
export type ProductItem = z.infer<typeof productItem>;
