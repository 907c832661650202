import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What the signed-in user may see is what the server says it may do: the capabilities and the
// scope of /auth/me (useAuth().can, me.scope), decided by the access layer (src/access,
// src/policies.ts). A screen that compares the user's role name keeps a second, silent copy of
// that policy, which drifts when a role gains or loses a capability; so it is refused here, as
// src/access/role-comparisons.test.ts refuses it on the server.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const web = join(root, 'web/src');

// The users screen edits users' roles: there a role compared is the record being edited (which
// organisation field the chosen role needs), not the signed-in user's.
const roleAsData = 'web/src/features/users/UsersPage.tsx';

const comparison = /\brole\s*[!=]==|[!=]==\s*[\w.?]*\brole\b|switch\s*\(\s*[\w.?]*\brole\s*\)/;
const ofMe = /\bme\??\.role\b/;

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
        comparison.test(line) && (file !== roleAsData || ofMe.test(line))
          ? [`${file}:${index + 1}: ${line.trim()}`]
          : [],
      ),
  );
}

describe('role comparisons in the web app', () => {
  it('are made nowhere in web/src: each is a capability or the scope of /auth/me', () => {
    const files = sourcesUnder(web).map((path) => ({
      file: relative(root, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.file === roleAsData)).toBe(true);
    expect(roleComparisons(files)).toEqual([]);
  });

  it('are found in either order, destructured, in a switch, and named by file and line', () => {
    const found = roleComparisons([
      {
        file: 'web/src/features/x/XPage.tsx',
        text: [
          "const staff = me.role !== 'owner';",
          "if ('admin' === me?.role) a;",
          "const mine = role === 'owner';",
          'switch (me.role) {',
          // showing the role's name is not a comparison
          '<Badge role="status">{t(`role.$' + '{me.role}`)}</Badge>',
        ].join('\n'),
      },
    ]);
    expect(found).toEqual([
      "web/src/features/x/XPage.tsx:1: const staff = me.role !== 'owner';",
      "web/src/features/x/XPage.tsx:2: if ('admin' === me?.role) a;",
      "web/src/features/x/XPage.tsx:3: const mine = role === 'owner';",
      'web/src/features/x/XPage.tsx:4: switch (me.role) {',
    ]);
  });

  it("on the users screen refuses the signed-in user's role but not the edited user's", () => {
    const found = roleComparisons([
      {
        file: roleAsData,
        text: "if (values.role === 'kecamatan_officer') a;\nif (me.role === 'admin') a;",
      },
    ]);
    expect(found).toEqual([`${roleAsData}:2: if (me.role === 'admin') a;`]);
  });
});
