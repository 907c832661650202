import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from './client.ts';
import { acquireLock, DataFolderBusyError, type LockHolder } from './lock.ts';
import { shareDatabase } from './shared-pglite.ts';

export type FolderDatabase = Database & {
  // Set when this process works through a running `pulih serve` instead of the folder.
  sharedBy: LockHolder | null;
  // `pulih serve` only: lets local commands work through this process (after migrating).
  share: () => Promise<void>;
};

// How long a command waits for a server that holds the folder but is still starting
// (migrating) before it gives up with a message naming it.
const SERVER_START_WAIT_MS = Number(process.env.PULIH_SERVER_START_WAIT_MS ?? 120_000);

// Opens a PGlite data folder for `command`: under the folder's lock when nobody holds it, or
// through the running `pulih serve` that holds it. A folder held by any other command is
// refused with DataFolderBusyError, as is a folder held by a server when this is a server.
export async function openDataFolder(
  dataDir: string,
  command: string,
  log: (line: string) => void = (line) => console.error(line),
): Promise<FolderDatabase> {
  const deadline = Date.now() + SERVER_START_WAIT_MS;
  for (;;) {
    let lock: ReturnType<typeof acquireLock>;
    try {
      lock = acquireLock(dataDir, command);
    } catch (error) {
      if (!(error instanceof DataFolderBusyError) || command === 'serve') throw error;
      const holder = error.holder;
      if (holder.command !== 'serve') throw error;
      if (holder.socket) {
        const shared = await connectShared(holder);
        if (shared) {
          log(`Working through the running server (pulih serve, process ${holder.pid}).`);
          return shared;
        }
      }
      // Starting (not yet sharing), or just stopped: look again until the deadline.
      if (Date.now() > deadline) throw error;
      await delay(250);
      continue;
    }
    const database = openDatabase({ dataDir });
    let socket: Awaited<ReturnType<typeof shareDatabase>> | null = null;
    return {
      ...database,
      sharedBy: null,
      share: async () => {
        if (!database.pglite) throw new Error('only an embedded database can be shared');
        socket = await shareDatabase(database.pglite, dataDir, log);
        lock.share({ dir: socket.dir, port: socket.port });
      },
      close: async () => {
        try {
          await socket?.stop();
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  }
}

async function connectShared(holder: LockHolder): Promise<FolderDatabase | null> {
  if (!holder.socket) return null;
  const database = openDatabase({ socket: holder.socket });
  try {
    await database.db.execute(sql`select 1`);
  } catch {
    // The server stopped between reading its lock and connecting.
    await database.close().catch(() => undefined);
    return null;
  }
  return {
    ...database,
    sharedBy: holder,
    share: () => Promise.reject(new Error('this process does not hold the data folder')),
  };
}
