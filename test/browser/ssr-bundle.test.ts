import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { webDist } from '../../src/server.ts';

// The server draws the dashboard with web/dist-ssr/ssr.js. Where it was installed with
// `npm ci --omit=dev`, the web app's packages (Mantine, React Query, the router) are not there:
// the bundle may import only the server's own dependencies and Node's modules.

const ssrDir = resolve(webDist, '..', 'dist-ssr');
const manifest = JSON.parse(readFileSync(resolve(ssrDir, '..', '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? bundleFiles(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : (specifier.split('/')[0] ?? specifier);

test("the server's bundle imports only the server's dependencies", () => {
  const files = bundleFiles(ssrDir);
  expect(files.length).toBeGreaterThan(0);
  const imported = new Set<string>();
  // The bundler writes its imports one per line at the start of the line, double-quoted.
  const importLine = /^(?:import|export)\b[^\n]*?\bfrom "([^"]+)";$|^import "([^"]+)";$/gm;
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(importLine)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (!specifier.startsWith('.')) imported.add(specifier);
    }
  }
  expect([...imported]).toContain('react');
  const allowed = (specifier: string) =>
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier) ||
    packageOf(specifier) in manifest.dependencies;
  expect([...imported].filter((specifier) => !allowed(specifier))).toEqual([]);
});
