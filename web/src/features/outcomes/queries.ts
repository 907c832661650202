import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  FollowUpItem,
  followUpAnswerBody,
  funnelReport,
  outcomeMap,
  outcomesReport,
} from '../../../../src/modules/outcomes/outcomes.schema';
import { api, query } from '../../lib/api';
import type { Wire } from '../../lib/types';

export type FollowUp = Wire<FollowUpItem>;
export type OutcomesReport = Wire<z.infer<typeof outcomesReport>>;
export type FunnelReport = Wire<z.infer<typeof funnelReport>>;
export type OutcomeFilters = { programId?: string | undefined; kecamatan?: string | undefined };

export function useFollowUpsQuery(programId: string) {
  return useQuery({
    queryKey: ['programs', programId, 'follow-ups'],
    queryFn: ({ signal }) =>
      api<{ items: FollowUp[] }>(`/programs/${programId}/follow-ups`, { signal }).then((r) => r.items),
  });
}

// Opening or answering changes the program's follow-ups and every outcome figure.
function useInvalidateFollowUps(programId: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['programs', programId, 'follow-ups'] });
    void client.invalidateQueries({ queryKey: ['reports'] });
  };
}

export function useOpenFollowUps(programId: string) {
  const invalidate = useInvalidateFollowUps(programId);
  return useMutation({
    mutationFn: (dueAt: string) =>
      api<{ dueAt: string; graduates: number; opened: number }>(`/programs/${programId}/follow-ups`, {
        method: 'POST',
        body: { dueAt },
      }),
    onSuccess: invalidate,
  });
}

export function useAnswerFollowUp(programId: string) {
  const invalidate = useInvalidateFollowUps(programId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof followUpAnswerBody> }) =>
      api<FollowUp>(`/follow-ups/${id}/answers`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useOutcomesQuery(filters: OutcomeFilters) {
  const params = { programId: filters.programId || undefined, kecamatan: filters.kecamatan || undefined };
  return useQuery({
    queryKey: ['reports', 'outcomes', params],
    queryFn: ({ signal }) => api<OutcomesReport>(`/reports/outcomes${query(params)}`, { signal }),
  });
}

export function useFunnelQuery(filters: OutcomeFilters) {
  const params = { programId: filters.programId || undefined, kecamatan: filters.kecamatan || undefined };
  return useQuery({
    queryKey: ['reports', 'funnel', params],
    queryFn: ({ signal }) => api<FunnelReport>(`/reports/funnel${query(params)}`, { signal }),
  });
}

// The years in which a program ends, latest first: the annual recap's year picker.
export function useRecapYearsQuery() {
  return useQuery({
    queryKey: ['reports', 'annual', 'years'],
    queryFn: ({ signal }) => api<{ years: number[] }>('/reports/annual/years', { signal }),
  });
}

export type OutcomeMapReport = Wire<z.infer<typeof outcomeMap>>;

// The office's kecamatan map with each kecamatan's figures; map null when none was uploaded.
export function useOutcomeMapQuery(filters: OutcomeFilters) {
  const params = { programId: filters.programId || undefined, kecamatan: filters.kecamatan || undefined };
  return useQuery({
    queryKey: ['reports', 'outcomes', 'map', params],
    queryFn: ({ signal }) => api<OutcomeMapReport>(`/reports/outcomes/map${query(params)}`, { signal }),
  });
}
