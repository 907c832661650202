import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../lib/api';
import type { SessionDetail } from '../../lib/types';
import { forgetSession, listOutbox, loadSession, type OutboxItem, saveSession } from './outbox';
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
  const [detail, setDetail] = useState<SessionDetail | undefined>(undefined);
  const [source, setSource] = useState<'network' | 'saved' | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger
  useEffect(() => {
    let live = true;
    let answered = false;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    const saved = loadSession(id).catch(() => null);
    void saved.then((copy) => {
      if (!live || answered || !copy) return;
      setDetail(copy.detail);
      setSource('saved');
      setSavedAt(copy.savedAt);
    });
    api<SessionDetail>(`/sessions/${id}`, { signal: controller.signal })
      .then(async (fresh) => {
        answered = true;
        if (!live) return;
        setDetail(fresh);
        setSource('network');
        setLoading(false);
        const copy = await saveSession(fresh).catch(() => null);
        if (live && copy) setSavedAt(copy.savedAt);
      })
      .catch(async (e: unknown) => {
        if (!live || controller.signal.aborted) return;
        const failure = e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e));
        if (failure.status === 403 || failure.status === 404) {
          // No longer this officer's to see: do not keep the names on the phone.
          await forgetSession(id).catch(() => undefined);
          if (!live) return;
          setDetail(undefined);
          setSource(null);
          setSavedAt(null);
        } else {
          await saved;
        }
        if (!live) return;
        setError(failure);
        setLoading(false);
      });
    return () => {
      live = false;
      controller.abort();
    };
  }, [id, version]);

  useEffect(
    () =>
      onOutboxChange((change) => {
        if (change.type !== 'sent' || change.sessionId !== id) return;
        setDetail((d) => d && patch(d, change.applicationId, change.result));
      }),
    [id],
  );

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const apply = useCallback(
    (applicationId: string, checkIn: CheckIn) => setDetail((d) => d && patch(d, applicationId, checkIn)),
    [],
  );
  return { detail, source, savedAt, error, loading, reload, apply };
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
