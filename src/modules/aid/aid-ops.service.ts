import { aidScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail, uniqueViolation } from '../../lib/errors.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getProgramRow, hasCompleted } from '../programs/programs.service.ts';
import {
  getHandover,
  getOrganisation,
  getStock,
  insertAllocation,
  lockHandoverNumbering,
  reserveStock,
  setAllocationStatus,
} from './aid.queries.ts';
import type {
  AidPackage,
  AidReturn,
  BulkAllocationBody,
  BulkAllocationResult,
  CreatePackageBody,
  ItemCondition,
  MonitoringVisit,
  ReturnBody,
  StockTotal,
  VisitBody,
} from './aid.schema.ts';
import { decodePhoto, getHandoverItem } from './aid.service.ts';
import {
  countDocumentsWithPrefix,
  heldItems,
  insertAllocations,
  insertPackage,
  insertPackageItems,
  insertReallocation,
  insertReturn,
  insertVisit,
  listGraduateIds,
  listHandoverIds,
  listPackageItems,
  listPackageRows,
  listReturnRows,
  listVisitRows,
  lockHandoverAllocation,
  lockStockLines,
  releaseUnits,
  stockTotals,
  takeStock,
} from './aid-ops.queries.ts';

// ---- totals per SOPD and budget year ----

export async function listStockTotals(
  ctx: AppContext,
  actor: Actor,
  filter: { budgetYear?: number | undefined; organisationId?: string | undefined },
): Promise<StockTotal[]> {
  const rows = await stockTotals(ctx.db, aidScope(actor), filter);
  return rows.map((r) => ({ ...r, remaining: r.quantity - r.allocated }));
}

// ---- packages ----

async function presentPackages(
  ctx: AppContext,
  actor: Actor,
  filter: { ids?: string[]; budgetYear?: number },
) {
  const rows = await listPackageRows(ctx.db, aidScope(actor), filter);
  const items = await listPackageItems(
    ctx.db,
    rows.map((r) => r.package.id),
  );
  return rows.map(({ package: p, organisation }): AidPackage => {
    const mine = items.filter((i) => i.packageId === p.id);
    return {
      id: p.id,
      organisation,
      name: p.name,
      budgetYear: p.budgetYear,
      items: mine.map((i) => ({
        stockId: i.stock.id,
        item: i.stock.item,
        spec: i.stock.spec,
        unit: i.stock.unit,
        unitValue: i.stock.unitValue,
        quantity: i.quantity,
        remaining: i.stock.quantity - i.stock.allocated,
      })),
      value: mine.reduce((sum, i) => sum + i.quantity * i.stock.unitValue, 0),
      createdAt: p.createdAt,
    };
  });
}

export async function listPackages(
  ctx: AppContext,
  actor: Actor,
  filter: { budgetYear?: number | undefined },
) {
  return presentPackages(ctx, actor, filter.budgetYear ? { budgetYear: filter.budgetYear } : {});
}

export async function getPackage(ctx: AppContext, actor: Actor, id: string) {
  const [found] = await presentPackages(ctx, actor, { ids: [id] });
  return found ?? fail('not_found');
}

export async function createPackage(ctx: AppContext, actor: Actor, body: CreatePackageBody) {
  let organisationId: string;
  if (!can(actor, 'actForAnyOrganisation')) {
    if (body.organisationId && body.organisationId !== actor.organisationId) fail('forbidden');
    organisationId = actor.organisationId ?? fail('forbidden');
  } else {
    organisationId =
      body.organisationId ??
      fail('validation_failed', [
        { path: 'body.organisationId', message: 'Name the SOPD the package belongs to' },
      ]);
    (await getOrganisation(ctx.db, organisationId)) ?? fail('not_found', { field: 'organisationId' });
  }
  const scope = aidScope(actor);
  const stockIds = [...new Set(body.items.map((i) => i.stockId))];
  if (stockIds.length !== body.items.length)
    fail('validation_failed', [{ path: 'body.items', message: 'Each stock line once' }]);
  for (const stockId of stockIds) {
    const stock =
      (await getStock(ctx.db, scope, stockId)) ?? fail('not_found', { field: 'stockId', stockId });
    if (stock.stock.organisationId !== organisationId) fail('not_found', { field: 'stockId', stockId });
  }
  let id: string;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const row = await insertPackage(tx, {
        organisationId,
        name: body.name,
        budgetYear: body.budgetYear,
        createdBy: actor.userId,
      });
      await insertPackageItems(
        tx,
        body.items.map((i, position) => ({
          packageId: row.id,
          stockId: i.stockId,
          quantity: i.quantity,
          position,
        })),
      );
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'aid_package',
        entityId: row.id,
        after: body,
      });
      return row.id;
    });
  } catch (error) {
    if (uniqueViolation(error) === 'aid_packages_org_name_key')
      return fail(
        'conflict',
        { constraint: 'aid_packages_org_name_key' },
        'This SOPD already has a package of that name.',
      );
    throw error;
  }
  return getPackage(ctx, actor, id);
}

// ---- cohort allocation ----

