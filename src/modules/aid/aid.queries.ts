import { and, asc, desc, eq, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  aidAllocations,
  aidHandoverItems,
  aidHandovers,
  aidStock,
  organisations,
  users,
} from '../../db/schema.ts';
import type { AllocationStatus } from './aid.schema.ts';

// An SOPD officer is limited to the stock of its own organisation; everything an allocation or
// a handover is reached through joins that stock, so one condition scopes all three.
export type AidScope = { organisationId?: string | null };

function scopeWhere(scope: AidScope): SQL | undefined {
  return scope.organisationId ? eq(aidStock.organisationId, scope.organisationId) : undefined;
}

function inserted<T>(row: T | undefined): T {
  if (!row) throw new Error('insert … returning gave no row');
  return row;
}

const organisationColumns = { id: organisations.id, code: organisations.code, name: organisations.name };

const stockColumns = { stock: aidStock, organisation: organisationColumns };

export type StockFilter = {
  budgetYear?: number | undefined;
  organisationId?: string | undefined;
  q?: string | undefined;
};

export async function listStock(
  db: DbOrTx,
  scope: AidScope,
  filter: StockFilter,
  page: { limit: number; after: [number, string, string] | null },
) {
  const q = filter.q?.trim();
  const after = page.after
    ? sql`(${aidStock.budgetYear} < ${page.after[0]} or (${aidStock.budgetYear} = ${page.after[0]}
        and (lower(${aidStock.item}), ${aidStock.id}) > (${page.after[1]}, ${page.after[2]}::uuid)))`
    : undefined;
  return db
    .select(stockColumns)
    .from(aidStock)
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(
      and(
        scopeWhere(scope),
        filter.budgetYear ? eq(aidStock.budgetYear, filter.budgetYear) : undefined,
        filter.organisationId ? eq(aidStock.organisationId, filter.organisationId) : undefined,
        q ? ilike(aidStock.item, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        after,
      ),
    )
    .orderBy(desc(aidStock.budgetYear), asc(sql`lower(${aidStock.item})`), asc(aidStock.id))
    .limit(page.limit + 1);
}

export async function getStock(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select(stockColumns)
    .from(aidStock)
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(and(eq(aidStock.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function getStockForUpdate(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select(stockColumns)
    .from(aidStock)
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(and(eq(aidStock.id, id), scopeWhere(scope)))
    .for('update', { of: aidStock });
  return row ?? null;
}

export async function insertStock(db: DbOrTx, values: typeof aidStock.$inferInsert) {
  const [row] = await db.insert(aidStock).values(values).returning();
  return inserted(row);
}

// A new quantity applies only while it still covers what is allocated; no row means it did not.
export async function updateStock(
  db: DbOrTx,
  id: string,
  values: {
    quantity?: number;
    spec?: string | null;
    unitValue?: number;
    source?: string | null;
    dpaCode?: string | null;
  },
) {
  const [row] = await db
    .update(aidStock)
    .set(values)
    .where(
      and(
        eq(aidStock.id, id),
        values.quantity === undefined ? undefined : sql`${aidStock.allocated} <= ${values.quantity}`,
      ),
    )
    .returning();
  return row ?? null;
}

// The only way stock is taken: the row lock and the condition make concurrent takers queue and
// re-check, so `allocated` never passes `quantity` (the CHECK constraint backs this up).
export async function reserveStock(db: DbOrTx, scope: AidScope, id: string, quantity: number) {
  const [row] = await db
    .update(aidStock)
    .set({ allocated: sql`${aidStock.allocated} + ${quantity}` })
    .where(
      and(
        eq(aidStock.id, id),
        scopeWhere(scope),
        sql`${aidStock.allocated} + ${quantity} <= ${aidStock.quantity}`,
      ),
    )
    .returning();
  return row ?? null;
}

export async function releaseStock(db: DbOrTx, id: string, quantity: number) {
  const [row] = await db
    .update(aidStock)
    .set({ allocated: sql`${aidStock.allocated} - ${quantity}` })
    .where(and(eq(aidStock.id, id), sql`${aidStock.allocated} - ${quantity} >= 0`))
    .returning();
  return row ?? null;
}

export async function getOrganisation(db: DbOrTx, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

export async function getUserProfile(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ displayName: users.displayName, nip: users.nip, position: users.position })
    .from(users)
    .where(eq(users.id, id));
  return row ?? null;
}

const allocationColumns = {
  allocation: aidAllocations,
  stock: {
    id: aidStock.id,
    budgetYear: aidStock.budgetYear,
    item: aidStock.item,
    spec: aidStock.spec,
    unit: aidStock.unit,
    unitValue: aidStock.unitValue,
  },
  organisation: organisationColumns,
  handover: { id: aidHandovers.id, number: aidHandovers.number, handedOverAt: aidHandovers.handedOverAt },
};

export type AllocationRow = Awaited<ReturnType<typeof getAllocation>> & {};

export type AllocationFilter = {
  status?: AllocationStatus | undefined;
  programId?: string | undefined;
  businessId?: string | undefined;
  stockId?: string | undefined;
};

export async function listAllocations(
  db: DbOrTx,
  scope: AidScope,
  filter: AllocationFilter,
  page: { limit: number; after: [string, string] | null },
) {
  // The cursor carries created_at as PostgreSQL text: a JS Date would drop the microseconds.
  const after = page.after
    ? sql`(${aidAllocations.createdAt}, ${aidAllocations.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  return db
    .select({ ...allocationColumns, cursorAt: sql<string>`${aidAllocations.createdAt}::text` })
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .leftJoin(aidHandoverItems, eq(aidHandoverItems.allocationId, aidAllocations.id))
    .leftJoin(aidHandovers, eq(aidHandovers.id, aidHandoverItems.handoverId))
    .where(
      and(
        scopeWhere(scope),
        filter.status ? eq(aidAllocations.status, filter.status) : undefined,
        filter.programId ? eq(aidAllocations.programId, filter.programId) : undefined,
        filter.businessId ? eq(aidAllocations.businessId, filter.businessId) : undefined,
        filter.stockId ? eq(aidAllocations.stockId, filter.stockId) : undefined,
        after,
      ),
    )
    .orderBy(desc(aidAllocations.createdAt), desc(aidAllocations.id))
    .limit(page.limit + 1);
}

export async function getAllocation(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select(allocationColumns)
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .leftJoin(aidHandoverItems, eq(aidHandoverItems.allocationId, aidAllocations.id))
    .leftJoin(aidHandovers, eq(aidHandovers.id, aidHandoverItems.handoverId))
    .where(and(eq(aidAllocations.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function getAllocationForUpdate(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select({ allocation: aidAllocations, stock: aidStock, organisation: organisationColumns })
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(and(eq(aidAllocations.id, id), scopeWhere(scope)))
    .for('update', { of: aidAllocations });
  return row ?? null;
}

export async function insertAllocation(db: DbOrTx, values: typeof aidAllocations.$inferInsert) {
  const [row] = await db.insert(aidAllocations).values(values).returning();
  return inserted(row);
}

// Moves an allocation only out of the statuses given, so a concurrent change cannot be overwritten.
export async function setAllocationSchedule(
  db: DbOrTx,
  id: string,
  values: { plannedAt: string; plannedPlace: string },
) {
  const [row] = await db
    .update(aidAllocations)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(aidAllocations.id, id), eq(aidAllocations.status, 'planned')))
    .returning();
  return row ?? null;
}

export async function setAllocationStatus(
  db: DbOrTx,
  id: string,
  from: AllocationStatus[],
  to: AllocationStatus,
) {
  const [row] = await db
    .update(aidAllocations)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(aidAllocations.id, id), inArray(aidAllocations.status, from)))
    .returning();
  return row ?? null;
}

export async function listAllocationsOfBusiness(db: DbOrTx, businessId: string) {
  return db
    .select({
      id: aidAllocations.id,
      item: aidStock.item,
      quantity: aidAllocations.quantity,
      status: aidAllocations.status,
      sopd: organisations.name,
    })
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(eq(aidAllocations.businessId, businessId))
    .orderBy(asc(aidAllocations.createdAt), asc(aidAllocations.id));
}

// Held until the transaction ends: one BAST number series (SOPD and year) is extended by one
// transaction at a time. The first key namespaces these locks within the database.
export async function lockHandoverNumbering(db: DbOrTx, prefix: string) {
  await db.execute(sql`select pg_advisory_xact_lock(727102, hashtext(${prefix}))`);
}

// The highest serial among numbers that start with `prefix` (e.g. 'BAST/DISKOP/2020/').
export async function lastHandoverSerial(db: DbOrTx, prefix: string) {
  const [row] = await db
    .select({
      serial: sql<number>`coalesce(max(substring(${aidHandovers.number} from '([0-9]+)$')::int), 0)`.mapWith(
        Number,
      ),
    })
    .from(aidHandovers)
    .where(sql`left(${aidHandovers.number}, ${prefix.length}) = ${prefix}`);
  return row?.serial ?? 0;
}

export async function insertHandover(db: DbOrTx, values: typeof aidHandovers.$inferInsert) {
  const [row] = await db.insert(aidHandovers).values(values).returning();
  return inserted(row);
}

const handoverColumns = {
  id: aidHandovers.id,
  allocationId: aidHandovers.allocationId,
  number: aidHandovers.number,
  handedOverAt: aidHandovers.handedOverAt,
  place: aidHandovers.place,
  legalBasis: aidHandovers.legalBasis,
  condition: aidHandovers.condition,
  giverName: aidHandovers.giverName,
  giverNip: aidHandovers.giverNip,
  giverPosition: aidHandovers.giverPosition,
  photoType: aidHandovers.photoType,
  clientKey: aidHandovers.clientKey,
  latitude: aidHandovers.latitude,
  longitude: aidHandovers.longitude,
  signedByRecipient: sql<boolean>`${aidHandovers.recipientSignature} is not null`,
  signedByOfficer: sql<boolean>`${aidHandovers.officerSignature} is not null`,
  businessId: aidAllocations.businessId,
  allocationIds: sql<string[]>`array(select hi.allocation_id::text from aid_handover_items hi
    where hi.handover_id = ${aidHandovers.id} order by hi.position, hi.allocation_id)`,
  createdAt: aidHandovers.createdAt,
};

export type HandoverRow = Awaited<ReturnType<typeof getHandover>> & {};

export async function getHandover(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select(handoverColumns)
    .from(aidHandovers)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(and(eq(aidHandovers.id, id), scopeWhere(scope)));
  return row ?? null;
}

// Everything the BAST prints, photo included.
export async function getHandoverDocument(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select({
      handover: aidHandovers,
      allocation: aidAllocations,
      stock: aidStock,
      organisation: organisationColumns,
    })
    .from(aidHandovers)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(and(eq(aidHandovers.id, id), scopeWhere(scope)));
  return row ?? null;
}

export async function getHandoverPhoto(db: DbOrTx, scope: AidScope, id: string) {
  const [row] = await db
    .select({ photo: aidHandovers.photo, photoType: aidHandovers.photoType })
    .from(aidHandovers)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(and(eq(aidHandovers.id, id), scopeWhere(scope)));
  return row ?? null;
}
