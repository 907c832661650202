import { and, asc, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  aidAllocations,
  aidHandoverItems,
  aidHandovers,
  aidMonitoringVisits,
  aidPackageItems,
  aidPackages,
  aidReallocations,
  aidReturns,
  aidStock,
  applications,
  businesses,
  organisations,
} from '../../db/schema.ts';
import type { AidScope } from './aid.queries.ts';

const organisationColumns = { id: organisations.id, code: organisations.code, name: organisations.name };

function stockScope(scope: AidScope): SQL | undefined {
  return scope.organisationId ? eq(aidStock.organisationId, scope.organisationId) : undefined;
}

// ---- stock totals ----

export async function stockTotals(
  db: DbOrTx,
  scope: AidScope,
  filter: { budgetYear?: number | undefined; organisationId?: string | undefined },
) {
  return db
    .select({
      organisation: organisationColumns,
      budgetYear: aidStock.budgetYear,
      lines: sql<number>`count(*)::int`.mapWith(Number),
      quantity: sql<number>`coalesce(sum(${aidStock.quantity}), 0)::bigint`.mapWith(Number),
      allocated: sql<number>`coalesce(sum(${aidStock.allocated}), 0)::bigint`.mapWith(Number),
      value: sql<number>`coalesce(sum(${aidStock.quantity} * ${aidStock.unitValue}), 0)::bigint`.mapWith(
        Number,
      ),
      allocatedValue:
        sql<number>`coalesce(sum(${aidStock.allocated} * ${aidStock.unitValue}), 0)::bigint`.mapWith(Number),
    })
    .from(aidStock)
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(
      and(
        stockScope(scope),
        filter.budgetYear ? eq(aidStock.budgetYear, filter.budgetYear) : undefined,
        filter.organisationId ? eq(aidStock.organisationId, filter.organisationId) : undefined,
      ),
    )
    .groupBy(organisations.id, organisations.code, organisations.name, aidStock.budgetYear)
    .orderBy(desc(aidStock.budgetYear), asc(organisations.name));
}

// ---- packages ----

export async function insertPackage(db: DbOrTx, values: typeof aidPackages.$inferInsert) {
  const [row] = await db.insert(aidPackages).values(values).returning();
  if (!row) throw new Error('insert … returning gave no row');
  return row;
}

export async function insertPackageItems(db: DbOrTx, values: Array<typeof aidPackageItems.$inferInsert>) {
  await db.insert(aidPackageItems).values(values);
}

export async function listPackageRows(
  db: DbOrTx,
  scope: AidScope,
  filter: { ids?: string[]; budgetYear?: number | undefined },
) {
  return db
    .select({ package: aidPackages, organisation: organisationColumns })
    .from(aidPackages)
    .innerJoin(organisations, eq(organisations.id, aidPackages.organisationId))
    .where(
      and(
        scope.organisationId ? eq(aidPackages.organisationId, scope.organisationId) : undefined,
        filter.ids ? inArray(aidPackages.id, filter.ids) : undefined,
        filter.budgetYear ? eq(aidPackages.budgetYear, filter.budgetYear) : undefined,
      ),
    )
    .orderBy(desc(aidPackages.budgetYear), asc(aidPackages.name))
    .limit(500);
}

export async function listPackageItems(db: DbOrTx, packageIds: string[]) {
  if (packageIds.length === 0) return [];
  return db
    .select({ packageId: aidPackageItems.packageId, quantity: aidPackageItems.quantity, stock: aidStock })
    .from(aidPackageItems)
    .innerJoin(aidStock, eq(aidStock.id, aidPackageItems.stockId))
    .where(inArray(aidPackageItems.packageId, packageIds))
    .orderBy(asc(aidPackageItems.position), asc(aidStock.item));
}

// ---- cohort allocation ----

// Locked in id order, so two bulk allocations over overlapping lines queue instead of deadlocking.
export async function lockStockLines(db: DbOrTx, scope: AidScope, ids: string[]) {
  return db
    .select()
    .from(aidStock)
    .where(and(inArray(aidStock.id, ids), stockScope(scope)))
    .orderBy(asc(aidStock.id))
    .for('update');
}

