import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createHandoverBody } from '../../../../src/modules/aid/aid.schema';
import { api, type Page, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type {
  AidAllocation,
  AidHandover,
  AidStockItem,
  CreateAidStockBody,
  CreateAllocationBody,
} from '../../lib/types';

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
      api<AidHandover>(`/aid/allocations/${allocationId}/handover`, { method: 'POST', body }),
    onSuccess,
  });
}
