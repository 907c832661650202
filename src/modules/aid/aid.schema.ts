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

export const fundingSources = ['APBD', 'APBN', 'DAK'] as const;
export const fundingSource = z.enum(fundingSources);
export const itemConditions = ['baik', 'rusak_ringan', 'rusak_berat', 'hilang'] as const;
export const itemCondition = z.enum(itemConditions);

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
    source: fundingSource.nullable().describe('APBD, APBN or DAK'),
    dpaCode: z.string().nullable().describe('DPA or sub-activity code'),
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
    source: fundingSource.nullish(),
    dpaCode: z.string().trim().max(100).nullish(),
    organisationId: z.uuid().optional().describe('Admin only; an SOPD officer records stock of its own SOPD'),
  })
  .meta({ id: 'CreateAidStock' });

export const updateAidStockBody = z
  .object({
    quantity: z.number().int().min(0).max(1_000_000).optional().describe('May not go below `allocated`'),
    spec: z.string().trim().max(500).nullish(),
    unitValue: rupiah.optional(),
    source: fundingSource.nullish(),
    dpaCode: z.string().trim().max(100).nullish(),
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
    schedule: z
      .object({ at: z.iso.date(), place: z.string() })
      .nullable()
      .describe('The planned handover told to the recipient, while planned'),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AidAllocation' });

export const scheduleHandoverBody = z
  .object({
    at: z.iso.date().describe('Planned handover date'),
    place: z.string().trim().min(1).max(200).describe('Where the item will be handed over'),
  })
  .meta({ id: 'AidScheduleHandoverBody' });

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
    allocationIds: z.array(z.uuid()).describe('Every item the BAST lists'),
    businessId: z.uuid(),
    signed: z.object({ recipient: z.boolean(), officer: z.boolean() }),
    location: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
    clientKey: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'AidHandover' });

// ---- equipment aid in depth ----

export const stockTotalsQuery = z.object({
  budgetYear: z.coerce.number().int().min(2000).max(2100).optional(),
  organisationId: z.uuid().optional(),
});

export const stockTotal = z
  .object({
    organisation: organisationRef,
    budgetYear: z.number().int(),
    lines: z.number().int(),
    quantity: z.number().int(),
    allocated: z.number().int(),
    remaining: z.number().int(),
    value: z.number().describe('Quantity × unit value, in rupiah'),
    allocatedValue: z.number(),
  })
  .meta({ id: 'AidStockTotal' });

export const aidPackage = z
  .object({
    id: z.uuid(),
    organisation: organisationRef,
    name: z.string(),
    budgetYear: z.number().int(),
    items: z.array(
      z.object({
        stockId: z.uuid(),
        item: z.string(),
        spec: z.string().nullable(),
        unit: z.string(),
        unitValue: z.number(),
        quantity: z.number().int(),
        remaining: z.number().int().describe('Units of this stock line not yet allocated'),
      }),
    ),
    value: z.number().describe('Value of one package, in rupiah'),
    createdAt: z.date(),
  })
  .meta({ id: 'AidPackage' });

export const createPackageBody = z
  .object({
    name: text(200),
    budgetYear: z.number().int().min(2000).max(2100),
    organisationId: z
      .uuid()
      .optional()
      .describe('Admin only; an SOPD officer builds packages of its own stock'),
    items: z
      .array(z.object({ stockId: z.uuid(), quantity: z.number().int().min(1).max(1000) }))
      .min(1)
      .max(50),
  })
  .meta({ id: 'CreateAidPackage' });

export const bulkAllocationBody = z
  .object({
    stockId: z.uuid().optional(),
    packageId: z.uuid().optional(),
    programId: z.uuid(),
  })
  .refine((b) => (b.stockId ? 1 : 0) + (b.packageId ? 1 : 0) === 1, {
    message: 'Name either a stockId or a packageId',
    path: ['stockId'],
  })
  .meta({ id: 'BulkAidAllocation' });

export const bulkSkipReasons = ['already_allocated', 'stock_exhausted'] as const;

export const bulkAllocationResult = z
  .object({
    allocated: z.number().int().describe('Graduates given the item (or the whole package)'),
    allocationIds: z.array(z.uuid()),
    skipped: z.array(z.object({ businessId: z.uuid(), reason: z.enum(bulkSkipReasons) })),
  })
  .meta({ id: 'BulkAidAllocationResult' });

