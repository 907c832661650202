import { aidScope, requireAccess, requirePermission } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { publish } from '../../lib/domain-events.ts';
import { checkViolation, fail, uniqueViolation } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import type { BusinessItem } from '../businesses/businesses.schema.ts';
import { getBusinessSummary, revealPersonalData } from '../businesses/businesses.service.ts';
import { getProgramRow, hasCompleted } from '../programs/programs.service.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { renderBast } from './aid.pdf.ts';
import {
  type AllocationFilter,
  getAllocation,
  getAllocationForUpdate,
  getHandover,
  getHandoverDocument,
  getHandoverPhoto as getHandoverPhotoRow,
  getOrganisation,
  getStock,
  getStockForUpdate,
  getUserProfile,
  insertAllocation,
  insertHandover,
  insertStock,
  lastHandoverSerial,
  listAllocations as listAllocationRows,
  listAllocationsOfBusiness,
  listStock as listStockRows,
  lockHandoverNumbering,
  releaseStock,
  reserveStock,
  type StockFilter,
  setAllocationSchedule,
  setAllocationStatus,
  updateStock as updateStockRow,
} from './aid.queries.ts';
import {
  type AidAllocation,
  type AidHandover,
  type AidStockItem,
  type CreateAidStockBody,
  type CreateAllocationBody,
  type CreateHandoverBody,
  type CreateMultiHandoverBody,
  type FundingSource,
  maxPhotoBytes,
  type PhotoContentType,
  type ScheduleHandoverBody,
  type UpdateAidStockBody,
} from './aid.schema.ts';
import {
  findHandoverIdByClientKey,
  insertHandoverItems,
  listHandoverItems,
  lockAllocations,
  setAllocationsStatus,
} from './aid-ops.queries.ts';

type StockRow = NonNullable<Awaited<ReturnType<typeof getStock>>>;

function presentStock(row: StockRow): AidStockItem {
  const { stock: s, organisation } = row;
  return {
    id: s.id,
    organisation,
    budgetYear: s.budgetYear,
    item: s.item,
    spec: s.spec,
    unit: s.unit,
    unitValue: s.unitValue,
    quantity: s.quantity,
    allocated: s.allocated,
    remaining: s.quantity - s.allocated,
    source: (s.source as FundingSource | null) ?? null,
    dpaCode: s.dpaCode,
    createdAt: s.createdAt,
  };
}

// ---- stock ----

export async function listStock(
  ctx: AppContext,
  actor: Actor,
  filter: StockFilter,
  page: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(page.cursor, 3) as [number, string, string] | null;
  const rows = await listStockRows(ctx.db, aidScope(actor), filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [
    r.stock.budgetYear,
    r.stock.item.toLowerCase(),
    r.stock.id,
  ]);
  return { items: result.items.map(presentStock), nextCursor: result.nextCursor };
}

export async function getStockItem(ctx: AppContext, actor: Actor, id: string) {
  return presentStock((await getStock(ctx.db, aidScope(actor), id)) ?? fail('not_found'));
}

export async function createStock(ctx: AppContext, actor: Actor, body: CreateAidStockBody) {
  let organisationId: string;
  if (!can(actor, 'actForAnyOrganisation')) {
    if (body.organisationId && body.organisationId !== actor.organisationId) fail('forbidden');
    organisationId = actor.organisationId ?? fail('forbidden');
  } else {
    organisationId =
      body.organisationId ??
      fail('validation_failed', [
        { path: 'body.organisationId', message: 'Name the SOPD that holds the stock' },
      ]);
    (await getOrganisation(ctx.db, organisationId)) ?? fail('not_found', { field: 'organisationId' });
  }
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const stock = await insertStock(tx, {
        organisationId,
        budgetYear: body.budgetYear,
        item: body.item,
        spec: body.spec ?? null,
        unit: body.unit,
        unitValue: body.unitValue,
        quantity: body.quantity,
        source: body.source ?? null,
        dpaCode: body.dpaCode ?? null,
      });
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'aid_stock',
        entityId: stock.id,
        after: stock,
      });
      return stock.id;
    });
    return getStockItem(ctx, actor, id);
  } catch (error) {
    if (uniqueViolation(error) === 'aid_stock_org_year_item_key') {
      return fail(
        'conflict',
        { constraint: 'aid_stock_org_year_item_key' },
        'This SOPD already has this item for that budget year.',
      );
    }
    throw error;
  }
}

