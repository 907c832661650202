import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { type Database, databaseOverPglite, openDatabase } from '../db/client.ts';
import { preparePgliteTemplate } from './template.ts';

// PGlite databases lent to test files and emptied back to the template when returned.
//
// Starting PGlite from the template costs about a second of CPU (reading the 43 MB tar into
// its in-memory file system, then starting PostgreSQL); emptying a used instance costs a
// fifth of that: the tables that hold rows are truncated, the sequences restarted, the
// session reset (docs/testing.md, "Fourth stop"). The pool lives as long as the test worker,
// which runs the files of one project one after another (`isolate: false`).
//
// An instance whose schema is no longer the template's (a test restored a backup into it,
// created a table, dropped a trigger) is closed, not lent again: what is compared is the
// catalogue of everything a migration could have made.

const maxIdle = 2;
const idle: PGlite[] = [];
let templateFingerprint: Promise<string> | undefined;
let starts = 0;

// How many instances this process started from the template (the pool's own test reads it).
export const pglitePoolStarts = () => starts;

export async function lendPgliteDatabase(): Promise<Database> {
  const client = idle.pop() ?? (await startFromTemplate());
  let lent = true;
  // What a test file holds stops working once it is returned: a job worker or timer it left
  // running fails loudly instead of writing into the next file's database.
  const guarded = new Proxy(client, {
    get(target, property) {
      if (!lent) throw new Error('this test database was returned to the pool (closed)');
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const database = databaseOverPglite(guarded);
  database.close = async () => {
    if (!lent) return;
    lent = false;
    await giveBack(client);
  };
  return database;
}

async function startFromTemplate(): Promise<PGlite> {
  starts++;
  const database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteTemplate()) });
  const client = database.pglite;
  if (!client) throw new Error('PGlite expected');
  await client.waitReady;
  templateFingerprint ??= fingerprintOf(client);
  await templateFingerprint;
  return client;
}

async function giveBack(client: PGlite) {
  if (process.env.PULIH_TEST_PGLITE_POOL !== 'off' && !client.closed) {
    const emptied = await withinBound(emptyToTemplate(client), 30_000).catch(() => false);
    if (emptied && idle.length < maxIdle) {
      idle.push(client);
      return;
    }
  }
  // Not awaited: a transaction a test left open would hold the instance's lock for ever.
  void client.close().catch(() => undefined);
}

// True when the instance holds the template again.
async function emptyToTemplate(client: PGlite): Promise<boolean> {
  if ((await fingerprintOf(client)) !== (await templateFingerprint)) return false;
  // The template's tables are all empty, and an empty table that was never written has no
  // pages: so a table with pages is one to truncate (rows, or dead rows of a delete).
  const written = await client.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and pg_relation_size(c.oid) > 0`,
  );
  if (written.rows.length > 0) {
    await client.exec(`truncate ${written.rows.map((r) => r.name).join(', ')} cascade`);
  }
  const used = await client.query<{ name: string }>(
    `select format('%I.%I', schemaname, sequencename) as name
       from pg_sequences where schemaname = 'public' and last_value is not null`,
  );
  for (const { name } of used.rows) await client.exec(`alter sequence ${name} restart`);
  // Settings, temporary tables, advisory locks, prepared statements, LISTEN.
  await client.exec('discard all');
  return true;
}

// Everything a migration (or a test's DDL) could change, by object id: a table dropped and
// made again under the same name has another id. Row counts of the migrations' own table too.
function fingerprintOf(client: PGlite): Promise<string> {
  return client
    .query<{ fingerprint: string }>(
      `select md5(string_agg(entry, ';' order by entry)) as fingerprint from (
         select 'class' || row(c.oid, c.relname, c.relkind, c.relnamespace, c.relpersistence,
                               c.relrowsecurity, c.relreplident)::text as entry
           from pg_class c
          where c.relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
            and c.relnamespace::regnamespace::text not like 'pg\\_toast%'
         union all select 'attribute' || row(attrelid, attname, atttypid, atttypmod, attnotnull,
                                             atthasdef, attisdropped, attgenerated)::text
           from pg_attribute where attrelid >= 16384
         union all select 'default' || row(oid, adrelid, adnum, md5(adbin::text))::text from pg_attrdef
         union all select 'constraint' || row(oid, conname, conrelid, convalidated)::text
           from pg_constraint where oid >= 16384
         union all select 'function' || row(oid, proname, md5(prosrc), proconfig)::text
           from pg_proc where oid >= 16384
         union all select 'trigger' || row(oid, tgname, tgenabled)::text from pg_trigger where oid >= 16384
         union all select 'rule' || row(oid, md5(ev_action::text))::text from pg_rewrite where oid >= 16384
         union all select 'enum' || row(oid, enumlabel)::text from pg_enum
         union all select 'namespace' || row(oid, nspname)::text from pg_namespace
         union all select 'role' || row(oid, rolname)::text from pg_authid
         union all select 'setting' || row(setdatabase, setrole, setconfig)::text from pg_db_role_setting
         union all select 'extension' || row(oid, extname, extversion)::text from pg_extension
         union all select 'large objects' || count(*) from pg_largeobject_metadata
         union all select 'migrations' || row(count(*), max(created_at))::text from drizzle.__drizzle_migrations
       ) catalogue`,
    )
    .then((result) => result.rows[0]?.fingerprint ?? '');
}

function withinBound<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bound')), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
