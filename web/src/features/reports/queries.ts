import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Summary } from '../../lib/types';

export const summaryKey = ['reports', 'summary'] as const;

export const summaryQuery = queryOptions({
  queryKey: summaryKey,
  queryFn: ({ signal }) => api<Summary>('/reports/summary', { signal }),
});

export function useSummaryQuery() {
  return useQuery(summaryQuery);
}
