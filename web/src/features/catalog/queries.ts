import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../../lib/api';
import type { PhotoUpload } from '../../lib/image';
import { usePagedQuery } from '../../lib/query';
import type { CreateProductBody, ProductItem, UpdateProductBody } from '../../lib/types';

// `enabled` false: wait (an owner's list waits for its business).
export function useProductsQuery(businessId: string | null, enabled: boolean) {
  return usePagedQuery<ProductItem>(
    ['products', { businessId }],
    enabled ? `/products${query({ businessId, limit: 50 })}` : null,
  );
}

// Products show in the catalogue list, on their business and in the dashboard's count.
function useInvalidateProducts() {
  const client = useQueryClient();
  return () => {
    for (const key of ['products', 'businesses', 'reports'])
      void client.invalidateQueries({ queryKey: [key] });
  };
}

export function usePublishProduct() {
  const onSuccess = useInvalidateProducts();
  return useMutation({
    mutationFn: ({ id, published }: { id: string; published: boolean }) =>
      api<ProductItem>(`/products/${id}`, { method: 'PATCH', body: { published } }),
    onSuccess,
  });
}

type SaveProduct =
  | { id: string; body: UpdateProductBody; photo: PhotoUpload | null }
  | { id: null; body: CreateProductBody; photo: PhotoUpload | null };

// Saves the product, then its new photo if one was taken.
export function useSaveProduct() {
  const onSuccess = useInvalidateProducts();
  return useMutation({
    mutationFn: async (save: SaveProduct) => {
      const saved = save.id
        ? await api<ProductItem>(`/products/${save.id}`, { method: 'PATCH', body: save.body })
        : await api<ProductItem>('/products', { method: 'POST', body: save.body });
      if (save.photo)
        return api<ProductItem>(`/products/${saved.id}/photo`, { method: 'PUT', body: save.photo });
      return saved;
    },
    onSuccess,
  });
}
