import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { openApp } from '../app/app-context.ts';
import { openDatabase } from '../db/client.ts';
import { openDataFolder } from '../db/data-folder.ts';
import { DataFolderBusyError } from '../db/lock.ts';
import { MediaStoreUnreachable } from '../lib/media-store.ts';
import { openMediaStore } from '../lib/open-media-store.ts';
import { startJobWorker } from '../modules/jobs/jobs.service.ts';
import { registerBackup } from './backup.ts';
import { registerDedup } from './dedup.ts';
import { registerImport } from './import.ts';
import { registerOpenApi } from './openapi.ts';
import { registerUsers } from './users.ts';

// The HTTP server (Fastify, every route, the server-rendered pages) and the demo scenario are
// imported by the commands that use them, not at every start: the other commands (dedup,
// import, backup, users) never do (docs/testing.md, "Eleventh stop").
const program = new Command()
  .name('pulih')
  .description('Pulih: economic-recovery programs for micro and small businesses (UMKM)')
  .option('--data <dir>', 'PGlite data folder (ignored when DATABASE_URL is set)', './data');

type GlobalOptions = { data: string };

async function open(command: string) {
  const { data } = program.opts<GlobalOptions>();
  const opened = await openApp({ databaseUrl: process.env.DATABASE_URL, dataDir: data, command });
  // stderr, so that a command's --json output on stdout stays clean on a fresh database.
  if (opened.adminPassword) console.error(adminBanner(opened.adminPassword));
  return opened;
}

// The first login, printed plainly (not inside a log line) by whichever command creates the
// database.
export function adminBanner(password: string) {
  const given = Boolean(process.env.PULIH_ADMIN_PASSWORD);
  const line = '-'.repeat(72);
  return [
    line,
    'Pulih created its administrator. Log in with:',
    '  username  admin',
    given
      ? '  password  the one in PULIH_ADMIN_PASSWORD'
      : `  password  ${password}    (shown only this once: write it down now)`,
    'PULIH_ADMIN_PASSWORD is read only when the database is created; changing it later',
    'changes nothing. See docs/operations.md for resetting a lost admin password.',
    line,
  ].join('\n');
}

program
  .command('serve')
  .description('serve the API, the web app and the public pages')
  .option('--port <n>', 'port', process.env.PORT ?? '3000')
  .option('--host <h>', 'host', process.env.HOST ?? '0.0.0.0')
  .option('--data <dir>', 'PGlite data folder')
  .action(async (options: { port: string; host: string; data?: string }) => {
    if (options.data) program.setOptionValue('data', options.data);
    const { buildServer, webDist } = await import('../server.ts');
    const { ctx, folder } = await open('serve');
    // Local commands on this data folder now work through this process (src/db/data-folder.ts).
    await folder?.share();
    const app = await buildServer(ctx, { logger: true });
    // Imports (and later screening and PDF batches) run in the background of every server
    // process; a job left by a crashed process is resumed from its checkpoint.
    const stopWorker = startJobWorker(ctx, { log: (line) => app.log.info(line) });
    if (!existsSync(webDist))
      console.warn('The web app is not built: run `npm run build` (npm start does it).');
    const address = await app.listen({ port: Number(options.port), host: options.host });
    console.log(`Pulih is serving on ${address.replace('0.0.0.0', 'localhost')} (${ctx.database.engine})`);
    const stop = async () => {
      await stopWorker();
      await app.close();
      await ctx.database.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('demo')
  .description('load the founding scenario (idempotent), plus N synthetic businesses')
  .option('--businesses <n>', 'extra synthetic businesses', '0')
  .option('--data <dir>', 'PGlite data folder')
  .action(async (options: { businesses: string; data?: string }) => {
    if (options.data) program.setOptionValue('data', options.data);
    const { loadDemo } = await import('./demo.ts');
    const { ctx } = await open('demo');
    const result = await loadDemo(ctx, {
      password: process.env.PULIH_DEMO_PASSWORD,
      businesses: Number(options.businesses),
      log: (line) => console.log(line),
    });
    for (const user of result.users) {
      console.log(
        `  ${user.username.padEnd(16)} ${user.role.padEnd(18)} ${user.password ?? '(existing user; password unchanged)'}`,
      );
    }
    await ctx.database.close();
  });

registerImport(program, async () => (await open('import')).ctx);
registerDedup(program, async () => (await open('dedup')).ctx);
registerBackup(program, {
  backup: async () => (await open('backup')).ctx,
  // Neither migrated nor given an admin first: the backup brings its own.
  restore: async () => {
    const { data } = program.opts<GlobalOptions>();
    // The media store every other command opens (src/app/app-context.ts).
    if (process.env.DATABASE_URL)
      return {
        database: openDatabase({ databaseUrl: process.env.DATABASE_URL }),
        media: openMediaStore(data),
      };
    const folder = await openDataFolder(data, 'restore');
    if (folder.sharedBy) {
      await folder.close();
      throw new DataFolderBusyError(
        data,
        folder.sharedBy,
        'A restore replaces the whole database: stop the server, restore, and start it again.',
      );
    }
    return { database: folder, media: openMediaStore(data) };
  },
});
registerUsers(program, async () => (await open('users')).ctx);
registerOpenApi(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof MediaStoreUnreachable) {
    console.error(error.message);
    process.exit(4);
  }
  if (!(error instanceof DataFolderBusyError)) throw error;
  console.error(error.message);
  process.exit(3);
}
