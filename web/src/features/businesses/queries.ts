import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { isIdentityQuery, type personalData } from '../../../../src/modules/businesses/businesses.schema';
import { api, type Page, query } from '../../lib/api';
import { type Paged, usePagedQuery } from '../../lib/query';
import type { BusinessCreated, BusinessDetail, BusinessItem, CreateBusinessBody } from '../../lib/types';

type PersonalData = z.infer<typeof personalData>;
type ListParams = { q?: string; kecamatan?: string; kbli?: string; limit: number };

// A NIK or phone number never goes into a URL: the server looks it up from a POST body (and
// logs the look-up); anything else is a name searched through the list.
function searchBusinesses(q: string, limit: number, signal: AbortSignal) {
  return isIdentityQuery(q)
    ? api<Page<BusinessItem>>('/businesses/lookup', { method: 'POST', body: { q, limit }, signal })
    : api<Page<BusinessItem>>(`/businesses${query({ q, limit })}`, { signal });
}

export function useBusinessesQuery(params: ListParams): Paged<BusinessItem> {
  const identity = isIdentityQuery(params.q ?? '');
  const paged = usePagedQuery<BusinessItem>(
    ['businesses', 'list', params],
    identity ? null : `/businesses${query(params)}`,
  );
  const lookup = useQuery({
    queryKey: ['businesses', 'lookup', { q: params.q, limit: params.limit }],
    queryFn: ({ signal }) => searchBusinesses(params.q ?? '', params.limit, signal),
    enabled: identity,
    // Each look-up is logged as access to personal data: not kept once the page is left.
    gcTime: 0,
  });
  if (!identity) return paged;
  return {
    items: lookup.data?.items ?? [],
    hasMore: false,
    loading: lookup.isPending,
    loadingMore: false,
    error: lookup.error,
    loadMore: () => {},
    reload: () => void lookup.refetch(),
  };
}

// The first few businesses matching a search, for pickers (`enabled` false: not now).
export function useBusinessSearchQuery(q: string, limit: number, enabled = true) {
  return useQuery({
    queryKey: ['businesses', 'search', { q, limit }],
    queryFn: ({ signal }) => searchBusinesses(q, limit, signal),
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
