import { z } from 'zod';

// The first line of a backup file (gzip-compressed JSON lines). After it, for each table in
// an order that satisfies its foreign keys, a line {"@table": name} and one line per row as
// PostgreSQL's row_to_json wrote it; the last line is {"@end": true}. Rows stay PostgreSQL's
// own text (exact numerics, bytea as hex, times with their offset) and are read back by
// PostgreSQL, never parsed into JavaScript numbers on the way.
export const backupFormat = 'pulih-backup';
export const backupVersion = 1;

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
  version: z.literal(backupVersion),
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
});
export type BackupHeader = z.infer<typeof backupHeader>;

export const tableMarker = z.object({ '@table': z.string() });
export const endMarker = z.object({ '@end': z.literal(true) });
