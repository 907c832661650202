// The CPU a CLI process spends on a PGlite data folder from its start: what an office's small
// server and every command a user types pay before any work of their own. On a data folder
// made from the test template (migrated, admin created by a first command), alternately:
//   - `pulih dedup --json` of an empty registry, to its exit;
//   - `pulih serve`, until it prints its address (then stopped);
// each through bin/pulih.js (tsx, as a user runs it) and through the bundle the tests run
// (src/testing/cli-bundle.ts). A child's CPU (user + system, every thread) is read by the
// child itself at exit or when it listens, from a module given to node with --import.
//
//   npm run bench -- startup [--rounds 3]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCliBundle } from '../src/testing/cli-bundle.ts';
import { copyPgliteTemplateTo, preparePgliteTemplate } from '../src/testing/template.ts';
import { loadAverage, median, printTable } from './lib/report.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error('--rounds 1..50');

const work = mkdtempSync(join(tmpdir(), 'pulih-startup-'));
const cpuFile = join(work, 'cpu');
const probe = join(work, 'probe.mjs');
// Written by the child: its own CPU at exit, or when it prints that it serves.
writeFileSync(
  probe,
  `import { writeFileSync } from 'node:fs';
let reported = false;
const report = () => { if (reported) return; reported = true; const u = process.cpuUsage(); writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1000)); };
process.on('exit', report);
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => { if (String(chunk).includes('Pulih is serving on')) report(); return write(chunk, ...rest); };
`,
);

const { DATABASE_URL: _url, ...inherited } = process.env;
const env = { ...inherited, PULIH_ADMIN_PASSWORD: 'bench-admin-1234' };

function run(
  entry: string,
  command: string[],
  untilServing: boolean,
): Promise<{ cpuMs: number; wallMs: number }> {
  rmSync(cpuFile, { force: true });
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', probe, entry, ...command], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((done, fail) => {
    let wallMs = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (untilServing && !wallMs && out.includes('Pulih is serving on')) {
        wallMs = performance.now() - started;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => {
      if (!untilServing) wallMs = performance.now() - started;
      if (!untilServing && code !== 0) return fail(new Error(`${command[0]} exited ${code}: ${err}`));
      try {
        done({ cpuMs: Number(readFileSync(cpuFile, 'utf8')), wallMs });
      } catch {
        fail(new Error(`${command[0]} reported no CPU: ${err}`));
      }
    });
  });
}

try {
  const [bundle] = await Promise.all([buildCliBundle(), preparePgliteTemplate()]);
  const data = join(work, 'data');
  await copyPgliteTemplateTo(data);
  const entries = { tsx: join(import.meta.dirname, '../bin/pulih.js'), bundle: bundle.files.main };
  const commands = {
    'dedup --json': { args: ['dedup', '--json', '--data', data], serving: false },
    'serve until listening': {
      args: ['serve', '--data', data, '--port', '0', '--host', '127.0.0.1'],
      serving: true,
    },
  };
  // The first command on the folder replays the template's WAL and creates the administrator.
  await run(entries.bundle, commands['dedup --json'].args, false);
  console.log(`load average ${loadAverage()}, ${rounds} rounds, median`);
  const figures = new Map<string, { cpu: number[]; wall: number[] }>();
  for (let r = 0; r < rounds; r++) {
    for (const [name, command] of Object.entries(commands)) {
      for (const [how, entry] of Object.entries(entries)) {
        const { cpuMs, wallMs } = await run(entry, command.args, command.serving);
        const key = `${name} (${how})`;
        const figure = figures.get(key) ?? { cpu: [], wall: [] };
        figure.cpu.push(cpuMs);
        figure.wall.push(wallMs);
        figures.set(key, figure);
      }
    }
  }
  printTable(
    ['process', 'CPU s', 'wall s'],
    [...figures].map(([key, f]) => [
      key,
      (median(f.cpu) / 1000).toFixed(2),
      (median(f.wall) / 1000).toFixed(2),
    ]),
  );
  console.log(`load average ${loadAverage()}`);
  bundle.remove();
} finally {
  rmSync(work, { recursive: true, force: true });
}