export async function updateStock(ctx: AppContext, actor: Actor, id: string, body: UpdateAidStockBody) {
  try {
    await ctx.db.transaction(async (tx) => {
      const before = (await getStockForUpdate(tx, aidScope(actor), id)) ?? fail('not_found');
      const values = {
        ...(body.quantity === undefined ? {} : { quantity: body.quantity }),
        ...(body.spec === undefined ? {} : { spec: body.spec }),
        ...(body.unitValue === undefined ? {} : { unitValue: body.unitValue }),
        ...(body.source === undefined ? {} : { source: body.source }),
        ...(body.dpaCode === undefined ? {} : { dpaCode: body.dpaCode }),
      };
      if (Object.keys(values).length === 0) return;
      const after =
        (await updateStockRow(tx, id, values)) ??
        fail('stock_insufficient', { allocated: before.stock.allocated, quantity: body.quantity });
      await recordChange(tx, actor, {
        action: 'update',
        entity: 'aid_stock',
        entityId: id,
        before: before.stock,
        after,
      });
    });
  } catch (error) {
    if (checkViolation(error) === 'aid_stock_within_quantity') return fail('stock_insufficient');
    throw error;
  }
  return getStockItem(ctx, actor, id);
}

// ---- allocations ----

type AllocationRow = NonNullable<Awaited<ReturnType<typeof getAllocation>>>;

async function summariesOf(ctx: AppContext, businessIds: string[]) {
  const unique = [...new Set(businessIds)];
  const summaries = await Promise.all(unique.map((id) => getBusinessSummary(ctx, id)));
  return new Map(unique.map((id, i) => [id, summaries[i] ?? null]));
}

function presentAllocation(row: AllocationRow, business: BusinessItem | null): AidAllocation {
  const { allocation: a } = row;
  return {
    id: a.id,
    status: a.status,
    quantity: a.quantity,
    programId: a.programId,
    stock: row.stock,
    sopd: row.organisation,
    business: {
      id: a.businessId,
      name: business?.name ?? '',
      ownerName: business?.owner.name ?? '',
      ownerNik: business?.owner.nik ?? '',
      kecamatan: business?.kecamatan ?? null,
      kecamatanName: business?.kecamatanName ?? null,
      kelurahanName: business?.kelurahanName ?? null,
    },
    handover: row.handover,
    schedule: a.plannedAt ? { at: a.plannedAt, place: a.plannedPlace ?? '' } : null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export async function listAllocations(
  ctx: AppContext,
  actor: Actor,
  filter: AllocationFilter,
  page: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listAllocationRows(ctx.db, aidScope(actor), filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.cursorAt, r.allocation.id]);
  const businesses = await summariesOf(
    ctx,
    result.items.map((r) => r.allocation.businessId),
  );
  return {
    items: result.items.map((r) => presentAllocation(r, businesses.get(r.allocation.businessId) ?? null)),
    nextCursor: result.nextCursor,
  };
}

export async function getAllocationItem(ctx: AppContext, actor: Actor, id: string) {
  const row = (await getAllocation(ctx.db, aidScope(actor), id)) ?? fail('not_found');
  return presentAllocation(row, await getBusinessSummary(ctx, row.allocation.businessId));
}

export async function createAllocation(ctx: AppContext, actor: Actor, body: CreateAllocationBody) {
  // Reads through other modules happen before the transaction: inside it only `tx` may be used.
  const business =
    (await getBusinessSummary(ctx, body.businessId)) ?? fail('not_found', { field: 'businessId' });
  const programId = body.programId ?? null;
  if (programId) {
    (await getProgramRow(ctx, programId)) ?? fail('not_found', { field: 'programId' });
    if (!(await hasCompleted(ctx, body.businessId, programId))) fail('not_a_graduate', { programId });
  }
  const scope = aidScope(actor);
  let id: string;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const stock = (await getStock(tx, scope, body.stockId)) ?? fail('not_found', { field: 'stockId' });
      const reserved = await reserveStock(tx, scope, body.stockId, body.quantity);
      if (!reserved) {
        const now = (await getStock(tx, scope, body.stockId)) ?? stock;
        return fail('stock_insufficient', {
          requested: body.quantity,
          remaining: now.stock.quantity - now.stock.allocated,
        });
      }
      const allocation = await insertAllocation(tx, {
        stockId: body.stockId,
        businessId: body.businessId,
        programId,
        quantity: body.quantity,
        createdBy: actor.userId,
      });
      await recordChange(tx, actor, {
        action: 'update',
        entity: 'aid_stock',
        entityId: stock.stock.id,
        before: { allocated: stock.stock.allocated },
        after: { allocated: reserved.allocated },
      });
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'aid_allocation',
        entityId: allocation.id,
        after: allocation,
      });
      return allocation.id;
    });
  } catch (error) {
    if (uniqueViolation(error) === 'aid_allocations_stock_business_key') return fail('already_allocated');
    if (checkViolation(error) === 'aid_stock_within_quantity') return fail('stock_insufficient');
    throw error;
  }
  const row = (await getAllocation(ctx.db, scope, id)) ?? fail('not_found');
  return presentAllocation(row, business);
}

