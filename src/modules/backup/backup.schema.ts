import { z } from 'zod';
import { mediaNamePattern } from '../../lib/media-store.ts';

// The first line of a backup file (gzip-compressed JSON lines). After it, for each table in
// an order that satisfies its foreign keys, a line {"@table": name} and one line per row as
// PostgreSQL's row_to_json wrote it; the last line is {"@end": true}. Rows stay PostgreSQL's
// own text (exact numerics, bytea as hex, times with their offset) and are read back by
// PostgreSQL, never parsed into JavaScript numbers on the way.
//
// Version 2 adds the media files that the rows name (product photos and their variants),
// after the last table and before the end marker: one line {"@media": name, "data": base64}
// each, "data" null for a file the rows name that the store no longer had. The header counts
// them. Version 1 files (no media) still restore.
export const backupFormat = 'pulih-backup';
export const backupVersion = 2;

export const migrationLevel = z.object({
  // How many migrations the database had, and the last one (its journal tag and time, which
  // is how the migrator recognises it).
  count: z.number().int().min(0),
  tag: z.string().nullable(),
  when: z.number().int().nullable(),
});
export type MigrationLevel = z.infer<typeof migrationLevel>;

export const backupHeader = z.object({
  format: z.literal(backupFormat),
  version: z.union([z.literal(1), z.literal(backupVersion)]),
  createdAt: z.iso.datetime({ offset: true }),
  engine: z.enum(['pglite', 'postgres']),
  migrations: migrationLevel,
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
      rows: z.number().int().min(0),
    }),
  ),
  media: z.object({ files: z.number().int().min(0) }).optional(),
});
export type BackupHeader = z.infer<typeof backupHeader>;

export const tableMarker = z.object({ '@table': z.string() });
export const endMarker = z.object({ '@end': z.literal(true) });
export const mediaLine = z.object({
  '@media': z.string().regex(mediaNamePattern),
  data: z.base64().nullable(),
});
export const mediaPrefix = '{"@media":';
