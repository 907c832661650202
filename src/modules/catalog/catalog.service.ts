import { mayAccess } from '../../access/access.service.ts';
import { normalizePhone, whatsappLink } from '../../domain/phone.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import { translator } from '../../lib/i18n.ts';
import { type Actor, can } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getBusinessSummary, listBusinesses } from '../businesses/businesses.service.ts';
import {
  getProduct,
  getProductForUpdate,
  getProductPhoto as getProductPhotoRow,
  getPublicProductPhoto as getPublicProductPhotoRow,
  insertProduct,
  listProducts as listProductRows,
  listProductsOfBusiness as listProductsOfBusinessRows,
  listPublicKecamatanCodes,
  listPublicProducts as listPublicProductRows,
  type ProductRow,
  type PublicProductRow,
  updateProduct as updateProductRow,
} from './catalog.queries.ts';
import {
  type CreateProductBody,
  maxPhotoBytes,
  type PhotoContentType,
  type ProductItem,
  type ProductPhotoBody,
  type PublicProduct,
  photoContentTypes,
  type UpdateProductBody,
} from './catalog.schema.ts';

export const productPagePath = (id: string) => `/katalog/${id}`;

// Search words, forgiving of how people type Indonesian: case and diacritics are ignored,
// reduplication ("kue-kue", "kue2") counts once, and common suffixes (-nya, -lah, -kan, -an)
// are dropped so that "anyaman" also finds "anyam". Matching is by substring, so a shortened
// word only ever finds more, never less.
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  const words = q
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\b(\p{L}+)-\1\b/gu, '$1')
    .replace(/\b(\p{L}+)2\b/gu, '$1')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(stem);
  return [...new Set(words)].slice(0, 8);
}

function stem(word: string): string {
  let w = word;
  for (const suffix of ['nya', 'lah', 'kah']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) w = w.slice(0, -suffix.length);
  }
  for (const suffix of ['kan', 'an']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
}

function regionNames(ctx: AppContext, kecamatanCode: string, regionCode: string) {
  const isVillage = regionCode.length > 8;
  return {
    kecamatanName: ctx.regions.get(kecamatanCode)?.name ?? null,
    kelurahanName: isVillage ? (ctx.regions.get(regionCode)?.name ?? null) : null,
  };
}

const version = (row: { updatedAt: Date }) => row.updatedAt.getTime().toString(36);

function presentPublic(ctx: AppContext, row: PublicProductRow, baseUrl: string): PublicProduct {
  const { product: p, business: b } = row;
  const pageUrl = `${baseUrl}${productPagePath(p.id)}`;
  const phone = row.ownerPhone ? normalizePhone(row.ownerPhone) : null;
  // The message goes to the seller, so it is always in Indonesian whatever the buyer reads.
  const text = translator('id', 'catalog')('orderText', { product: p.name, business: b.name, url: pageUrl });
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    price: p.price,
    unit: p.unit,
    photoUrl: p.photoSize ? `${baseUrl}/api/v1/catalog/products/${p.id}/photo?v=${version(p)}` : null,
    business: {
      id: b.id,
      name: b.name,
      kecamatan: b.kecamatanCode,
      ...regionNames(ctx, b.kecamatanCode, b.regionCode),
    },
    whatsappUrl: phone?.ok ? whatsappLink(phone.value, text) : null,
    pageUrl,
  };
}

export type PublicFilterInput = { q?: string | undefined; kecamatan?: string | undefined };

export async function listPublicProducts(
  ctx: AppContext,
  filter: PublicFilterInput,
  page: { limit: number; cursor?: string | undefined },
  baseUrl: string,
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const kecamatan = filter.kecamatan
    ? (normalizeRegionCode(filter.kecamatan) ?? filter.kecamatan)
    : undefined;
  const rows = await listPublicProductRows(
    ctx.db,
    { words: searchWords(filter.q), kecamatan },
    { limit: page.limit, after },
  );
  const result = pageOf(rows, page.limit, (r) => [r.product.name.toLowerCase(), r.product.id]);
  return { items: result.items.map((r) => presentPublic(ctx, r, baseUrl)), nextCursor: result.nextCursor };
}

