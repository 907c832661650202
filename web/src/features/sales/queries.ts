import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  BusinessSalesSummary,
  CohortSales,
  EventSales,
  SaleItem,
  SalesByBusiness,
  SalesImportSummary,
  saleBody,
} from '../../../../src/modules/sales/sales.schema';
import { api, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export type Sale = Wire<SaleItem>;
export type { BusinessSalesSummary, CohortSales, EventSales, SalesByBusiness, SalesImportSummary };

export function useSalesQuery(businessId: string | null) {
  return usePagedQuery<Sale>(
    ['sales', businessId, 'list'],
    businessId ? `/businesses/${businessId}/sales?limit=20` : null,
  );
}

export function useSalesSummaryQuery(businessId: string | null) {
  return useQuery({
    queryKey: ['sales', businessId, 'summary'],
    queryFn: ({ signal }) => api<BusinessSalesSummary>(`/businesses/${businessId}/sales/summary`, { signal }),
    enabled: businessId !== null,
  });
}

export function useSalesByBusinessQuery(params: { from?: string | undefined; to?: string | undefined }) {
  return useQuery({
    queryKey: ['sales', 'by-business', params],
    queryFn: ({ signal }) => api<SalesByBusiness>(`/sales/by-business${query(params)}`, { signal }),
  });
}

export function useCohortSalesQuery(programId: string | null, months: number) {
  return useQuery({
    queryKey: ['sales', 'cohort', programId, months],
    queryFn: ({ signal }) => api<CohortSales>(`/programs/${programId}/sales${query({ months })}`, { signal }),
    enabled: programId !== null,
  });
}

export function useEventSalesQuery(eventId: string) {
  return useQuery({
    queryKey: ['sales', 'event', eventId],
    queryFn: ({ signal }) => api<EventSales>(`/events/${eventId}/sales`, { signal }),
  });
}

// A new sale changes that business's list and totals and every figure built on sales.
export function useRecordSale(businessId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof saleBody>) =>
      api<Sale>(`/businesses/${businessId}/sales`, { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['sales'] }),
  });
}

export function useImportEventSales(eventId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const body = new FormData();
      body.append('file', file);
      return api<SalesImportSummary>(`/events/${eventId}/sales/import${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        body,
      });
    },
    onSuccess: (summary) => {
      if (summary.inserted > 0) void client.invalidateQueries({ queryKey: ['sales'] });
    },
  });
}
