import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportItem, ImportListItem } from '../../../../src/modules/imports/imports.schema';
import { api } from '../../lib/api';
import type { Wire } from '../../lib/types';
import { uploadImport } from './upload';

// One import, polled once a second while it is queued or running (live progress).
export function useImportQuery(id: string) {
  return useQuery({
    queryKey: ['imports', id],
    queryFn: ({ signal }) => api<Wire<ImportItem>>(`/imports/${id}`, { signal }),
    refetchInterval: (query) =>
      query.state.data?.status === 'queued' || query.state.data?.status === 'running' ? 1000 : false,
  });
}

export function useRecentImportsQuery() {
  return useQuery({
    queryKey: ['imports', 'recent'],
    queryFn: ({ signal }) => api<{ items: Wire<ImportListItem>[] }>('/imports?limit=10', { signal }),
  });
}

export function useUploadImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, ...options }: { file: File; dryRun: boolean; onProgress: (f: number) => void }) =>
      uploadImport(file, options),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['imports', 'recent'] }),
  });
}

// A dry run that went well, imported for real (a new import of the same stored file).
export function useRunImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Wire<ImportItem>>(`/imports/${id}/run`, { method: 'POST' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['imports', 'recent'] }),
  });
}

// Stops an import: its committed batches stay, the rest of the file is not read.
export function useCancelImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Wire<ImportItem>>(`/imports/${id}/cancel`, { method: 'POST' }),
    onSuccess: (item) => {
      client.setQueryData(['imports', item.id], item);
      void client.invalidateQueries({ queryKey: ['imports', 'recent'] });
    },
  });
}

// The largest file this user may upload (it depends on the role).
export function useImportLimitsQuery() {
  return useQuery({
    queryKey: ['imports', 'limits'],
    queryFn: ({ signal }) => api<{ maxUploadBytes: number; maxRows: number }>('/imports/limits', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
