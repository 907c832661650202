import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './client.ts';
import * as schema from './schema.ts';

// A streaming replica of the primary (DATABASE_REPLICA_URL) for the reads that can bear a little
// lag and are heavy: reports, open data, the transparency page. Everything else, and every
// write, stays on the primary. A replica that cannot be reached must never take the reports
// down: `readOnReplica` falls back to the primary, says so once in the log, and leaves the
// replica alone for a while before it tries again. The wait before falling back is bounded:
// refused at once when the replica's server is stopped, at most the connect timeout when its
// host does not answer, at most the query timeout when it stops answering mid-read.
export type ReadReplica = {
  db: Db;
  close: () => Promise<void>;
  // until when (ms since epoch) reads skip the replica after it failed
  downUntil: number;
};

const retryAfterMs = 30_000;

export type ReplicaTimeouts = {
  // bound on reaching the replica (connect and authenticate)
  connectMs?: number;
  // bound on one read once connected: a replica that stopped answering (a frozen host, a cut
  // network) would otherwise hold the report, and a pool connection, until TCP gives up
  queryMs?: number;
};

const fromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export function openReplica(connectionString: string, timeouts: ReplicaTimeouts = {}): ReadReplica {
  const pool = new pg.Pool({
    connectionString,
    max: Number(process.env.PULIH_DB_REPLICA_POOL ?? 5),
    // A replica that does not answer must not hold a report for long: the primary is there.
    connectionTimeoutMillis: timeouts.connectMs ?? fromEnv('PULIH_DB_REPLICA_CONNECT_MS', 3_000),
    query_timeout: timeouts.queryMs ?? fromEnv('PULIH_DB_REPLICA_QUERY_MS', 60_000),
    keepAlive: true,
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
// Drizzle wraps the driver's error (DrizzleQueryError, the driver's error as `cause`): the
// SQLSTATE and the useful message are on the innermost one.
function driverErrorOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 4; depth++) {
    const cause =
      typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

function isUnavailable(error: unknown): boolean {
  const driver = driverErrorOf(error);
  const code =
    typeof driver === 'object' && driver !== null ? (driver as { code?: unknown }).code : undefined;
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
    const driver = driverErrorOf(error);
    const reason = driver instanceof Error ? driver.message : String(driver);
    console.warn(`read replica unavailable (${reason}); reading from the primary`);
    return read(source.db);
  }
}
