import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createAppContext } from '../../src/app/app-context.ts';
import { loadDemo } from '../../src/cli/demo.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { ensureAdmin } from '../../src/modules/users/users.service.ts';
import { copyPostgresTemplate, preparePgliteTemplate } from '../../src/testing/template.ts';
import { adminPassword, browserEngine, demoPassword } from './helpers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    // Where each browser file's copy of the admin and the demo comes from: a PostgreSQL
    // database to copy (CREATE DATABASE … TEMPLATE), or a PGlite data folder (a dumpDataDir tar).
    browserDemo: { engine: 'postgres'; template: string } | { engine: 'pglite'; dataDir: string };
    // The folder whose media/ holds the demo's product photos (files, not rows).
    browserDemoFolder: string;
  }
}

// Every browser test file serves the founding scenario. Loading it goes through the API (a
// few hundred requests), so it is loaded once per run and each file starts from a copy, the
// way the API tests start from the migrated template. Made anew each run: the demo is part
// of what is tested, and its code changes with the branch.
//
// On PostgreSQL by default: a copy is a CREATE DATABASE … TEMPLATE, near-instant, where a
// PGlite instance starts from the 45 MB dump in seconds of CPU per file; the browser tests are
// about the pages, not the engine (both engines have the API tests). PULIH_TEST_ENGINE=pglite
// serves them from PGlite as before.
export default async function setup(project: TestProject) {
  const engine = browserEngine();
  const folder = mkdtempSync(join(tmpdir(), 'pulih-browser-demo-'));
  let database: Database;
  let drop = async () => {};
  if (engine === 'postgres') {
    const copy = await copyPostgresTemplate(String(project.config.env?.TEST_DATABASE_URL), 'pulih_browser');
    database = openDatabase({ databaseUrl: copy.url });
    drop = copy.drop;
    project.provide('browserDemo', { engine, template: new URL(copy.url).pathname.slice(1) });
  } else {
    database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteTemplate()) });
  }
  const ctx = await createAppContext(database, { dataDir: folder });
  await ensureAdmin(ctx.db, adminPassword);
  await loadDemo(ctx, { password: demoPassword, businesses: 0 });
  const path = join(tmpdir(), `pulih-browser-demo-${process.pid}.tar`);
  if (engine === 'pglite') {
    writeFileSync(path, await database.dumpDataDir());
    project.provide('browserDemo', { engine, dataDir: path });
  }
  // Closed before any file copies it: PostgreSQL copies a database nobody is connected to.
  await database.close();
  project.provide('browserDemoFolder', folder);
  return async () => {
    await drop();
    rmSync(path, { force: true });
    rmSync(folder, { recursive: true, force: true });
  };
}
