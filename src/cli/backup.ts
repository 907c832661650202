import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import type { MediaStore } from '../lib/media-store.ts';
import { type BackupProgress, restoreBackup, writeBackup } from '../modules/backup/backup.service.ts';
import { listShownMediaFiles } from '../modules/catalog/catalog.service.ts';

// `pulih backup FILE` and `pulih restore FILE [--force]`. Progress goes to stderr (a bar on a
// terminal), the summary to stdout, as JSON with --json. A backup runs beside `pulih serve`
// (through it, on PGlite); a restore replaces the whole database, so it wants the server
// stopped.

const fileArgument = z.string().trim().min(1, 'FILE is required');
const options = z.object({ json: z.boolean().optional(), force: z.boolean().optional() });

function progressReporter(verb: string) {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: ` ${verb} {table} {bar} {value}/{total} rows`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let table: string | null = null;
    return {
      update(p: BackupProgress) {
        if (p.table !== table) {
          if (table !== null) bar.stop();
          table = p.table;
          bar.start(Math.max(p.total, 1), p.done, { table: p.table.padEnd(22) });
        }
        bar.update(p.done);
      },
      stop() {
        if (table !== null) bar.stop();
      },
    };
  }
  const every = Number(process.env.PULIH_PROGRESS_INTERVAL_MS ?? 2000);
  let last = Date.now();
  const finished = new Set<string>();
  return {
    update(p: BackupProgress) {
      const end = p.done >= p.total;
      if (end ? finished.has(p.table) : Date.now() - last < every) return;
      if (end) finished.add(p.table);
      last = Date.now();
      process.stderr.write(`${verb}: ${p.table} ${p.done}/${p.total} rows\n`);
    },
    stop() {},
  };
}

export function registerBackup(
  program: Command,
  open: {
    backup: () => Promise<AppContext>;
    restore: () => Promise<{ database: Database; media: MediaStore }>;
  },
) {
  program
    .command('backup')
    .description(
      'write one consistent, compressed snapshot of the database to FILE (also while pulih serve runs)',
    )
    .argument('<file>', 'the backup file to write (gzip-compressed)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (file: string, raw: { json?: boolean; data?: string }) => {
      if (raw.data) program.setOptionValue('data', raw.data);
      const target = fileArgument.parse(file);
      const { json } = options.parse({ json: raw.json });
      const ctx = await open.backup();
      const progress = progressReporter('backup');
      try {
        // The photos' files go with the rows that name them.
        const header = await writeBackup(ctx.database, target, (p) => progress.update(p), {
          store: ctx.media,
          listNames: listShownMediaFiles,
        });
        progress.stop();
        const summary = {
          file: target,
          bytes: statSync(target).size,
          createdAt: header.createdAt,
          engine: header.engine,
          migration: header.migrations.tag,
          rows: Object.fromEntries(header.tables.map((t) => [t.name, t.rows])),
          media: { files: header.media?.files ?? 0, missing: header.mediaMissing },
        };
        const total = header.tables.reduce((n, t) => n + t.rows, 0);
        process.stdout.write(
          json
            ? `${JSON.stringify(summary)}\n`
            : `Backup written to ${target}: ${total} rows in ${header.tables.length} tables and ${summary.media.files} media files (from ${ctx.media.where}), ${summary.bytes} bytes, at migration ${summary.migration}.\n`,
        );
        if (header.mediaMissing.length > 0)
          process.stderr.write(
            `${header.mediaMissing.length} media files that products name were not in the store and are not in the backup: ${header.mediaMissing.slice(0, 10).join(', ')}${header.mediaMissing.length > 10 ? ', …' : ''}\n`,
          );
      } finally {
        progress.stop();
        await ctx.database.close();
      }
    });

  program
    .command('restore')
    .description('load a backup FILE into an empty database (--force replaces a non-empty one)')
    .argument('<file>', 'a file written by pulih backup')
    .option('--force', 'replace the data of a database that is not empty')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--data <dir>', 'PGlite data folder')
    .action(async (file: string, raw: { json?: boolean; force?: boolean; data?: string }) => {
      if (raw.data) program.setOptionValue('data', raw.data);
      const source = fileArgument.parse(file);
      const { json, force } = options.parse({ json: raw.json, force: raw.force });
      const { database, media } = await open.restore();
      const progress = progressReporter('restore');
      try {
        // The media files go back into the store configured now (a folder or a bucket), which
        // need not be the one they came from.
        await media.check();
        const result = await restoreBackup(database, source, {
          force: force === true,
          onProgress: (p) => progress.update(p),
          media,
        });
        progress.stop();
        const total = Object.values(result.rows).reduce((n, r) => n + r, 0);
        process.stdout.write(
          json
            ? `${JSON.stringify({ file: source, createdAt: result.header.createdAt, rows: result.rows, media: result.media })}\n`
            : `Restored ${total} rows and ${result.media.files} media files (into ${media.where}) from ${source} (made ${result.header.createdAt} on ${result.header.engine}).\n`,
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        progress.stop();
        process.stderr.write(`${restoreMessage(error)}\n`);
        process.exitCode = 2;
      } finally {
        await database.close();
      }
    });
}

function restoreMessage(error: AppError): string {
  const details = error.details as { tables?: string[] } | undefined;
  switch (error.code) {
    case 'restore_target_not_empty':
      return `${error.message} It holds rows in ${details?.tables?.join(', ')}. Run again with --force to replace them (make a backup of it first).`;
    case 'backup_newer':
      return `${error.message} Upgrade Pulih, then restore.`;
    default:
      return `${error.message} (${error.code})`;
  }
}
