import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { createTheme, type MantineColorsTuple, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import { AuthProvider } from './features/auth/auth';
import { registerServiceWorker } from './service-worker/register';
import { i18n } from './lib/i18n';

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

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-center" />
      <I18nextProvider i18n={i18n}>
        <BrowserRouter>
          <AuthProvider>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </I18nextProvider>
    </MantineProvider>
  </StrictMode>,
);

registerServiceWorker();