// One unit (or one package) to every graduate of the program not yet given it, while stock lasts.
// The stock lines are locked for the whole transaction, so two bulk allocations on the same stock
// queue: the second sees what the first took, and `allocated` never passes `quantity`.
export async function allocateToGraduates(
  ctx: AppContext,
  actor: Actor,
  body: BulkAllocationBody,
): Promise<BulkAllocationResult> {
  (await getProgramRow(ctx, body.programId)) ?? fail('not_found', { field: 'programId' });
  const scope = aidScope(actor);
  let lines: Array<{ stockId: string; quantity: number }>;
  if (body.packageId) {
    const pkg = await getPackage(ctx, actor, body.packageId);
    lines = pkg.items.map((i) => ({ stockId: i.stockId, quantity: i.quantity }));
  } else {
    lines = [{ stockId: body.stockId ?? fail('validation_failed'), quantity: 1 }];
  }
  return ctx.db.transaction(async (tx) => {
    const stocks = await lockStockLines(
      tx,
      scope,
      lines.map((l) => l.stockId),
    );
    if (stocks.length !== lines.length)
      fail('not_found', { field: body.packageId ? 'packageId' : 'stockId' });
    const remaining = new Map(stocks.map((s) => [s.id, s.quantity - s.allocated]));
    const graduates = await listGraduateIds(tx, body.programId);
    const held = new Set(
      (
        await heldItems(
          tx,
          lines.map((l) => l.stockId),
        )
      ).map((h) => `${h.stockId}/${h.businessId}`),
    );
    const skipped: BulkAllocationResult['skipped'] = [];
    const values: Array<{ stockId: string; businessId: string; quantity: number }> = [];
    let allocated = 0;
    for (const businessId of graduates) {
      const missing = lines.filter((l) => !held.has(`${l.stockId}/${businessId}`));
      if (missing.length === 0) {
        skipped.push({ businessId, reason: 'already_allocated' });
        continue;
      }
      // A package goes whole or not at all: a graduate short of one of its items waits for stock.
      if (missing.some((l) => (remaining.get(l.stockId) ?? 0) < l.quantity)) {
        skipped.push({ businessId, reason: 'stock_exhausted' });
        continue;
      }
      for (const l of missing) {
        remaining.set(l.stockId, (remaining.get(l.stockId) ?? 0) - l.quantity);
        values.push({ stockId: l.stockId, businessId, quantity: l.quantity });
      }
      allocated++;
    }
    for (const stock of stocks) {
      const taken = values.filter((v) => v.stockId === stock.id).reduce((sum, v) => sum + v.quantity, 0);
      if (taken === 0) continue;
      // The row is locked, so this cannot miss; the condition (and the CHECK) still guard the rule.
      const after = (await takeStock(tx, stock.id, taken)) ?? fail('stock_insufficient');
      await recordChange(tx, actor, {
        action: 'bulk_allocate',
        entity: 'aid_stock',
        entityId: stock.id,
        before: { allocated: stock.allocated },
        after: { allocated: after.allocated, programId: body.programId, packageId: body.packageId ?? null },
      });
    }
    const allocationIds = await insertAllocations(
      tx,
      values.map((v) => ({ ...v, programId: body.programId, createdBy: actor.userId })),
    );
    return { allocated, allocationIds, skipped };
  });
}

// ---- returns, write-offs and reallocation ----

const writtenOff = (condition: ItemCondition) => condition === 'rusak_berat' || condition === 'hilang';

type ReturnRow = Awaited<ReturnType<typeof listReturnRows>>[number];

function presentReturn(row: ReturnRow): AidReturn {
  return {
    id: row.ret.id,
    number: row.ret.number,
    handoverId: row.ret.handoverId,
    bastNumber: row.bastNumber,
    allocationId: row.ret.allocationId,
    kind: row.ret.kind,
    condition: row.ret.condition as ItemCondition,
    reason: row.ret.reason,
    reallocation: row.reallocation?.id ? row.reallocation : null,
    createdAt: row.ret.createdAt,
  };
}

export async function listReturns(ctx: AppContext, actor: Actor, handoverId: string) {
  await getHandoverItem(ctx, actor, handoverId);
  return (await listReturnRows(ctx.db, aidScope(actor), { handoverId })).map(presentReturn);
}

async function getReturn(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await listReturnRows(ctx.db, aidScope(actor), { id });
  return presentReturn(row ?? fail('not_found'));
}