export async function getPublicProduct(ctx: AppContext, id: string, baseUrl: string): Promise<PublicProduct> {
  const [row] = await listPublicProductRows(ctx.db, { words: [], id }, { limit: 1, after: null });
  return row ? presentPublic(ctx, row, baseUrl) : fail('not_found');
}

export async function getPublicProductPhoto(ctx: AppContext, id: string) {
  const row = await getPublicProductPhotoRow(ctx.db, id);
  if (!row?.photo || !row.photoType) return fail('not_found');
  return { bytes: row.photo, contentType: row.photoType };
}

export async function listCatalogKecamatan(ctx: AppContext) {
  const codes = await listPublicKecamatanCodes(ctx.db);
  return codes.map((code) => ({ code, name: ctx.regions.get(code)?.name ?? code }));
}

function presentProduct(row: ProductRow, businessName: string | null, baseUrl: string): ProductItem {
  return {
    id: row.id,
    businessId: row.businessId,
    businessName,
    name: row.name,
    description: row.description,
    price: row.price,
    unit: row.unit,
    published: row.published,
    photoType: row.photoSize ? row.photoType : null,
    photoUrl: row.photoSize ? `${baseUrl}/api/v1/products/${row.id}/photo?v=${version(row)}` : null,
    pageUrl: `${baseUrl}${productPagePath(row.id)}`,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function businessNameOf(ctx: AppContext, businessId: string) {
  return (await getBusinessSummary(ctx, businessId))?.name ?? null;
}

// An owner's businesses, through the businesses module (it owns the scoping rules).
async function ownBusinesses(ctx: AppContext, actor: Actor) {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listBusinesses(ctx, actor, {}, { limit: 200, cursor });
    for (const b of page.items) names.set(b.id, b.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

export async function listProducts(
  ctx: AppContext,
  actor: Actor,
  filter: { businessId?: string | undefined },
  page: { limit: number; cursor?: string | undefined },
  baseUrl: string,
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  let businessIds: string[] | null = null;
  let names = new Map<string, string>();
  if (!can(actor, 'readAllProducts')) {
    names = await ownBusinesses(ctx, actor);
    if (filter.businessId && !names.has(filter.businessId)) return fail('not_found', { field: 'businessId' });
    businessIds = filter.businessId ? [filter.businessId] : [...names.keys()];
  } else if (filter.businessId) {
    businessIds = [filter.businessId];
  }
  const rows = await listProductRows(ctx.db, businessIds, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.name.toLowerCase(), r.id]);
  for (const id of new Set(result.items.map((r) => r.businessId))) {
    if (!names.has(id)) names.set(id, (await businessNameOf(ctx, id)) ?? '');
  }
  return {
    items: result.items.map((r) => presentProduct(r, names.get(r.businessId) || null, baseUrl)),
    nextCursor: result.nextCursor,
  };
}

// Owners reach only their own businesses' products (to them, others' do not exist). Any
// officer may read every product; changing one needs the business in the actor's scope.
async function mayReach(ctx: AppContext, actor: Actor, businessId: string, purpose: 'read' | 'write') {
  if (purpose === 'read' && can(actor, 'readAllProducts')) return true;
  return mayAccess(ctx, actor, purpose === 'read' ? 'readProducts' : 'writeProducts', [businessId]);
}

async function productInScope(ctx: AppContext, actor: Actor, id: string, purpose: 'read' | 'write') {
  const product = await getProduct(ctx.db, id);
  if (!product || !(await mayReach(ctx, actor, product.businessId, purpose))) return fail('not_found');
  return product;
}

export async function getProductItem(ctx: AppContext, actor: Actor, id: string, baseUrl: string) {
  const product = await productInScope(ctx, actor, id, 'read');
  return presentProduct(product, await businessNameOf(ctx, product.businessId), baseUrl);
}

export async function createProduct(ctx: AppContext, actor: Actor, body: CreateProductBody, baseUrl: string) {
  if (!(await mayReach(ctx, actor, body.businessId, 'write'))) fail('not_found', { field: 'businessId' });
  const businessName = await businessNameOf(ctx, body.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const row = await insertProduct(tx, {
      businessId: body.businessId,
      name: body.name,
      description: body.description || null,
      price: body.price,
      unit: body.unit ?? null,
      published: body.published ?? true,
    });
    await recordChange(tx, actor, { action: 'create', entity: 'product', entityId: row.id, after: row });
    return row;
  });
  return presentProduct(product, businessName, baseUrl);
}

export async function updateProduct(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: UpdateProductBody,
  baseUrl: string,
) {
  const current = await productInScope(ctx, actor, id, 'write');
  const businessName = await businessNameOf(ctx, current.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const before = (await getProductForUpdate(tx, id)) ?? fail('not_found');
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined),
    ) as UpdateProductBody;
    if (changes.description === '') changes.description = null;
    const after = await updateProductRow(tx, id, changes);
    await recordChange(tx, actor, { action: 'update', entity: 'product', entityId: id, before, after });
    return after;
  });
  return presentProduct(product, businessName, baseUrl);
}

