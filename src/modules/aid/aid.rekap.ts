import { aidScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { loadExcelJS } from '../../lib/exceljs.ts';
import { drawLetterhead, drawParticulars, drawTable, startListDocument } from '../../lib/pdf.ts';
import { spreadsheetCell } from '../../lib/spreadsheet.ts';
import type { Actor } from '../../policies.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { getOrganisation } from './aid.queries.ts';
import { rekapByKecamatan, rekapItems, rekapReturns } from './aid-ops.queries.ts';

// "Rekap penyaluran bantuan": what one SOPD distributed from one budget year's stock — per item,
// per recipients' kecamatan, and the returns and write-offs. Printed in Indonesian.

const rupiah = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const conditionLabel: Record<string, string> = {
  baik: 'Baik',
  rusak_ringan: 'Rusak ringan',
  rusak_berat: 'Rusak berat',
  hilang: 'Hilang',
};

export async function loadRekap(
  ctx: AppContext,
  actor: Actor,
  query: { budgetYear: number; organisationId?: string | undefined },
) {
  const scope = aidScope(actor);
  const organisationId =
    scope.organisationId ??
    query.organisationId ??
    fail('validation_failed', [{ path: 'query.organisationId', message: 'Name the SOPD' }]);
  if (scope.organisationId && query.organisationId && query.organisationId !== scope.organisationId)
    fail('not_found', { field: 'organisationId' });
  const organisation = (await getOrganisation(ctx.db, organisationId)) ?? fail('not_found');
  const [items, kecamatan, returns] = await Promise.all([
    rekapItems(ctx.db, organisationId, query.budgetYear),
    rekapByKecamatan(ctx.db, organisationId, query.budgetYear),
    rekapReturns(ctx.db, organisationId, query.budgetYear),
  ]);
  const itemRows = items.map(({ stock: s, handedOver, returned, writtenOff }) => ({
    item: s.item,
    spec: s.spec ?? '',
    source: s.source ?? '',
    dpaCode: s.dpaCode ?? '',
    unit: s.unit,
    unitValue: s.unitValue,
    quantity: s.quantity,
    allocated: s.allocated,
    handedOver,
    returned,
    writtenOff,
    remaining: s.quantity - s.allocated,
    handedOverValue: (handedOver - returned - writtenOff) * s.unitValue,
  }));
  const kecamatanRows = kecamatan.map((k) => ({
    ...k,
    name: ctx.regions.get(k.kecamatanCode)?.name ?? k.kecamatanCode,
  }));
  const totals = {
    quantity: itemRows.reduce((s, r) => s + r.quantity, 0),
    handedOver: itemRows.reduce((s, r) => s + r.handedOver, 0),
    returned: itemRows.reduce((s, r) => s + r.returned, 0),
    writtenOff: itemRows.reduce((s, r) => s + r.writtenOff, 0),
    handedOverValue: itemRows.reduce((s, r) => s + r.handedOverValue, 0),
    recipients: kecamatanRows.reduce((s, r) => s + r.recipients, 0),
  };
  return { organisation, budgetYear: query.budgetYear, itemRows, kecamatanRows, returns, totals };
}

type Rekap = Awaited<ReturnType<typeof loadRekap>>;

const fileName = (rekap: Rekap, ext: string) =>
  `rekap-penyaluran-bantuan-${rekap.organisation.code}-${rekap.budgetYear}.${ext}`;

export async function rekapXlsx(
  ctx: AppContext,
  actor: Actor,
  query: { budgetYear: number; organisationId?: string },
) {
  const rekap = await loadRekap(ctx, actor, query);
  const book = new (await loadExcelJS()).Workbook();
  book.creator = 'Pulih';
  const money = '#,##0';
  const items = book.addWorksheet('Barang');
  items.columns = [
    { header: 'Jenis barang', key: 'item', width: 30 },
    { header: 'Merk/Spesifikasi', key: 'spec', width: 28 },
    { header: 'Sumber dana', key: 'source', width: 12 },
    { header: 'Kode DPA/sub kegiatan', key: 'dpaCode', width: 22 },
    { header: 'Satuan', key: 'unit', width: 10 },
    { header: 'Nilai satuan (Rp)', key: 'unitValue', width: 16, style: { numFmt: money } },
    { header: 'Stok', key: 'quantity', width: 8 },
    { header: 'Dialokasikan', key: 'allocated', width: 12 },
    { header: 'Diserahkan', key: 'handedOver', width: 12 },
    { header: 'Dikembalikan', key: 'returned', width: 12 },
    { header: 'Dihapuskan', key: 'writtenOff', width: 12 },
    { header: 'Sisa stok', key: 'remaining', width: 10 },
    { header: 'Nilai tersalur (Rp)', key: 'handedOverValue', width: 18, style: { numFmt: money } },
  ];
  for (const r of rekap.itemRows) {
    items.addRow(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, spreadsheetCell(v)])));
  }
  const total = items.addRow({
    item: 'JUMLAH',
    quantity: rekap.totals.quantity,
    handedOver: rekap.totals.handedOver,
    returned: rekap.totals.returned,
    writtenOff: rekap.totals.writtenOff,
    handedOverValue: rekap.totals.handedOverValue,
  });
  total.font = { bold: true };
  items.getRow(1).font = { bold: true };

  const kec = book.addWorksheet('Per kecamatan');
  kec.columns = [
    { header: 'Kecamatan', key: 'name', width: 24 },
    { header: 'Penerima', key: 'recipients', width: 10 },
    { header: 'Jumlah barang', key: 'quantity', width: 14 },
    { header: 'Nilai (Rp)', key: 'value', width: 18, style: { numFmt: money } },
  ];
  for (const r of rekap.kecamatanRows) kec.addRow({ ...r, name: spreadsheetCell(r.name) });
  kec.addRow({
    name: 'JUMLAH',
    recipients: rekap.totals.recipients,
    quantity: rekap.kecamatanRows.reduce((s, r) => s + r.quantity, 0),
    value: rekap.kecamatanRows.reduce((s, r) => s + r.value, 0),
  }).font = { bold: true };
  kec.getRow(1).font = { bold: true };

  const ret = book.addWorksheet('Pengembalian');
  ret.columns = [
    { header: 'Nomor', key: 'number', width: 40 },
    { header: 'Nomor BAST', key: 'bastNumber', width: 28 },
    { header: 'Jenis', key: 'kind', width: 14 },
    { header: 'Barang', key: 'item', width: 26 },
    { header: 'Jumlah', key: 'quantity', width: 8 },
    { header: 'Usaha', key: 'businessName', width: 26 },
    { header: 'Kondisi', key: 'condition', width: 14 },
    { header: 'Alasan', key: 'reason', width: 40 },
  ];
  for (const r of rekap.returns) {
    ret.addRow({
      number: r.number,
      bastNumber: r.bastNumber,
      kind: r.kind === 'return' ? 'Pengembalian' : 'Penghapusan',
      item: spreadsheetCell(r.item),
      quantity: r.quantity,
      businessName: spreadsheetCell(r.businessName),
      condition: conditionLabel[r.condition] ?? r.condition,
      reason: spreadsheetCell(r.reason),
    });
  }
  ret.getRow(1).font = { bold: true };
  const data = Buffer.from(await book.xlsx.writeBuffer());
  return { data, filename: fileName(rekap, 'xlsx') };
}

