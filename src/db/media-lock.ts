import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

// Media files are deleted when the last row that names them lets go (a product's photo
// removed). Two races would otherwise lose a file that a row still names:
// - a backup read a row naming the file, and the file is deleted before the backup copies it:
//   a backup holds `holdMediaForBackup` from before its snapshot until its copy is done, and a
//   deletion holds `holdMediaForDeletion` (shared: deletions do not wait for each other);
// - the same picture is added to another product while its files are being deleted: both
//   hold `lockMediaKey` for the picture's key, and the adder writes its files under it.
// All are transaction locks: they end with the transaction that took them.
const mediaBackupLock = 727111;
const mediaKeyClass = 727112;

export async function holdMediaForBackup(tx: DbOrTx) {
  await tx.execute(sql`select pg_advisory_xact_lock(${mediaBackupLock})`);
}

export async function holdMediaForDeletion(tx: DbOrTx) {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${mediaBackupLock})`);
}

export async function lockMediaKey(tx: DbOrTx, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${mediaKeyClass}, hashtext(${key}))`);
}
