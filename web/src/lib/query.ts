import { QueryClient, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type ApiError, api, isTransient, type Page } from './api';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

// The app's cache, and one per page the server draws (web/src/ssr.tsx), with the same rules.
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // On a weak signal a request is tried and fails with network_error (shown with a retry
        // button), instead of waiting silently for the browser to say it is online.
        networkMode: 'always',
        // A dropped connection or a struggling server is tried twice more; a 4xx never.
        retry: (failures, error) => failures < 2 && error.status !== 401 && isTransient(error),
        // What a screen showed a moment ago is shown at once when it is opened again, and
        // fetched anew in the background.
        staleTime: 20_000,
        refetchOnWindowFocus: false,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

export const queryClient = createQueryClient();

export type Paged<T> = {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
  loadMore: () => void;
  reload: () => void;
};

// A cursor-paged list with "load more" (GET path?cursor=…; `path` null waits).
export function usePagedQuery<T>(queryKey: QueryKey, path: string | null): Paged<T> {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      const sep = path?.includes('?') ? '&' : '?';
      const url = pageParam ? `${path}${sep}cursor=${encodeURIComponent(pageParam)}` : (path ?? '');
      return api<Page<T>>(url, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: path !== null,
  });
  const { data, hasNextPage, isPending, isFetchingNextPage, error, fetchNextPage, refetch } = query;
  return useMemo(
    () => ({
      items: data?.pages.flatMap((p) => p.items) ?? [],
      hasMore: hasNextPage,
      loading: (path !== null && isPending) || isFetchingNextPage,
      loadingMore: isFetchingNextPage,
      error,
      loadMore: () => void fetchNextPage(),
      reload: () => void refetch(),
    }),
    [data, hasNextPage, isPending, isFetchingNextPage, error, fetchNextPage, refetch, path],
  );
}
