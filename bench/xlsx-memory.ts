// Peak memory of reading XLSX files for an import (the reader only, as a dry run reads them:
// no database). Issue #15 saw a 1.5 MB XLSX take 1.5 GB, 3.2 GB with four at once. Each case
// runs in a fresh child process and reports its peak RSS (the kernel's, so nothing escapes
// the count): a normal 10,000-row registry, then hostile files of about 1.5 MB that unpack
// into hundreds of megabytes or gigabytes, one at a time and four at once.
//
//   npm run bench -- xlsx-memory [--only KIND] [--solo (no four-at-once runs)]
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../src/lib/errors.ts';
import { openRowReader } from '../src/modules/imports/imports.parse.ts';
import { type BombKind, bombParts, registryParts, writeXlsx } from '../src/testing/xlsx-bombs.ts';

const { values: args } = parseArgs({
  options: {
    child: { type: 'string', multiple: true },
    only: { type: 'string' },
    solo: { type: 'boolean', default: false },
  },
});

// In the child: read every file given, at once, and print what each ended with.
async function read(file: string): Promise<string> {
  try {
    const reader = await openRowReader({
      name: file,
      size: statSync(file).size,
      open: () => createReadStream(file),
    });
    let rows = 0;
    for await (const _ of reader.rows) rows++;
    return `read ${rows} rows`;
  } catch (error) {
    return error instanceof AppError
      ? `refused ${error.code} ${JSON.stringify(error.details ?? {})}`
      : `error ${String(error)}`;
  }
}

if (args.child) {
  const started = performance.now();
  const outcomes = await Promise.all(args.child.map(read));
  process.stdout.write(
    `${JSON.stringify({ outcomes, ms: Math.round(performance.now() - started), maxRssKb: process.resourceUsage().maxRSS })}\n`,
  );
  process.exit(0);
}

const dir = join(os.tmpdir(), 'pulih-bench-xlsx-memory');
mkdirSync(dir, { recursive: true });
const log = (line: string) => process.stderr.write(`${line}\n`);

async function file(name: string, build: () => Promise<unknown>) {
  const path = join(dir, `${name}.xlsx`);
  // the files are deterministic: built once, kept for the next run
  if (!existsSync(path)) await build();
  return path;
}

function measure(files: string[]): Promise<{ outcomes: string[]; ms: number; maxRssKb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/xlsx-memory.ts', ...files.flatMap((f) => ['--child', f])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`child ended with ${code ?? signal}`));
      else resolve(JSON.parse(out));
    });
  });
}

const kinds: BombKind[] = [
  'shared-strings-count',
  'shared-string-long',
  'inline-string-long',
  'styles',
  'cols',
  'wide-row',
  'empty-rows',
];
const cases: { name: string; path: string }[] = [];
if (!args.only || args.only === 'normal')
  cases.push({
    name: 'normal 10k rows',
    path: await file('normal-10k', () => writeXlsx(join(dir, 'normal-10k.xlsx'), registryParts(10_000))),
  });
for (const kind of kinds) {
  if (args.only && args.only !== kind) continue;
  const started = performance.now();
  const path = await file(kind, () => writeXlsx(join(dir, `${kind}.xlsx`), bombParts(kind)));
  if (performance.now() - started > 1000)
    log(`built ${kind} in ${Math.round(performance.now() - started)} ms`);
  cases.push({ name: kind, path });
}

const results: Record<string, unknown>[] = [];
for (const c of cases) {
  const one = await measure([c.path]);
  const kb = Math.round(statSync(c.path).size / 1024);
  log(
    `${c.name.padEnd(22)} ${String(kb).padStart(6)} KB  peak RSS ${Math.round(one.maxRssKb / 1024)} MB  ${one.ms} ms  ${one.outcomes[0]}`,
  );
  results.push({
    case: c.name,
    fileKb: kb,
    peakRssMb: Math.round(one.maxRssKb / 1024),
    ms: one.ms,
    outcome: one.outcomes[0],
  });
  if (c.name === 'normal 10k rows' || args.solo) continue;
  const four = await measure([c.path, c.path, c.path, c.path]);
  log(
    `${`${c.name} x4`.padEnd(22)} ${String(kb * 4).padStart(6)} KB  peak RSS ${Math.round(four.maxRssKb / 1024)} MB  ${four.ms} ms`,
  );
  results.push({
    case: `${c.name} x4`,
    peakRssMb: Math.round(four.maxRssKb / 1024),
    ms: four.ms,
    outcome: four.outcomes[0],
  });
}
process.stdout.write(
  `${JSON.stringify({ bench: 'xlsx-memory', node: process.version, results }, null, 2)}\n`,
);
