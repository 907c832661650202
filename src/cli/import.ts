import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { AppContext } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import { translator } from '../lib/i18n.ts';
import {
  cancelImport,
  eachIssue,
  ImportBusyError,
  type ImportProgress,
  type ImportResult,
  type PathImport,
  resumePathImport,
  runImport,
  startPathImport,
  writeSummaryJson,
} from '../modules/imports/imports.service.ts';
import { writeErrorReport } from '../modules/imports/imports.template.ts';
import { findJob, presentJob, superviseJob } from '../modules/jobs/jobs.service.ts';

// `pulih import businesses FILE [--dry-run] [--json]` runs the import in this process as a
// job: killed half-way, the same command (or `pulih import resume JOB_ID`) finishes it from
// its last committed batch. Progress goes to stderr, the summary to stdout. The exit code is
// non-zero only when the file itself cannot be used (missing, unreadable, columns missing).

type Options = { dryRun?: boolean; json?: boolean; kabkota: string; batchSize?: string; bulk?: boolean };

function progressReporter() {
  const started = Date.now();
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: ' {bar} {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}',
        etaBuffer: 20,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(p: ImportProgress) {
        const total = Math.max(p.total ?? p.done, p.done, 1);
        if (!startedBar) {
          bar.start(total, p.done, { speed: 0 });
          startedBar = true;
        }
        bar.setTotal(total);
        bar.update(p.done, { speed: Math.round(p.rowsPerSecond ?? 0) });
      },
      stop() {
        if (startedBar) bar.stop();
      },
    };
  }
  const every = Number(process.env.PULIH_PROGRESS_INTERVAL_MS ?? 2000);
  let last = 0;
  return {
    update(p: ImportProgress) {
      if (Date.now() - last < every) return;
      last = Date.now();
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(
        `progress: ${p.done}${p.total ? `/${p.total}` : ''} rows, ${Math.round(p.rowsPerSecond ?? 0)} rows/s, ${seconds}s\n`,
      );
    },
    stop() {},
  };
}

function printHuman(result: ImportResult, dryRun: boolean) {
  const lines = [
    dryRun ? 'Dry run: nothing was written.' : 'Import finished.',
    `  rows       ${result.rows}`,
    `  inserted   ${result.inserted}`,
    `  updated    ${result.updated}`,
    `  unchanged  ${result.unchanged}`,
    `  rejected   ${result.rejected}`,
    `  errors     ${result.errorCount}`,
    `  warnings   ${result.warningCount}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function printFirstErrors(ctx: AppContext, jobId: string, limit: number) {
  let n = 0;
  for await (const issue of eachIssue(ctx, jobId, 'error')) {
    if (n++ >= limit) break;
    process.stdout.write(
      `  row ${issue.row}${issue.column ? ` [${issue.column}]` : ''}: ${issue.message} (${issue.code})\n`,
    );
  }
}

// Ctrl-C in the foreground cancels the import the way `pulih import cancel JOB` does (its
// committed batches stay, the batch in progress rolls back) and waits for it to stop; a second
// Ctrl-C leaves at once. SIGTERM (a service manager stopping the process) keeps the
// stop-and-resume behaviour: the job goes back to the queue after its last whole batch.
async function runPathImport(ctx: AppContext, started: PathImport, options: { json?: boolean }) {
  const { job, worker } = started;
  process.stderr.write(
    `${started.resumed ? 'Resuming' : 'Started'} import job ${job.id}${started.resumed ? ` after row ${(job.checkpoint as { position?: { row?: number } } | null)?.position?.row ?? 0}` : ''}\n`,
  );
  const controller = new AbortController();
  const stop = () => controller.abort();
  const progress = progressReporter();
  let interrupted = false;
  let cancelling: Promise<void> = Promise.resolve();
  const interrupt = () => {
    if (interrupted) {
      process.stderr.write('Interrupted again: leaving now; the batch in progress rolls back.\n');
      process.exit(130);
    }
    interrupted = true;
    progress.stop();
    process.stderr.write(
      `Cancelling import ${job.id}: the batch in progress rolls back, committed batches stay. Press Ctrl-C again to leave at once.\n`,
    );
    // The cancel commits between two batches (the worker holds the database for a batch), so
    // the worker finds at its next commit that the job is no longer its own; the abort then
    // stops it reading ahead.
    cancelling = cancelImport(ctx, null, job.id).then(
      () => controller.abort(),
      // finished meanwhile: nothing left to cancel, the summary says how it ended
      (error: unknown) => {
        if (!(error instanceof AppError)) throw error;
      },
    );
  };
  process.on('SIGINT', interrupt);
  process.once('SIGTERM', stop);
  const run = { job, worker, signal: controller.signal };
  try {
    await superviseJob(ctx, run, () =>
      runImport(ctx, run, {
        onProgress: (p) => (interrupted ? undefined : progress.update(p)),
        // A batch runs on microtasks alone on PGlite; a turn of the event loop after each
        // commit lets a Ctrl-C be seen between batches rather than at the end of the file.
        afterCommit: () => new Promise<void>((done) => setImmediate(done)),
      }),
    );
    await cancelling;
  } finally {
    progress.stop();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', stop);
  }
  const code = await finish(ctx, job.id, options);
  return interrupted && code === 1 ? 130 : code;
}

async function finish(ctx: AppContext, jobId: string, options: { json?: boolean }): Promise<number> {
  const job = await findJob(ctx, jobId);
  if (!job) return 1;
  const item = presentJob(job);
  if (item.status === 'queued' || item.status === 'running') {
    process.stderr.write(
      `Stopped after the last whole batch; run \`pulih import resume ${job.id}\` to finish it, or \`pulih import cancel ${job.id}\` to end it here.\n`,
    );
    return 130;
  }
  if (item.status === 'cancelled') {
    const result = (job.result ?? null) as ImportResult | null;
    process.stderr.write(
      `Import ${job.id} was cancelled; the ${result?.rows ?? 0} rows of its committed batches stay.\n`,
    );
    return 1;
  }
  if (item.status === 'failed') {
    process.stderr.write(
      `Import failed: ${item.error?.message ?? 'unknown error'} (${item.error?.code ?? ''})\n`,
    );
    if (item.error?.details) process.stderr.write(`${JSON.stringify(item.error.details)}\n`);
    return 1;
  }
  const result = job.result as ImportResult;
  if (options.json) await writeSummaryJson(ctx, job, process.stdout);
  else {
    printHuman(result, Boolean((job.payload as { dryRun?: boolean }).dryRun));
    if (result.errorCount > 0) {
      await printFirstErrors(ctx, job.id, 10);
      process.stdout.write(`Every bad row: pulih import report ${job.id} errors.xlsx\n`);
    }
  }
  return 0;
}

