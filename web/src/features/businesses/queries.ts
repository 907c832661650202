import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { personalData } from '../../../../src/modules/businesses/businesses.schema';
import { api, type Page, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { BusinessCreated, BusinessDetail, BusinessItem, CreateBusinessBody } from '../../lib/types';

type PersonalData = z.infer<typeof personalData>;
type ListParams = { q?: string; kecamatan?: string; kbli?: string; limit: number };

export function useBusinessesQuery(params: ListParams) {
  return usePagedQuery<BusinessItem>(['businesses', 'list', params], `/businesses${query(params)}`);
}

// The first few businesses matching a search, for pickers (`enabled` false: not now).
export function useBusinessSearchQuery(q: string, limit: number, enabled = true) {
  return useQuery({
    queryKey: ['businesses', 'search', { q, limit }],
    queryFn: ({ signal }) => api<Page<BusinessItem>>(`/businesses${query({ q, limit })}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useBusinessQuery(id: string | null) {
  return useQuery({
    queryKey: ['businesses', id],
    queryFn: ({ signal }) => api<BusinessDetail>(`/businesses/${id}`, { signal }),
    enabled: id !== null,
  });
}

// Full NIK, birth date and phone: each look is logged by the server, so it is asked for by
// the officer and never kept in the cache.
export function useRevealPersonalData() {
  return useMutation({
    mutationFn: (id: string) => api<PersonalData>(`/businesses/${id}/personal-data`),
  });
}

export function useCreateBusiness() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBusinessBody) => api<BusinessCreated>('/businesses', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['businesses'] });
      void client.invalidateQueries({ queryKey: ['reports'] });
    },
  });
}
