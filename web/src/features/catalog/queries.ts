import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProductStatus } from '../../../../src/domain/enums';
import { api, query } from '../../lib/api';
import type { PhotoUpload } from '../../lib/image';
import { usePagedQuery } from '../../lib/query';
import type { CreateProductBody, ProductItem, UpdateProductBody } from '../../lib/types';

// `enabled` false: wait (an owner's list waits for its business).
export function useProductsQuery(businessId: string | null, status: ProductStatus | null, enabled: boolean) {
  return usePagedQuery<ProductItem>(
    ['products', { businessId, status }],
    enabled ? `/products${query({ businessId, status, limit: 50 })}` : null,
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

// Curation: the owner (or an officer) submits; a curator approves or returns with a note.
export function useReviewProduct() {
  const onSuccess = useInvalidateProducts();
  return useMutation({
    mutationFn: ({ id, step, note }: { id: string; step: 'submit' | 'approve' | 'return'; note?: string }) =>
      api<ProductItem>(`/products/${id}/${step}`, {
        method: 'POST',
        ...(step === 'return' ? { body: { note } } : {}),
      }),
    onSuccess,
  });
}

export function useRemoveProductPhoto() {
  const onSuccess = useInvalidateProducts();
  return useMutation({
    mutationFn: ({ id, key }: { id: string; key: string }) =>
      api<ProductItem>(`/products/${id}/photos/${key}`, { method: 'DELETE' }),
    onSuccess,
  });
}

type SaveProduct =
  | { id: string; body: UpdateProductBody; photo: PhotoUpload | null }
  | { id: null; body: CreateProductBody; photo: PhotoUpload | null };

// Saves the product, then adds its new photo if one was taken.
export function useSaveProduct() {
  const onSuccess = useInvalidateProducts();
  return useMutation({
    mutationFn: async (save: SaveProduct) => {
      const saved = save.id
        ? await api<ProductItem>(`/products/${save.id}`, { method: 'PATCH', body: save.body })
        : await api<ProductItem>('/products', { method: 'POST', body: save.body });
      if (save.photo)
        return api<ProductItem>(`/products/${saved.id}/photos`, { method: 'POST', body: save.photo });
      return saved;
    },
    onSuccess,
  });
}
