import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './api';

export type Loadable<T> = {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

// Loads GET `path` (null = wait) and reloads when the path changes or on reload().
export function useApi<T>(path: string | null): Loadable<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api<T>(path, { signal: controller.signal })
      .then((result) => {
        setData(result);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}

// Cursor paging with "load more": the first page follows `path`, later pages append.
export function usePaged<T>(path: string | null) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  const current = useRef<AbortController | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null, append: boolean) => {
      if (path === null) return;
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setLoading(true);
      setError(null);
      const sep = path.includes('?') ? '&' : '?';
      const url = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
      api<{ items: T[]; nextCursor: string | null }>(url, { signal: controller.signal })
        .then((page) => {
          setItems((prev) => (append ? [...prev, ...page.items] : page.items));
          setNextCursor(page.nextCursor);
          setLoading(false);
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted) return;
          setError(e instanceof ApiError ? e : new ApiError(0, 'unknown_error', String(e)));
          setLoading(false);
        });
    },
    [path],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger
  useEffect(() => {
    setItems([]);
    setNextCursor(null);
    fetchPage(null, false);
    return () => current.current?.abort();
  }, [fetchPage, version]);

  const loadMore = useCallback(() => {
    if (nextCursor) fetchPage(nextCursor, true);
  }, [fetchPage, nextCursor]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return { items, nextCursor, error, loading, loadMore, reload };
}
