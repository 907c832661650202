import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DedupPair,
  DedupStatus,
  DismissBody,
  MergeBody,
  MergeResult,
  RecentMerge,
  UndoMergeResult,
} from '../../../../src/modules/dedup/dedup.schema';
import type { JobItem } from '../../../../src/modules/jobs/jobs.schema';
import { api } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

// When the review queue was computed and the run under way, polled once a second while a run
// is queued or running (live progress).
export function useDedupStatusQuery() {
  return useQuery({
    queryKey: ['dedup', 'status'],
    queryFn: ({ signal }) => api<Wire<DedupStatus>>('/dedup/status', { signal }),
    refetchInterval: (query) => (query.state.data?.run ? 1000 : false),
  });
}

// The queue is read after the status, so it is never older than the run the status names.
export function useCandidatesQuery(enabled: boolean) {
  return usePagedQuery<Wire<DedupPair>>(
    ['dedup', 'candidates'],
    enabled ? '/dedup/candidates?limit=20' : null,
  );
}

export function useRecomputeDuplicates() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Wire<JobItem>>('/dedup/runs', { method: 'POST' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['dedup', 'status'] }),
  });
}

export function useMerge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MergeBody) => api<Wire<MergeResult>>('/dedup/merge', { method: 'POST', body }),
    onSuccess: () => {
      for (const key of ['dedup', 'businesses', 'programs', 'aid', 'reports'])
        void client.invalidateQueries({ queryKey: [key] });
    },
  });
}

export function useDismiss() {
  return useMutation({
    mutationFn: (body: DismissBody) => api('/dedup/dismiss', { method: 'POST', body }),
  });
}

// Merges that can still be undone, newest first (GET /dedup/merges; each page is logged).
export function useRecentMergesQuery() {
  return usePagedQuery<Wire<RecentMerge>>(['dedup', 'merges'], '/dedup/merges?limit=10');
}

// Undoes a merge and refreshes what it changed. A plain function as well as a hook: the
// "Batalkan" of the notification shown after a merge outlives the card that made the merge.
export async function undoMerge(client: QueryClient, body: MergeBody) {
  try {
    return await api<Wire<UndoMergeResult>>('/dedup/merge/undo', { method: 'POST', body });
  } finally {
    for (const key of ['dedup', 'businesses', 'programs', 'aid', 'reports'])
      void client.invalidateQueries({ queryKey: [key] });
  }
}

export function useUndoMerge() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (body: MergeBody) => undoMerge(client, body) });
}
