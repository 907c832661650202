import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// `pulih serve` shares its PGlite database with the local `pulih` commands over the
// PostgreSQL wire protocol on a Unix socket, through @electric-sql/pglite-socket. The
// socket file is readable by its owner only: the database has no passwords of its own.
//
// PGlite has one backend. The library multiplexes its clients per protocol message and keeps
// one client in front only while an explicit transaction is open, and the server process
// queries the same PGlite directly. Left at that, a statement of the server could run inside
// a command's transaction, or a client's Parse/Bind/Execute could be interleaved with
// another's. So a client owns the backend from its first message until the backend is idle
// again (after a Query or Sync outside a transaction block), and for that time it holds
// PGlite's own transaction lock, the one the server's queries and transactions take: one
// unit of work at a time, whichever side it comes from.

const PROTOCOL_VERSION_3 = 196608;
// The server listens on DIR/.s.PGSQL.5432 as PostgreSQL does, so node-postgres finds it by
// { host: DIR, port: 5432 }. Socket paths are limited to about 107 bytes.
const SOCKET_PORT = 5432;
const MAX_SOCKET_PATH = 100;

function endsUnitOfWork(message: Uint8Array): boolean {
  if (message.length >= 8) {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    if (view.getInt32(4) === PROTOCOL_VERSION_3) return true; // startup: answered with ReadyForQuery
  }
  const type = String.fromCharCode(message[0] ?? 0);
  return type === 'Q' || type === 'S' || type === 'X';
}

function queryMessage(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

// The face of PGlite that the socket server sees.
function ownedBackend(pg: PGlite, log: (line: string) => void) {
  let release: (() => void) | null = null;
  let unitEnded = true;
  const acquire = async () => {
    if (release) return;
    await new Promise<void>((acquired) => {
      void pg._runExclusiveTransaction(
        () =>
          new Promise<void>((done) => {
            release = done;
            acquired();
          }),
      );
    });
  };
  const free = () => {
    const done = release;
    release = null;
    done?.();
  };
  return {
    get waitReady() {
      return pg.waitReady;
    },
    // The library reads this as "the client in front must go on": true for as long as a
    // client owns the backend.
    isInTransaction: () => release !== null,
    async runExclusive<T>(fn: () => Promise<T>): Promise<T | number> {
      await acquire();
      try {
        const result = await pg.runExclusive(fn);
        if (unitEnded && !pg.isInTransaction()) free();
        return result;
      } catch (error) {
        // The library stops its queue for good when this throws; end the unit instead.
        log(`database socket: ${(error as Error).message}`);
        free();
        return 0;
      }
    },
    execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }) {
      unitEnded = endsUnitOfWork(message);
      return pg.execProtocolRawStream(message, options);
    },
    // Called when a client goes away while it owns the backend: end what it left open.
    async exec(_query: string) {
      try {
        await pg.runExclusive(async () => {
          await pg.execProtocolRaw(SYNC);
          await pg.execProtocolRaw(queryMessage('ROLLBACK'));
        });
      } finally {
        unitEnded = true;
        free();
      }
    },
  };
}

export type SharedSocket = { dir: string; port: number; stop: () => Promise<void> };

export async function shareDatabase(
  pg: PGlite,
  dataDir: string,
  log: (line: string) => void = (line) => console.error(line),
): Promise<SharedSocket> {
  let dir = resolve(dataDir);
  let ownDir = false;
  if (join(dir, `.s.PGSQL.${SOCKET_PORT}`).length > MAX_SOCKET_PATH) {
    // mkdtemp makes the directory private to this user.
    dir = mkdtempSync(join(tmpdir(), 'pulih-'));
    ownDir = true;
  }
  const path = join(dir, `.s.PGSQL.${SOCKET_PORT}`);
  // A socket left by a killed server; we hold the folder's lock, so it is nobody's.
  rmSync(path, { force: true });
  const server = new PGLiteSocketServer({
    db: ownedBackend(pg, log) as unknown as PGlite,
    path,
    maxConnections: 64,
  });
  await server.start();
  chmodSync(path, 0o600);
  return {
    dir,
    port: SOCKET_PORT,
    stop: async () => {
      await server.stop();
      rmSync(path, { force: true });
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
