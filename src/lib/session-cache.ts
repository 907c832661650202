// Who a session or API token belongs to, kept for a moment per database handle: every API
// request starts by reading it, and under a burst that read was one round trip of a handful.
// A write that can end or change a session (a token deleted, a user disabled or changed, an
// organisation's region moved, a password set) forgets everything at once in this process
// (`forgetSessions`); another process serving the same database follows within `sessionCacheMs`,
// and so may a request of this process that read the old row while such a write was still
// uncommitted. A revoked session can therefore act for at most 2 seconds. Only found sessions
// are kept (a wrong token costs its read every time), at most `maxSessions` per handle.
export const sessionCacheMs = 2_000;
const maxSessions = 10_000;

type Entry<T> = { until: number; generation: number; value: T };
let generation = 0;
const caches = new WeakMap<object, Map<string, Entry<unknown>>>();

export function forgetSessions(): void {
  generation++;
}

export async function cachedSession<T>(
  db: object,
  key: string,
  read: () => Promise<T | null>,
): Promise<T | null> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now && hit.generation === generation) return hit.value as T;
  const startedAt = generation;
  const value = await read();
  if (value === null) {
    cache.delete(key);
    return null;
  }
  // A write that forgot the sessions while this read ran may not be in what it read.
  if (startedAt === generation) {
    if (cache.size >= maxSessions) cache.clear();
    cache.set(key, { until: now + sessionCacheMs, generation, value });
  }
  return value;
}
