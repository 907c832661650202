import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { Completion, SessionSummary } from '../../lib/types';
import { invalidateEnrolment } from '../programs/queries';

export function useSessionsQuery(programId: string) {
  return useQuery({
    queryKey: ['programs', programId, 'sessions'],
    queryFn: ({ signal }) => api<{ items: SessionSummary[] }>(`/programs/${programId}/sessions`, { signal }),
  });
}

export function useCompletionQuery(programId: string) {
  return useQuery({
    queryKey: ['programs', programId, 'completion'],
    queryFn: ({ signal }) => api<Completion>(`/programs/${programId}/completion`, { signal }),
  });
}

export function useIssueCertificates(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<{ completed: number; issued: number }>(`/programs/${programId}/certificates`, { method: 'POST' }),
    onSuccess: () => invalidateEnrolment(client),
  });
}
