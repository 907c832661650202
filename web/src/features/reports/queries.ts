import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Summary } from '../../lib/types';

export const summaryKey = ['reports', 'summary'] as const;

export function useSummaryQuery() {
  return useQuery({
    queryKey: summaryKey,
    queryFn: ({ signal }) => api<Summary>('/reports/summary', { signal }),
  });
}
