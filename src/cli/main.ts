import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { openApp } from '../lib/app-context.ts';
import { startJobWorker } from '../modules/jobs/jobs.service.ts';
import { buildServer, webDist } from '../server.ts';
import { registerDedup } from './dedup.ts';
import { loadDemo } from './demo.ts';
import { registerImport } from './import.ts';

const program = new Command()
  .name('pulih')
  .description('Pulih: economic-recovery programs for micro and small businesses (UMKM)')
  .option('--data <dir>', 'PGlite data folder (ignored when DATABASE_URL is set)', './data');

type GlobalOptions = { data: string };

async function open() {
  const { data } = program.opts<GlobalOptions>();
  const { ctx, adminPassword } = await openApp({ databaseUrl: process.env.DATABASE_URL, dataDir: data });
  if (adminPassword) {
    const given = Boolean(process.env.PULIH_ADMIN_PASSWORD);
    // stderr, so that a command's --json output on stdout stays clean on a fresh database.
    console.error(
      given
        ? 'Created the admin user "admin" with the password in PULIH_ADMIN_PASSWORD.'
        : `Created the admin user "admin" with the password: ${adminPassword}\n(shown once; set PULIH_ADMIN_PASSWORD to choose it)`,
    );
  }
  return ctx;
}

program
  .command('serve')
  .description('serve the API, the web app and the public pages')
  .option('--port <n>', 'port', process.env.PORT ?? '3000')
  .option('--host <h>', 'host', process.env.HOST ?? '0.0.0.0')
  .option('--data <dir>', 'PGlite data folder')
  .action(async (options: { port: string; host: string; data?: string }) => {
    if (options.data) program.setOptionValue('data', options.data);
    const ctx = await open();
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
    const ctx = await open();
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

registerImport(program, open);
registerDedup(program, open);

await program.parseAsync();
