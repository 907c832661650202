import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import { generateNik } from '../../domain/nik.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';
import type { ImportPayload } from '../imports/imports.service.ts';
import { maxAttempts } from './jobs.queries.ts';
import {
  claimJob,
  createJob,
  findJob,
  readJobFile,
  runNextJob,
  startJobWorker,
  workerId,
} from './jobs.service.ts';

let t: TestApp;
let officer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
  stranger = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.05' });
});
afterAll(async () => t?.close());

function registryCsv(rows: number, prefix: string) {
  const lines = ['nik,nama,kode_wilayah,nama_usaha,ref'];
  for (let i = 1; i <= rows; i++) {
    const nik = generateNik({ kecamatanCode: '62.71.02', birthDate: '1975-03-14', sex: 'L', serial: i });
    lines.push(`${nik},Pemilik ${i},62.71.02.1004,Usaha ${prefix} ${i},${prefix}-${i}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

// An import job as POST /imports makes it, with a small batch so that it has checkpoints.
async function queueImport(file: Buffer | null, options: { batchSize?: number; createdBy?: TestUser } = {}) {
  const payload: ImportPayload = {
    fileName: 'jobs.csv',
    dryRun: false,
    source: {
      type: 'upload',
      size: file?.length ?? 0,
      sha256: createHash('sha256')
        .update(file ?? '')
        .digest('hex'),
    },
    actor: null,
    kabkotaCode: '62.71',
    kecamatanScope: null,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  };
  const by = options.createdBy ?? officer;
  const actor = {
    userId: by.id,
    username: by.username,
    role: 'kecamatan_officer' as const,
    organisationId: by.organisationId,
    regionCode: '62.71.02',
    personId: null,
  };
  return createJob(t.ctx, actor, { kind: 'import', payload, ...(file ? { file: [file] } : {}) });
}

async function clearQueue() {
  await t.ctx.db.execute(sql`update jobs set status = 'cancelled' where status in ('queued', 'running')`);
}

// Every test starts with an empty queue, whatever another test (or the duplicate-detection
// run an import queues) left in it, so that each can run alone.
beforeEach(clearQueue);

// How long a worker may take to get to a job on a loaded machine; the tests wait on the job's
// state, never for a fixed time.
const workerPatience = { timeout: 30_000, interval: 20 };

describe('jobs', () => {
  it('stores the uploaded file in chunks and reads it back whole', async () => {
    const file = Buffer.alloc(2_500_000, 7);
    const job = await queueImport(file);
    const chunks = await queryRows<{ seq: number; n: number }>(
      t.ctx.db,
      sql`select seq, length(data)::int as n from job_files where job_id = ${job.id} order by seq`,
    );
    expect(chunks).toEqual([
      { seq: 0, n: 1_048_576 },
      { seq: 1, n: 1_048_576 },
      { seq: 2, n: 2_500_000 - 2 * 1_048_576 },
    ]);
    const back: Buffer[] = [];
    for await (const chunk of readJobFile(t.ctx, job.id)) back.push(chunk as Buffer);
    expect(Buffer.concat(back).equals(file)).toBe(true);
  });

  it('gives each queued job to one worker only, oldest first', async () => {
    const a = await queueImport(registryCsv(2, 'A'));
    const b = await queueImport(registryCsv(2, 'B'));
    const [first, second, third] = await Promise.all([
      claimJob(t.ctx, workerId('w1')),
      claimJob(t.ctx, workerId('w2')),
      claimJob(t.ctx, workerId('w3')),
    ]);
    const claimed = [first, second, third].filter((j) => j !== null);
    expect(claimed.map((j) => j.id).sort()).toEqual([a.id, b.id].sort());
    expect(claimed.every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
    expect(new Set(claimed.map((j) => j.lockedBy)).size).toBe(2);

    // a job whose worker stopped beating is taken over; the live one is not
    await t.ctx.db.execute(
      sql`update jobs set heartbeat_at = now() - interval '61 seconds' where id = ${a.id}`,
    );
    const again = await claimJob(t.ctx, workerId('w4'));
    expect(again).toMatchObject({ id: a.id, attempts: 2 });
    expect(await claimJob(t.ctx, workerId('w5'))).toBeNull();
  });

  it('leaves CLI imports of a local file to the CLI, and fails a job that keeps dying', async () => {
    const job = await queueImport(registryCsv(1, 'P'));
    await t.ctx.db.execute(sql`
      update jobs set payload = jsonb_set(payload, '{source}', '{"type":"path","path":"/nowhere","size":1,"sha256":"x","mtimeMs":0}')
      where id = ${job.id}`);
    expect(await claimJob(t.ctx, workerId())).toBeNull();

    const dying = await queueImport(registryCsv(1, 'D'));
    await t.ctx.db.execute(sql`
      update jobs set status = 'running', attempts = ${maxAttempts}, heartbeat_at = now() - interval '5 minutes'
      where id = ${dying.id}`);
    expect(await claimJob(t.ctx, workerId())).toBeNull();
    const stop = startJobWorker(t.ctx, { pollMs: 20 });
    try {
      await expect.poll(() => findJob(t.ctx, dying.id), workerPatience).toMatchObject({ status: 'failed' });
    } finally {
      await stop();
    }
  });

  it('runs queued imports in the background and reports progress', async () => {
    const job = await queueImport(registryCsv(250, 'BG'), { batchSize: 100 });
    const stop = startJobWorker(t.ctx, { pollMs: 20 });
    const read = async () =>
      (await t.app.inject({ url: `/api/v1/jobs/${job.id}`, headers: { cookie: officer.cookie } })).json() as {
        status: string;
      };
    try {
      await expect.poll(read, workerPatience).toMatchObject({ status: 'succeeded' });
    } finally {
      await stop();
    }
    const item = await read();
    expect(item).toMatchObject({
      kind: 'import',
      status: 'succeeded',
      progress: { done: 250, total: 250, etaSeconds: null },
      result: expect.objectContaining({ inserted: 250 }),
      error: null,
    });
    expect(
      (item as unknown as { progress: { rowsPerSecond: number } }).progress.rowsPerSecond,
    ).toBeGreaterThan(0);
    // nothing of the upload is kept once it is imported
    const files = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from job_files where job_id = ${job.id}`,
    );
    expect(files[0]?.n).toBe(0);
  });

  it('hands a running job back to the queue when stopped, and resumes it after its checkpoint', async () => {
    const job = await queueImport(registryCsv(3000, 'STOP'), { batchSize: 100 });
    // stopped as soon as it runs: the worker stops at the next batch boundary
    const controller = new AbortController();
    const running = runNextJob(t.ctx, workerId(), controller.signal);
    controller.abort();
    expect(await running).toBe(true);
    const stopped = (await findJob(t.ctx, job.id))!;
    expect(stopped.status).toBe('queued');
    expect(stopped.lockedBy).toBeNull();
    expect(stopped.done).toBeLessThan(3000);
    expect(await runNextJob(t.ctx)).toBe(true);
    const finished = (await findJob(t.ctx, job.id))!;
    expect(finished).toMatchObject({ status: 'succeeded', done: 3000, attempts: 2 });
    expect(finished.result).toMatchObject({ inserted: 3000, rows: 3000 });
    const stored = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from businesses where ref like 'STOP-%'`,
    );
    expect(stored[0]?.n).toBe(3000);
  });

  it('shows a job to its creator only, and lets a failed one be retried', async () => {
    const broken = await queueImport(null);
    expect(await runNextJob(t.ctx)).toBe(true);
    const own = await t.app.inject({ url: `/api/v1/jobs/${broken.id}`, headers: { cookie: officer.cookie } });
    expect(own.json()).toMatchObject({ status: 'failed', error: { code: 'import_file_unreadable' } });
    expect(
      (await t.app.inject({ url: `/api/v1/jobs/${broken.id}`, headers: { cookie: stranger.cookie } }))
        .statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/jobs/${broken.id}` })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/v1/jobs/not-a-uuid', headers: { cookie: officer.cookie } }))
        .statusCode,
    ).toBe(400);

    const strangerRetry = await t.app.inject({
      method: 'POST',
      url: `/api/v1/jobs/${broken.id}/retry`,
      headers: { cookie: stranger.cookie },
    });
    expect(strangerRetry.statusCode).toBe(404);
    const retry = await t.app.inject({
      method: 'POST',
      url: `/api/v1/jobs/${broken.id}/retry`,
      headers: { cookie: officer.cookie },
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ status: 'queued', error: null });
    expect(await runNextJob(t.ctx)).toBe(true);
    const retryDone = await t.app.inject({
      method: 'POST',
      url: `/api/v1/jobs/${broken.id}/retry`,
      headers: { cookie: officer.cookie },
    });
    expect(retryDone.statusCode).toBe(200);
    await runNextJob(t.ctx);

    const ok = await queueImport(registryCsv(1, 'OK'));
    await runNextJob(t.ctx);
    const notFailed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/jobs/${ok.id}/retry`,
      headers: { cookie: officer.cookie },
    });
    expect(notFailed.statusCode).toBe(409);
  });
});
