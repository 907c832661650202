import { createTheme, type MantineColorsTuple, MantineProvider } from '@mantine/core';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter, StaticRouter } from 'react-router';
import { AuthProvider } from '../features/auth/auth';
import { i18n } from '../lib/i18n';
import { queryClient } from '../lib/query';
import { App } from './App';

// A sober civil-service blue.
const pulih: MantineColorsTuple = [
  '#eaf2fb',
  '#d3e2f3',
  '#a5c3e7',
  '#74a2db',
  '#4c87d1',
  '#3375cb',
  '#256cc9',
  '#1c5d99',
  '#124f8c',
  '#00437d',
];

const theme = createTheme({
  primaryColor: 'pulih',
  colors: { pulih },
  primaryShade: 7,
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Button: { defaultProps: { radius: 'md' } },
    Badge: { defaultProps: { tt: 'none' } },
  },
});

// The notification stack mounts once its code is there, after the first paint; a notice shown
// before that waits in @mantine/notifications' store and appears when it mounts.
const Notifications = lazy(() =>
  import('@mantine/notifications').then((m) => ({ default: m.Notifications })),
);

// The whole app. The browser renders it at the address bar's location; the build renders it
// once at a fixed address (`location`, web/src/prerender.tsx) into HTML the server sends, which
// the browser then hydrates: the same tree on both sides, so the markup matches. The server draws
// the dashboard per request (web/src/ssr.tsx) with a cache of its own (`client`) holding what
// that visitor's API answers.
export function Root({ location, client = queryClient }: { location?: string; client?: QueryClient }) {
  // Marks the page once the app has taken it over (after hydrating the server-drawn screen):
  // what the browser tests wait for before they drive the app rather than the drawn form.
  useEffect(() => {
    document.documentElement.dataset.app = 'running';
  }, []);
  const app = (
    <AuthProvider>
      <App />
    </AuthProvider>
  );
  return (
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <Suspense fallback={null}>
          <Notifications position="top-center" />
        </Suspense>
        <I18nextProvider i18n={i18n}>
          <QueryClientProvider client={client}>
            {location === undefined ? (
              // A tap on a link moves the app to the next screen at once, not as a transition:
              // in a transition React keeps the screen being left on the page, still running, until
              // the next one's code has come, and an answer reaching it then could send the
              // visitor elsewhere (a redirect, a filter written into the address) in place of the
              // screen they asked for. The next screen's loader shows the tap was taken.
              <BrowserRouter useTransitions={false}>{app}</BrowserRouter>
            ) : (
              <StaticRouter location={location}>{app}</StaticRouter>
            )}
          </QueryClientProvider>
        </I18nextProvider>
      </MantineProvider>
    </StrictMode>
  );
}
