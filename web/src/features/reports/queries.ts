import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { PhotoUpload } from '../../lib/image';
import type { Summary } from '../../lib/types';

export const summaryKey = ['reports', 'summary'] as const;

export const summaryQuery = queryOptions({
  queryKey: summaryKey,
  queryFn: ({ signal }) => api<Summary>('/reports/summary', { signal }),
});

export function useSummaryQuery() {
  return useQuery(summaryQuery);
}

// The Laporan Kegiatan of a program: its texts and the event's photos (the PDF is a link).
export type ReportTexts = { background: string | null; legalBasis: string | null; updatedAt: string | null };
export type ProgramPhoto = { id: string; caption: string | null; photoType: string; createdAt: string };

const reportTextsKey = (programId: string) => ['programs', programId, 'report-texts'] as const;
const photosKey = (programId: string) => ['programs', programId, 'photos'] as const;

export function useReportTextsQuery(programId: string) {
  return useQuery({
    queryKey: reportTextsKey(programId),
    queryFn: ({ signal }) => api<ReportTexts>(`/programs/${programId}/report-texts`, { signal }),
  });
}

export function useSaveReportTexts(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { background: string | null; legalBasis: string | null }) =>
      api<ReportTexts>(`/programs/${programId}/report-texts`, { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(reportTextsKey(programId), data),
  });
}

export function useProgramPhotosQuery(programId: string) {
  return useQuery({
    queryKey: photosKey(programId),
    queryFn: ({ signal }) => api<{ items: ProgramPhoto[] }>(`/programs/${programId}/photos`, { signal }),
  });
}

export function useAddProgramPhoto(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { photo: PhotoUpload; caption: string | null }) =>
      api<ProgramPhoto>(`/programs/${programId}/photos`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: photosKey(programId) }),
  });
}

export function useDeleteProgramPhoto(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (photoId: string) =>
      api<null>(`/programs/${programId}/photos/${photoId}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: photosKey(programId) }),
  });
}