export async function rekapPdf(
  ctx: AppContext,
  actor: Actor,
  query: { budgetYear: number; organisationId?: string },
) {
  const rekap = await loadRekap(ctx, actor, query);
  const list = await startListDocument({
    Title: `Rekap Penyaluran Bantuan ${rekap.organisation.name} ${rekap.budgetYear}`,
    Author: rekap.organisation.name,
  });
  const { doc, margin } = list;
  drawLetterhead(list, rekap.organisation.name, 'REKAP PENYALURAN BANTUAN', await getLetterhead(ctx));
  drawParticulars(
    list,
    [
      ['SOPD', rekap.organisation.name],
      ['Tahun anggaran', String(rekap.budgetYear)],
      ['Penerima', String(rekap.totals.recipients)],
      ['Nilai tersalur', `Rp ${rupiah.format(rekap.totals.handedOverValue)}`],
    ],
    110,
  );
  doc.moveDown(0.6);
  type ItemRow = Rekap['itemRows'][number] | null;
  const itemRows: ItemRow[] = [...rekap.itemRows, null];
  const t = rekap.totals;
  const col = (
    title: string,
    width: number,
    value: (r: ItemRow, i: number) => string,
    align?: 'left' | 'center',
  ) => ({
    title,
    width,
    value,
    ...(align ? { align } : {}),
  });
  drawTable(list, itemRows, {
    minRowHeight: 16,
    empty: 'Tidak ada stok pada tahun anggaran ini.',
    columns: [
      col('No', 24, (r, i) => (r ? String(i + 1) : ''), 'center'),
      col('Jenis barang', 130, (r) => (r ? r.item : 'JUMLAH')),
      col('Spesifikasi', 110, (r) => r?.spec ?? ''),
      col('Sumber / DPA', 90, (r) => (r ? [r.source, r.dpaCode].filter(Boolean).join(' / ') : '')),
      col('Nilai satuan', 70, (r) => (r ? rupiah.format(r.unitValue) : '')),
      col('Stok', 40, (r) => String(r ? r.quantity : t.quantity), 'center'),
      col('Diserahkan', 60, (r) => String(r ? r.handedOver : t.handedOver), 'center'),
      col('Kembali', 50, (r) => String(r ? r.returned : t.returned), 'center'),
      col('Dihapus', 50, (r) => String(r ? r.writtenOff : t.writtenOff), 'center'),
      col('Nilai tersalur (Rp)', 105, (r) => rupiah.format(r ? r.handedOverValue : t.handedOverValue)),
    ],
  });
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(11).text('Penerima per kecamatan', margin, doc.y);
  doc.moveDown(0.3);
  drawTable(list, rekap.kecamatanRows, {
    minRowHeight: 16,
    empty: 'Belum ada barang yang diserahkan.',
    columns: [
      { title: 'Kecamatan', width: 200, value: (r) => r.name },
      { title: 'Penerima', width: 80, value: (r) => String(r.recipients), align: 'center' },
      { title: 'Jumlah barang', width: 100, value: (r) => String(r.quantity), align: 'center' },
      { title: 'Nilai (Rp)', width: 140, value: (r) => rupiah.format(r.value) },
    ],
  });
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(11).text('Pengembalian dan penghapusan', margin, doc.y);
  doc.moveDown(0.3);
  drawTable(list, rekap.returns, {
    minRowHeight: 16,
    empty: 'Tidak ada pengembalian atau penghapusan.',
    columns: [
      { title: 'Nomor', width: 220, value: (r) => r.number },
      { title: 'Jenis', width: 80, value: (r) => (r.kind === 'return' ? 'Pengembalian' : 'Penghapusan') },
      { title: 'Barang', width: 130, value: (r) => `${r.item} (${r.quantity})` },
      { title: 'Usaha', width: 120, value: (r) => r.businessName },
      { title: 'Kondisi', width: 70, value: (r) => conditionLabel[r.condition] ?? r.condition },
      { title: 'Alasan', width: 149, value: (r) => r.reason },
    ],
  });
  doc.end();
  return { pdf: await list.done, filename: fileName(rekap, 'pdf') };
}
