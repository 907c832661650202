import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './client.ts';
import { queryRows } from './sql-rows.ts';

// The registry's secondary indexes and its owner foreign key: what a first load into an empty
// registry drops before it writes and builds again once at the end (src/modules/imports,
// bulk mode), because building an index over a million rows costs a fraction of maintaining it
// row by row. The primary keys and the unique keys the import matches on (people.nik,
// businesses.ref, businesses owner + name) stay.
//
// Each statement is the migrations' own definition, character for character where it matters:
// registry-indexes.test.ts drops them all, runs these, and compares pg_indexes and
// pg_constraint with a freshly migrated database, so the list cannot drift from the
// migrations. A new index on people or businesses goes into a migration AND here.
export type RegistryIndex = {
  name: string;
  table: 'people' | 'businesses';
  kind: 'index' | 'foreign key';
  create: string;
};

const index = (name: string, table: RegistryIndex['table'], definition: string): RegistryIndex => ({
  name,
  table,
  kind: 'index',
  create: `CREATE INDEX IF NOT EXISTS "${name}" ON "${table}" ${definition}`,
});

// A business's size class (sizeClassIndexExpression in businesses/businesses.queries.ts); its
// index leaves out the micro businesses, nearly all of them (migration namesearch3_sql).
const sizeClassSql = `(case when annual_turnover is not null then case when annual_turnover <= 2000000000 then 'mikro' when annual_turnover <= 15000000000 then 'kecil' when annual_turnover <= 50000000000 then 'menengah' else 'besar' end when capital is not null then case when capital <= 1000000000 then 'mikro' when capital <= 5000000000 then 'kecil' when capital <= 10000000000 then 'menengah' else 'besar' end end)`;

export const registryIndexes: readonly RegistryIndex[] = [
  index('people_merged_into_idx', 'people', '("merged_into", "id") WHERE "merged_into" IS NOT NULL'),
  index('people_phone_idx', 'people', '("phone")'),
  index('businesses_owner_idx', 'businesses', '("owner_id")'),
  index(
    'businesses_name_terms_idx',
    'businesses',
    'USING gin ((search || owner_search || array_to_tsvector(ARRAY[registry_name_stretch(name)])))',
  ),
  index('businesses_name_order_idx', 'businesses', '(lower("name"), "id") INCLUDE ("name")'),
  index('businesses_kecamatan_name_idx', 'businesses', '("kecamatan_code", lower("name"), "id")'),
  index('businesses_region_name_idx', 'businesses', '("region_code", lower("name"), "id")'),
  index('businesses_kbli_name_idx', 'businesses', '("kbli", lower("name"), "id")'),
  index(
    'businesses_size_name_idx',
    'businesses',
    `(${sizeClassSql}, lower("name"), "id") WHERE ${sizeClassSql} <> 'mikro'`,
  ),
  {
    name: 'businesses_owner_id_people_id_fk',
    table: 'businesses',
    kind: 'foreign key',
    // Added back in one pass over the table: a set-wise check instead of a trigger per row.
    create:
      'ALTER TABLE "businesses" ADD CONSTRAINT "businesses_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "people"("id")',
  },
];

const dropOf = (entry: RegistryIndex) =>
  entry.kind === 'index'
    ? `DROP INDEX IF EXISTS "${entry.name}"`
    : `ALTER TABLE "${entry.table}" DROP CONSTRAINT IF EXISTS "${entry.name}"`;

// The listed indexes and constraints that are not in the database now.
export async function missingRegistryIndexes(db: DbOrTx): Promise<RegistryIndex[]> {
  const present = await queryRows<{ name: string }>(
    db,
    sql`select indexname as name from pg_indexes where schemaname = current_schema()
          and tablename in ('people', 'businesses')
        union all
        select conname from pg_constraint
        where conrelid in (to_regclass('people'), to_regclass('businesses')) and contype = 'f'`,
  );
  const names = new Set(present.map((r) => r.name));
  return registryIndexes.filter((entry) => !names.has(entry.name));
}

export async function dropRegistryIndexes(db: DbOrTx) {
  for (const entry of registryIndexes) await db.execute(sql.raw(dropOf(entry)));
}

// Builds what is missing (all of it after a bulk load; what a crash left out on resume), then
// analyses the tables, so the planner sees the rows it was not told about. The names built.
export async function restoreRegistryIndexes(db: DbOrTx): Promise<string[]> {
  const missing = await missingRegistryIndexes(db);
  for (const entry of missing) await db.execute(sql.raw(entry.create));
  // The foreign key alone changes nothing the planner counts.
  if (missing.some((entry) => entry.kind === 'index'))
    await db.execute(sql.raw('analyze people, businesses'));
  return missing.map((entry) => entry.name);
}

// How long an index takes to build, roughly, for the order of the lanes' queue.
function buildWeight(entry: RegistryIndex): number {
  if (entry.create.includes('USING gin')) return 3;
  if (entry.create.includes('lower("name")') && !entry.create.includes(' WHERE ')) return 2;
  return entry.table === 'businesses' ? 1 : 0;
}

// The end of a bulk load on PostgreSQL: the missing indexes built over `lanes` connections at
// once, each in a transaction of its own, then each table analysed on its own connection. A
// GIN is built by one process in PostgreSQL 15, so two builds side by side use two cores where
// one build after another uses one. The foreign key is left to restoreRegistryIndexes (it
// locks both tables against the builds). Only for a pool: PGlite has one connection. A process
// killed half-way leaves the rest to the resume, which builds whatever is missing.
export async function buildRegistryIndexes(db: Db, lanes = 2): Promise<string[]> {
  const queue = (await missingRegistryIndexes(db))
    .filter((entry) => entry.kind === 'index')
    // longest first, so that the lanes end together: the GIN, then the full B-trees on
    // lower(name) (about 3 s of CPU each at a million businesses), then the small ones
    .sort((a, b) => buildWeight(b) - buildWeight(a));
  const built = queue.map((entry) => entry.name);
  const lane = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const create = entry.create;
      await db.transaction(async (tx) => {
        // sorted in memory; no parallel workers of its own, the lanes are the parallelism
        await tx.execute(sql.raw(`set local maintenance_work_mem = '256MB'`));
        await tx.execute(sql.raw('set local max_parallel_maintenance_workers = 0'));
        await tx.execute(sql.raw(create));
      });
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (built.length > 0)
    await Promise.all(['people', 'businesses'].map((t) => db.execute(sql.raw(`analyze ${t}`))));
  return built;
}