// Statuses move planned → handed_over → received; cancelled only from planned.
function refuseUnlessPlanned(status: AidAllocation['status']) {
  switch (status) {
    case 'planned':
      return;
    case 'cancelled':
      return fail('allocation_cancelled');
    case 'handed_over':
    case 'received':
    case 'returned':
    case 'written_off':
      return fail('already_handed_over');
  }
}

// A planned allocation gets (or moves) its handover appointment; the recipient is told in the
// same transaction (handover.scheduled → the notifications outbox). The key holds the date and
// place, so the same appointment set twice is one message and a moved one is a new message.
export async function scheduleHandover(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ScheduleHandoverBody,
) {
  const scope = aidScope(actor);
  await ctx.db.transaction(async (tx) => {
    const before = (await getAllocationForUpdate(tx, scope, id)) ?? fail('not_found');
    refuseUnlessPlanned(before.allocation.status);
    const after =
      (await setAllocationSchedule(tx, id, { plannedAt: body.at, plannedPlace: body.place })) ??
      fail('conflict');
    await recordChange(tx, actor, {
      action: 'schedule',
      entity: 'aid_allocation',
      entityId: id,
      before: { plannedAt: before.allocation.plannedAt, plannedPlace: before.allocation.plannedPlace },
      after: { plannedAt: after.plannedAt, plannedPlace: after.plannedPlace },
    });
    await publish(tx, {
      type: 'handover.scheduled',
      allocationId: id,
      businessId: before.allocation.businessId,
      item: before.stock.item,
      at: body.at,
      place: body.place,
      key: `${id}:${body.at}:${body.place}`,
    });
  });
  return getAllocationItem(ctx, actor, id);
}

export async function cancelAllocation(ctx: AppContext, actor: Actor, id: string) {
  const scope = aidScope(actor);
  await ctx.db.transaction(async (tx) => {
    const before = (await getAllocationForUpdate(tx, scope, id)) ?? fail('not_found');
    refuseUnlessPlanned(before.allocation.status);
    const after = (await setAllocationStatus(tx, id, ['planned'], 'cancelled')) ?? fail('conflict');
    const stock = await releaseStock(tx, before.allocation.stockId, before.allocation.quantity);
    // The CHECK on aid_stock makes this unreachable unless the data was edited by hand.
    if (!stock) throw new Error(`aid stock ${before.allocation.stockId} would go below zero`);
    await recordChange(tx, actor, {
      action: 'cancel',
      entity: 'aid_allocation',
      entityId: id,
      before: before.allocation,
      after,
    });
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'aid_stock',
      entityId: stock.id,
      before: { allocated: stock.allocated + before.allocation.quantity },
      after: { allocated: stock.allocated },
    });
  });
  return getAllocationItem(ctx, actor, id);
}

