import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { RegistryOverview } from '../../../../src/modules/registrations/registrations.schema';
import { ApiError, api, query } from '../../lib/api';
import type { Wire } from '../../lib/types';
import {
  type FieldOutboxItem,
  listVisits,
  listWalks,
  loadList,
  loadReference,
  type Registration,
  saveList,
  saveReference,
  type WalkItem,
} from './field-store';
import { onFieldOutboxChange, syncFieldOutbox } from './field-sync';

export type Overview = Wire<RegistryOverview>;

export function useRegistryOverviewQuery() {
  return useQuery({
    queryKey: ['registrations', 'overview'],
    queryFn: ({ signal }) => api<Overview>('/registrations/overview', { signal }),
  });
}

export type FieldQueue = {
  items: Registration[] | undefined;
  source: 'network' | 'saved' | null;
  savedAt: string | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

// The queue of one status: the copy saved on the phone at once, then the server's, saved for the
// next time there is no signal (the day's list, taken before leaving the office).
export function useFieldQueue(status: string): FieldQueue {
  const client = useQueryClient();
  const key = `queue:${status}`;
  const saved = useQuery({
    queryKey: ['registrations', 'saved', status],
    queryFn: () => loadList(key).catch(() => null),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const fresh = useQuery({
    queryKey: ['registrations', 'list', status],
    queryFn: async ({ signal }) => {
      const page = await api<{ items: Registration[] }>(
        `/registrations${query({ status: status || undefined, limit: 200 })}`,
        { signal },
      );
      const copy = await saveList(key, page.items).catch(() => null);
      if (copy) client.setQueryData(['registrations', 'saved', status], copy);
      return page.items;
    },
    retry: false,
  });
  const useSaved = !fresh.data && saved.data;
  return {
    items: fresh.data ?? saved.data?.items,
    source: fresh.data ? 'network' : useSaved ? 'saved' : null,
    savedAt: saved.data?.savedAt ?? null,
    error: fresh.error instanceof ApiError ? fresh.error : null,
    loading: fresh.isPending && !saved.data,
    reload: () => void fresh.refetch(),
  };
}

// The visits waiting on the phone, kept current; sent when the signal returns (and every 20 s
// while there is one), after which the lists are read again.
export function useFieldOutbox() {
  const client = useQueryClient();
  const [items, setItems] = useState<FieldOutboxItem[]>([]);
  const [walks, setWalks] = useState<WalkItem[]>([]);
  const refresh = useCallback(async () => {
    const list = await listVisits().catch(() => null);
    if (list) setItems(list);
    const registered = await listWalks().catch(() => null);
    if (registered) setWalks(registered);
  }, []);
  const syncNow = useCallback(async () => {
    const report = await syncFieldOutbox();
    await refresh();
    if (report.sent.length + report.registered.length > 0)
      void client.invalidateQueries({ queryKey: ['registrations'] });
    return report;
  }, [client, refresh]);
  useEffect(() => {
    void refresh();
    const stop = onFieldOutboxChange(() => void refresh());
    const online = () => void syncNow();
    window.addEventListener('online', online);
    const timer = window.setInterval(() => {
      if (navigator.onLine) void syncNow();
    }, 20_000);
    if (navigator.onLine) void syncNow();
    return () => {
      stop();
      window.removeEventListener('online', online);
      window.clearInterval(timer);
    };
  }, [refresh, syncNow]);
  return { items, walks, refresh, syncNow };
}

// A reference list (kelurahan of a kecamatan, KBLI codes) from the server, kept on the phone for
// the walk form with no signal.
export function useSavedReference(
  key: string,
  path: string | null,
  toItem: (raw: Record<string, string>) => { code: string; name: string },
) {
  return useQuery({
    queryKey: ['registrations', 'reference', key],
    enabled: path !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      try {
        const page = await api<{ items: Record<string, string>[] }>(path ?? '', { signal });
        const items = page.items.map(toItem);
        await saveReference(key, items).catch(() => undefined);
        return items;
      } catch (error) {
        const saved = await loadReference(key).catch(() => null);
        if (saved) return saved;
        throw error;
      }
    },
  });
}
