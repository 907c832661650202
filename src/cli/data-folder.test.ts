import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataFolder } from '../db/data-folder.ts';
import { readLock } from '../db/lock.ts';
import { queryRows } from '../db/sql-rows.ts';
import { generateNik } from '../domain/nik.ts';
import { cliCommand, cliModule } from '../testing/cli.ts';
import { businessBody } from '../testing/harness.ts';
import { copyPgliteBlankTo, copyPgliteTemplateTo } from '../testing/template.ts';
import { programName } from './demo.ts';

// The README's own order on one PGlite data folder, with real processes: `pulih serve`, and
// beside it `pulih demo` and `pulih import`; kill -9 of the server while it takes writes;
// commands refused while another command holds the folder; a stale lock taken over.

const embedded = process.env.PULIH_TEST_ENGINE !== 'postgres';
const work = mkdtempSync(join(tmpdir(), 'pulih-folder-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}) {
  const { DATABASE_URL: _url, ...rest } = process.env;
  return { ...rest, PULIH_ADMIN_PASSWORD: 'admin-pass-1234', PULIH_PROGRESS_INTERVAL_MS: '0', ...extra };
}

function start(args: string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...cliCommand(), ...args], {
    env: env(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      done({ code, signal });
    }),
  );
  return { child, out, exited };
}

async function run(args: string[], extra: Record<string, string> = {}) {
  const started = start(args, extra);
  const { code } = await started.exited;
  return { code, ...started.out };
}

async function serve(data: string) {
  const server = start(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1']);
  const url = await new Promise<string>((done, fail) => {
    server.child.stdout?.on('data', () => {
      const match = /Pulih is serving on (http:\/\/\S+)/.exec(server.out.stdout);
      if (match?.[1]) done(match[1]);
    });
    void server.exited.then(({ code }) => fail(new Error(`serve exited ${code}: ${server.out.stderr}`)));
  });
  return { ...server, url };
}

// A process that holds the folder's lock as `command` until it is killed.
function holdLock(data: string, command: string) {
  const script = join(work, `hold-${command}-${Math.random().toString(36).slice(2)}.mjs`);
  const lock = cliModule('lock');
  writeFileSync(
    script,
    `import { acquireLock } from ${JSON.stringify(lock.path)};\n` +
      'try { acquireLock(process.argv[2], process.argv[3]); console.log("held"); }\n' +
      'catch (error) { console.log("busy:", error.message); }\n' +
      'setInterval(() => {}, 1000);\n',
  );
  const child = spawn(process.execPath, [...lock.flags, script, data, command], {
    env: env(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const answer = new Promise<string>((done) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) done(text.trim());
    });
  });
  const kill9 = () =>
    new Promise<void>((done) => {
      child.once('exit', () => {
        children.delete(child);
        done();
      });
      child.kill('SIGKILL');
    });
  return { child, answer, kill9 };
}

type Page = { items: { name: string; enrolled?: number }[] };

async function getJson(url: string, cookie: string) {
  return (await (await fetch(url, { headers: { cookie } })).json()) as Page;
}

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function createThroughApi(url: string, cookie: string, ref: string) {
  const res = await fetch(`${url}/api/v1/businesses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(businessBody({ ref })),
  });
  return res.status;
}

function registryCsv(rows: number, prefix: string) {
  const header = 'nik,nama,jenis_kelamin,tanggal_lahir,kode_wilayah,nama_usaha,kbli,ref';
  const lines = Array.from({ length: rows }, (_, i) => {
    const birthDate = `1975-0${1 + (i % 9)}-1${i % 10}`;
    const sex = i % 2 ? 'L' : 'P';
    const nik = generateNik({ kecamatanCode: '62.71.05', birthDate, sex, serial: 5000 + i });
    return `${nik},Pemilik ${prefix} ${i},${sex},${birthDate},62.71.05.1001,Anyaman ${prefix} ${i},16291,${prefix}-${i}`;
  });
  return `${[header, ...lines].join('\n')}\n`;
}

// Businesses per ref prefix, read by opening the folder (which takes over a stale lock).
async function countRefs(data: string, prefixes: string[]) {
  const database = await openDataFolder(data, 'test', () => undefined);
  try {
    const counts: Record<string, number> = {};
    for (const prefix of prefixes) {
      const result = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from businesses where ref like ${`${prefix}-%`}`,
      );
      counts[prefix] = result[0]?.n ?? 0;
    }
    return counts;
  } finally {
    await database.close();
  }
}

