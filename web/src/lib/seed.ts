import type { QueryClient, QueryKey } from '@tanstack/react-query';

// One answer of the API the server already had when it drew the page (web/src/ssr.tsx), under
// the query key the screen reads it with.
export type Seed = { key: QueryKey; data: unknown };

// The page's data block: <script type="application/json">, which the browser never runs, so
// the Content-Security-Policy (no inline script) has nothing to say about it. The server writes
// it under this id (src/lib/start-preload.ts).
export const seedElementId = 'pulih-data';

// Puts the drawn page's answers into the app's cache before it hydrates, so its first render
// reads the very figures the server drew (no loader, no second request, no mismatch).
export function seedFromPage(client: QueryClient): boolean {
  const block = document.getElementById(seedElementId);
  if (!block?.textContent) return false;
  for (const seed of JSON.parse(block.textContent) as Seed[]) client.setQueryData(seed.key, seed.data);
  return true;
}
