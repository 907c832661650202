import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

// One writer per PGlite data folder. PGlite is a single-process database: two processes
// writing one folder corrupt it. The process that opens the folder holds DIR/pulih.lock;
// `pulih serve` also records where it shares the database with local commands, which then
// connect to it instead of opening the folder (src/db/shared-pglite.ts).
//
// The lock is a file created atomically (link), so only one process can create it. It names its
// holder by pid and by the process's start time (pids are reused after a crash or reboot):
// a lock whose holder no longer runs is stale, left by a kill -9 or a power cut, and the
// next process takes it over.

export type LockHolder = {
  pid: number;
  // Clock ticks since boot at which the holder started (Linux /proc), null elsewhere.
  startTicks: number | null;
  bootId: string | null;
  host: string;
  command: string;
  since: string;
  // Where `pulih serve` shares the database: a Unix socket directory (the PostgreSQL
  // convention: DIR/.s.PGSQL.PORT), null until it listens or for other commands.
  socket: { dir: string; port: number } | null;
};

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    advice?: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by \`pulih ${holder.command}\` (process ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
        (advice ??
          (holder.command === 'serve'
            ? 'It does not share the database yet; try again in a moment.'
            : 'Wait until it finishes, or stop it, and run this command again.')),
    );
    this.name = 'DataFolderBusyError';
  }
}

export type DataFolderLock = {
  path: string;
  holder: LockHolder;
  // Records the socket of the running server in the lock file (atomically: write + rename).
  share: (socket: { dir: string; port: number }) => void;
  release: () => void;
};

export function lockPath(dataDir: string) {
  return join(resolve(dataDir), 'pulih.lock');
}

function procStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

export function readLock(dataDir: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(lockPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as LockHolder;
  } catch {
    // A lock file cut short by a crash while it was written: nobody holds it.
    return {
      pid: 0,
      startTicks: null,
      bootId: null,
      host: hostname(),
      command: '?',
      since: '',
      socket: null,
    };
  }
}

export function isAlive(holder: LockHolder): boolean {
  // A lock from another machine (a folder on shared storage) cannot be checked: trust it.
  if (holder.host !== hostname()) return true;
  if (!(holder.pid > 0)) return false;
  const boot = currentBootId();
  if (holder.bootId && boot && holder.bootId !== boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.startTicks === null) return true;
  return procStartTicks(holder.pid) === holder.startTicks;
}

// The lock appears whole or not at all: written to a file of our own, then linked to its
// name (link fails if the name exists), so no one ever reads a half-written lock and takes
// it for a stale one.
function writeExclusive(path: string, holder: LockHolder): boolean {
  const own = `${path}.${process.pid}.new`;
  const fd = openSync(own, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(own, { force: true });
  }
}

// Takes the lock, or throws DataFolderBusyError naming the live holder.
export function acquireLock(dataDir: string, command: string): DataFolderLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = lockPath(dir);
  const holder: LockHolder = {
    pid: process.pid,
    startTicks: procStartTicks(process.pid),
    bootId: currentBootId(),
    host: hostname(),
    command,
    since: new Date().toISOString(),
    socket: null,
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (writeExclusive(path, holder)) return held(path, holder);
    const current = readLock(dir);
    if (current === null) continue;
    if (isAlive(current)) throw new DataFolderBusyError(dir, current);
    takeOverStale(path, current);
  }
  const current = readLock(dir);
  throw new DataFolderBusyError(dir, current ?? holder);
}

// Two processes may find the same stale lock at once. Each moves it aside under its own
// name (rename is atomic, only one of them gets it), checks that what it moved is the stale
// lock it judged and not a fresh one written meanwhile by the other, and puts a fresh one
// back. Then both race to create it again and exactly one wins.
function takeOverStale(path: string, stale: LockHolder) {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let moved: LockHolder | null = null;
  try {
    moved = JSON.parse(readFileSync(aside, 'utf8')) as LockHolder;
  } catch {
    moved = null;
  }
  const same = moved === null || (moved.pid === stale.pid && moved.since === stale.since);
  if (!same) {
    try {
      // link, not rename: it fails rather than replace a lock written in the meantime.
      linkSync(aside, path);
    } catch {
      // A third process took the folder in this instant; the lock moved aside is lost and
      // its holder finds out when it releases (it removes only its own lock).
    }
  }
  rmSync(aside, { force: true });
}

function held(path: string, holder: LockHolder): DataFolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: never remove one a later process took over.
    const current = (() => {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      } catch {
        return null;
      }
    })();
    if (current && current.pid === holder.pid && current.since === holder.since)
      rmSync(path, { force: true });
  };
  // A normal exit (also process.exit after an error) releases the lock; a kill -9 leaves it
  // behind, stale, for the next process to take over.
  process.on('exit', release);
  return {
    path,
    holder,
    share(socket) {
      holder.socket = socket;
      const next = `${path}.${process.pid}.tmp`;
      const fd = openSync(next, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(holder));
      } finally {
        closeSync(fd);
      }
      renameSync(next, path);
    },
    release,
  };
}
