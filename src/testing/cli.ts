import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { type CliBundle, type CliEntry, cliEntries } from './cli-bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    // The CLI bundled for this run (src/testing/cli-bundle.ts), or null: run it through tsx.
    pulihCli: CliBundle | null;
  }
}

const root = resolve(import.meta.dirname, '../..');

// How a test starts the CLI in a child process: the arguments to give `process.execPath`
// before the command's own. From the run's bundle, or through tsx as a user runs it
// (PULIH_TEST_CLI=tsx: bin/pulih.js, or the entry's TypeScript with tsx's loader).
export function cliCommand(entry: CliEntry = 'main'): string[] {
  const bundle = inject('pulihCli');
  if (bundle) return [bundle[entry]];
  if (entry === 'main') return [join(root, 'bin/pulih.js')];
  return ['--import', 'tsx', join(root, cliEntries[entry])];
}

// A module to import from a script run in a child process, with the flags node needs for it.
export function cliModule(entry: CliEntry): { path: string; flags: string[] } {
  const bundle = inject('pulihCli');
  if (bundle) return { path: bundle[entry], flags: [] };
  return { path: join(root, cliEntries[entry]), flags: ['--import', 'tsx'] };
}
