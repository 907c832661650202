import { type Database, type OpenOptions, openDatabase } from '../db/client.ts';
import { ensureAdmin } from '../modules/users/users.service.ts';
import { loadReference } from '../reference/index.ts';
import type { AppContext } from './context.ts';

export async function createAppContext(database: Database): Promise<AppContext> {
  await database.migrate();
  return { database, db: database.db, ...loadReference(), publicUrl: process.env.PULIH_PUBLIC_URL ?? null };
}

// Opens the database the way every command does: PostgreSQL when DATABASE_URL is set,
// otherwise PGlite in DIR/pgdata. Migrates, and creates the admin on first use.
export async function openApp(options: OpenOptions) {
  const ctx = await createAppContext(openDatabase(options));
  const admin = await ensureAdmin(ctx.db);
  return { ctx, adminPassword: admin.password };
}
