import { and, asc, eq, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { businesses, people, products } from '../../db/schema.ts';

// Everything but the photo bytes, which only the photo endpoints read.
const productColumns = {
  id: products.id,
  businessId: products.businessId,
  name: products.name,
  description: products.description,
  price: products.price,
  unit: products.unit,
  photoType: products.photoType,
  photoSize: sql<number | null>`octet_length(${products.photo})`.mapWith(Number),
  published: products.published,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
};

export type ProductRow = {
  id: string;
  businessId: string;
  name: string;
  description: string | null;
  price: number;
  unit: string | null;
  photoType: string | null;
  photoSize: number | null;
  published: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export type PageAfter = { limit: number; after: [string, string] | null };

const escapeLike = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const afterKey = (after: [string, string] | null) =>
  after ? sql`(lower(${products.name}), ${products.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined;

const byNameThenId = [asc(sql`lower(${products.name})`), asc(products.id)];

// Listed publicly: published, and the business has not closed.
const listed = and(eq(products.published, true), ne(businesses.status, 'tutup'));

export type PublicFilter = { words: string[]; kecamatan?: string | undefined; id?: string | undefined };

// Every word must match the product name, its description or the business name.
function publicWhere(filter: PublicFilter): SQL | undefined {
  return and(
    listed,
    ...filter.words.map((word) => {
      const like = escapeLike(word);
      return or(ilike(products.name, like), ilike(products.description, like), ilike(businesses.name, like));
    }),
    filter.kecamatan ? eq(businesses.kecamatanCode, filter.kecamatan) : undefined,
    filter.id ? eq(products.id, filter.id) : undefined,
  );
}

// Reads businesses and people directly (read-only, never the NIK): the public catalogue must be one paged query.
export async function listPublicProducts(db: DbOrTx, filter: PublicFilter, page: PageAfter) {
  return db
    .select({
      product: productColumns,
      business: {
        id: businesses.id,
        name: businesses.name,
        kecamatanCode: businesses.kecamatanCode,
        regionCode: businesses.regionCode,
      },
      ownerPhone: people.phone,
    })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(people, eq(people.id, businesses.ownerId))
    .where(and(publicWhere(filter), afterKey(page.after)))
    .orderBy(...byNameThenId)
    .limit(page.limit + 1);
}

export type PublicProductRow = Awaited<ReturnType<typeof listPublicProducts>>[number];

// Same read-only join as above: the kecamatan filter offers only places that have listed products.
export async function listPublicKecamatanCodes(db: DbOrTx) {
  const rows = await db
    .selectDistinct({ code: businesses.kecamatanCode })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(listed)
    .orderBy(asc(businesses.kecamatanCode));
  return rows.map((r) => r.code);
}

export async function getPublicProductPhoto(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ photo: products.photo, photoType: products.photoType })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(eq(products.id, id), listed));
  return row ?? null;
}

export async function getProductPhoto(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ businessId: products.businessId, photo: products.photo, photoType: products.photoType })
    .from(products)
    .where(eq(products.id, id));
  return row ?? null;
}

export async function listProducts(
  db: DbOrTx,
  businessIds: string[] | null,
  page: PageAfter,
): Promise<ProductRow[]> {
  if (businessIds && businessIds.length === 0) return [];
  return db
    .select(productColumns)
    .from(products)
    .where(and(businessIds ? inArray(products.businessId, businessIds) : undefined, afterKey(page.after)))
    .orderBy(...byNameThenId)
    .limit(page.limit + 1);
}

export async function listProductsOfBusiness(db: DbOrTx, businessId: string) {
  return db
    .select({ id: products.id, name: products.name, price: products.price, published: products.published })
    .from(products)
    .where(eq(products.businessId, businessId))
    .orderBy(...byNameThenId);
}

export async function getProduct(db: DbOrTx, id: string): Promise<ProductRow | null> {
  const [row] = await db.select(productColumns).from(products).where(eq(products.id, id));
  return row ?? null;
}

export async function getProductForUpdate(db: DbOrTx, id: string): Promise<ProductRow | null> {
  const [row] = await db.select(productColumns).from(products).where(eq(products.id, id)).for('update');
  return row ?? null;
}

export async function insertProduct(db: DbOrTx, values: typeof products.$inferInsert): Promise<ProductRow> {
  const [row] = await db.insert(products).values(values).returning(productColumns);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateProduct(
  db: DbOrTx,
  id: string,
  values: Partial<Omit<typeof products.$inferInsert, 'id' | 'businessId'>>,
): Promise<ProductRow> {
  const [row] = await db
    .update(products)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(products.id, id))
    .returning(productColumns);
  // Callers hold the row locked (getProductForUpdate), so it cannot have gone.
  if (!row) throw new Error(`product ${id} vanished during update`);
  return row;
}
