import type { QueryKey } from '@tanstack/react-query';
import { prerender } from 'react-dom/static';
import { Root } from './app/Root';
import { dashboardPage, layoutPage } from './app/routes';
import { meKey } from './features/auth/auth';
import {
  identityReviewsKey,
  identityReviewsPath,
  reviewBadgeLimit,
} from './features/businesses/identityReviewQueries';
import { complaintCountsKey } from './features/complaints/queries';
import { summaryKey } from './features/reports/queries';
import { i18n, i18nReady, type Language, languages } from './lib/i18n';
import { createQueryClient } from './lib/query';
import type { Seed } from './lib/seed';
import type { Me } from './lib/types';

export type { Seed } from './lib/seed';

// A GET of the API as the visitor (path under /api/v1): the answer's body, or null when the
// API would not give it (no session, not allowed, an error).
export type ApiGet = (path: string) => Promise<unknown>;

export type DrawnPage = { html: string; seeds: Seed[] };

// What the signed-in frame and the dashboard read from the API on their first render, for this
// user: the same queries, under the same keys, as the screens' hooks.
function dashboardQueries(me: Me): { key: QueryKey; path: string; paged?: true }[] {
  const can = (capability: string) => me.capabilities.includes(capability);
  return [
    { key: summaryKey, path: '/reports/summary' },
    ...(can('handleComplaints') ? [{ key: complaintCountsKey, path: '/complaints/counts' }] : []),
    ...(can('reviewIdentities')
      ? [
          {
            key: identityReviewsKey(reviewBadgeLimit),
            path: identityReviewsPath(reviewBadgeLimit),
            paged: true as const,
          },
        ]
      : []),
  ];
}

// The language is the app's module-level state (i18n, and the number and date formats read it),
// so the server draws one page at a time.
let drawing: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(draw: () => Promise<T>): Promise<T> {
  const run = drawing.then(draw);
  drawing = run.catch(() => undefined);
  return run;
}

// The signed-in frame and the dashboard as the browser's first render of them draws them for
// this visitor, in `lang`, with the answers they were drawn from (the page's data block, which
// the app's cache starts from: main.tsx). Null where the app would show something else at `/`
// (nobody signed in, a one-time password to change, a role that lands elsewhere) or an answer
// is missing: the server then sends the page the app draws itself. Run by the server per
// request (src/lib/start-preload.ts), from the bundle the build makes of this file
// (web/prerender.ts).
export async function drawDashboard(lang: Language, get: ApiGet): Promise<DrawnPage | null> {
  const me = (await get('/auth/me')) as Me | null;
  if (!me || me.mustChangePassword || !me.capabilities.includes('readReports')) return null;
  const queries = dashboardQueries(me);
  const answers = await Promise.all(queries.map((q) => get(q.path)));
  if (answers.some((a) => a === null)) return null;
  const seeds: Seed[] = [
    { key: meKey, data: me },
    ...queries.map((q, i) => ({
      key: q.key,
      data: q.paged ? { pages: [answers[i]], pageParams: [null] } : answers[i],
    })),
  ];
  const client = createQueryClient();
  for (const seed of seeds) client.setQueryData(seed.key, seed.data);
  const html = await oneAtATime(async () => {
    await i18nReady;
    await i18n.changeLanguage(lang);
    // One piece, in order: React otherwise sends a large screen's boundary after the rest with
    // an inline script to move it into place, which the Content-Security-Policy refuses.
    const { prelude } = await prerender(<Root location="/" client={client} />, {
      progressiveChunkSize: Number.POSITIVE_INFINITY,
    });
    return new Response(prelude).text();
  });
  client.clear();
  return { html, seeds };
}

// The code and strings the first drawn page needs, loaded when the server starts listening
// rather than while its first visitor waits.
export async function warm(): Promise<void> {
  layoutPage.preload();
  dashboardPage.preload();
  await i18nReady;
  await i18n.loadLanguages([...languages]);
  await oneAtATime(async () => {
    for (const lang of languages) {
      await i18n.changeLanguage(lang);
      await i18n.loadNamespaces(['web', 'errors', 'complaints']);
    }
  });
}