// An allocation handed over is confirmed received by the SOPD, or by the business owner.
export async function markReceived(ctx: AppContext, actor: Actor, id: string) {
  let scope = aidScope(actor);
  if (!can(actor, 'writeAid')) {
    requirePermission(actor, 'confirmReceipt');
    const row = (await getAllocation(ctx.db, {}, id)) ?? fail('not_found');
    await requireAccess(ctx, actor, 'readBusinesses', [row.allocation.businessId]);
    scope = {};
  }
  await ctx.db.transaction(async (tx) => {
    const before = (await getAllocationForUpdate(tx, scope, id)) ?? fail('not_found');
    switch (before.allocation.status) {
      case 'received':
        return;
      case 'cancelled':
        return fail('allocation_cancelled');
      case 'planned':
        return fail('not_handed_over');
      case 'returned':
      case 'written_off':
        return fail('already_returned');
      case 'handed_over':
        break;
    }
    const after = (await setAllocationStatus(tx, id, ['handed_over'], 'received')) ?? fail('conflict');
    await recordChange(tx, actor, {
      action: 'receive',
      entity: 'aid_allocation',
      entityId: id,
      before: before.allocation,
      after,
    });
  });
  const row = (await getAllocation(ctx.db, scope, id)) ?? fail('not_found');
  return presentAllocation(row, await getBusinessSummary(ctx, row.allocation.businessId));
}

// ---- handovers (BAST) ----

const signatures: Record<PhotoContentType, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export function decodePhoto(photo: CreateHandoverBody['photo']) {
  if (!photo) return null;
  const data = Buffer.from(photo.dataBase64, 'base64');
  if (data.length > maxPhotoBytes) fail('photo_too_large', { maxBytes: maxPhotoBytes, bytes: data.length });
  // The stored type is printed and served back, so it must be what the bytes really are.
  if (!signatures[photo.contentType](data))
    fail('unsupported_media', { field: 'photo', contentType: photo.contentType });
  return { data, contentType: photo.contentType };
}

type HandoverRow = NonNullable<Awaited<ReturnType<typeof getHandover>>>;

function presentHandover(row: HandoverRow): AidHandover {
  return {
    id: row.id,
    allocationId: row.allocationId,
    number: row.number,
    handedOverAt: row.handedOverAt,
    place: row.place,
    legalBasis: row.legalBasis,
    condition: row.condition,
    giver: { name: row.giverName, nip: row.giverNip, position: row.giverPosition },
    photoType: (row.photoType as PhotoContentType | null) ?? null,
    allocationIds: row.allocationIds,
    businessId: row.businessId,
    signed: { recipient: row.signedByRecipient, officer: row.signedByOfficer },
    location:
      row.latitude !== null && row.longitude !== null
        ? { latitude: row.latitude, longitude: row.longitude }
        : null,
    clientKey: row.clientKey,
    createdAt: row.createdAt,
  };
}

export async function getHandoverItem(ctx: AppContext, actor: Actor, id: string) {
  return presentHandover((await getHandover(ctx.db, aidScope(actor), id)) ?? fail('not_found'));
}

export function bastPrefix(sopdCode: string, handedOverAt: string) {
  return `BAST/${sopdCode}/${handedOverAt.slice(0, 4)}/`;
}

// The single-allocation route: one BAST listing one item.
export async function recordHandover(
  ctx: AppContext,
  actor: Actor,
  allocationId: string,
  body: CreateHandoverBody,
) {
  const { handover } = await createHandover(ctx, actor, {
    ...body,
    place: body.place ?? null,
    allocationIds: [allocationId],
  });
  return handover;
}

