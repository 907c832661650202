import type { TestProject } from 'vitest/node';
import { buildCliBundle } from './cli-bundle.ts';
import { preparePgliteTemplate, preparePostgresTemplate } from './template.ts';

type Bundle = Awaited<ReturnType<typeof buildCliBundle>>;

// Kept on globalThis: Vitest may load this module once per project, and both api projects
// share one CLI bundle per run, removed when the last of them tears down.
const run = globalThis as { pulihCliBundle?: { bundle: Promise<Bundle | null>; users: number } };

// Runs once per test project before its files: the migrated template database that
// createTestApp copies for each file, and the CLI bundle that child processes run
// (src/testing/cli.ts). Vitest runs the projects' setups one after another before any file,
// so the PGlite template (initdb and the migrations in WebAssembly, seconds of CPU on a clean
// machine) is built in the background: the files of the other projects start meanwhile, and a
// PGlite file's first database waits for the build (preparePgliteTemplate sees its marker).
export default async function setup(project: TestProject) {
  const engine = project.config.env?.PULIH_TEST_ENGINE;
  run.pulihCliBundle ??= {
    bundle: process.env.PULIH_TEST_CLI === 'tsx' ? Promise.resolve(null) : buildCliBundle(),
    users: 0,
  };
  const shared = run.pulihCliBundle;
  shared.users++;
  const template = engine === 'pglite' ? preparePgliteTemplate() : undefined;
  // A failed build is reported by the file that then builds the template itself.
  template?.catch(() => undefined);
  const [bundle] = await Promise.all([
    shared.bundle,
    engine === 'postgres'
      ? preparePostgresTemplate(String(project.config.env?.TEST_DATABASE_URL))
      : undefined,
  ]);
  project.provide('pulihCli', bundle?.files ?? null);
  return async () => {
    await template?.catch(() => undefined);
    if (--shared.users === 0) {
      bundle?.remove();
      run.pulihCliBundle = undefined;
    }
  };
}
