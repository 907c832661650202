import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const compressible = /\.(js|css|html|svg|json|txt|webmanifest)$/;
// Below this a compressed copy saves less than its own headers cost.
const minBytes = 1024;

// Writes a brotli (.br) and a gzip (.gz) copy of each text file of the build beside it, at the
// highest levels (the work is done once, at build time), so the server sends them as they are
// (@fastify/static's preCompressed). Node's zlib does both; the copies are written after the
// service worker has listed the files it keeps, so it never keeps them.
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'pulih-precompress',
    apply: 'build',
    writeBundle(options) {
      outDir = options.dir ?? '';
    },
    closeBundle: {
      order: 'post',
      handler() {
        for (const path of files(outDir)) {
          if (!compressible.test(path)) continue;
          const body = readFileSync(path);
          if (body.length < minBytes) continue;
          const br = brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          });
          const gz = gzipSync(body, { level: 9 });
          if (br.length < body.length) writeFileSync(`${path}.br`, br);
          if (gz.length < body.length) writeFileSync(`${path}.gz`, gz);
        }
      },
    },
  };
}

function files(dir: string): string[] {
  if (!dir) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
