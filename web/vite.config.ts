import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';
import { serviceWorker } from './src/service-worker/build.ts';

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
            { name: 'index', tags: ['$initial'] },
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
