import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AidPackage as AidPackageSchema,
  AidReallocation as AidReallocationSchema,
  AidReturn as AidReturnSchema,
  BulkAllocationBody,
  BulkAllocationResult,
  CreatePackageBody,
  createHandoverBody,
  MonitoringVisit as MonitoringVisitSchema,
  ReturnBody,
  ScheduleHandoverBody,
  StockTotal as StockTotalSchema,
  VisitBody,
} from '../../../../src/modules/aid/aid.schema';
import { api, type Page, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import { postOnce } from '../../lib/send-once';
import type {
  AidAllocation,
  AidHandover,
  AidStockItem,
  CreateAidStockBody,
  CreateAllocationBody,
  Wire,
} from '../../lib/types';

export type StockTotal = Wire<StockTotalSchema>;
export type AidPackage = Wire<AidPackageSchema>;
export type AidReturn = Wire<AidReturnSchema>;
export type MonitoringVisit = Wire<MonitoringVisitSchema>;
export type AidReallocation = Wire<AidReallocationSchema>;

export function useStockQuery() {
  return usePagedQuery<AidStockItem>(['aid', 'stock', 'list'], '/aid/stock?limit=50');
}

// Every stock item, for the allocation form's picker.
export function useStockChoicesQuery() {
  return useQuery({
    queryKey: ['aid', 'stock', 'choices'],
    queryFn: ({ signal }) => api<Page<AidStockItem>>('/aid/stock?limit=200', { signal }),
  });
}

export function useAllocationsQuery(status: string | null) {
  return usePagedQuery<AidAllocation>(
    ['aid', 'allocations', { status }],
    `/aid/allocations${query({ status, limit: 50 })}`,
  );
}

// Stock, allocations and handovers show on the aid page, businesses and the dashboard.
function useInvalidateAid() {
  const client = useQueryClient();
  return () => {
    for (const key of ['aid', 'businesses', 'reports']) void client.invalidateQueries({ queryKey: [key] });
  };
}

export function useAddStock() {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: CreateAidStockBody) => api<AidStockItem>('/aid/stock', { method: 'POST', body }),
    onSuccess,
  });
}

export function useAllocate() {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: CreateAllocationBody) =>
      api<AidAllocation>('/aid/allocations', { method: 'POST', body }),
    onSuccess,
  });
}

export function useRecordHandover(allocationId: string) {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: z.input<typeof createHandoverBody>) =>
      postOnce<AidHandover>(`/aid/allocations/${allocationId}/handover`, body),
    onSuccess,
  });
}

// The items still to hand over to one business (the handover screen keeps them once loaded).
export function usePlannedOfBusinessQuery(businessId: string) {
  return useQuery({
    queryKey: ['aid', 'allocations', 'planned', businessId],
    queryFn: ({ signal }) =>
      api<Page<AidAllocation>>(`/aid/allocations${query({ businessId, status: 'planned', limit: 50 })}`, {
        signal,
      }),
    staleTime: 60_000,
    enabled: businessId !== '',
  });
}

export function useStockTotalsQuery(budgetYear: number | null) {
  return useQuery({
    queryKey: ['aid', 'stock', 'totals', budgetYear],
    queryFn: ({ signal }) =>
      api<{ items: StockTotal[] }>(`/aid/stock/totals${query({ budgetYear })}`, { signal }),
  });
}

export function usePackagesQuery() {
  return useQuery({
    queryKey: ['aid', 'packages'],
    queryFn: ({ signal }) => api<{ items: AidPackage[] }>('/aid/packages', { signal }),
  });
}

// The programs whose graduates aid can go to.
export function useProgramChoicesQuery() {
  return useQuery({
    queryKey: ['programs', 'choices', 'training'],
    queryFn: ({ signal }) =>
      api<Page<{ id: string; name: string }>>(`/programs${query({ type: 'training', limit: 100 })}`, {
        signal,
      }),
  });
}

export function useBulkAllocate() {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: BulkAllocationBody) =>
      api<BulkAllocationResult>('/aid/allocations/bulk', { method: 'POST', body }),
    onSuccess,
  });
}

export function useAllocationsOfBusinessQuery(businessId: string) {
  return useQuery({
    queryKey: ['aid', 'allocations', 'business', businessId],
    queryFn: ({ signal }) =>
      api<Page<AidAllocation>>(`/aid/allocations${query({ businessId, limit: 100 })}`, { signal }),
  });
}

export function useReturnsQuery(handoverId: string) {
  return useQuery({
    queryKey: ['aid', 'handovers', handoverId, 'returns'],
    queryFn: ({ signal }) => api<{ items: AidReturn[] }>(`/aid/handovers/${handoverId}/returns`, { signal }),
  });
}

export function useVisitsQuery(handoverId: string) {
  return useQuery({
    queryKey: ['aid', 'handovers', handoverId, 'visits'],
    queryFn: ({ signal }) =>
      api<{ items: MonitoringVisit[] }>(`/aid/visits${query({ handoverId })}`, { signal }),
  });
}

export function useRecordReturn(handoverId: string) {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: ReturnBody) =>
      api<AidReturn>(`/aid/handovers/${handoverId}/returns`, { method: 'POST', body }),
    onSuccess,
  });
}

export function useRecordVisit(handoverId: string) {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: VisitBody) =>
      api<MonitoringVisit>(`/aid/handovers/${handoverId}/visits`, { method: 'POST', body }),
    onSuccess,
  });
}

export function useCreatePackage() {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: CreatePackageBody) => api<AidPackage>('/aid/packages', { method: 'POST', body }),
    onSuccess,
  });
}

// Who already holds a line of this stock (to offer a returned item only to those without it).
export function useAllocationsOfStockQuery(stockId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['aid', 'allocations', 'stock', stockId],
    queryFn: ({ signal }) =>
      api<Page<AidAllocation>>(`/aid/allocations${query({ stockId, limit: 200 })}`, { signal }),
    enabled,
  });
}

export function useReallocate(returnId: string) {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (businessId: string) =>
      api<AidReallocation>(`/aid/returns/${returnId}/reallocate`, { method: 'POST', body: { businessId } }),
    onSuccess,
  });
}

export function useScheduleHandover(allocationId: string) {
  const onSuccess = useInvalidateAid();
  return useMutation({
    mutationFn: (body: ScheduleHandoverBody) =>
      api<AidAllocation>(`/aid/allocations/${allocationId}/schedule`, { method: 'POST', body }),
    onSuccess,
  });
}
