import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { lendPgliteDatabase, pglitePoolStarts } from './pglite-pool.ts';

const rowsOf = async <T>(database: Database, query: ReturnType<typeof sql>) =>
  (await database.db.execute(query)) as unknown as { rows: T[] };

// The pool must hand out what a fresh copy of the template is, whatever the last file did.
// Bounds for a busy two-core machine (each start reads the template), not expected durations.
describe('the PGlite test pool', { timeout: 120_000 }, () => {
  it('lends a returned database again, emptied of its rows and with its sequences restarted', async () => {
    const first = await lendPgliteDatabase();
    await first.db.execute(
      sql`insert into organisations (code, name, kind) values ('pool-a', 'Pool', 'dinas')`,
    );
    await first.db.execute(sql`select nextval('audit_log_id_seq')`);
    await first.close();
    const started = pglitePoolStarts();

    const second = await lendPgliteDatabase();
    try {
      expect(pglitePoolStarts()).toBe(started);
      const organisations = await rowsOf<{ n: number }>(
        second,
        sql`select count(*)::int as n from organisations`,
      );
      expect(organisations.rows[0]?.n).toBe(0);
      const next = await rowsOf<{ id: string }>(second, sql`select nextval('audit_log_id_seq')::text as id`);
      expect(next.rows[0]?.id).toBe('1');
    } finally {
      await second.close();
    }
  });

  it('does not lend again a database whose schema a test changed', async () => {
    const changed = await lendPgliteDatabase();
    await changed.db.execute(sql`create table pool_leftover (v int)`);
    await changed.close();

    const next = await lendPgliteDatabase();
    try {
      const found = await rowsOf<{ n: number }>(
        next,
        sql`select count(*)::int as n from pg_class where relname = 'pool_leftover'`,
      );
      expect(found.rows[0]?.n).toBe(0);
    } finally {
      await next.close();
    }
  });

  it('refuses the queries of a file that kept a returned database', async () => {
    const database = await lendPgliteDatabase();
    await database.close();
    const refusal: unknown = await database.db.execute(sql`select 1`).then(
      () => null,
      (error: unknown) => error,
    );
    // drizzle wraps the driver's error as the cause of its own.
    expect(String((refusal as { cause?: Error } | null)?.cause?.message)).toMatch(/returned to the pool/);
  });
});
