import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { orderClicks, products, storefronts } from '../../db/schema.ts';

export type StorefrontRow = typeof storefronts.$inferSelect;

export async function getStorefront(db: DbOrTx, businessId: string): Promise<StorefrontRow | null> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.businessId, businessId));
  return row ?? null;
}

export async function getStorefrontBySlug(db: DbOrTx, slug: string): Promise<StorefrontRow | null> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.slug, slug));
  return row ?? null;
}

// Inserts the storefront with this slug unless the business has one or the slug is taken:
// answers the row inserted, or null (the caller tries the next slug or reads the existing row).
export async function insertStorefrontIfFree(db: DbOrTx, businessId: string, slug: string) {
  const [row] = await db.insert(storefronts).values({ businessId, slug }).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateStorefront(
  db: DbOrTx,
  businessId: string,
  values: Partial<Omit<typeof storefronts.$inferInsert, 'businessId'>>,
): Promise<StorefrontRow> {
  const [row] = await db
    .update(storefronts)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(storefronts.businessId, businessId))
    .returning();
  if (!row) throw new Error(`storefront of ${businessId} vanished during update`);
  return row;
}

// One more click on the product's order link on this office day: a counter, nothing else.
export async function countOrderClick(db: DbOrTx, productId: string, businessId: string, day: string) {
  await db
    .insert(orderClicks)
    .values({ productId, businessId, day, clicks: 1 })
    .onConflictDoUpdate({
      target: [orderClicks.productId, orderClicks.day],
      set: { clicks: sql`${orderClicks.clicks} + 1` },
    });
}

export async function listOrderClicks(db: DbOrTx, businessId: string, fromDay: string) {
  return db
    .select({ productId: orderClicks.productId, day: orderClicks.day, clicks: orderClicks.clicks })
    .from(orderClicks)
    .where(and(eq(orderClicks.businessId, businessId), gte(orderClicks.day, fromDay)))
    .orderBy(desc(orderClicks.day), asc(orderClicks.productId));
}

// The businesses with at least one publicly listed product, with their storefront's slug when
// it was made, the newest product change first (the sitemap).
export async function listListedBusinesses(db: DbOrTx, limit: number) {
  return db
    .select({
      businessId: products.businessId,
      slug: storefronts.slug,
      updatedAt: sql<Date>`max(${products.updatedAt})`.mapWith((v) => new Date(v)),
    })
    .from(products)
    .leftJoin(storefronts, eq(storefronts.businessId, products.businessId))
    .where(eq(products.listed, true))
    .groupBy(products.businessId, storefronts.slug)
    .orderBy(desc(sql`max(${products.updatedAt})`), asc(products.businessId))
    .limit(limit);
}
