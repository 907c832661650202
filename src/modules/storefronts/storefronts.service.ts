import { requireAccess } from '../../access/access.service.ts';
import { officeDate } from '../../domain/office-time.ts';
import {
  platformUrl,
  type StorefrontPlatform,
  slugCandidate,
  slugFromName,
} from '../../domain/storefront.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, fail, uniqueViolation } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { getBusinessSummary } from '../businesses/businesses.service.ts';
import type { PublicProduct } from '../catalog/catalog.schema.ts';
import { getPublicProduct, listProductsOfBusiness } from '../catalog/catalog.service.ts';
import { listApplicationsOfBusiness } from '../programs/programs.service.ts';
import { officeTimeZone } from '../settings/settings.service.ts';
import {
  countOrderClick,
  getStorefront,
  getStorefrontBySlug,
  insertStorefrontIfFree,
  listListedBusinesses,
  listOrderClicks,
  type StorefrontRow,
  updateStorefront as updateStorefrontRow,
} from './storefronts.queries.ts';
import type { StorefrontSettings, UpdateStorefrontBody } from './storefronts.schema.ts';

// A business's public storefront, /toko/{slug}: its listed products with a WhatsApp order link
// that counts clicks, its marketplace and social links, and, with the owner's consent, the
// trainings it completed. The products come through the catalogue's public view, so a product
// the catalogue does not list (unpublished, not approved, business closed) is not shown here.

export const storefrontPath = (slug: string) => `/toko/${slug}`;
export const orderPath = (slug: string, productId: string) => `/toko/${slug}/pesan/${productId}`;
export const maxStorefrontProducts = 60;

// The storefront of a business, made on first need with a slug from the business name: the
// plain one, else numbered ("-2", "-3", …). Stable afterwards: renaming the business keeps it.
export async function ensureStorefront(ctx: AppContext, businessId: string): Promise<StorefrontRow> {
  const existing = await getStorefront(ctx.db, businessId);
  if (existing) return existing;
  const business = (await getBusinessSummary(ctx, businessId)) ?? fail('not_found');
  const base = slugFromName(business.name);
  for (let n = 1; n <= 50; n++) {
    const inserted = await insertStorefrontIfFree(ctx.db, businessId, slugCandidate(base, n));
    if (inserted) return inserted;
    // Another request may have made this business's storefront meanwhile.
    const made = await getStorefront(ctx.db, businessId);
    if (made) return made;
  }
  // Fifty businesses of one name: a random tail ends the search.
  const tail = Math.random().toString(36).slice(2, 8);
  const inserted = await insertStorefrontIfFree(ctx.db, businessId, slugCandidate(`${base}-${tail}`, 1));
  return inserted ?? (await getStorefront(ctx.db, businessId)) ?? fail('conflict');
}

// The public address of a business's storefront (made if need be), or null for a closed business.
export async function storefrontUrlOf(ctx: AppContext, businessId: string, baseUrl: string) {
  const business = await getBusinessSummary(ctx, businessId);
  if (!business || business.status === 'tutup') return null;
  return `${baseUrl}${storefrontPath((await ensureStorefront(ctx, businessId)).slug)}`;
}

// The sitemap's storefronts: those of businesses with listed products (a storefront not yet
// made is made, as a visit would make it).
export async function listListedStorefrontPages(ctx: AppContext, baseUrl: string, limit: number) {
  const pages = [];
  for (const row of await listListedBusinesses(ctx.db, limit)) {
    const slug = row.slug ?? (await ensureStorefront(ctx, row.businessId)).slug;
    pages.push({ url: `${baseUrl}${storefrontPath(slug)}`, updatedAt: row.updatedAt });
  }
  return pages;
}

// The business's products as the public catalogue shows them, in the catalogue's order.
export async function listStorefrontProducts(
  ctx: AppContext,
  businessId: string,
  baseUrl: string,
): Promise<PublicProduct[]> {
  const rows = (await listProductsOfBusiness(ctx, businessId)).filter((p) => p.published);
  const listed: PublicProduct[] = [];
  for (const row of rows.slice(0, maxStorefrontProducts)) {
    try {
      listed.push(await getPublicProduct(ctx, row.id, baseUrl));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'not_found')) throw error;
    }
  }
  return listed;
}

function checkedLinks(body: UpdateStorefrontBody) {
  const fields: [keyof UpdateStorefrontBody & `${string}Url`, StorefrontPlatform][] = [
    ['tokopediaUrl', 'tokopedia'],
    ['shopeeUrl', 'shopee'],
    ['tiktokShopUrl', 'tiktokShop'],
    ['instagramUrl', 'instagram'],
  ];
  const out: Partial<Record<(typeof fields)[number][0], string | null>> = {};
  for (const [field, platform] of fields) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') {
      out[field] = null;
      continue;
    }
    const url = platformUrl(platform, value);
    if (!url) fail('validation_failed', { field, platform }, `Not a ${platform} shop or profile link.`);
    out[field] = url;
  }
  return out;
}

const clickWindowDays = 90;

