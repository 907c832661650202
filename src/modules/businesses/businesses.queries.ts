import { and, asc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, people } from '../../db/schema.ts';

export type BusinessScope = { kecamatanCode?: string | null; ownerId?: string | null };

export type BusinessFilter = {
  q?: string | undefined;
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  kbli?: string | undefined;
  status?: 'aktif' | 'tidak_aktif' | 'tutup' | undefined;
  covidImpacted?: boolean | undefined;
};

const businessColumns = {
  business: businesses,
  owner: people,
};

export function scopeWhere(scope: BusinessScope): SQL | undefined {
  return and(
    scope.kecamatanCode ? eq(businesses.kecamatanCode, scope.kecamatanCode) : undefined,
    scope.ownerId ? eq(businesses.ownerId, scope.ownerId) : undefined,
  );
}

function filterWhere(filter: BusinessFilter): SQL | undefined {
  const q = filter.q?.trim();
  const digits = q?.replace(/[\s.+-]/g, '') ?? '';
  let search: SQL | undefined;
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    search = or(
      ilike(businesses.name, like),
      ilike(people.name, like),
      /^\d{16}$/.test(digits) ? eq(people.nik, digits) : undefined,
      /^\d{8,15}$/.test(digits) ? ilike(people.phone, `%${digits.replace(/^0/, '')}`) : undefined,
    );
  }
  return and(
    search,
    filter.kecamatan ? eq(businesses.kecamatanCode, filter.kecamatan) : undefined,
    filter.kelurahan ? eq(businesses.regionCode, filter.kelurahan) : undefined,
    filter.kbli ? eq(businesses.kbli, filter.kbli) : undefined,
    filter.status ? eq(businesses.status, filter.status) : undefined,
    filter.covidImpacted === undefined ? undefined : eq(businesses.covidImpacted, filter.covidImpacted),
  );
}

export async function listBusinesses(
  db: DbOrTx,
  scope: BusinessScope,
  filter: BusinessFilter,
  page: { limit: number; after: [string, string] | null },
) {
  const after = page.after
    ? sql`(lower(${businesses.name}), ${businesses.id}) > (${page.after[0]}, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(scopeWhere(scope), filterWhere(filter), after))
    .orderBy(asc(sql`lower(${businesses.name})`), asc(businesses.id))
    .limit(page.limit + 1);
}

export async function getBusiness(db: DbOrTx, scope: BusinessScope, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(eq(businesses.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function getBusinessForUpdate(db: DbOrTx, scope: BusinessScope, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(eq(businesses.id, id), scopeWhere(scope)))
    .for('update', { of: businesses });
  return row ?? null;
}

export async function getPersonByNik(db: DbOrTx, nik: string) {
  const [row] = await db.select().from(people).where(eq(people.nik, nik));
  return row ?? null;
}

export async function insertPerson(db: DbOrTx, values: typeof people.$inferInsert) {
  const [row] = await db.insert(people).values(values).returning();
  return row!;
}

export async function updatePerson(db: DbOrTx, id: string, values: Partial<typeof people.$inferInsert>) {
  const [row] = await db
    .update(people)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(people.id, id))
    .returning();
  return row!;
}

export async function insertBusiness(db: DbOrTx, values: typeof businesses.$inferInsert) {
  const [row] = await db.insert(businesses).values(values).returning();
  return row!;
}

export async function updateBusiness(db: DbOrTx, id: string, values: Partial<typeof businesses.$inferInsert>) {
  const [row] = await db
    .update(businesses)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(businesses.id, id))
    .returning();
  return row!;
}

export async function getBusinessFacts(db: DbOrTx, id: string) {
  const [row] = await db
    .select(businessColumns)
    .from(businesses)
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(eq(businesses.id, id));
  return row ?? null;
}
