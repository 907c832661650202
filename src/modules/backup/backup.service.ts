import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type DbOrTx, migrationsFolder } from '../../db/client.ts';
import { holdMediaForBackup } from '../../db/media-lock.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { AppError } from '../../lib/errors.ts';
import type { MediaStore } from '../../lib/media-store.ts';
import {
  type BackupHeader,
  backupFormat,
  backupHeader,
  backupVersion,
  endMarker,
  type MigrationLevel,
  mediaLine,
  mediaPrefix,
  tableMarker,
} from './backup.schema.ts';

// `pulih backup FILE` and `pulih restore FILE`: one consistent snapshot of every table, in a
// format that PGlite and PostgreSQL both write and read (backup.schema.ts), so that the same
// file moves an office from the embedded database to a server and back.

export type BackupProgress = { table: string; done: number; total: number };
export type Progress = (p: BackupProgress) => void;

const BATCH = 2000;

type JournalEntry = { tag: string; when: number };

function journal(folder = migrationsFolder): JournalEntry[] {
  return (JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] })
    .entries;
}

export async function migrationLevelOf(db: DbOrTx): Promise<MigrationLevel> {
  const [exists] = await queryRows<{ found: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`,
  );
  if (!exists?.found) return { count: 0, tag: null, when: null };
  const applied = await queryRows<{ created_at: string }>(
    db,
    sql`select created_at::text from drizzle.__drizzle_migrations order by created_at`,
  );
  const last = applied.at(-1);
  const when = last ? Number(last.created_at) : null;
  return { count: applied.length, tag: journal().find((e) => e.when === when)?.tag ?? null, when };
}

type TableInfo = {
  name: string;
  columns: string[];
  // Columns that reference the table itself (people.merged_into): filled in a second pass,
  // once every row they may point at is there.
  selfColumns: string[];
  primaryKey: string[];
  identity: string[];
};

// Tables computed from others by triggers (migration outcomes-fast_sql and _counts_sql): not
// written to a backup, and rebuilt by those triggers as a restore inserts the rows they follow.
const derivedTables = new Set(['application_outcomes', 'business_counts']);

// Every table of the public schema with its stored (not generated) columns, parents before
// children; the derived tables left out.
async function tables(db: DbOrTx): Promise<TableInfo[]> {
  const columns = await queryRows<{ table_name: string; column_name: string; is_identity: string }>(
    db,
    sql`select c.table_name, c.column_name, c.is_identity
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
        order by c.table_name, c.ordinal_position`,
  );
  const keys = await queryRows<{ child: string; parent: string; columns: string[] | string }>(
    db,
    sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
               array(select a.attname::text from unnest(c.conkey) k join pg_attribute a
                     on a.attrelid = c.conrelid and a.attnum = k) as columns
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = 'public'`,
  );
  const primary = await queryRows<{ table: string; column: string }>(
    db,
    sql`select i.indrelid::regclass::text as table, a.attname::text as column
        from pg_index i join pg_class r on r.oid = i.indrelid join pg_namespace n on n.oid = r.relnamespace
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indisprimary and n.nspname = 'public'`,
  );
  const byName = new Map<string, TableInfo>();
  for (const c of columns) {
    if (derivedTables.has(c.table_name)) continue;
    const table = byName.get(c.table_name) ?? {
      name: c.table_name,
      columns: [],
      selfColumns: [],
      primaryKey: [],
      identity: [],
    };
    table.columns.push(c.column_name);
    if (c.is_identity === 'YES') table.identity.push(c.column_name);
    byName.set(c.table_name, table);
  }
  for (const p of primary) byName.get(unquote(p.table))?.primaryKey.push(p.column);
  const parents = new Map<string, Set<string>>();
  for (const k of keys) {
    const child = unquote(k.child);
    const parent = unquote(k.parent);
    if (child === parent) {
      byName.get(child)?.selfColumns.push(...pgArray(k.columns));
      continue;
    }
    parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  }
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`foreign keys form a cycle through ${name}`);
    state.set(name, 'visiting');
    for (const parent of [...(parents.get(name) ?? [])].sort()) visit(parent);
    state.set(name, 'done');
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered;
}

function unquote(name: string) {
  return name.replace(/^public\./, '').replace(/^"(.*)"$/, '$1');
}

// node-postgres parses text[] into an array; PGlite's driver too, but be sure.
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

const ident = (name: string) => sql.identifier(name);
const columnList = (columns: string[]) =>
  sql.join(
    columns.map((c) => ident(c)),
    sql`, `,
  );

