import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { generateNik } from '../domain/nik.ts';
import { cliCommand } from '../testing/cli.ts';
import { testDatabaseUrl } from '../testing/harness.ts';
import { copyPgliteTemplateTo, copyPostgresTemplate } from '../testing/template.ts';

// Ctrl-C on `pulih import businesses FILE` in the foreground: the first SIGINT cancels the job
// as `pulih import cancel JOB` does and waits for it to stop (its committed batches stay, the
// batch in progress rolls back). Real processes of bin/pulih.js on a copy of the migrated
// template. (A second Ctrl-C leaves at once; the cancel is too quick for a test to send it
// reliably in between.)

const postgres = process.env.PULIH_TEST_ENGINE === 'postgres';
const dir = mkdtempSync(join(tmpdir(), 'pulih-import-interrupt-'));
const children = new Set<ChildProcess>();
const drops: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const drop of drops) await drop();
  rmSync(dir, { recursive: true, force: true });
});

function registryCsv(rows: number, prefix: string) {
  const lines = ['nik,nama,kode_wilayah,nama_usaha,ref'];
  for (let i = 0; i < rows; i++) {
    const nik = generateNik({
      kecamatanCode: '62.71.02',
      birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      sex: i % 2 ? 'L' : 'P',
      serial: (i % 9000) + 1,
    });
    lines.push(`${nik},Pemilik ${i},62.71.02.1004,Usaha ${prefix} ${i},${prefix}-${i}`);
  }
  return `${lines.join('\n')}\n`;
}

type Target = { env: Record<string, string>; args: string[]; query: (q: string) => Promise<number> };

// A database of its own for each test: a copy of the template, so the child imports at once.
async function target(name: string): Promise<Target> {
  if (postgres) {
    const copy = await copyPostgresTemplate(testDatabaseUrl(), `pulih_t_int_${name}`);
    drops.push(copy.drop);
    return {
      env: { DATABASE_URL: copy.url },
      args: [],
      query: async (q) => {
        const c = new pg.Client({ connectionString: copy.url });
        await c.connect();
        try {
          return Number((await c.query(q)).rows[0]?.n);
        } finally {
          await c.end();
        }
      },
    };
  }
  const data = join(dir, `data-${name}`);
  await copyPgliteTemplateTo(data);
  return {
    env: {},
    args: ['--data', data],
    query: async (q) => {
      const database = openDatabase({ dataDir: data });
      try {
        const result = (await database.db.execute(sql.raw(q))) as unknown as { rows: { n: number }[] };
        return Number(result.rows[0]?.n);
      } finally {
        await database.close();
      }
    },
  };
}

function startImport(t: Target, file: string, batchSize = 50) {
  const { DATABASE_URL: _url, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [...cliCommand(), ...t.args, 'import', 'businesses', file, '--batch-size', String(batchSize)],
    {
      env: { ...env, ...t.env, PULIH_PROGRESS_INTERVAL_MS: '0', PULIH_ADMIN_PASSWORD: 'x'.repeat(16) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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

describe('Ctrl-C on a foreground import', () => {
  it('cancels the job at the first SIGINT, keeps only whole batches, exits non-zero', async () => {
    const t = await target('once');
    const file = join(dir, 'once.csv');
    writeFileSync(file, registryCsv(3000, 'CTRLC'));
    const run = startImport(t, file);
    // interrupted once the first batch is committed, wherever the next one is
    await expect.poll(() => run.out.stderr, { timeout: 60_000, interval: 50 }).toMatch(/progress: [1-9]/);
    run.child.kill('SIGINT');
    const { code, signal } = await run.exited;
    expect(signal, run.out.stderr).toBeNull();
    expect(code, run.out.stderr).toBe(130);
    expect(run.out.stderr).toMatch(/Cancelling import /);
    expect(run.out.stderr).toMatch(/was cancelled/);
    const id = /import job ([0-9a-f-]{36})/.exec(run.out.stderr)?.[1];
    expect(id).toBeDefined();
    expect(
      await t.query(`select count(*)::int as n from jobs where id = '${id}' and status = 'cancelled'`),
    ).toBe(1);
    // the committed batches stay, whole; the rest of the file was not imported
    const kept = await t.query("select count(*)::int as n from businesses where ref like 'CTRLC-%'");
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3000);
    expect(kept % 50).toBe(0);
  });
});
