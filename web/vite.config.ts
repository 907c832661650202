import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { serviceWorker } from './src/service-worker/build.ts';

const formCode =
  /node_modules[\\/](zod|@mantine[\\/]form|klona|fast-deep-equal)[\\/]|[\\/]src[\\/]modules[\\/]|[\\/]web[\\/]src[\\/]lib[\\/]form\.ts$/;

const webRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webRoot, '..');

export default defineConfig({
  root: webRoot,
  plugins: [react(), serviceWorker(), precompress()],
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
                /node_modules[\\/]|[\\/]web[\\/]src[\\/](components|lib)[\\/]/.test(id) && !formCode.test(id),
              minShareCount: 2,
              priority: 2,
            },
            { name: 'forms', test: formCode, minShareCount: 2, priority: 1 },
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