function decodeSignature(signature: CreateMultiHandoverBody['recipientSignature'], field: string) {
  if (!signature) return null;
  const data = Buffer.from(signature.dataBase64, 'base64');
  if (!signatures['image/png'](data))
    fail('unsupported_media', { field, contentType: signature.contentType });
  return data;
}

type HandoverInput = Omit<CreateMultiHandoverBody, 'place'> & { place: string | null };

// One handover of several planned allocations to one business, from one SOPD, on one BAST.
// A resend with the same client key answers the handover already recorded (duplicate: true).
export async function createHandover(
  ctx: AppContext,
  actor: Actor,
  body: HandoverInput,
): Promise<{ handover: AidHandover; duplicate: boolean }> {
  const scope = aidScope(actor);
  const clientKey = body.clientKey ?? null;
  const existing = async () => {
    if (!clientKey) return null;
    const id = await findHandoverIdByClientKey(ctx.db, scope, clientKey);
    return id ? { handover: await getHandoverItem(ctx, actor, id), duplicate: true } : null;
  };
  const before = await existing();
  if (before) return before;
  const photo = decodePhoto(body.photo);
  const recipientSignature = decodeSignature(body.recipientSignature, 'recipientSignature');
  const officerSignature = decodeSignature(body.officerSignature, 'officerSignature');
  const allocationIds = [...new Set(body.allocationIds)];
  const attempt = () =>
    ctx.db.transaction(async (tx) => {
      const rows = await lockAllocations(tx, scope, allocationIds);
      if (rows.length !== allocationIds.length) fail('not_found', { field: 'allocationIds' });
      for (const row of rows) refuseUnlessPlanned(row.allocation.status);
      const first = rows.find((r) => r.allocation.id === allocationIds[0]) ?? fail('not_found');
      if (rows.some((r) => r.allocation.businessId !== first.allocation.businessId))
        fail('handover_mixed', { field: 'allocationIds', mixed: 'business' });
      if (rows.some((r) => r.organisation.id !== first.organisation.id))
        fail('handover_mixed', { field: 'allocationIds', mixed: 'sopd' });
      const giver = (await getUserProfile(tx, actor.userId)) ?? fail('unauthenticated');
      const prefix = bastPrefix(first.organisation.code, body.handedOverAt);
      // Numbers are handed out one SOPD-year at a time, so concurrent handovers queue here instead of
      // clashing on the unique index (which still guards, and the caller retries once).
      await lockHandoverNumbering(tx, prefix);
      const serial = (await lastHandoverSerial(tx, prefix)) + 1;
      const handover = await insertHandover(tx, {
        allocationId: first.allocation.id,
        number: `${prefix}${String(serial).padStart(4, '0')}`,
        handedOverAt: body.handedOverAt,
        place: body.place,
        legalBasis: body.legalBasis ?? null,
        condition: body.condition,
        giverUserId: actor.userId,
        giverName: giver.displayName,
        giverNip: giver.nip,
        giverPosition: giver.position,
        photo: photo?.data ?? null,
        photoType: photo?.contentType ?? null,
        recipientSignature,
        officerSignature,
        latitude: body.location?.latitude ?? null,
        longitude: body.location?.longitude ?? null,
        clientKey,
      });
      await insertHandoverItems(
        tx,
        allocationIds.map((allocationId, position) => ({ handoverId: handover.id, allocationId, position })),
      );
      const moved = await setAllocationsStatus(tx, allocationIds, ['planned'], 'handed_over');
      if (moved.length !== allocationIds.length) fail('conflict');
      const { photo: _photo, recipientSignature: _r, officerSignature: _o, ...logged } = handover;
      await recordChange(tx, actor, {
        action: 'create',
        entity: 'aid_handover',
        entityId: handover.id,
        after: { ...logged, allocationIds },
      });
      for (const id of allocationIds) {
        await recordChange(tx, actor, {
          action: 'hand_over',
          entity: 'aid_allocation',
          entityId: id,
          after: { status: 'handed_over', handoverId: handover.id },
        });
      }
      return handover.id;
    });

  let id: string;
  try {
    id = await attempt().catch((error: unknown) => {
      if (uniqueViolation(error) === 'aid_handovers_number_key') return attempt();
      throw error;
    });
  } catch (error) {
    // The same handover sent twice at once: the second waited on the first's row locks and found
    // its items handed over (or its key taken). It answers the first one.
    const again = await existing();
    if (again) return again;
    const constraint = uniqueViolation(error);
    if (constraint === 'aid_handovers_allocation_key' || constraint === 'aid_handover_items_allocation_key')
      return fail('already_handed_over');
    if (constraint === 'aid_handovers_number_key') return fail('conflict', { constraint });
    throw error;
  }
  return { handover: await getHandoverItem(ctx, actor, id), duplicate: false };
}