const pngImage = z.object({
  contentType: z.literal('image/png'),
  dataBase64: z.base64().max(1_000_000),
});

export const createMultiHandoverBody = z
  .object({
    allocationIds: z.array(z.uuid()).min(1).max(50),
    handedOverAt: z.iso.date(),
    place: text(300),
    legalBasis: z.string().trim().max(1000).nullish(),
    condition: text(100).default('baik'),
    photo: handoverPhoto.nullish().describe(`At most ${maxPhotoBytes} bytes once decoded`),
    recipientSignature: pngImage.nullish().describe('Drawn on the screen by the recipient'),
    officerSignature: pngImage.nullish().describe('Drawn on the screen by the officer'),
    location: z
      .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
      .nullish()
      .describe('Only with the recipient’s consent'),
    clientKey: z
      .string()
      .trim()
      .min(8)
      .max(100)
      .nullish()
      .describe('Made on the phone; a resend with the same key answers the handover already recorded'),
  })
  .meta({ id: 'CreateAidMultiHandover' });

export const listHandoversQuery = listQuery.extend({ businessId: z.uuid().optional() });

export const returnBody = z
  .object({
    allocationId: z.uuid(),
    reason: text(1000),
    condition: itemCondition.describe(
      'baik / rusak_ringan go back into stock; rusak_berat / hilang are written off',
    ),
  })
  .meta({ id: 'AidReturnBody' });

export const aidReturn = z
  .object({
    id: z.uuid(),
    number: z.string().describe('<BAST number>/PENGEMBALIAN/<n> or /PENGHAPUSAN/<n>'),
    handoverId: z.uuid(),
    bastNumber: z.string(),
    allocationId: z.uuid(),
    kind: z.enum(['return', 'write_off']),
    condition: itemCondition,
    reason: z.string(),
    reallocation: z.object({ id: z.uuid(), number: z.string(), allocationId: z.uuid() }).nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'AidReturn' });

export const reallocateBody = z.object({ businessId: z.uuid() }).meta({ id: 'AidReallocateBody' });

export const reallocation = z
  .object({ id: z.uuid(), number: z.string(), allocationId: z.uuid(), returnId: z.uuid() })
  .meta({ id: 'AidReallocation' });

export const visitBody = z
  .object({
    visitedAt: z.iso.date(),
    inUse: z.boolean(),
    condition: itemCondition,
    note: z.string().trim().max(2000).nullish(),
    allocationId: z.uuid().nullish().describe('One item of the BAST; none means the whole handover'),
    photo: handoverPhoto.nullish(),
  })
  .meta({ id: 'AidVisitBody' });

export const monitoringVisit = z
  .object({
    id: z.uuid(),
    handoverId: z.uuid(),
    bastNumber: z.string(),
    businessId: z.uuid(),
    allocationId: z.uuid().nullable(),
    visitedAt: z.string(),
    inUse: z.boolean(),
    condition: itemCondition,
    note: z.string().nullable(),
    hasPhoto: z.boolean(),
    createdAt: z.date(),
  })
  .meta({ id: 'AidMonitoringVisit' });

export const listVisitsQuery = z.object({
  handoverId: z.uuid().optional(),
  businessId: z.uuid().optional(),
});

export const rekapQuery = z.object({
  budgetYear: z.coerce.number().int().min(2000).max(2100),
  organisationId: z.uuid().optional().describe('An SOPD officer always gets its own SOPD'),
});

export type FundingSource = z.infer<typeof fundingSource>;
export type ItemCondition = z.infer<typeof itemCondition>;
export type StockTotal = z.infer<typeof stockTotal>;
export type AidPackage = z.infer<typeof aidPackage>;
export type CreatePackageBody = z.infer<typeof createPackageBody>;
export type BulkAllocationBody = z.infer<typeof bulkAllocationBody>;
export type BulkAllocationResult = z.infer<typeof bulkAllocationResult>;
export type CreateMultiHandoverBody = z.infer<typeof createMultiHandoverBody>;
export type ReturnBody = z.infer<typeof returnBody>;
export type AidReturn = z.infer<typeof aidReturn>;
export type AidReallocation = z.infer<typeof reallocation>;
export type ScheduleHandoverBody = z.infer<typeof scheduleHandoverBody>;
export type VisitBody = z.infer<typeof visitBody>;
export type MonitoringVisit = z.infer<typeof monitoringVisit>;
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