async function present(
  ctx: AppContext,
  row: StorefrontRow,
  businessName: string,
  baseUrl: string,
): Promise<StorefrontSettings> {
  const zone = await officeTimeZone(ctx.db);
  const from = officeDate(new Date(Date.now() - clickWindowDays * 86_400_000), zone);
  const names = new Map((await listProductsOfBusiness(ctx, row.businessId)).map((p) => [p.id, p.name]));
  const clicks = await listOrderClicks(ctx.db, row.businessId, from);
  return {
    businessId: row.businessId,
    businessName,
    slug: row.slug,
    url: `${baseUrl}${storefrontPath(row.slug)}`,
    tokopediaUrl: row.tokopediaUrl,
    shopeeUrl: row.shopeeUrl,
    tiktokShopUrl: row.tiktokShopUrl,
    instagramUrl: row.instagramUrl,
    showTrainings: row.showTrainings,
    consentRecordedAt: row.consentRecordedAt,
    orderClicks: clicks.map((c) => ({ ...c, productName: names.get(c.productId) ?? '' })),
  };
}

export async function getStorefrontSettings(
  ctx: AppContext,
  actor: Actor,
  businessId: string,
  baseUrl: string,
) {
  await requireAccess(ctx, actor, 'editStorefronts', [businessId]);
  const business = (await getBusinessSummary(ctx, businessId)) ?? fail('not_found');
  return present(ctx, await ensureStorefront(ctx, businessId), business.name, baseUrl);
}

export async function updateStorefront(
  ctx: AppContext,
  actor: Actor,
  businessId: string,
  body: UpdateStorefrontBody,
  baseUrl: string,
) {
  await requireAccess(ctx, actor, 'editStorefronts', [businessId]);
  const business = (await getBusinessSummary(ctx, businessId)) ?? fail('not_found');
  const links = checkedLinks(body);
  const before = await ensureStorefront(ctx, businessId);
  const changes: Parameters<typeof updateStorefrontRow>[2] = { ...links };
  if (body.slug !== undefined) changes.slug = body.slug;
  if (body.showTrainings !== undefined && body.showTrainings !== before.showTrainings) {
    // The consent (or its withdrawal) is recorded with who entered it and when.
    changes.showTrainings = body.showTrainings;
    changes.consentRecordedAt = new Date();
    changes.consentRecordedBy = actor.userId;
  }
  const consent = changes.showTrainings !== undefined;
  try {
    const after = await ctx.db.transaction(async (tx) => {
      const row = await updateStorefrontRow(tx, businessId, changes);
      await recordChange(tx, actor, {
        action: consent ? 'trainings_consent' : 'update',
        entity: 'storefront',
        entityId: businessId,
        before,
        after: row,
      });
      return row;
    });
    return present(ctx, after, business.name, baseUrl);
  } catch (error) {
    if (uniqueViolation(error) === 'storefronts_slug_key') return fail('slug_taken', { field: 'slug' });
    throw error;
  }
}

export type PublicStorefront = {
  slug: string;
  business: {
    id: string;
    name: string;
    kecamatan: string;
    kecamatanName: string | null;
    kelurahanName: string | null;
  };
  links: Partial<Record<StorefrontPlatform, string>>;
  products: (PublicProduct & { orderUrl: string | null })[];
  // Shown only with the owner's consent: valid certificates of completed trainings.
  trainings: { programName: string; certificateCode: string }[];
};

export async function getPublicStorefront(ctx: AppContext, slug: string, baseUrl: string) {
  const row = await getStorefrontBySlug(ctx.db, slug);
  if (!row) return null;
  const business = await getBusinessSummary(ctx, row.businessId);
  if (!business || business.status === 'tutup') return null;
  const products = await listStorefrontProducts(ctx, row.businessId, baseUrl);
  const trainings = row.showTrainings
    ? (await listApplicationsOfBusiness(ctx, row.businessId)).flatMap((a) =>
        a.status === 'completed' && a.certificateCode
          ? [{ programName: a.programName, certificateCode: a.certificateCode }]
          : [],
      )
    : [];
  const links: PublicStorefront['links'] = {};
  if (row.tokopediaUrl) links.tokopedia = row.tokopediaUrl;
  if (row.shopeeUrl) links.shopee = row.shopeeUrl;
  if (row.tiktokShopUrl) links.tiktokShop = row.tiktokShopUrl;
  if (row.instagramUrl) links.instagram = row.instagramUrl;
  return {
    slug: row.slug,
    business: {
      id: business.id,
      name: business.name,
      kecamatan: business.kecamatan,
      kecamatanName: business.kecamatanName,
      kelurahanName: business.kelurahanName,
    },
    links,
    products: products.map((p) => ({
      ...p,
      orderUrl: p.whatsappUrl ? `${baseUrl}${orderPath(row.slug, p.id)}` : null,
    })),
    trainings,
  } satisfies PublicStorefront;
}

// An order click: counted per product and office day (no address, no cookie, nothing about the
// buyer), then the buyer goes on to WhatsApp. Null when the product is not on this storefront.
export async function takeOrderClick(ctx: AppContext, slug: string, productId: string, baseUrl: string) {
  const row = await getStorefrontBySlug(ctx.db, slug);
  if (!row) return null;
  let product: PublicProduct;
  try {
    product = await getPublicProduct(ctx, productId, baseUrl);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
  if (product.business.id !== row.businessId || !product.whatsappUrl) return null;
  await countOrderClick(
    ctx.db,
    productId,
    row.businessId,
    officeDate(new Date(), await officeTimeZone(ctx.db)),
  );
  return product.whatsappUrl;
}
