import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CertificatePreview,
  cancelSessionBody,
  createSeriesBody,
  updateSessionBody,
} from '../../../../src/modules/training/training.schema';
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

export function useCertificatePreviewQuery(programId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['programs', programId, 'certificates', 'preview'],
    queryFn: ({ signal }) =>
      api<Omit<CertificatePreview, 'lastSessionEndsAt'> & { lastSessionEndsAt: string | null }>(
        `/programs/${programId}/certificates/preview`,
        { signal },
      ),
    enabled,
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

// Sessions change the program's list, its completion (cancelled days count for nothing) and
// the session pages.
function invalidateSessions(client: ReturnType<typeof useQueryClient>, programId: string) {
  void client.invalidateQueries({ queryKey: ['programs', programId] });
  void client.invalidateQueries({ queryKey: ['sessions'] });
}

export function useCreateSessionSeries(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof createSeriesBody>) =>
      api<{ items: SessionSummary[] }>(`/programs/${programId}/sessions/series`, { method: 'POST', body }),
    onSuccess: () => invalidateSessions(client, programId),
  });
}

export function useUpdateSession(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof updateSessionBody> }) =>
      api(`/sessions/${id}`, { method: 'PATCH', body }),
    onSuccess: () => invalidateSessions(client, programId),
  });
}

export function useCancelSession(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof cancelSessionBody> }) =>
      api(`/sessions/${id}/cancel`, { method: 'POST', body }),
    onSuccess: () => invalidateSessions(client, programId),
  });
}
