import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, transformWithOxc } from 'vite';

// Writes dist/sw.js at build time: sw.ts made into a classic script, given the list of the
// build's files to keep and a version that changes whenever any of them does (a new version
// makes phones fetch the new app and drop the old one). A hand-made worker rather than
// vite-plugin-pwa: that plugin brings workbox-build (Babel, Rollup, Terser and ~300 packages)
// to make what is a hundred lines here, and the sign-in handling needs custom code anyway.
export function serviceWorker(): Plugin {
  const source = resolve(dirname(fileURLToPath(import.meta.url)), 'sw.ts');
  let publicDir = '';
  return {
    name: 'pulih-service-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      const built = Object.keys(bundle).filter(
        (f) => !f.endsWith('.map') && !f.startsWith('.') && f !== 'index.html',
      );
      const copied = publicDir
        ? listFiles(publicDir).map((f) => relative(publicDir, f).split('\\').join('/'))
        : [];
      const files = [...new Set([...built, ...copied])].map((f) => `/${f}`).sort();
      const hash = createHash('sha256').update(files.join('\n'));
      hash.update(readFileSync(join(outDir, 'index.html')));
      const version = hash.digest('hex').slice(0, 16);
      const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source, { lang: 'ts' });
      const script = code
        .replace(/^export\s*\{\s*\};?\s*$/m, '')
        .replaceAll('__PRECACHE__', JSON.stringify(files))
        .replaceAll('__VERSION__', JSON.stringify(version));
      if (/^\s*(import|export)\s/m.test(script)) throw new Error('sw.ts must stay a classic script');
      writeFileSync(join(outDir, 'sw.js'), script);
    },
  };
}

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
