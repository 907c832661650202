import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

const reloadedKey = 'pulih.reloadedForChunk';

// A chunk that does not come (a dropped connection) is asked for again; one that is gone for
// good (the server now has a newer build, with other file names) makes the page load the new
// app, once.
async function importWithRetry<M>(load: () => Promise<M>, retries = 2): Promise<M> {
  try {
    const module = await load();
    // Not in Node, where the build draws the sign-in screen ahead of time (web/prerender.ts).
    if (typeof window !== 'undefined') window.sessionStorage.removeItem(reloadedKey);
    return module;
  } catch (error) {
    if (retries > 0) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return importWithRetry(load, retries - 1);
    }
    if (navigator.onLine && !window.sessionStorage.getItem(reloadedKey)) {
      window.sessionStorage.setItem(reloadedKey, '1');
      window.location.reload();
      return new Promise<M>(() => {});
    }
    throw error;
  }
}

export type LazyPage = LazyExoticComponent<ComponentType> & { preload: () => void };

// A route's screen, loaded when first shown (or preloaded); `name` is its named export.
export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M): LazyPage {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const start = () => {
    loading ??= importWithRetry(load).then((m) => ({ default: m[name] as ComponentType }));
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
  return Object.assign(lazy(start), { preload: () => void start() });
}
