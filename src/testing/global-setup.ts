import type { TestProject } from 'vitest/node';
import { buildCliBundle } from './cli-bundle.ts';
import { preparePgliteTemplate, preparePostgresTemplate } from './template.ts';

// Runs once per test project before its files: builds the migrated template database that
// createTestApp copies for each file, and the CLI bundle that child processes run
// (src/testing/cli.ts).
export default async function setup(project: TestProject) {
  const engine = project.config.env?.PULIH_TEST_ENGINE;
  const [bundle] = await Promise.all([
    process.env.PULIH_TEST_CLI === 'tsx' ? null : buildCliBundle(),
    engine === 'pglite' ? preparePgliteTemplate() : undefined,
    engine === 'postgres'
      ? preparePostgresTemplate(String(project.config.env?.TEST_DATABASE_URL))
      : undefined,
  ]);
  project.provide('pulihCli', bundle?.files ?? null);
  return () => bundle?.remove();
}
