import { type Database, openDatabase } from '../db/client.ts';
import { type FolderDatabase, openDataFolder } from '../db/data-folder.ts';
import { openReplica } from '../db/replica.ts';
import type { AppContext } from '../lib/context.ts';
import { prepareFor, subscribe } from '../lib/domain-events.ts';
import type { MediaStore } from '../lib/media-store.ts';
import { openMediaStore } from '../lib/open-media-store.ts';
import { onRegistryChanged } from '../modules/businesses/businesses.service.ts';
import { moveLegacyPhotos } from '../modules/catalog/catalog.service.ts';
import { dedupJobKind, enqueueDedupRun, runDedupJob } from '../modules/dedup/dedup.service.ts';
import { pruneIdempotencyKeys } from '../modules/idempotency/idempotency.service.ts';
import { importKind, runImportJob } from '../modules/imports/imports.service.ts';
import { registerJobHandler, registerJobTicker } from '../modules/jobs/jobs.service.ts';
import {
  applicationMessages,
  notificationTick,
  notifyEvent,
} from '../modules/notifications/notifications.service.ts';
import { storedPublicUrl } from '../modules/settings/settings.service.ts';
import { ensureAdmin } from '../modules/users/users.service.ts';
import { loadReference } from '../reference/index.ts';

// Assembly: the one place that knows every module. It wires what modules must not import of
// each other (the jobs worker's handlers, the "registry changed" subscribers), so the module
// graph stays one-way. Every entry point (server, CLI, tests, benchmarks) builds its context
// here; wiring twice in one process replaces, never duplicates.
export function wireModules(): void {
  registerJobHandler(importKind, runImportJob);
  registerJobHandler(dedupJobKind, runDedupJob);
  onRegistryChanged('dedup', (ctx, change) => enqueueDedupRun(ctx, change.actor));
  // Domain events queue notifications in the deciding transaction; the worker sends them.
  subscribe('notifications', (tx, event) => notifyEvent(tx, event));
  // An application, decided in one statement, has its messages rendered beforehand.
  prepareFor('notifications', applicationMessages);
  registerJobTicker('notifications', notificationTick);
  // Idempotency keys expire after a day (src/modules/idempotency).
  registerJobTicker('idempotency', pruneIdempotencyKeys);
}

export async function createAppContext(
  database: Database,
  options: { replicaUrl?: string | undefined; dataDir?: string | undefined; media?: MediaStore } = {},
): Promise<AppContext> {
  wireModules();
  // A misconfigured bucket stops `pulih serve` (and every command) at start, in words
  // (MediaStoreUnreachable), before any migration and not at the first photo upload.
  const media = options.media ?? openMediaStore(options.dataDir);
  await media.check();
  await database.migrate();
  // The office's settings name the public address; PULIH_PUBLIC_URL is the fallback.
  const publicUrl = (await storedPublicUrl(database.db)) ?? process.env.PULIH_PUBLIC_URL ?? null;
  // Reports and open data read from a replica when there is one; closing the database closes it.
  const replicaUrl = options.replicaUrl ?? process.env.DATABASE_REPLICA_URL;
  const replica = replicaUrl ? openReplica(replicaUrl) : null;
  if (replica) {
    const closePrimary = database.close;
    database.close = async () => {
      await replica.close().catch(() => undefined);
      await closePrimary();
    };
  }
  const ctx: AppContext = {
    database,
    db: database.db,
    ...loadReference(),
    publicUrl,
    replica,
    media,
  };
  // Product photos once kept in the database move to the media store (a no-op once done).
  await moveLegacyPhotos(ctx);
  return ctx;
}

export type OpenAppOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  // The command that opens the database, named in the data folder's lock.
  command?: string | undefined;
};

// Opens the database the way every command does: PostgreSQL when DATABASE_URL is set,
// otherwise the PGlite folder DIR (under its lock, or through the `pulih serve` that holds
// it: src/db/data-folder.ts). Migrates, and creates the admin on first use.
export async function openApp(options: OpenAppOptions) {
  const dataDir = options.dataDir ?? './data';
  // The media store first: a misconfigured bucket stops the command before it opens the data
  // folder, so a first start does not create (initdb) a database it cannot use.
  const media = openMediaStore(dataDir);
  await media.check();
  const folder: FolderDatabase | null = options.databaseUrl
    ? null
    : await openDataFolder(dataDir, options.command ?? 'command');
  const database = folder ?? openDatabase({ databaseUrl: options.databaseUrl });
  try {
    const ctx = await createAppContext(database, { dataDir, media });
    const admin = await ensureAdmin(ctx.db);
    return { ctx, adminPassword: admin.password, folder };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
