import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createAppContext } from '../../src/app/app-context.ts';
import { loadDemo } from '../../src/cli/demo.ts';
import { openDatabase } from '../../src/db/client.ts';
import { ensureAdmin } from '../../src/modules/users/users.service.ts';
import { preparePgliteTemplate } from '../../src/testing/template.ts';
import { adminPassword, demoPassword } from './helpers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    // A PGlite data folder (as dumpDataDir writes it) holding the admin and the demo.
    browserDemoDataDir: string;
    // The folder whose media/ holds the demo's product photos (files, not rows).
    browserDemoFolder: string;
  }
}

// Every browser test file serves the founding scenario. Loading it goes through the API (a
// few hundred requests), so it is loaded once per run and each file starts from a copy, the
// way the API tests start from the migrated template. Made anew each run: the demo is part
// of what is tested, and its code changes with the branch.
export default async function setup(project: TestProject) {
  const database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteTemplate()) });
  const folder = mkdtempSync(join(tmpdir(), 'pulih-browser-demo-'));
  const ctx = await createAppContext(database, { dataDir: folder });
  await ensureAdmin(ctx.db, adminPassword);
  await loadDemo(ctx, { password: demoPassword, businesses: 0 });
  const file = await database.dumpDataDir();
  await database.close();
  const path = join(tmpdir(), `pulih-browser-demo-${process.pid}.tar`);
  writeFileSync(path, file);
  project.provide('browserDemoDataDir', path);
  project.provide('browserDemoFolder', folder);
  return () => {
    rmSync(path, { force: true });
    rmSync(folder, { recursive: true, force: true });
  };
}
