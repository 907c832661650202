import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { createTheme, type MantineColorsTuple, MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { z } from 'zod';
import { App } from './app/App';
import { preloadPage } from './app/routes';
import { AuthProvider, fetchMe, meKey } from './features/auth/auth';
import { i18n, i18nReady } from './lib/i18n';
import { queryClient } from './lib/query';
import { registerServiceWorker } from './service-worker/register';

// The server's Content-Security-Policy allows no eval: zod would otherwise probe for it
// (new Function) on its first parse, a violation the browser reports.
z.config({ jitless: true });

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

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

// Who is signed in, the strings and the screen the address names are fetched together; the
// app renders once its strings are there.
void queryClient.prefetchQuery({
  queryKey: meKey,
  queryFn: ({ signal }) => fetchMe(signal),
  staleTime: Infinity,
});
preloadPage(window.location.pathname);
await i18nReady;

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Suspense fallback={null}>
        <Notifications position="top-center" />
      </Suspense>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <App />
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </I18nextProvider>
    </MantineProvider>
  </StrictMode>,
);

registerServiceWorker();
