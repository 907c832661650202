import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { startTransition } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { z } from 'zod';
import { Root } from './app/Root';
import { preloadPage } from './app/routes';
import { fetchMe, meKey } from './features/auth/auth';
import { currentLanguage, i18nReady } from './lib/i18n';
import { queryClient } from './lib/query';
import { seedFromPage } from './lib/seed';
import { registerServiceWorker } from './service-worker/register';

// The server's Content-Security-Policy allows no eval: zod would otherwise probe for it
// (new Function) on its first parse, a violation the browser reports.
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

// A page the server drew for this visitor (the dashboard) carries the answers it was drawn from:
// the cache starts with them, so nothing below asks for them again.
seedFromPage(queryClient);

// Who is signed in, the strings and the screen the address names are fetched together; the
// app renders once its strings are there.
const meSettled = queryClient.prefetchQuery({
  queryKey: meKey,
  queryFn: ({ signal }) => fetchMe(signal),
  staleTime: Infinity,
});
preloadPage(window.location.pathname);
await i18nReady;

// The server sends the sign-in screen already drawn (web/prerender.ts), and the dashboard drawn
// for the signed-in visitor (web/src/ssr.tsx), in the language of the pulih_lang cookie: the
// app takes that markup over where it is the one it would draw itself
// (same screen, same language), and draws afresh otherwise.
// (The form, sent before, coming back with an error is the same screen with an alert more.)
const drawn = root.dataset.prerendered;
const sameScreen =
  drawn === window.location.pathname &&
  root.dataset.lang === currentLanguage() &&
  !new URLSearchParams(window.location.search).has('failed');
// As a transition, React renders in slices of a few milliseconds, yielding to the browser in
// between (a tap, a keystroke, a frame), rather than in one long task of several hundred
// milliseconds on a phone's CPU.
if (sameScreen) {
  // An answer that changes the app's state while React is still taking the drawn markup over
  // makes it give the markup up and draw the whole page afresh, dropping what was typed into
  // it: so who is signed in is known first (on the dashboard it came with the page; on sign-in
  // it is one short request, made alongside the strings).
  await meSettled;
  startTransition(() => {
    hydrateRoot(root, <Root />);
  });
} else {
  root.replaceChildren();
  const app = createRoot(root);
  startTransition(() => app.render(<Root />));
}

registerServiceWorker();