const signatures: { type: PhotoContentType; matches: (b: Buffer) => boolean }[] = [
  {
    type: 'image/png',
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/webp',
    matches: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

// The photo is served publicly with the stored type, so the type comes from the bytes
// themselves, never from what the client claimed.
export function decodePhoto(body: ProductPhotoBody): { bytes: Buffer; contentType: PhotoContentType } {
  const declared = body.contentType.toLowerCase();
  if (!(photoContentTypes as readonly string[]).includes(declared)) {
    fail('unsupported_media', { field: 'contentType', allowed: photoContentTypes });
  }
  const data = body.dataBase64.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data))
    fail('validation_failed', { field: 'dataBase64' }, 'Not base64.');
  const size = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (size > maxPhotoBytes) fail('photo_too_large', { maxBytes: maxPhotoBytes, bytes: size });
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0) fail('validation_failed', { field: 'dataBase64' }, 'The photo is empty.');
  const detected = signatures.find((s) => s.matches(bytes))?.type;
  if (!detected) return fail('unsupported_media', { field: 'dataBase64', allowed: photoContentTypes });
  return { bytes, contentType: detected };
}

export async function setProductPhoto(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ProductPhotoBody,
  baseUrl: string,
) {
  const photo = decodePhoto(body);
  const current = await productInScope(ctx, actor, id, 'write');
  const businessName = await businessNameOf(ctx, current.businessId);
  const product = await ctx.db.transaction(async (tx) => {
    const before = (await getProductForUpdate(tx, id)) ?? fail('not_found');
    const after = await updateProductRow(tx, id, { photo: photo.bytes, photoType: photo.contentType });
    // The rows carry the photo's type and size, not its bytes.
    await recordChange(tx, actor, { action: 'update_photo', entity: 'product', entityId: id, before, after });
    return after;
  });
  return presentProduct(product, businessName, baseUrl);
}

export async function getProductPhoto(ctx: AppContext, actor: Actor, id: string) {
  const row = await getProductPhotoRow(ctx.db, id);
  if (!row || !(await mayReach(ctx, actor, row.businessId, 'read'))) return fail('not_found');
  if (!row.photo || !row.photoType) return fail('not_found');
  return { bytes: row.photo, contentType: row.photoType };
}

// For the businesses module's detail view.
export async function listProductsOfBusiness(
  ctx: AppContext,
  businessId: string,
): Promise<Array<{ id: string; name: string; price: number; published: boolean }>> {
  return listProductsOfBusinessRows(ctx.db, businessId);
}