describe.runIf(embedded)('one data folder, several processes', () => {
  it("follows the README's order: serve, then demo and import beside it, then a kill -9", async () => {
    const data = join(work, 'readme');
    // Started from the migrated template: each child process would otherwise migrate the
    // folder again, and what is under test is the sharing, not the migrations.
    await copyPgliteTemplateTo(data);
    const server = await serve(data);
    expect(readLock(data)).toMatchObject({ command: 'serve', pid: server.child.pid });

    const demo = await run(['demo', '--data', data], { PULIH_DEMO_PASSWORD: 'rahasia-demo-1' });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toContain(
      `Working through the running server (pulih serve, process ${server.child.pid})`,
    );

    const dinas = await login(server.url, 'dinas', 'rahasia-demo-1');
    const programs = await getJson(`${server.url}/api/v1/programs`, dinas);
    expect(programs.items).toContainEqual(expect.objectContaining({ name: programName, enrolled: 30 }));

    // An import beside the server while the API takes writes.
    const file = join(work, 'registry.csv');
    writeFileSync(file, registryCsv(300, 'CSV'));
    const importing = start(['import', 'businesses', file, '--json', '--data', data]);
    let acknowledged = 0;
    let done = false;
    void importing.exited.then(() => {
      done = true;
    });
    for (let i = 0; !done; i++) {
      if ((await createThroughApi(server.url, dinas, `API-${i}`)) === 201) acknowledged++;
    }
    const imported = await importing.exited;
    expect(imported.code, importing.out.stderr).toBe(0);
    expect(importing.out.stderr).toContain('Working through the running server');
    expect(JSON.parse(importing.out.stdout)).toMatchObject({ rows: 300, inserted: 300, rejected: 0 });
    expect(acknowledged).toBeGreaterThan(0);
    const found = await getJson(
      `${server.url}/api/v1/businesses?q=${encodeURIComponent('Anyaman CSV 299')}`,
      dinas,
    );
    expect(found.items).toHaveLength(1);

    // A backup beside the server goes through it; a restore, which replaces everything, is
    // refused while the server runs.
    const backupFile = join(work, 'beside.pulih.gz');
    const backup = await run(['backup', backupFile, '--json', '--data', data]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain('Working through the running server');
    expect(JSON.parse(backup.stdout).rows).toMatchObject({ businesses: 80 + 300 + acknowledged });
    const restoreBeside = await run(['restore', backupFile, '--force', '--data', data]);
    expect(restoreBeside.code).toBe(3);
    expect(restoreBeside.stderr).toContain(`in use by \`pulih serve\` (process ${server.child.pid}`);

    // kill -9 while writes are under way: everything acknowledged survives.
    let afterImport = 0;
    let killed = false;
    const writes = (async () => {
      for (let i = 0; !killed; i++) {
        const status = await createThroughApi(server.url, dinas, `KILL-${i}`).catch(() => 0);
        if (status === 201) afterImport++;
      }
    })();
    while (afterImport < 5) await new Promise((resolve) => setImmediate(resolve));
    server.child.kill('SIGKILL');
    await server.exited;
    killed = true;
    await writes;

    // The next process finds the lock stale, takes it over, and the folder opens.
    expect(readLock(data)?.pid).toBe(server.child.pid);
    const counts = await countRefs(data, ['CSV', 'API', 'KILL']);
    expect(counts.CSV).toBe(300);
    expect(counts.API).toBe(acknowledged);
    const survived = counts.KILL;
    // The one request in flight at the kill may have committed without its answer.
    expect(survived === afterImport || survived === afterImport + 1).toBe(true);
    expect(readLock(data)).toBeNull();

    const restored = join(work, 'restored');
    await copyPgliteBlankTo(restored);
    const restore = await run(['restore', backupFile, '--data', restored]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(await countRefs(restored, ['CSV', 'API'])).toEqual({ CSV: 300, API: acknowledged });

    const again = await serve(data);
    const cookie = await login(again.url, 'dinas', 'rahasia-demo-1');
    const after = await getJson(`${again.url}/api/v1/programs`, cookie);
    expect(after.items).toContainEqual(expect.objectContaining({ name: programName, enrolled: 30 }));
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect(readLock(data)).toBeNull();
  }, 900_000);

  it('refuses a command while another command holds the folder, naming it, and takes over when it dies', async () => {
    const data = join(work, 'held');
    await copyPgliteTemplateTo(data);
    const holder = holdLock(data, 'import');
    expect(await holder.answer).toBe('held');

    const dedup = await run(['dedup', '--json', '--data', data]);
    expect(dedup.code).toBe(3);
    expect(dedup.stdout).toBe('');
    expect(dedup.stderr).toContain(`in use by \`pulih import\` (process ${holder.child.pid}`);

    const server = await run(['serve', '--data', data, '--port', '0']);
    expect(server.code).toBe(3);
    expect(server.stderr).toContain(`in use by \`pulih import\` (process ${holder.child.pid}`);

    await holder.kill9();
    const after = await run(['dedup', '--json', '--data', data]);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual({ pairs: [] });
    expect(readLock(data)).toBeNull();
  }, 300_000);

  it('lets exactly one of several processes take over a stale lock', async () => {
    const data = join(work, 'race');
    const first = holdLock(data, 'import');
    expect(await first.answer).toBe('held');
    await first.kill9();
    expect(readLock(data)?.pid).toBe(first.child.pid);

    const racers = Array.from({ length: 4 }, () => holdLock(data, 'dedup'));
    const answers = await Promise.all(racers.map((r) => r.answer));
    expect(answers.filter((a) => a === 'held')).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('busy: The data folder'))).toHaveLength(3);
    const winner = racers[answers.indexOf('held')];
    expect(readLock(data)?.pid).toBe(winner?.child.pid);
    await Promise.all(racers.map((r) => r.kill9()));
  }, 120_000);
});
