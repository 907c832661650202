import type { TestProject } from 'vitest/node';
import { preparePgliteTemplate, preparePostgresTemplate } from './template.ts';

// Runs once per test project before its files: builds the migrated template database that
// createTestApp copies for each file.
export default async function setup(project: TestProject) {
  const engine = project.config.env?.PULIH_TEST_ENGINE;
  if (engine === 'pglite') await preparePgliteTemplate();
  if (engine === 'postgres') {
    await preparePostgresTemplate(String(project.config.env?.TEST_DATABASE_URL));
  }
}
