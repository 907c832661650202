import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The audit page and its export name every action and kind of record in the reader's
// language (locales/<lang>/audit.json). A new action written in the code without its words
// would show raw to the auditor: this finds it.

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function literals(pattern: RegExp): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(join(root, 'src', 'modules'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('recordChange') && !text.includes('recordStatus')) continue;
    for (const match of text.matchAll(pattern)) for (const word of match.slice(1)) if (word) found.add(word);
  }
  return found;
}

describe('audit vocabulary', () => {
  for (const lang of ['id', 'en']) {
    it(`names every audited action and record in ${lang}`, () => {
      const words = JSON.parse(readFileSync(join(root, 'locales', lang, 'audit.json'), 'utf8')) as {
        actions: Record<string, string>;
        entities: Record<string, string>;
      };
      // `action: created ? 'create' : 'import'` names two.
      const actions = literals(/\baction: (?:[a-z]+ \? '([a-z_]+)' : )?'([a-z_]+)'/g);
      const entities = literals(/\bentity: '([a-z_]+)'/g);
      expect(actions.size).toBeGreaterThan(20);
      expect(entities.size).toBeGreaterThan(10);
      expect([...actions].filter((a) => !words.actions[a])).toEqual([]);
      expect([...entities].filter((e) => !words.entities[e])).toEqual([]);
    });
  }
});
