import { z } from 'zod';
import { allocationStatuses } from '../../domain/enums.ts';
import { listQuery } from '../../lib/schema.ts';

export const allocationStatus = z.enum(allocationStatuses);
export const photoContentType = z.enum(['image/jpeg', 'image/png', 'image/webp']);

// Decoded photo limit; the base64 text is about 4/3 of it, so the schema only bounds the text loosely
// and the service answers `photo_too_large` with the exact rule.
export const maxPhotoBytes = 3 * 1024 * 1024;

const rupiah = z.number().int().min(0).max(1e15);
const text = (max: number) => z.string().trim().min(1).max(max);

export const organisationRef = z.object({ id: z.uuid(), code: z.string(), name: z.string() });

export const aidStockItem = z
  .object({
    id: z.uuid(),
    organisation: organisationRef.describe('The SOPD that holds the stock'),
    budgetYear: z.number().int(),
    item: z.string(),
    spec: z.string().nullable().describe('Brand / specification'),
    unit: z.string(),
    unitValue: z.number().describe('Value of one unit, in rupiah'),
    quantity: z.number().int(),
    allocated: z.number().int(),
    remaining: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'AidStock' });

export const listAidStockQuery = listQuery.extend({
  budgetYear: z.coerce.number().int().min(2000).max(2100).optional(),
  organisationId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
});

export const createAidStockBody = z
  .object({
    budgetYear: z.number().int().min(2000).max(2100),
    item: text(200),
    spec: z.string().trim().max(500).nullish(),
    unit: text(50),
    unitValue: rupiah,
    quantity: z.number().int().min(1).max(1_000_000),
    organisationId: z.uuid().optional().describe('Admin only; an SOPD officer records stock of its own SOPD'),
  })
  .meta({ id: 'CreateAidStock' });

export const updateAidStockBody = z
  .object({
    quantity: z.number().int().min(0).max(1_000_000).optional().describe('May not go below `allocated`'),
    spec: z.string().trim().max(500).nullish(),
    unitValue: rupiah.optional(),
  })
  .meta({ id: 'UpdateAidStock' });

export const handoverRef = z.object({ id: z.uuid(), number: z.string(), handedOverAt: z.string() });

export const aidAllocation = z
  .object({
    id: z.uuid(),
    status: allocationStatus,
    quantity: z.number().int(),
    programId: z.uuid().nullable(),
    stock: z.object({
      id: z.uuid(),
      budgetYear: z.number().int(),
      item: z.string(),
      spec: z.string().nullable(),
      unit: z.string(),
      unitValue: z.number(),
    }),
    sopd: organisationRef,
    business: z.object({
      id: z.uuid(),
      name: z.string(),
      ownerName: z.string(),
      ownerNik: z.string().describe('Masked'),
      kecamatan: z.string().nullable(),
      kecamatanName: z.string().nullable(),
      kelurahanName: z.string().nullable(),
    }),
    handover: handoverRef.nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AidAllocation' });

export const listAllocationsQuery = listQuery.extend({
  status: allocationStatus.optional(),
  programId: z.uuid().optional(),
  businessId: z.uuid().optional(),
  stockId: z.uuid().optional(),
});

export const createAllocationBody = z
  .object({
    stockId: z.uuid(),
    businessId: z.uuid(),
    programId: z.uuid().nullish().describe('When set, only graduates of that program may receive the item'),
    quantity: z.number().int().min(1).max(1_000_000),
  })
  .meta({ id: 'CreateAidAllocation' });

export const handoverPhoto = z.object({
  contentType: photoContentType,
  dataBase64: z.base64().max(6_000_000),
});

export const createHandoverBody = z
  .object({
    handedOverAt: z.iso.date(),
    place: z.string().trim().max(300).nullish(),
    legalBasis: z
      .string()
      .trim()
      .max(1000)
      .nullish()
      .describe('The decree listing the recipients, e.g. "Keputusan Kepala Dinas … Nomor …"'),
    condition: text(100).default('baik'),
    photo: handoverPhoto.nullish().describe(`At most ${maxPhotoBytes} bytes once decoded`),
  })
  .meta({ id: 'CreateAidHandover' });

export const aidHandover = z
  .object({
    id: z.uuid(),
    allocationId: z.uuid(),
    number: z.string().describe('BAST/<SOPD code>/<year>/<serial>'),
    handedOverAt: z.string(),
    place: z.string().nullable(),
    legalBasis: z.string().nullable(),
    condition: z.string(),
    giver: z.object({ name: z.string(), nip: z.string().nullable(), position: z.string().nullable() }),
    photoType: photoContentType.nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'AidHandover' });

export type AllocationStatus = z.infer<typeof allocationStatus>;
export type PhotoContentType = z.infer<typeof photoContentType>;
export type AidStockItem = z.infer<typeof aidStockItem>;
export type ListAidStockQuery = z.infer<typeof listAidStockQuery>;
export type CreateAidStockBody = z.infer<typeof createAidStockBody>;
export type UpdateAidStockBody = z.infer<typeof updateAidStockBody>;
export type AidAllocation = z.infer<typeof aidAllocation>;
export type ListAllocationsQuery = z.infer<typeof listAllocationsQuery>;
export type CreateAllocationBody = z.infer<typeof createAllocationBody>;
export type CreateHandoverBody = z.infer<typeof createHandoverBody>;
export type AidHandover = z.infer<typeof aidHandover>;
