import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One writer for the registry: people and businesses change only through the businesses module
// (src/modules/businesses, reached through its service). dependency-cruiser sees imports, not
// SQL, so this test reads the source: any INSERT/UPDATE/DELETE of those tables elsewhere in src/
// fails it, naming the file and line. Test fixtures (src/testing) and tests seed rows directly.

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const owner = 'src/modules/businesses/';
const tables = ['people', 'businesses'];

// Raw SQL (`insert into people`, `update businesses b`, `delete from people`, `copy people`)
// and Drizzle (`.insert(people)`, `.update(businesses)`, `.delete(people)`).
const writes = tables.flatMap((t) => [
  new RegExp(`\\b(insert\\s+into|update|delete\\s+from|copy)\\s+${t}\\b(?!\\s*\\.)`, 'i'),
  new RegExp(`\\.(insert|update|delete)\\(\\s*${t}\\s*\\)`),
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function registryWriters(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    path.startsWith(owner) || path.startsWith('src/testing/')
      ? []
      : text
          .split('\n')
          .flatMap((line, i) =>
            writes.some((w) => w.test(line)) ? [`${path}:${i + 1}: ${line.trim()}`] : [],
          ),
  );
}

describe('registry writers', () => {
  it('finds no write of people or businesses outside the businesses module', () => {
    const files = sourceFiles(join(root, 'src')).map((file) => ({
      path: relative(root, file).split('\\').join('/'),
      text: readFileSync(file, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(50);
    expect(registryWriters(files)).toEqual([]);
  });

  it('recognises the writes it looks for, raw and through Drizzle', () => {
    const found = registryWriters([
      { path: 'src/modules/imports/x.queries.ts', text: 'sql`insert into people (nik) values (1)`' },
      { path: 'src/modules/dedup/x.queries.ts', text: '  update businesses b set name = x.bn' },
      { path: 'src/modules/dedup/y.queries.ts', text: 'await db.update(people).set({})' },
      { path: 'src/modules/aid/z.ts', text: 'db.delete(businesses)' },
      { path: 'src/modules/imports/y.ts', text: "copyIn(tx, 'copy people (id, nik) from stdin', rows)" },
      { path: 'src/modules/businesses/registry.queries.ts', text: 'db.update(people)' },
      { path: 'src/modules/reports/r.queries.ts', text: 'select * from people join businesses b on true' },
    ]);
    expect(found.map((f) => f.split(':')[0])).toEqual([
      'src/modules/imports/x.queries.ts',
      'src/modules/dedup/x.queries.ts',
      'src/modules/dedup/y.queries.ts',
      'src/modules/aid/z.ts',
      'src/modules/imports/y.ts',
    ]);
  });
});