export async function getHandoverPhoto(ctx: AppContext, actor: Actor, id: string) {
  const row = (await getHandoverPhotoRow(ctx.db, aidScope(actor), id)) ?? fail('not_found');
  if (!row.photo || !row.photoType) return fail('not_found', { field: 'photo' });
  return { data: row.photo, contentType: row.photoType };
}

function recipientAddress(business: BusinessItem) {
  return (
    [
      business.owner.address,
      business.kelurahanName ? `Kel. ${business.kelurahanName}` : null,
      business.kecamatanName ? `Kec. ${business.kecamatanName}` : null,
    ]
      .filter(Boolean)
      .join(', ') || null
  );
}

// The BAST prints the recipient's full NIK, so producing it is logged as a personal-data export.
export async function renderBastPdf(ctx: AppContext, actor: Actor, handoverId: string) {
  const row = (await getHandoverDocument(ctx.db, aidScope(actor), handoverId)) ?? fail('not_found');
  const { handover: h, allocation: a } = row;
  const items = await listHandoverItems(ctx.db, handoverId);
  const business = (await getBusinessSummary(ctx, a.businessId)) ?? fail('not_found');
  const personal = await revealPersonalData(ctx, actor, a.businessId);
  const program = a.programId ? await getProgramRow(ctx, a.programId) : null;
  const pdf = await renderBast({
    letterhead: await getLetterhead(ctx),
    number: h.number,
    handedOverAt: h.handedOverAt,
    place: h.place,
    legalBasis: h.legalBasis,
    condition: h.condition,
    programName: program?.name ?? null,
    sopd: { name: row.organisation.name },
    giver: { name: h.giverName, nip: h.giverNip, position: h.giverPosition },
    recipient: {
      name: business.owner.name,
      nik: personal.nik,
      address: recipientAddress(business),
      business: business.name,
      phone: personal.phone,
    },
    items: items.map(({ allocation, stock }) => ({
      name: stock.item,
      spec: stock.spec,
      quantity: allocation.quantity,
      unit: stock.unit,
      unitValue: stock.unitValue,
      source: [row.organisation.name, `TA ${stock.budgetYear}`, stock.source, stock.dpaCode]
        .filter(Boolean)
        .join(', '),
    })),
    signatures: { recipient: h.recipientSignature, officer: h.officerSignature },
    location:
      h.latitude !== null && h.longitude !== null ? { latitude: h.latitude, longitude: h.longitude } : null,
    photo: h.photo && h.photoType ? { data: h.photo, contentType: h.photoType } : null,
  });
  await recordPersonalDataAccess(ctx.db, actor, {
    kind: 'export',
    subject: `person:${business.owner.id}`,
    filter: { document: 'bast', handoverId, number: h.number },
  });
  return { pdf, filename: `${h.number.replaceAll('/', '-')}.pdf` };
}

// ---- for other modules (businesses) ----

export async function listAidOfBusiness(
  ctx: AppContext,
  businessId: string,
): Promise<Array<{ id: string; item: string; quantity: number; status: string; sopd: string }>> {
  return listAllocationsOfBusiness(ctx.db, businessId);
}
