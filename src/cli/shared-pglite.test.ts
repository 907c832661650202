import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FolderDatabase, openDataFolder } from '../db/data-folder.ts';
import { readLock } from '../db/lock.ts';
import { queryRows } from '../db/sql-rows.ts';
import { copyPgliteTemplateTo } from '../testing/template.ts';

// The database that `pulih serve` shares with local commands (src/db/shared-pglite.ts): one
// unit of work at a time, whether it comes over the socket or from the server itself.

const embedded = process.env.PULIH_TEST_ENGINE !== 'postgres';
const dir = mkdtempSync(join(tmpdir(), 'pulih-shared-'));
let server: FolderDatabase;
let n = 0;

function client() {
  const socket = readLock(dir)?.socket;
  if (!socket) throw new Error('the folder is not shared');
  return new pg.Client({ host: socket.dir, port: socket.port, user: 'postgres', database: 'postgres' });
}

async function count(table: string) {
  const result = await queryRows<{ n: number }>(
    server.db,
    sql.raw(`select count(*)::int as n from ${table}`),
  );
  return result[0]?.n;
}

async function freshTable() {
  const name = `t_${++n}`;
  await server.db.execute(sql.raw(`create table ${name} (v int)`));
  return name;
}

describe.runIf(embedded)('the shared embedded database', () => {
  beforeAll(async () => {
    // A copy of the migrated template rather than a new folder: PGlite's initdb is slow on a
    // busy machine, and the folder's contents are not what is under test.
    await copyPgliteTemplateTo(dir);
    server = await openDataFolder(dir, 'serve', () => undefined);
    await server.share();
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers many clients and the server at once, each with its own results', async () => {
    const clients = Array.from({ length: 6 }, () => client());
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const remote = clients.flatMap((c, i) =>
        Array.from({ length: 25 }, async (_, j) => {
          // Parse/Bind/Execute/Sync with parameters: interleaved with another client's
          // messages, the unnamed statement would be replaced under it.
          const r = await c.query('select $1::int * 1000 + $2::int as v, $3::text as tag', [i, j, `c${i}`]);
          return r.rows[0].v === i * 1000 + j && r.rows[0].tag === `c${i}`;
        }),
      );
      const local = Array.from({ length: 25 }, async (_, j) => {
        const r = await queryRows<{ v: number }>(server.db, sql`select ${j}::int + 7 as v`);
        return r[0]?.v === j + 7;
      });
      const results = await Promise.all([...remote, ...local]);
      expect(results.filter((ok) => !ok)).toEqual([]);
      expect(results).toHaveLength(6 * 25 + 25);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("keeps the server's statements out of a client's open transaction", async () => {
    const table = await freshTable();
    const c = client();
    await c.connect();
    try {
      await c.query('begin');
      await c.query(`insert into ${table} values (1)`);
      // Run inside the client's transaction, this would count 1 (its uncommitted row).
      const seen = count(table);
      await c.query(`insert into ${table} values (2)`);
      await c.query('commit');
      expect(await seen).toBe(2);
    } finally {
      await c.end();
    }
  });

  it("keeps a client's statements out of the server's open transaction", async () => {
    const table = await freshTable();
    const c = client();
    await c.connect();
    try {
      let seen: Promise<number> | null = null;
      await server.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`insert into ${table} values (1)`));
        seen = c.query(`select count(*)::int as n from ${table}`).then((r) => r.rows[0].n as number);
        // Give the client's query every chance to be served now, inside this transaction: a
        // few turns of the event loop, each with its I/O, carry it to the database.
        for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
        await tx.execute(sql.raw(`insert into ${table} values (2)`));
      });
      expect(await seen).toBe(2);
    } finally {
      await c.end();
    }
  });

  it('rolls back the transaction of a client that disappears, and goes on serving', async () => {
    const table = await freshTable();
    const c = client();
    await c.connect();
    await c.query('begin');
    await c.query(`insert into ${table} values (1)`);
    c.on('error', () => undefined);
    const closed = new Promise((resolve) => c.once('end', resolve));
    // As a kill -9 of the command would: the socket just goes away.
    (c as unknown as { connection: { stream: { destroy: () => void } } }).connection.stream.destroy();
    await closed;
    expect(await count(table)).toBe(0);
    const other = client();
    await other.connect();
    try {
      await other.query(`insert into ${table} values (2)`);
      expect((await other.query(`select count(*)::int as n from ${table}`)).rows[0].n).toBe(1);
    } finally {
      await other.end();
    }
  });
});
