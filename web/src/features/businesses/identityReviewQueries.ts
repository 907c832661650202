import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { IdentityReview } from '../../../../src/modules/businesses/businesses.schema';
import { api } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { BusinessItem, Wire } from '../../lib/types';

type Review = Wire<IdentityReview>;

// How many of the queue the menu's badge asks for ("20+" past it).
export const reviewBadgeLimit = 20;

export const identityReviewsKey = (limit: number) => ['identity-reviews', { limit }] as const;
export const identityReviewsPath = (limit: number) => `/identity-reviews?limit=${limit}`;

// Businesses that wait to be linked to a person of another kecamatan (GET /identity-reviews,
// oldest first). `enabled` false: the role may not review, nothing is fetched.
export function useIdentityReviewsQuery(limit: number, enabled = true) {
  return usePagedQuery<Review>(identityReviewsKey(limit), enabled ? identityReviewsPath(limit) : null);
}

// Linking makes the business: the registry lists change too.
export function useDecideIdentityReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'link' | 'dismiss' }) =>
      decision === 'link'
        ? api<BusinessItem>(`/identity-reviews/${id}/link`, { method: 'POST' })
        : api<null>(`/identity-reviews/${id}/dismiss`, { method: 'POST' }),
    onSettled: (_data, _error, { decision }) => {
      void client.invalidateQueries({ queryKey: ['identity-reviews'] });
      if (decision === 'link') void client.invalidateQueries({ queryKey: ['businesses'] });
    },
  });
}
