import { z } from 'zod';
import { saleChannels } from '../../domain/enums.ts';

// The web app imports these, so this file depends on zod (and the enums) only.

export const saleChannel = z.enum(saleChannels);
export const maxSaleAmount = 1_000_000_000_000;

export const saleBody = z
  .object({
    date: z.iso.date(),
    amount: z.number().int().min(1).max(maxSaleAmount).describe('Rupiah, whole'),
    channel: saleChannel,
    note: z.string().trim().max(500).nullish(),
    eventId: z.uuid().nullish().describe('The promotion event the sale was made at (the business took part)'),
  })
  .meta({ id: 'CreateSale' });

export const saleItem = z
  .object({
    id: z.uuid(),
    businessId: z.uuid(),
    date: z.string(),
    amount: z.number(),
    channel: saleChannel,
    note: z.string().nullable(),
    eventId: z.uuid().nullable(),
    source: z.enum(['entry', 'import']),
    createdAt: z.date(),
  })
  .meta({ id: 'Sale' });

const period = {
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
};

export const listSalesQuery = z.object({
  ...period,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const total = z.object({ total: z.number(), count: z.number() });

export const businessSalesSummary = z
  .object({
    businessId: z.uuid(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    total: z.number(),
    count: z.number(),
    byChannel: z.array(total.extend({ channel: saleChannel })),
    byMonth: z.array(total.extend({ month: z.string().describe('YYYY-MM') })),
  })
  .meta({ id: 'BusinessSalesSummary' });

export const salesByBusinessQuery = z.object({
  ...period,
  kecamatan: z.string().trim().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const businessSalesRow = z.object({
  businessId: z.uuid(),
  businessName: z.string(),
  kecamatan: z.string(),
  kecamatanName: z.string().nullable(),
  total: z.number(),
  count: z.number(),
  lastDate: z.string(),
});

export const salesByBusiness = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    total: z.number(),
    count: z.number(),
    businesses: z.number().describe('Businesses with at least one sale in the period'),
    items: z.array(businessSalesRow).describe('Largest total first'),
  })
  .meta({ id: 'SalesByBusiness' });

export const cohortSalesQuery = z.object({
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(36)
    .default(6)
    .describe('Length of each period: before the program’s start and after its end'),
});

const window = z.object({ from: z.string(), to: z.string() });

export const cohortSales = z
  .object({
    programId: z.uuid(),
    months: z.number(),
    before: window,
    after: window,
    graduates: z.number().describe('The denominator: graduates (completed) in the caller’s scope'),
    withSalesBefore: z.number(),
    withSalesAfter: z.number(),
    totalBefore: z.number(),
    totalAfter: z.number(),
    items: z.array(
      z.object({
        businessId: z.uuid(),
        businessName: z.string(),
        kecamatanName: z.string().nullable(),
        before: z.number(),
        after: z.number(),
      }),
    ),
  })
  .meta({ id: 'CohortSales' });

export const eventSales = z
  .object({
    eventId: z.uuid(),
    total: z.number(),
    count: z.number(),
    participants: z.number(),
    items: z.array(
      z.object({
        businessId: z.uuid(),
        businessName: z.string(),
        booth: z.string().nullable(),
        total: z.number(),
        count: z.number(),
      }),
    ),
  })
  .meta({ id: 'EventSales' });

export const salesImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: check the file and answer the summary without recording anything'),
});

export const salesImportSummary = z
  .object({
    rows: z.number(),
    inserted: z.number(),
    rejected: z.number(),
    total: z.number().describe('Sum of the amounts of the valid rows'),
    dryRun: z.boolean(),
    errors: z.array(
      z.object({ row: z.number(), column: z.string().nullable(), code: z.string(), message: z.string() }),
    ),
  })
  .meta({ id: 'SalesImportSummary' });

export type SaleBody = z.infer<typeof saleBody>;
export type SaleItem = z.infer<typeof saleItem>;
export type BusinessSalesSummary = z.infer<typeof businessSalesSummary>;
export type SalesByBusiness = z.infer<typeof salesByBusiness>;
export type CohortSales = z.infer<typeof cohortSales>;
export type EventSales = z.infer<typeof eventSales>;
export type SalesImportSummary = z.infer<typeof salesImportSummary>;
