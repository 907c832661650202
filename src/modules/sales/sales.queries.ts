import { and, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, sales } from '../../db/schema.ts';

export type SaleRow = typeof sales.$inferSelect;
export type Period = { from?: string | undefined; to?: string | undefined };

const total = sql<number>`coalesce(sum(${sales.amount}), 0)`.mapWith(Number);
const count = sql<number>`count(*)`.mapWith(Number);

function within(period: Period): SQL | undefined {
  return and(
    period.from ? gte(sales.date, period.from) : undefined,
    period.to ? lte(sales.date, period.to) : undefined,
  );
}

export async function insertSales(db: DbOrTx, values: (typeof sales.$inferInsert)[]): Promise<SaleRow[]> {
  if (values.length === 0) return [];
  return db.insert(sales).values(values).returning();
}

// Newest first: by date, then id.
export async function listSales(
  db: DbOrTx,
  businessId: string,
  period: Period,
  page: { limit: number; after: [string, string] | null },
): Promise<SaleRow[]> {
  return db
    .select()
    .from(sales)
    .where(
      and(
        eq(sales.businessId, businessId),
        within(period),
        page.after
          ? sql`(${sales.date}, ${sales.id}) < (${page.after[0]}::date, ${page.after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(sales.date), desc(sales.id))
    .limit(page.limit + 1);
}

export async function totalOfBusiness(db: DbOrTx, businessId: string, period: Period) {
  const where = and(eq(sales.businessId, businessId), within(period));
  const [all] = await db.select({ total, count }).from(sales).where(where);
  const byChannel = await db
    .select({ channel: sales.channel, total, count })
    .from(sales)
    .where(where)
    .groupBy(sales.channel)
    .orderBy(desc(total));
  const month = sql<string>`to_char(${sales.date}, 'YYYY-MM')`;
  const byMonth = await db
    .select({ month, total, count })
    .from(sales)
    .where(where)
    .groupBy(month)
    .orderBy(month);
  return { total: all?.total ?? 0, count: all?.count ?? 0, byChannel, byMonth };
}

// Per business, the sum and number of its sales in each period asked for (one statement).
export async function totalsOfBusinesses(db: DbOrTx, businessIds: string[], period: Period) {
  if (businessIds.length === 0) return new Map<string, { total: number; count: number }>();
  const rows = await db
    .select({ businessId: sales.businessId, total, count })
    .from(sales)
    .where(and(inArray(sales.businessId, businessIds), within(period)))
    .groupBy(sales.businessId);
  return new Map(rows.map((r) => [r.businessId, { total: r.total, count: r.count }]));
}

export async function totalsOfEvent(db: DbOrTx, eventId: string) {
  return db
    .select({ businessId: sales.businessId, total, count })
    .from(sales)
    .where(eq(sales.eventId, eventId))
    .groupBy(sales.businessId);
}

// The businesses that sold anything in the period, with their totals, largest first; held to a
// kecamatan when given. Reads the registry (read-only) for the kecamatan and the name, so that
// the list scopes and orders in one statement. Also for the outcomes' "selling" step:
// listBusinessesWithSales(db, { from, to }) answers who sold in a period.
export async function listBusinessesWithSales(
  db: DbOrTx,
  filter: Period & { kecamatanCode?: string | undefined; limit?: number | undefined },
) {
  return db
    .select({
      businessId: sales.businessId,
      businessName: businesses.name,
      kecamatanCode: businesses.kecamatanCode,
      total,
      count,
      firstDate: sql<string>`min(${sales.date})::text`,
      lastDate: sql<string>`max(${sales.date})::text`,
    })
    .from(sales)
    .innerJoin(businesses, eq(businesses.id, sales.businessId))
    .where(
      and(
        within(filter),
        filter.kecamatanCode ? eq(businesses.kecamatanCode, filter.kecamatanCode) : undefined,
      ),
    )
    .groupBy(sales.businessId, businesses.name, businesses.kecamatanCode)
    .orderBy(desc(total), sales.businessId)
    .limit(filter.limit ?? 100_000);
}

// A condition, for a set-based read model: the business (a column or value) recorded at least one
// sale dated after the given day. Used by the outcomes' funnel ("selling": a graduate with sales
// recorded after the program's last day), one index probe per row on (business_id, date).
export function soldAfter(businessId: SQL, afterDay: SQL): SQL {
  return sql`exists (select 1 from sales sa where sa.business_id = ${businessId} and sa.date > ${afterDay})`;
}

export async function totalInKecamatan(db: DbOrTx, filter: Period & { kecamatanCode?: string | undefined }) {
  const [row] = await db
    .select({ total, count, businesses: sql<number>`count(distinct ${sales.businessId})`.mapWith(Number) })
    .from(sales)
    .innerJoin(businesses, eq(businesses.id, sales.businessId))
    .where(
      and(
        within(filter),
        filter.kecamatanCode ? eq(businesses.kecamatanCode, filter.kecamatanCode) : undefined,
      ),
    );
  return row ?? { total: 0, count: 0, businesses: 0 };
}