// The media files a backup keeps: those the snapshot's rows name, read from the store.
export type BackupMedia = {
  store: MediaStore;
  listNames: (tx: DbOrTx) => Promise<string[]>;
};

// Writes FILE: gzip-compressed JSON lines, first to FILE.partial and renamed at the end, so a
// backup cut short never looks like a complete one. With `media`, the files the rows name
// follow the rows (backup.schema.ts).
export async function writeBackup(
  database: Database,
  file: string,
  onProgress: Progress = () => {},
  media: BackupMedia | null = null,
): Promise<BackupHeader & { mediaMissing: string[] }> {
  const partial = `${file}.partial`;
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(out);
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  const mediaMissing: string[] = [];
  const snapshot = () =>
    database.db.transaction(async (tx) => {
      // One snapshot for every table: what was committed when the backup began, while the
      // server goes on taking writes (on PGlite they wait for the backup to finish).
      await tx.execute(sql`set transaction isolation level repeatable read, read only`);
      await tx.execute(sql`set local timezone = 'UTC'`);
      const list = await tables(tx);
      const counted: BackupHeader['tables'] = [];
      for (const table of list) {
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from ${ident(table.name)}`,
        );
        counted.push({ name: table.name, columns: table.columns, rows: Number(row?.n ?? 0) });
      }
      const mediaNames = media ? await media.listNames(tx) : [];
      const header: BackupHeader = {
        format: backupFormat,
        version: backupVersion,
        createdAt: new Date().toISOString(),
        engine: database.engine,
        migrations: await migrationLevelOf(tx),
        tables: counted,
        media: { files: mediaNames.length },
      };
      await write(JSON.stringify(header));
      for (const table of counted) {
        await write(JSON.stringify({ '@table': table.name }));
        await tx.execute(
          sql`declare backup_rows no scroll cursor for
              select row_to_json(r)::text as line from (select ${columnList(table.columns)} from ${ident(table.name)}) r`,
        );
        let done = 0;
        onProgress({ table: table.name, done, total: table.rows });
        for (;;) {
          const batch = await queryRows<{ line: string }>(tx, sql.raw(`fetch ${BATCH} from backup_rows`));
          for (const r of batch) await write(r.line);
          done += batch.length;
          onProgress({ table: table.name, done, total: table.rows });
          if (batch.length < BATCH) break;
        }
        await tx.execute(sql`close backup_rows`);
      }
      // Media files never change under a name, so copying them after the rows' snapshot is
      // consistent, as long as none is deleted meanwhile: on PGlite nothing else runs during
      // this transaction, on PostgreSQL `holdMediaForBackup` (below) keeps deletions waiting.
      if (media) {
        let done = 0;
        for (const name of mediaNames) {
          const bytes = await media.store.get(name);
          if (!bytes) mediaMissing.push(name);
          await write(JSON.stringify({ '@media': name, data: bytes ? bytes.toString('base64') : null }));
          onProgress({ table: mediaProgressName, done: ++done, total: mediaNames.length });
        }
      }
      await write(JSON.stringify({ '@end': true }));
      return header;
    });
  try {
    // Taken before the snapshot, on a connection of its own, and held until the media are
    // copied: a file that the snapshot's rows name cannot be deleted in between.
    const header =
      media && database.engine === 'postgres'
        ? await database.db.transaction(async (lock) => {
            await holdMediaForBackup(lock);
            return snapshot();
          })
        : await snapshot();
    gzip.end();
    await finished(out);
    renameSync(partial, file);
    return { ...header, mediaMissing };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

// The progress of the media files goes out under this name, beside the tables'.
export const mediaProgressName = 'media files';

async function* lines(file: string) {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  let failure: Error | null = null;
  // A missing file or a damaged gzip stream ends the lines early; the reader then sees no
  // end marker, or gets the reason here.
  source.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', (error) => {
    failure = error;
  });
  const reader = createInterface({ input: source.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) yield line;
  } catch (error) {
    failure = error as Error;
  } finally {
    reader.close();
    source.destroy();
  }
  if (failure) throw new AppError('backup_unreadable', { reason: (failure as Error).message });
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      break;
    }
    const header = backupHeader.safeParse(parsed);
    if (!header.success) throw new AppError('backup_unreadable', { issues: header.error.issues });
    return header.data;
  }
  throw new AppError('backup_unreadable');
}

// The migrations the backup's database had, as a folder the migrator can run: this code's
// migrations cut at the backup's level, so the rows load into the schema they were read from.
// Refuses a backup from a newer (or a different) line of migrations.
function migrationsUpTo(level: MigrationLevel): string {
  const entries = journal();
  if (level.count > entries.length) throw new AppError('backup_newer', { migrations: level });
  const last = entries[level.count - 1];
  if (level.count > 0 && (last?.when !== level.when || last?.tag !== level.tag))
    throw new AppError('backup_newer', { migrations: level });
  const dir = mkdtempSync(join(tmpdir(), 'pulih-restore-'));
  return dir;
}

async function prepareMigrations(dir: string, level: MigrationLevel) {
  const all = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  await mkdir(join(dir, 'meta'), { recursive: true });
  for (const entry of all.entries.slice(0, level.count))
    await copyFile(join(migrationsFolder, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  writeFileSync(
    join(dir, 'meta/_journal.json'),
    JSON.stringify({ ...all, entries: all.entries.slice(0, level.count) }),
  );
}

// Reads the whole file once before anything is dropped: every table's rows there, the end
// marker present, so a file cut short (a full disk, a copy interrupted) is refused whole.
export async function verifyBackup(file: string): Promise<BackupHeader> {
  const header = await readBackupHeader(file);
  const expected = new Map(header.tables.map((t) => [t.name, t.rows]));
  const seen = new Map<string, number>();
  let table: string | null = null;
  let mediaFiles = 0;
  let first = true;
  for await (const line of lines(file)) {
    if (first) {
      first = false;
      continue;
    }
    if (line.startsWith(mediaPrefix)) {
      if (!mediaLine.safeParse(parseLine(line)).success)
        throw new AppError('backup_unreadable', { media: mediaFiles });
      // Media come after every table.
      table = null;
      mediaFiles++;
      continue;
    }
    if (line.startsWith('{"@')) {
      const marker = JSON.parse(line) as unknown;
      const parsed = tableMarker.safeParse(marker);
      if (parsed.success) {
        table = parsed.data['@table'];
        if (!expected.has(table) || seen.has(table)) throw new AppError('backup_unreadable', { table });
        seen.set(table, 0);
        continue;
      }
      if (endMarker.safeParse(marker).success) {
        for (const [name, rows] of expected)
          if (seen.get(name) !== rows)
            throw new AppError('backup_unreadable', {
              table: name,
              expected: rows,
              found: seen.get(name) ?? 0,
            });
        if (mediaFiles !== (header.media?.files ?? 0))
          throw new AppError('backup_unreadable', { media: header.media?.files ?? 0, found: mediaFiles });
        return header;
      }
    }
    if (table === null) throw new AppError('backup_unreadable');
    seen.set(table, (seen.get(table) ?? 0) + 1);
  }
  throw new AppError('backup_unreadable', { reason: 'the file ends before its last table' });
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

// Puts the backup's media files into `store` (names never change meaning, so a file already
// there is the same file). Counts the files written and those the backup did not have.
async function restoreMedia(file: string, store: MediaStore, onProgress: Progress, total: number) {
  let files = 0;
  let missing = 0;
  for await (const line of lines(file)) {
    if (!line.startsWith(mediaPrefix)) continue;
    const entry = mediaLine.parse(JSON.parse(line));
    if (entry.data === null) missing++;
    else {
      await store.put(entry['@media'], Buffer.from(entry.data, 'base64'));
      files++;
    }
    onProgress({ table: mediaProgressName, done: files + missing, total });
  }
  return { files, missing };
}

// Which of Pulih's tables hold rows (the migrator's own bookkeeping aside).
async function nonEmptyTables(db: DbOrTx): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables(db)) {
    const [row] = await queryRows<{ any: boolean }>(
      db,
      sql`select exists (select 1 from ${ident(table.name)}) as any`,
    );
    if (row?.any) found.push(table.name);
  }
  return found;
}

// Loads FILE into `database`, which must be empty unless `force`; it ends migrated to this
// code's latest migration. The rows load in one transaction: a restore that fails (a file cut
// short, a broken row) leaves no rows behind.
export async function restoreBackup(
  database: Database,
  file: string,
  options: { force?: boolean; onProgress?: Progress; media?: MediaStore } = {},
) {
  const onProgress = options.onProgress ?? (() => {});
  const header = await verifyBackup(file);
  const folder = migrationsUpTo(header.migrations);
  try {
    const occupied = await nonEmptyTables(database.db);
    if (occupied.length > 0 && !options.force)
      throw new AppError('restore_target_not_empty', { tables: occupied });
    // Media first: were the rows to fail, files that nothing names harm nothing, while rows
    // naming files not yet there would show broken pictures.
    const media = options.media
      ? await restoreMedia(file, options.media, onProgress, header.media?.files ?? 0)
      : { files: 0, missing: 0 };
    // Start from nothing: the schema as of the backup's migration, then its rows, then the
    // migrations that came after it.
    await database.db.execute(sql`drop schema if exists drizzle cascade`);
    await database.db.execute(sql`drop schema public cascade`);
    await database.db.execute(sql`create schema public`);
    await prepareMigrations(folder, header.migrations);
    if (header.migrations.count > 0) await database.migrate(folder);
    const counts = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local timezone = 'UTC'`);
      const info = new Map((await tables(tx)).map((t) => [t.name, t]));
      const expected = new Map(header.tables.map((t) => [t.name, t]));
      const loaded = new Map<string, number>();
      let current: { name: string; columns: string[]; self: string[]; key: string[] } | null = null;
      let batch: string[] = [];
      let deferred: string[] = [];
      let ended = false;
      let headerSeen = false;
      const flush = async () => {
        if (!current || batch.length === 0) return;
        const { name, columns, self } = current;
        const insertColumns = columns.filter((c) => !self.includes(c));
        await tx.execute(
          sql`insert into ${ident(name)} (${columnList(insertColumns)}) overriding system value
              select ${columnList(insertColumns)} from json_populate_recordset(null::${ident(name)}, ${`[${batch.join(',')}]`}::json)`,
        );
        if (self.length > 0)
          for (const line of batch) {
            const row = JSON.parse(line) as Record<string, unknown>;
            if (self.some((c) => row[c] !== null && row[c] !== undefined)) deferred.push(line);
          }
        loaded.set(name, (loaded.get(name) ?? 0) + batch.length);
        onProgress({ table: name, done: loaded.get(name) ?? 0, total: expected.get(name)?.rows ?? 0 });
        batch = [];
      };
      const finishTable = async () => {
        await flush();
        if (current && deferred.length > 0) {
          const { name, self, key } = current;
          const assignments = sql.join(
            self.map((c) => sql`${ident(c)} = s.${ident(c)}`),
            sql`, `,
          );
          const match = sql.join(
            key.map((c) => sql`t.${ident(c)} = s.${ident(c)}`),
            sql` and `,
          );
          for (let i = 0; i < deferred.length; i += BATCH)
            await tx.execute(
              sql`update ${ident(name)} t set ${assignments}
                  from json_populate_recordset(null::${ident(name)}, ${`[${deferred.slice(i, i + BATCH).join(',')}]`}::json) s
                  where ${match}`,
            );
        }
        deferred = [];
      };
      for await (const line of lines(file)) {
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        if (line.startsWith(mediaPrefix)) {
          // Put in the store before the rows (above).
          await finishTable();
          current = null;
          continue;
        }
        if (line.startsWith('{"@')) {
          const marker = JSON.parse(line) as unknown;
          const table = tableMarker.safeParse(marker);
          if (table.success) {
            await finishTable();
            const target = info.get(table.data['@table']);
            const source = expected.get(table.data['@table']);
            if (!target || !source) throw new AppError('backup_unreadable', { table: table.data['@table'] });
            const missing = source.columns.filter((c) => !target.columns.includes(c));
            if (missing.length > 0) throw new AppError('backup_unreadable', { table: target.name, missing });
            current = {
              name: target.name,
              columns: source.columns,
              self: target.selfColumns,
              key: target.primaryKey,
            };
            continue;
          }
          if (endMarker.safeParse(marker).success) {
            await finishTable();
            ended = true;
            break;
          }
        }
        if (!current) throw new AppError('backup_unreadable');
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      }
      if (!ended) throw new AppError('backup_unreadable', { reason: 'the file ends before its last table' });
      for (const table of header.tables)
        if ((loaded.get(table.name) ?? 0) !== table.rows)
          throw new AppError('backup_unreadable', {
            table: table.name,
            expected: table.rows,
            found: loaded.get(table.name) ?? 0,
          });
      // Identity columns continue after the highest restored value.
      for (const table of info.values())
        for (const column of table.identity)
          await tx.execute(
            sql`select setval(pg_get_serial_sequence(${table.name}, ${column}),
                              coalesce((select max(${ident(column)}) from ${ident(table.name)}), 0) + 1, false)`,
          );
      return loaded;
    });
    await database.migrate();
    return { header, rows: Object.fromEntries(counts) as Record<string, number>, media };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
