import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  StorefrontSettings,
  updateStorefrontBody,
} from '../../../../src/modules/storefronts/storefronts.schema';
import { api } from '../../lib/api';
import type { Wire } from '../../lib/types';

export type Storefront = Wire<StorefrontSettings>;

export function useStorefrontQuery(businessId: string) {
  return useQuery({
    queryKey: ['storefronts', businessId],
    queryFn: ({ signal }) => api<Storefront>(`/businesses/${businessId}/storefront`, { signal }),
  });
}

export function useUpdateStorefront(businessId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof updateStorefrontBody>) =>
      api<Storefront>(`/businesses/${businessId}/storefront`, { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(['storefronts', businessId], data),
  });
}
