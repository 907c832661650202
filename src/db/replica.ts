import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './client.ts';
import * as schema from './schema.ts';

// A streaming replica of the primary (DATABASE_REPLICA_URL) for the reads that can bear a little
// lag and are heavy: reports, open data, the transparency page. Everything else, and every
// write, stays on the primary. A replica that cannot be reached must never take the reports
// down: `readOnReplica` falls back to the primary, says so once in the log, and leaves the
// replica alone for a while before it tries again.
export type ReadReplica = {
  db: Db;
  close: () => Promise<void>;
  // until when (ms since epoch) reads skip the replica after it failed
  downUntil: number;
};

const retryAfterMs = 30_000;

export function openReplica(connectionString: string): ReadReplica {
  const pool = new pg.Pool({
    connectionString,
    max: Number(process.env.PULIH_DB_REPLICA_POOL ?? 5),
    // A replica that does not answer must not hold a report for long: the primary is there.
    connectionTimeoutMillis: 3_000,
  });
  pool.on('error', (error) => console.error(`read replica connection lost: ${error.message}`));
  return {
    db: drizzleNodePg(pool, { schema }) as unknown as Db,
    close: () => pool.end(),
    downUntil: 0,
  };
}

// SQLSTATE classes that mean "this server cannot serve us" rather than "this query is wrong":
// connection exceptions (08), operator intervention such as a shutdown or recovery (57),
// insufficient resources (53) and an unknown database (3D). An error without an SQLSTATE is the
// socket's (refused, reset, timed out).
function isUnavailable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return ['08', '57', '53', '3D'].some((cls) => code.startsWith(cls));
}

export async function readOnReplica<T>(
  source: { db: Db; replica: ReadReplica | null },
  read: (db: Db) => Promise<T>,
): Promise<T> {
  const { replica } = source;
  if (!replica || replica.downUntil > Date.now()) return read(source.db);
  try {
    return await read(replica.db);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    replica.downUntil = Date.now() + retryAfterMs;
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`read replica unavailable (${reason}); reading from the primary`);
    return read(source.db);
  }
}
