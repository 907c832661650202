import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { prerender } from './prerender.ts';
import { serviceWorker } from './src/service-worker/build.ts';
import { startPreload } from './start-preload.ts';

// The form machinery: zod, @mantine/form, the web app's form hook and the server's schema
// helpers (src/lib/schema.ts, rule-schema.ts).
const formCode =
  /node_modules[\\/](zod|@mantine[\\/]form|klona|fast-deep-equal)[\\/]|[\\/]web[\\/]src[\\/]lib[\\/]form\.ts$|[\\/]src[\\/]lib[\\/](schema|rule-schema)\.ts$/;
// The pure rules the web app shares with the server (enums, the password policy): no zod, so
// a file of their own rather than inside a schema's file, which would pull zod in with them.
const domainCode = /[\\/]src[\\/]domain[\\/]/;
// The API's schemas, one file per module: building a zod schema costs main-thread time when its
// module runs, so a screen runs only the schemas it imports (sign-in: auth's), not all of them.
const apiSchema = /[\\/]src[\\/]modules[\\/]([^\\/]+)[\\/][^\\/]+\.schema\.ts$/;
// Shared by some screens but not part of what the screens draw with (the outcome charts' state
// store, the offline outboxes' IndexedDB): left out of the `ui` file every screen loads.
const notUi =
  /node_modules[\\/](@reduxjs|redux|redux-thunk|react-redux|immer|reselect|idb|recharts|d3-[^\\/]+|victory-vendor|decimal\.js-light|es-toolkit|eventemitter3|internmap|tiny-invariant)[\\/]/;

const webRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webRoot, '..');

export default defineConfig({
  root: webRoot,
  plugins: [react(), startPreload(), serviceWorker(), prerender(), precompress()],
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // What the entry imports statically is one file, not the ~35 slivers the bundler
            // cuts where lazy screens share a module with it: on a phone network each request
            // is a round trip, and six at a time over HTTP/1.1.
            { name: 'index', tags: ['$initial'], priority: 3 },
            // Shared by the screens: the components (Mantine's and ours) in one file, the form
            // machinery (zod, @mantine/form, the API's schemas) in another, so the dashboard
            // does not fetch the form code it does not use.
            {
              name: 'ui',
              test: (id) =>
                /node_modules[\\/]|[\\/]web[\\/]src[\\/](components|lib)[\\/]/.test(id) &&
                !formCode.test(id) &&
                !notUi.test(id),
              minShareCount: 2,
              priority: 2,
            },
            { name: 'forms', test: formCode, minShareCount: 2, priority: 1 },
            { name: 'domain', test: domainCode, minShareCount: 2, priority: 1 },
            {
              name: (id) => (apiSchema.test(id) ? `schema-${apiSchema.exec(id)?.[1]}` : null),
              test: apiSchema,
              minShareCount: 2,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // The locale files live at the repository root, shared with the server.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': 'http://localhost:3100',
      '/katalog': 'http://localhost:3100',
      '/sertifikat': 'http://localhost:3100',
      '/daftar': 'http://localhost:3100',
      '/status': 'http://localhost:3100',
      '/health': 'http://localhost:3100',
    },
  },
});
