import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createAppContext } from '../../src/app/app-context.ts';
import { loadDemo } from '../../src/cli/demo.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { ensureAdmin } from '../../src/modules/users/users.service.ts';
import { copyPostgresTemplate, preparePgliteTemplate } from '../../src/testing/template.ts';
import { adminPassword, browserEngine, demoPassword, demoStatusFile } from './helpers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    // Where each browser file's copy of the admin and the demo comes from: a PostgreSQL
    // database to copy (CREATE DATABASE … TEMPLATE), or a PGlite data folder (a dumpDataDir tar).
    browserDemo: { engine: 'postgres'; template: string } | { engine: 'pglite'; dataDir: string };
    // The folder whose media/ holds the demo's product photos (files, not rows), and whose
    // status file says when the demo is loaded (demoStatusFile in helpers.ts).
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
//
// Vitest runs the projects' global setups one after another before the first test file of
// any project starts, so a demo loaded here held back every API file too (docs/testing.md,
// "Sixth stop"). The load therefore runs in the background: this returns once it has begun,
// and each browser file's startServer waits for the status file it writes when done (the
// browser files start after the API files, by which time it has long finished). The copy is
// made under another name and renamed once loaded, so no file ever copies a half-loaded demo.
export default async function setup(project: TestProject) {
  const engine = browserEngine();
  const folder = mkdtempSync(join(tmpdir(), 'pulih-browser-demo-'));
  const adminUrl = String(project.config.env?.TEST_DATABASE_URL);
  const template = `pulih_browser_demo_${randomBytes(6).toString('hex')}`;
  const path = join(tmpdir(), `pulih-browser-demo-${process.pid}.tar`);
  project.provide('browserDemo', engine === 'postgres' ? { engine, template } : { engine, dataDir: path });
  project.provide('browserDemoFolder', folder);

  let drop = async () => {};
  const loading = (async () => {
    let database: Database;
    let building = '';
    if (engine === 'postgres') {
      const copy = await copyPostgresTemplate(adminUrl, 'pulih_browser_building');
      building = new URL(copy.url).pathname.slice(1);
      drop = copy.drop;
      database = openDatabase({ databaseUrl: copy.url });
    } else {
      database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteTemplate()) });
    }
    try {
      const ctx = await createAppContext(database, { dataDir: folder });
      await ensureAdmin(ctx.db, adminPassword);
      await loadDemo(ctx, { password: demoPassword, businesses: 0 });
      if (engine === 'pglite') writeWhole(path, await database.dumpDataDir());
    } finally {
      // Closed before any file copies it: PostgreSQL copies a database nobody is connected to.
      await database.close();
    }
    if (engine === 'postgres') {
      await withAdmin(adminUrl, (admin) => admin.query(`alter database ${building} rename to ${template}`));
      drop = () =>
        withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${template} with (force)`));
    }
  })();
  const loaded = loading.then(
    () => writeWhole(demoStatusFile(folder), JSON.stringify({ ok: true })),
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`The browser files' demo failed to load: ${message}`);
      writeWhole(demoStatusFile(folder), JSON.stringify({ ok: false, error: message }));
      return error;
    },
  );

  return async () => {
    const failed = await loaded;
    await drop();
    rmSync(path, { force: true });
    rmSync(folder, { recursive: true, force: true });
    if (failed) throw failed;
  };
}

// Written beside and renamed, so a reader never sees half a file.
function writeWhole(path: string, data: string | Uint8Array) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

async function withAdmin(adminUrl: string, run: (admin: pg.Client) => Promise<unknown>) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}
