import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type {
  EligibleBusiness,
  RuleDescription,
  RulePreview,
  ScreeningResult,
} from '../../../../src/modules/screening/screening.schema';
import { api, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export type Described = Wire<RuleDescription> & { summary: string };

// The rule in words (POST /rules/describe answers without changing anything).
export function useRuleDescriptionQuery(rule: unknown) {
  return useQuery({
    queryKey: ['screening', 'describe', rule],
    queryFn: ({ signal }) => api<Described>('/rules/describe', { method: 'POST', body: { rule }, signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

// How many businesses of the registry the rule admits, by kecamatan.
export function useRulePreviewQuery(rule: unknown, startDate: string, enabled: boolean) {
  const on = /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? startDate : undefined;
  return useQuery({
    queryKey: ['screening', 'preview', rule, on],
    queryFn: ({ signal }) =>
      api<Wire<RulePreview>>('/rules/preview', {
        method: 'POST',
        body: { rule, ...(on ? { startDate: on } : {}) },
        signal,
      }),
    enabled,
    retry: false,
  });
}

// Screening runs the rule over the whole registry; each run is the officer's to start.
export function useRunScreening(programId: string) {
  return useMutation({
    mutationFn: () => api<Wire<ScreeningResult>>(`/programs/${programId}/screening`, { method: 'POST' }),
  });
}

type EligibleParams = { kecamatan?: string | null; applied?: string; limit: number };

export function useEligibleQuery(programId: string, ranAt: string, params: EligibleParams) {
  return usePagedQuery<Wire<EligibleBusiness>>(
    ['screening', programId, ranAt, params],
    `/programs/${programId}/screening/eligible${query(params)}`,
  );
}
