import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../lib/api';
import type { SessionDetail } from '../../lib/types';
import {
  forgetSession,
  listOutbox,
  loadSession,
  type OutboxItem,
  type SavedSession,
  saveSession,
} from './outbox';
import { onOutboxChange } from './outbox-sync';

type CheckIn = { checkedInAt: string; method: 'qr' | 'manual' } | null;

export type OfflineSession = {
  detail: SessionDetail | undefined;
  // 'saved': the copy kept on the phone, because the server has not answered (yet).
  source: 'network' | 'saved' | null;
  savedAt: string | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  // Shows a check-in (or its undoing) the server has confirmed, without reloading.
  apply: (applicationId: string, checkIn: CheckIn) => void;
};

const patch = (detail: SessionDetail, applicationId: string, checkIn: CheckIn): SessionDetail => ({
  ...detail,
  participants: detail.participants.map((p) =>
    p.applicationId === applicationId
      ? { ...p, checkedInAt: checkIn?.checkedInAt ?? null, method: checkIn?.method ?? null }
      : p,
  ),
});

// The session and its participants: the copy saved on the phone at once (a weak signal can
// take long to answer), then the server's, which is saved for the next time there is none.
export function useOfflineSession(id: string): OfflineSession {
  const client = useQueryClient();
  const savedKey = ['sessions', id, 'saved'];
  const saved = useQuery({
    queryKey: savedKey,
    queryFn: () => loadSession(id).catch(() => null),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const fresh = useQuery({
    queryKey: ['sessions', id],
    queryFn: async ({ signal }) => {
      try {
        const detail = await api<SessionDetail>(`/sessions/${id}`, { signal });
        const copy = await saveSession(detail).catch(() => null);
        if (copy) client.setQueryData(savedKey, copy);
        return detail;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          // No longer this officer's to see: do not keep the names on the phone.
          await forgetSession(id).catch(() => undefined);
          client.setQueryData(savedKey, null);
        }
        throw error;
      }
    },
    staleTime: 0,
  });

  useEffect(
    () =>
      onOutboxChange((change) => {
        if (change.type !== 'sent' || change.sessionId !== id) return;
        patchBoth(client, id, change.applicationId, change.result);
      }),
    [client, id],
  );

  const refused = fresh.error?.status === 403 || fresh.error?.status === 404;
  const network = refused ? undefined : fresh.data;
  const copy = refused ? null : (saved.data ?? null);
  const detail = network ?? copy?.detail;
  const { refetch } = fresh;
  const reload = useCallback(() => void refetch(), [refetch]);
  const apply = useCallback(
    (applicationId: string, checkIn: CheckIn) => patchBoth(client, id, applicationId, checkIn),
    [client, id],
  );
  return {
    detail,
    source: network ? 'network' : copy ? 'saved' : null,
    savedAt: copy?.savedAt ?? null,
    error: fresh.error,
    loading: fresh.isPending,
    reload,
    apply,
  };
}

// A check-in the server confirmed (or its undoing), shown in the server's list and the copy.
function patchBoth(client: QueryClient, id: string, applicationId: string, checkIn: CheckIn) {
  client.setQueryData<SessionDetail>(['sessions', id], (d) => d && patch(d, applicationId, checkIn));
  client.setQueryData<SavedSession | null>(['sessions', id, 'saved'], (s) =>
    s ? { ...s, detail: patch(s.detail, applicationId, checkIn) } : s,
  );
}

// The check-ins of this session still on the phone, kept current as they change or are sent.
export function useOutbox(sessionId: string) {
  const [items, setItems] = useState<OutboxItem[]>([]);
  const refresh = useCallback(async () => {
    const list = await listOutbox(sessionId).catch(() => null);
    if (list) setItems(list);
  }, [sessionId]);
  useEffect(() => {
    void refresh();
    return onOutboxChange(() => void refresh());
  }, [refresh]);
  return { items, refresh };
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

export type OfflineReadiness = 'preparing' | 'ready' | 'unsupported';

// Ready when the service worker keeps the app and controls this page, and it has fetched the
// sign-in through it once (the worker keeps that answer to reopen the app with no signal).
export function useOfflineReadiness(): OfflineReadiness {
  const [state, setState] = useState<OfflineReadiness>(() =>
    import.meta.env.PROD && 'serviceWorker' in navigator && window.isSecureContext
      ? 'preparing'
      : 'unsupported',
  );
  useEffect(() => {
    if (state !== 'preparing') return;
    let live = true;
    const container = navigator.serviceWorker;
    // The first visit installs the worker while the page runs (slowly, on a weak signal); it
    // takes control of the page when done.
    const settle = async () => {
      if (!container.controller) return;
      if (navigator.onLine)
        await fetch('/api/v1/auth/me', { credentials: 'same-origin' }).catch(() => undefined);
      if (live) setState('ready');
    };
    const onControl = () => void settle();
    container.addEventListener('controllerchange', onControl);
    void container.ready.then(settle);
    // Control can be taken between the worker's activation and this listener: look again.
    const poll = window.setInterval(() => {
      if (container.controller) void settle();
    }, 500);
    return () => {
      live = false;
      window.clearInterval(poll);
      container.removeEventListener('controllerchange', onControl);
    };
  }, [state]);
  return state;
}
