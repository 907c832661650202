import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The web app and the server pages read their strings from locales/<lang>/<ns>.json. These
// checks catch what review misses: a key in one language only, a namespace nobody bundled, a
// literal key that does not exist (the page would show "summary.title" to the officer).

const root = join(import.meta.dirname, '..', '..');
const localesDir = join(root, 'locales');
const languages = readdirSync(localesDir);

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  );
}

// Plural forms differ by language (Indonesian has one), so keys are compared without them.
function keysOf(lang: string, ns: string): Set<string> {
  const tree = JSON.parse(readFileSync(join(localesDir, lang, `${ns}.json`), 'utf8')) as Tree;
  return new Set(flatten(tree).map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const namespaces = readdirSync(join(localesDir, 'id')).map((f) => f.replace(/\.json$/, ''));

describe('locales', () => {
  it('has the same namespaces and keys in every language', () => {
    expect(languages).toEqual(expect.arrayContaining(['id', 'en']));
    for (const lang of languages) {
      expect(readdirSync(join(localesDir, lang)).sort(), lang).toEqual(
        readdirSync(join(localesDir, 'id')).sort(),
      );
      for (const ns of namespaces) {
        expect([...keysOf(lang, ns)].sort(), `${lang}/${ns}`).toEqual([...keysOf('id', ns)].sort());
      }
    }
  });

  it('has every literal key the web app asks for, in the namespaces the file uses', () => {
    const keys = new Map(namespaces.map((ns) => [ns, keysOf('id', ns)]));
    const has = (ns: string, key: string) => keys.get(ns)?.has(key) ?? false;
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(join(root, 'web', 'src'))) {
      const text = readFileSync(file, 'utf8');
      const used = [...text.matchAll(/useTranslation\(\s*'([a-z-]+)'/g)].map((m) => m[1] ?? '');
      for (const ns of used) if (!keys.has(ns)) missing.push(`${relative(root, file)}: namespace ${ns}`);
      const fileNamespaces = used.length > 0 ? used : ['web'];
      if (text.includes('useTranslation()')) fileNamespaces.push('web');
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.:-]+)'/g)) {
        const literal = match[1] ?? '';
        checked++;
        const [ns, key] = literal.includes(':') ? literal.split(':', 2) : [null, literal];
        const found = ns ? has(ns, key ?? '') : fileNamespaces.some((n) => has(n, literal));
        if (!found) missing.push(`${relative(root, file)}: ${literal}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });
});