// The program's graduates in the order they applied (a completed application is a graduate).
export async function listGraduateIds(db: DbOrTx, programId: string) {
  const rows = await db
    .select({ businessId: applications.businessId })
    .from(applications)
    .where(and(eq(applications.programId, programId), eq(applications.status, 'completed')))
    .orderBy(asc(applications.createdAt), asc(applications.id));
  return [...new Set(rows.map((r) => r.businessId))];
}

export async function heldItems(db: DbOrTx, stockIds: string[]) {
  return db
    .select({ stockId: aidAllocations.stockId, businessId: aidAllocations.businessId })
    .from(aidAllocations)
    .where(and(inArray(aidAllocations.stockId, stockIds), ne(aidAllocations.status, 'cancelled')));
}

export async function insertAllocations(db: DbOrTx, values: Array<typeof aidAllocations.$inferInsert>) {
  const ids: string[] = [];
  for (let from = 0; from < values.length; from += 1000) {
    const rows = await db
      .insert(aidAllocations)
      .values(values.slice(from, from + 1000))
      .returning({ id: aidAllocations.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

// Takes `count` units while they last; no row means they did not (the CHECK backs this up).
export async function takeStock(db: DbOrTx, id: string, count: number) {
  const [row] = await db
    .update(aidStock)
    .set({ allocated: sql`${aidStock.allocated} + ${count}` })
    .where(and(eq(aidStock.id, id), sql`${aidStock.allocated} + ${count} <= ${aidStock.quantity}`))
    .returning();
  return row ?? null;
}

// ---- handovers ----

export async function findHandoverIdByClientKey(db: DbOrTx, scope: AidScope, key: string) {
  const [row] = await db
    .select({ id: aidHandovers.id })
    .from(aidHandovers)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(and(eq(aidHandovers.clientKey, key), stockScope(scope)));
  return row?.id ?? null;
}

export async function lockAllocations(db: DbOrTx, scope: AidScope, ids: string[]) {
  return db
    .select({ allocation: aidAllocations, stock: aidStock, organisation: organisationColumns })
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(organisations, eq(organisations.id, aidStock.organisationId))
    .where(and(inArray(aidAllocations.id, ids), stockScope(scope)))
    .orderBy(asc(aidAllocations.id))
    .for('update', { of: aidAllocations });
}

export async function insertHandoverItems(db: DbOrTx, values: Array<typeof aidHandoverItems.$inferInsert>) {
  await db.insert(aidHandoverItems).values(values);
}

export async function setAllocationsStatus(
  db: DbOrTx,
  ids: string[],
  from: Array<(typeof aidAllocations.$inferSelect)['status']>,
  to: (typeof aidAllocations.$inferSelect)['status'],
) {
  return db
    .update(aidAllocations)
    .set({ status: to, updatedAt: new Date() })
    .where(and(inArray(aidAllocations.id, ids), inArray(aidAllocations.status, from)))
    .returning({ id: aidAllocations.id });
}

export async function listHandoverItems(db: DbOrTx, handoverId: string) {
  return db
    .select({ allocation: aidAllocations, stock: aidStock })
    .from(aidHandoverItems)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandoverItems.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(eq(aidHandoverItems.handoverId, handoverId))
    .orderBy(asc(aidHandoverItems.position), asc(aidAllocations.id));
}

export async function getHandoverSignatures(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ recipient: aidHandovers.recipientSignature, officer: aidHandovers.officerSignature })
    .from(aidHandovers)
    .where(eq(aidHandovers.id, id));
  return row ?? null;
}

export async function listHandoverIds(
  db: DbOrTx,
  scope: AidScope,
  filter: { businessId?: string | undefined },
  limit: number,
) {
  const rows = await db
    .select({ id: aidHandovers.id })
    .from(aidHandovers)
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(
      and(
        stockScope(scope),
        filter.businessId ? eq(aidAllocations.businessId, filter.businessId) : undefined,
      ),
    )
    .orderBy(desc(aidHandovers.handedOverAt), desc(aidHandovers.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

// ---- returns and reallocations ----

export async function lockHandoverAllocation(
  db: DbOrTx,
  scope: AidScope,
  handoverId: string,
  allocationId: string,
) {
  const [row] = await db
    .select({ allocation: aidAllocations, handover: { id: aidHandovers.id, number: aidHandovers.number } })
    .from(aidHandoverItems)
    .innerJoin(aidHandovers, eq(aidHandovers.id, aidHandoverItems.handoverId))
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandoverItems.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(
      and(
        eq(aidHandoverItems.handoverId, handoverId),
        eq(aidHandoverItems.allocationId, allocationId),
        stockScope(scope),
      ),
    )
    .for('update', { of: aidAllocations });
  return row ?? null;
}

export async function countDocumentsWithPrefix(
  db: DbOrTx,
  table: 'returns' | 'reallocations',
  prefix: string,
) {
  const t = table === 'returns' ? aidReturns : aidReallocations;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(t)
    .where(sql`left(${t.number}, ${prefix.length}) = ${prefix}`);
  return row?.n ?? 0;
}

export async function insertReturn(db: DbOrTx, values: typeof aidReturns.$inferInsert) {
  const [row] = await db.insert(aidReturns).values(values).returning();
  if (!row) throw new Error('insert … returning gave no row');
  return row;
}

export async function releaseUnits(db: DbOrTx, stockId: string, count: number) {
  const [row] = await db
    .update(aidStock)
    .set({ allocated: sql`${aidStock.allocated} - ${count}` })
    .where(and(eq(aidStock.id, stockId), sql`${aidStock.allocated} - ${count} >= 0`))
    .returning();
  return row ?? null;
}

const returnColumns = {
  ret: aidReturns,
  bastNumber: aidHandovers.number,
  programId: aidAllocations.programId,
  stockId: aidAllocations.stockId,
  quantity: aidAllocations.quantity,
  reallocation: {
    id: aidReallocations.id,
    number: aidReallocations.number,
    allocationId: aidReallocations.allocationId,
  },
};

export async function listReturnRows(
  db: DbOrTx,
  scope: AidScope,
  filter: { id?: string; handoverId?: string },
) {
  return db
    .select(returnColumns)
    .from(aidReturns)
    .innerJoin(aidHandovers, eq(aidHandovers.id, aidReturns.handoverId))
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidReturns.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .leftJoin(aidReallocations, eq(aidReallocations.returnId, aidReturns.id))
    .where(
      and(
        stockScope(scope),
        filter.id ? eq(aidReturns.id, filter.id) : undefined,
        filter.handoverId ? eq(aidReturns.handoverId, filter.handoverId) : undefined,
      ),
    )
    .orderBy(asc(aidReturns.createdAt), asc(aidReturns.id));
}

export async function insertReallocation(db: DbOrTx, values: typeof aidReallocations.$inferInsert) {
  const [row] = await db.insert(aidReallocations).values(values).returning();
  if (!row) throw new Error('insert … returning gave no row');
  return row;
}

// ---- monitoring visits ----

export async function insertVisit(db: DbOrTx, values: typeof aidMonitoringVisits.$inferInsert) {
  const [row] = await db.insert(aidMonitoringVisits).values(values).returning({ id: aidMonitoringVisits.id });
  if (!row) throw new Error('insert … returning gave no row');
  return row.id;
}

export async function listVisitRows(
  db: DbOrTx,
  scope: AidScope,
  filter: { handoverId?: string | undefined; businessId?: string | undefined; id?: string },
) {
  return db
    .select({
      id: aidMonitoringVisits.id,
      handoverId: aidMonitoringVisits.handoverId,
      bastNumber: aidHandovers.number,
      businessId: aidAllocations.businessId,
      allocationId: aidMonitoringVisits.allocationId,
      visitedAt: aidMonitoringVisits.visitedAt,
      inUse: aidMonitoringVisits.inUse,
      condition: aidMonitoringVisits.condition,
      note: aidMonitoringVisits.note,
      hasPhoto: sql<boolean>`${aidMonitoringVisits.photo} is not null`,
      createdAt: aidMonitoringVisits.createdAt,
    })
    .from(aidMonitoringVisits)
    .innerJoin(aidHandovers, eq(aidHandovers.id, aidMonitoringVisits.handoverId))
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidHandovers.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .where(
      and(
        stockScope(scope),
        filter.id ? eq(aidMonitoringVisits.id, filter.id) : undefined,
        filter.handoverId ? eq(aidMonitoringVisits.handoverId, filter.handoverId) : undefined,
        filter.businessId ? eq(aidAllocations.businessId, filter.businessId) : undefined,
      ),
    )
    .orderBy(desc(aidMonitoringVisits.visitedAt), desc(aidMonitoringVisits.createdAt))
    .limit(500);
}

// ---- rekap ----

export async function rekapItems(db: DbOrTx, organisationId: string, budgetYear: number) {
  return db
    .select({
      stock: aidStock,
      handedOver: sql<number>`coalesce((select sum(a.quantity) from aid_allocations a
        where a.stock_id = aid_stock.id and a.status in ('handed_over', 'received', 'returned', 'written_off')), 0)::int`.mapWith(
        Number,
      ),
      returned:
        sql<number>`coalesce((select sum(a.quantity) from aid_returns r join aid_allocations a on a.id = r.allocation_id
        where a.stock_id = aid_stock.id and r.kind = 'return'), 0)::int`.mapWith(Number),
      writtenOff:
        sql<number>`coalesce((select sum(a.quantity) from aid_returns r join aid_allocations a on a.id = r.allocation_id
        where a.stock_id = aid_stock.id and r.kind = 'write_off'), 0)::int`.mapWith(Number),
    })
    .from(aidStock)
    .where(and(eq(aidStock.organisationId, organisationId), eq(aidStock.budgetYear, budgetYear)))
    .orderBy(asc(aidStock.item), asc(aidStock.id));
}

// Items handed over (and not returned) per kecamatan of the recipient.
export async function rekapByKecamatan(db: DbOrTx, organisationId: string, budgetYear: number) {
  return db
    .select({
      kecamatanCode: businesses.kecamatanCode,
      recipients: sql<number>`count(distinct ${aidAllocations.businessId})::int`.mapWith(Number),
      quantity: sql<number>`coalesce(sum(${aidAllocations.quantity}), 0)::int`.mapWith(Number),
      value:
        sql<number>`coalesce(sum(${aidAllocations.quantity} * ${aidStock.unitValue}), 0)::bigint`.mapWith(
          Number,
        ),
    })
    .from(aidAllocations)
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(businesses, eq(businesses.id, aidAllocations.businessId))
    .where(
      and(
        eq(aidStock.organisationId, organisationId),
        eq(aidStock.budgetYear, budgetYear),
        inArray(aidAllocations.status, ['handed_over', 'received']),
      ),
    )
    .groupBy(businesses.kecamatanCode)
    .orderBy(asc(businesses.kecamatanCode));
}

export async function rekapReturns(db: DbOrTx, organisationId: string, budgetYear: number) {
  return db
    .select({
      number: aidReturns.number,
      bastNumber: aidHandovers.number,
      kind: aidReturns.kind,
      condition: aidReturns.condition,
      reason: aidReturns.reason,
      createdAt: aidReturns.createdAt,
      item: aidStock.item,
      quantity: aidAllocations.quantity,
      unitValue: aidStock.unitValue,
      businessName: businesses.name,
    })
    .from(aidReturns)
    .innerJoin(aidHandovers, eq(aidHandovers.id, aidReturns.handoverId))
    .innerJoin(aidAllocations, eq(aidAllocations.id, aidReturns.allocationId))
    .innerJoin(aidStock, eq(aidStock.id, aidAllocations.stockId))
    .innerJoin(businesses, eq(businesses.id, aidAllocations.businessId))
    .where(and(eq(aidStock.organisationId, organisationId), eq(aidStock.budgetYear, budgetYear)))
    .orderBy(asc(aidReturns.createdAt), asc(aidReturns.id));
}