// An item comes back once: the allocation row is locked and moves out of handed_over/received, and
// the unique index on aid_returns.allocation_id refuses a second document for it.
export async function recordReturn(ctx: AppContext, actor: Actor, handoverId: string, body: ReturnBody) {
  const scope = aidScope(actor);
  let id: string;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const row =
        (await lockHandoverAllocation(tx, scope, handoverId, body.allocationId)) ??
        fail('not_found', { field: 'allocationId' });
      switch (row.allocation.status) {
        case 'handed_over':
        case 'received':
          break;
        case 'returned':
        case 'written_off':
          return fail('already_returned');
        default:
          return fail('not_handed_over');
      }
      const kind = writtenOff(body.condition) ? ('write_off' as const) : ('return' as const);
      const prefix = `${row.handover.number}/${kind === 'return' ? 'PENGEMBALIAN' : 'PENGHAPUSAN'}/`;
      await lockHandoverNumbering(tx, prefix);
      const serial = (await countDocumentsWithPrefix(tx, 'returns', prefix)) + 1;
      const ret = await insertReturn(tx, {
        number: `${prefix}${serial}`,
        handoverId,
        allocationId: body.allocationId,
        kind,
        condition: body.condition,
        reason: body.reason,
        createdBy: actor.userId,
      });
      const to = kind === 'return' ? 'returned' : 'written_off';
      (await setAllocationStatus(tx, body.allocationId, ['handed_over', 'received'], to)) ?? fail('conflict');
      // A write-off leaves the stock as it is: the unit was given and is gone.
      if (kind === 'return') {
        const stock = await releaseUnits(tx, row.allocation.stockId, row.allocation.quantity);
        if (!stock) throw new Error(`aid stock ${row.allocation.stockId} would go below zero`);
      }
      await recordChange(tx, actor, {
        action: kind,
        entity: 'aid_allocation',
        entityId: body.allocationId,
        after: ret,
      });
      return ret.id;
    });
  } catch (error) {
    if (uniqueViolation(error) === 'aid_returns_allocation_key') return fail('already_returned');
    throw error;
  }
  return getReturn(ctx, actor, id);
}

export async function reallocate(ctx: AppContext, actor: Actor, returnId: string, businessId: string) {
  const ret = await getReturn(ctx, actor, returnId);
  if (ret.kind !== 'return') fail('not_returned');
  if (ret.reallocation) fail('already_reallocated');
  const [row] = await listReturnRows(ctx.db, aidScope(actor), { id: returnId });
  const source = row ?? fail('not_found');
  if (source.programId && !(await hasCompleted(ctx, businessId, source.programId)))
    fail('not_a_graduate', { programId: source.programId });
  const scope = aidScope(actor);
  let result: { id: string; number: string; allocationId: string };
  try {
    result = await ctx.db.transaction(async (tx) => {
      (await reserveStock(tx, scope, source.stockId, source.quantity)) ?? fail('stock_insufficient');
      const allocation = await insertAllocation(tx, {
        stockId: source.stockId,
        businessId,
        programId: source.programId,
        quantity: source.quantity,
        createdBy: actor.userId,
      });
      const prefix = `${ret.bastNumber}/REALOKASI/`;
      await lockHandoverNumbering(tx, prefix);
      const serial = (await countDocumentsWithPrefix(tx, 'reallocations', prefix)) + 1;
      const made = await insertReallocation(tx, {
        number: `${prefix}${serial}`,
        returnId,
        allocationId: allocation.id,
        createdBy: actor.userId,
      });
      await recordChange(tx, actor, {
        action: 'reallocate',
        entity: 'aid_allocation',
        entityId: allocation.id,
        after: made,
      });
      return { id: made.id, number: made.number, allocationId: allocation.id };
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'aid_reallocations_return_key') return fail('already_reallocated');
    if (constraint === 'aid_allocations_stock_business_key') return fail('already_allocated');
    throw error;
  }
  return { ...result, returnId };
}

// ---- handovers list ----

export async function listHandovers(
  ctx: AppContext,
  actor: Actor,
  filter: { businessId?: string | undefined },
  limit: number,
) {
  const ids = await listHandoverIds(ctx.db, aidScope(actor), filter, limit);
  return { items: await Promise.all(ids.map((id) => getHandoverItem(ctx, actor, id))), nextCursor: null };
}

// ---- monitoring visits ----

type VisitRow = Awaited<ReturnType<typeof listVisitRows>>[number];

const presentVisit = (row: VisitRow): MonitoringVisit => ({
  ...row,
  condition: row.condition as ItemCondition,
});

export async function recordVisit(ctx: AppContext, actor: Actor, handoverId: string, body: VisitBody) {
  const scope = aidScope(actor);
  const handover = (await getHandover(ctx.db, scope, handoverId)) ?? fail('not_found');
  if (body.allocationId && !handover.allocationIds.includes(body.allocationId))
    fail('not_found', { field: 'allocationId' });
  const photo = decodePhoto(body.photo);
  const id = await ctx.db.transaction(async (tx) => {
    const visitId = await insertVisit(tx, {
      handoverId,
      allocationId: body.allocationId ?? null,
      visitedAt: body.visitedAt,
      inUse: body.inUse,
      condition: body.condition,
      note: body.note ?? null,
      photo: photo?.data ?? null,
      photoType: photo?.contentType ?? null,
      createdBy: actor.userId,
    });
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'aid_monitoring_visit',
      entityId: visitId,
      after: { ...body, photo: photo ? photo.contentType : null },
    });
    return visitId;
  });
  const [row] = await listVisitRows(ctx.db, scope, { id });
  return presentVisit(row ?? fail('not_found'));
}

export async function listVisits(
  ctx: AppContext,
  actor: Actor,
  filter: { handoverId?: string | undefined; businessId?: string | undefined },
) {
  return { items: (await listVisitRows(ctx.db, aidScope(actor), filter)).map(presentVisit) };
}
