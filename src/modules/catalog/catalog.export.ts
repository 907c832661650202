import type { Readable } from 'node:stream';
import { businessReachCondition, requirePermission } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { streamXlsx } from '../../lib/spreadsheet.ts';
import type { Actor } from '../../policies.ts';
import { variantName } from './catalog.media.ts';
import { listProductsForMarketplaceExport, type MarketplaceExportRow } from './catalog.queries.ts';
import { mediaPath, productPagePath } from './catalog.service.ts';

// The listed products in the fields a Dinas fills in when it onboards its businesses to the
// local government's e-Katalog or Toko Daring (name, specification, price, unit, the seller's
// NIB, photos). A file to work from, not a link to those systems: its file and sheet names
// say so, and nothing is sent anywhere.

const columns = [
  { header: 'nama_produk', key: 'name', width: 32 },
  { header: 'spesifikasi', key: 'spec', width: 48 },
  { header: 'harga_rp', key: 'price', width: 14 },
  { header: 'satuan', key: 'unit', width: 10 },
  { header: 'kategori', key: 'category', width: 12 },
  { header: 'nama_penjual', key: 'seller', width: 30 },
  { header: 'nib_penjual', key: 'nib', width: 16 },
  { header: 'kecamatan', key: 'kecamatan', width: 18 },
  { header: 'foto_1', key: 'photo1', width: 40 },
  { header: 'foto_2', key: 'photo2', width: 40 },
  { header: 'foto_3', key: 'photo3', width: 40 },
  { header: 'halaman_produk', key: 'page', width: 40 },
];

export const marketplaceExportColumns = columns.map((c) => c.header);

export function exportProductsForMarketplace(ctx: AppContext, actor: Actor, baseUrl: string) {
  requirePermission(actor, 'readAllProducts');
  const reach = businessReachCondition(actor, 'readProducts');
  const photo = (row: MarketplaceExportRow, i: number) => {
    const key = row.photos[i]?.key;
    return key ? `${baseUrl}${mediaPath(variantName(key, 'large'))}` : '';
  };
  async function* batches() {
    yield await listProductsForMarketplaceExport(ctx.db, reach);
  }
  const body: Readable = streamXlsx({
    sheet: 'Ekspor e-Katalog',
    columns,
    batches: batches(),
    row: (row: MarketplaceExportRow) => [
      row.name,
      row.description ?? '',
      row.price,
      row.unit ?? '',
      row.category,
      row.businessName,
      row.nib ?? '',
      ctx.regions.get(row.kecamatanCode)?.name ?? row.kecamatanCode,
      photo(row, 0),
      photo(row, 1),
      photo(row, 2),
      `${baseUrl}${productPagePath(row.id)}`,
    ],
    onEnd: async () => undefined,
  });
  const day = new Date().toISOString().slice(0, 10);
  return {
    body,
    filename: `ekspor-produk-ekatalog-${day}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}
