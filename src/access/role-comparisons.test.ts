import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Access is decided in one place: the capabilities of src/policies.ts and the scopes of
// src/access. A role compared anywhere in the modules is a policy the access layer does not
// know about (and that the OpenAPI document does not show), so it is refused here.

const root = fileURLToPath(new URL('../..', import.meta.url));
const modules = join(root, 'src/modules');

// Where a role is the record being edited, not the one asking: the users module changes users'
// roles (a new role drops an organisation of another kind), and keeps one active admin.
const roleAsData = [
  { file: 'src/modules/users/users.service.ts', text: 'body.role !== undefined' },
  { file: 'src/modules/users/users.service.ts', text: 'role === before.role' },
  { file: 'src/modules/users/users.service.ts', text: "before.role === 'admin'" },
];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function roleComparisons(files: { file: string; text: string }[]) {
  return files.flatMap(({ file, text }) =>
    text
      .split('\n')
      .flatMap((line, index) =>
        /\.role\s*[!=]==|[!=]==\s*[\w.?]+\.role\b/.test(line) &&
        !roleAsData.some((allowed) => allowed.file === file && line.includes(allowed.text))
          ? [`${file}:${index + 1}: ${line.trim()}`]
          : [],
      ),
  );
}

describe('role comparisons', () => {
  it('are made nowhere in src/modules: each is a capability or a scope of the access layer', () => {
    const files = sourcesUnder(modules).map((path) => ({
      file: relative(root, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(50);
    expect(roleComparisons(files)).toEqual([]);
  });

  it('are found in either order, optional chaining included, and named by file and line', () => {
    const found = roleComparisons([
      {
        file: 'src/modules/x/x.service.ts',
        text: "const a = 1;\nif (actor?.role === 'owner') a;\nif ('admin' !== actor.role) a;\nif (body.role !== undefined) a;",
      },
    ]);
    expect(found).toEqual([
      "src/modules/x/x.service.ts:2: if (actor?.role === 'owner') a;",
      "src/modules/x/x.service.ts:3: if ('admin' !== actor.role) a;",
      'src/modules/x/x.service.ts:4: if (body.role !== undefined) a;',
    ]);
  });
});
