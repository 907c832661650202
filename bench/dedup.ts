// Duplicate detection among N generated people: seconds, candidate pairs, precision, recall, and
// the recall of people who moved to another kecamatan with a new NIK and the namesakes proposed.
// Detection runs as the review queue's background job does (detect and store into
// dedup_candidates in one transaction); then one page of GET /dedup/candidates is read from the
// table, as the service serves it (20 pairs, both people, the access log): the first page and one
// halfway down the queue.
//
//   npm run bench -- dedup --people 100000 [--engine postgres|pglite] [--seed 7] [--keep]
//
// PostgreSQL: a fresh database on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// dropped afterwards unless --keep. PGlite: in memory.
// Anchor: one sequential scan of the people table (select count(*) from people where name like '%x%')
// in the same run; the dedup time is reported as a multiple of it.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createAppContext } from '../src/app/app-context.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { queryRow } from '../src/db/sql-rows.ts';
import { encodeCursor } from '../src/lib/http.ts';
import { listStoredCandidates } from '../src/modules/dedup/dedup.queries.ts';
import { enqueueDedupRun, listCandidates } from '../src/modules/dedup/dedup.service.ts';
import { findJob, runNextJob } from '../src/modules/jobs/jobs.service.ts';
import { getAdministratorActor } from '../src/modules/users/users.service.ts';
import { generatePeople, insertGeneratedPeople } from '../src/testing/people-generator.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'postgres' },
    seed: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(values.people);
const engine = values.engine === 'pglite' ? 'pglite' : 'postgres';
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const log = (line: string) => console.error(line);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function openBenchDatabase(): Promise<{ database: Database; drop: () => Promise<void>; name: string }> {
  if (engine === 'pglite')
    return { database: openDatabase({ memory: true }), drop: async () => {}, name: 'memory' };
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pulih_bench_dedup_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    database: openDatabase({ databaseUrl: url.toString() }),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const { database, drop, name } = await openBenchDatabase();
try {
  const ctx = await createAppContext(database);
  const db = ctx.db;
  const [generated, generateMs] = await timed(async () =>
    generatePeople({ count, seed: Number(values.seed) }),
  );
  log(
    `generated ${generated.people.length} people (${generated.duplicates.length} duplicate pairs) in ${seconds(generateMs)} s`,
  );
  const [ids, insertMs] = await timed(() =>
    insertGeneratedPeople(db, generated, {
      batch: engine === 'pglite' ? 2000 : 10000,
      onProgress: (done) => {
        if (done % 100000 === 0) log(`  inserted ${done}`);
      },
    }),
  );
  log(`inserted in ${seconds(insertMs)} s`);
  // As after an import once autovacuum has run: fresh statistics.
  await db.execute(sql`analyze people`);
  await db.execute(sql`analyze businesses`);

  const scan = () => db.execute(sql`select count(*) from people where name like '%x%'`);
  await scan();
  const [, scanMs] = await timed(scan);

  const run = await enqueueDedupRun(ctx, null);
  const [ran, dedupMs] = await timed(() => runNextJob(ctx));
  const job = await findJob(ctx, run.id);
  if (!ran || job?.status !== 'succeeded')
    throw new Error(`the detection run ended ${job?.status}: ${job?.error}`);
  const pairs = await listStoredCandidates(db);

  const actor = await getAdministratorActor(db);
  const page = () => listCandidates(ctx, actor, { limit: 20 });
  await page();
  const [firstPage, pageMs] = await timed(page);
  // Halfway down the queue: within the thousands of pairs that share the top score, where a
  // cursor must not scan the pairs before it.
  const middle = pairs[Math.floor(pairs.length / 2)];
  const [deepPage, deepPageMs] = await timed(() =>
    listCandidates(ctx, actor, {
      limit: 20,
      cursor: middle ? encodeCursor([middle.score, middle.a, middle.b]) : undefined,
    }),
  );
  if (firstPage.items.length === 0 || deepPage.items.length === 0) throw new Error('a page came back empty');
  const truth = new Set(
    generated.duplicates.map(([i, j]) => {
      const a = ids[i] as string;
      const b = ids[j] as string;
      return a < b ? `${a}|${b}` : `${b}|${a}`;
    }),
  );
  const truePositives = pairs.filter((p) => truth.has(`${p.a}|${p.b}`)).length;
  // The people who moved to another kecamatan with a new NIK, and the namesakes (other people).
  const keyOf = ([i, j]: [number, number]) => {
    const a = ids[i] as string;
    const b = ids[j] as string;
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  };
  const proposed = new Set(pairs.map((p) => `${p.a}|${p.b}`));
  const movedFound = generated.movedPairs.filter((pair) => proposed.has(keyOf(pair))).length;
  const namesakesProposed = generated.namesakePairs.filter((pair) => proposed.has(keyOf(pair))).length;
  const version = (await queryRow<{ v: string }>(db, sql`select version() as v`))?.v;
  const cpus = os.cpus();
  const result = {
    benchmark: 'dedup',
    people: generated.people.length,
    engine,
    database: name,
    seconds: seconds(dedupMs),
    jobResult: job.result,
    pageMs: Number(pageMs.toFixed(1)),
    deepPageMs: Number(deepPageMs.toFixed(1)),
    candidatePairs: pairs.length,
    truePairs: truth.size,
    precision: Number((truePositives / Math.max(1, pairs.length)).toFixed(4)),
    recall: Number((truePositives / Math.max(1, truth.size)).toFixed(4)),
    moved: {
      pairs: generated.movedPairs.length,
      recall: Number((movedFound / Math.max(1, generated.movedPairs.length)).toFixed(4)),
    },
    namesakes: { pairs: generated.namesakePairs.length, proposed: namesakesProposed },
    anchor: { query: "select count(*) from people where name like '%x%'", seconds: seconds(scanMs) },
    ratioToAnchor: Number((dedupMs / scanMs).toFixed(1)),
    setup: { generateSeconds: seconds(generateMs), insertSeconds: seconds(insertMs) },
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model ?? 'unknown',
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      node: process.version,
      server: version,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await database.close();
} finally {
  if (!values.keep) await drop();
}