function explain(error: unknown): number {
  if (error instanceof AppError) {
    process.stderr.write(`${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}\n`);
    return 1;
  }
  if (error instanceof ImportBusyError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  throw error;
}

// The first start of a fresh database prints the admin password with console.log; with
// --json stdout must carry the summary only.
async function openQuietly(open: () => Promise<AppContext>, quiet: boolean) {
  if (!quiet) return open();
  const log = console.log;
  console.log = (...args: unknown[]) => console.error(...args);
  try {
    return await open();
  } finally {
    console.log = log;
  }
}

export function registerImport(program: Command, open: () => Promise<AppContext>) {
  const command = program.command('import').description('import registry files (CSV or XLSX)');

  command
    .command('businesses <file>')
    .description('import businesses and their owners; the same file again changes nothing')
    .option('--dry-run', 'validate and count what would happen, write nothing')
    .option('--json', "print the summary as JSON on stdout (the import summary of the API's /imports/{id})")
    .option(
      '--kabkota <code>',
      'kabupaten/kota in which kelurahan and kecamatan names are looked up',
      '62.71',
    )
    .option('--batch-size <n>', 'rows per transaction')
    .option(
      '--bulk',
      "drop the registry's secondary indexes for the load and build them at its end (the default for a large first load into an empty registry)",
    )
    .action(async (file: string, options: Options) => {
      const ctx = await openQuietly(open, Boolean(options.json));
      let code: number;
      try {
        const started = await startPathImport(ctx, file, {
          dryRun: Boolean(options.dryRun),
          kabkotaCode: options.kabkota,
          ...(options.batchSize ? { batchSize: Number(options.batchSize) } : {}),
          ...(options.bulk ? { bulk: true } : {}),
        });
        code = await runPathImport(ctx, started, options);
      } catch (error) {
        code = explain(error);
      }
      await ctx.database.close();
      process.exitCode = code;
    });

  command
    .command('resume <jobId>')
    .description('finish an import that was stopped or killed, from its last committed batch')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (jobId: string, options: { json?: boolean }) => {
      const ctx = await openQuietly(open, Boolean(options.json));
      let code: number;
      try {
        const started = await resumePathImport(ctx, jobId);
        code = started.worker
          ? await runPathImport(ctx, started, options)
          : await finish(ctx, jobId, options);
      } catch (error) {
        code = explain(error);
      }
      await ctx.database.close();
      process.exitCode = code;
    });

  command
    .command('cancel <jobId>')
    .description(
      'cancel an import (queued, running here or elsewhere, stopped or failed): its committed batches stay, the batch in progress rolls back',
    )
    .action(async (jobId: string) => {
      const ctx = await open();
      let code = 0;
      try {
        const item = await cancelImport(ctx, null, jobId);
        process.stderr.write(
          `Cancelled import ${item.id}; the ${item.summary.rows} rows of its committed batches stay.\n`,
        );
      } catch (error) {
        code = explain(error);
      }
      await ctx.database.close();
      process.exitCode = code;
    });

  command
    .command('report <jobId> <out>')
    .description('write every rejected row, with its errors beside it, to an XLSX file')
    .action(async (jobId: string, out: string) => {
      const ctx = await open();
      const job = await findJob(ctx, jobId);
      if (!job) {
        process.stderr.write(`No import job ${jobId}.\n`);
        process.exitCode = 1;
      } else {
        const stream = new PassThrough();
        const written = pipeline(stream, createWriteStream(out));
        await writeErrorReport(stream, {
          header: (job.result as ImportResult | null)?.header ?? [],
          errors: eachIssue(ctx, job.id, 'error'),
          warnings: eachIssue(ctx, job.id, 'warning'),
          t: translator('id', 'imports'),
        });
        await written;
        process.stderr.write(`Wrote ${out}\n`);
      }
      await ctx.database.close();
    });
}

// Run directly (`tsx src/cli/import.ts import businesses FILE`), as the crash-resume test does:
// the same commands without the rest of the CLI.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { Command } = await import('commander');
  const { openApp } = await import('../app/app-context.ts');
  const program = new Command().name('pulih').option('--data <dir>', 'PGlite data folder', './data');
  registerImport(program, async () => {
    const { ctx } = await openApp({
      databaseUrl: process.env.DATABASE_URL,
      dataDir: program.opts<{ data: string }>().data,
      command: 'import',
    });
    return ctx;
  });
  await program.parseAsync();
}
