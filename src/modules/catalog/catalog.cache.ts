import type { AppContext } from '../../lib/context.ts';

// Search answers kept in memory per app server: a buyer's query is typed by many buyers
// ("rotan", "kopi"), and ranking a word that matches thousands of products, or counting its
// facets, costs far more than reading the page's rows. Each entry is labelled with the
// catalogue's version (catalog_cache.state, bumped by triggers on every write that can change an
// answer) and is used only while the version has not moved, so a product approved or hidden
// leaves every cached answer at once, on every app server.
export type Versioned<V> = { version: number; value: V };

// Least recently used first out: a Map iterates in insertion order, and a hit re-inserts.
export class LruCache<V> {
  private readonly entries = new Map<string, Versioned<V>>();
  constructor(readonly capacity: number) {}

  get(key: string): Versioned<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, version: number, value: V) {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size() {
    return this.entries.size;
  }
}

// PULIH_CATALOG_CACHE: how many answers an app server keeps (0 turns the cache off, e.g. to
// measure the searches themselves). An answer is a few dozen ids, or a few dozen counts.
export function cacheCapacityFromEnv() {
  const value = Number(process.env.PULIH_CATALOG_CACHE ?? 2000);
  return Number.isInteger(value) && value >= 0 ? value : 2000;
}

// One set of caches per application context (each test file has its own database and
// context), kept off the context's type so that no other module has to know of it.
export function perContext<T>(make: () => T): (ctx: AppContext) => T {
  const made = new WeakMap<AppContext, T>();
  return (ctx) => {
    let value = made.get(ctx);
    if (value === undefined) {
      value = make();
      made.set(ctx, value);
    }
    return value;
  };
}
