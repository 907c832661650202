import { Readable } from 'node:stream';
import { saleChannels } from '../../domain/enums.ts';
import {
  type Cell,
  cellText,
  isEmptyRow,
  parseAmount,
  parseRegistryDate,
} from '../../domain/registry-row.ts';
import { openRowReader } from '../imports/imports.service.ts';
import { maxSaleAmount } from './sales.schema.ts';

// An event's cash book (buku kas bazar) as CSV or XLSX, read with the registry import's guarded
// reader: one sale per row. Columns (header names case- and space-insensitive):
//   tanggal   the day (YYYY-MM-DD or DD/MM/YYYY), one of the event's days; may be left empty
//             for a one-day event
//   stan      the booth number, or
//   usaha     the business name as registered (one of the two identifies the participant)
//   jumlah    the amount in rupiah ("150000", "150.000", "Rp 150.000")
//   saluran   optional, one of the sale channels (default: acara)
//   catatan   optional note
// The whole file is checked before anything is written: any error and nothing is recorded.

export const maxSalesImportRows = 5000;
export const maxSalesImportBytes = 5 * 1024 * 1024;

type Column = 'tanggal' | 'stan' | 'usaha' | 'jumlah' | 'saluran' | 'catatan';

const aliases: Record<string, Column> = {
  tanggal: 'tanggal',
  tgl: 'tanggal',
  date: 'tanggal',
  stan: 'stan',
  booth: 'stan',
  nomorstan: 'stan',
  nostan: 'stan',
  usaha: 'usaha',
  namausaha: 'usaha',
  business: 'usaha',
  jumlah: 'jumlah',
  nominal: 'jumlah',
  omzet: 'jumlah',
  penjualan: 'jumlah',
  amount: 'jumlah',
  saluran: 'saluran',
  channel: 'saluran',
  catatan: 'catatan',
  keterangan: 'catatan',
  note: 'catatan',
};

const headerKey = (cell: Cell) => (cellText(cell) ?? '').toLowerCase().replace(/[^a-z]/g, '');

export type SalesImportIssue = { row: number; column: string | null; code: string; message: string };

export type ImportedSale = {
  row: number;
  businessId: string;
  date: string;
  amount: number;
  channel: string;
  note: string | null;
};

export type ImportContext = {
  startDate: string;
  endDate: string;
  // participants by booth (as printed, upper case) and by business name (lower case)
  byBooth: Map<string, string>;
  byName: Map<string, string[]>;
};

export async function readSalesFile(
  data: Buffer,
  fileName: string,
  ctx: ImportContext,
): Promise<{ rows: number; sales: ImportedSale[]; errors: SalesImportIssue[] }> {
  const reader = await openRowReader({
    name: fileName,
    size: data.length,
    open: () => Readable.from([data]),
  });
  const sales: ImportedSale[] = [];
  const errors: SalesImportIssue[] = [];
  let rows = 0;
  try {
    const columns = new Map<Column, { index: number; label: string }>();
    reader.header.cells.forEach((cell, index) => {
      const column = aliases[headerKey(cell)];
      if (column && !columns.has(column)) columns.set(column, { index, label: cellText(cell) ?? column });
    });
    const missing: string[] = [];
    if (!columns.has('jumlah')) missing.push('jumlah');
    if (!columns.has('stan') && !columns.has('usaha')) missing.push('stan / usaha');
    if (missing.length > 0) {
      errors.push({
        row: reader.header.row,
        column: null,
        code: 'header_missing',
        message: `Kolom wajib tidak ada: ${missing.join(', ')}`,
      });
      return { rows: 0, sales, errors };
    }
    const cell = (cells: Cell[], column: Column) => {
      const at = columns.get(column);
      return at ? cells[at.index] : undefined;
    };
    const label = (column: Column) => columns.get(column)?.label ?? column;
    const oneDay = ctx.startDate === ctx.endDate;
    for await (const sheetRow of reader.rows) {
      if (isEmptyRow(sheetRow.cells)) continue;
      rows++;
      if (rows > maxSalesImportRows) {
        errors.push({
          row: sheetRow.row,
          column: null,
          code: 'too_many_rows',
          message: `Paling banyak ${maxSalesImportRows} baris per berkas`,
        });
        break;
      }
      const issue = (column: Column | null, code: string, message: string) =>
        errors.push({ row: sheetRow.row, column: column ? label(column) : null, code, message });
      const before = errors.length;

      const dateValue = parseRegistryDate(cell(sheetRow.cells, 'tanggal'));
      let date: string | null = null;
      if (dateValue === null) {
        if (oneDay) date = ctx.startDate;
        else issue('tanggal', 'required', 'Tanggal wajib diisi untuk acara lebih dari satu hari');
      } else if (dateValue === 'invalid') {
        issue('tanggal', 'date_invalid', 'Tanggal tidak valid (gunakan YYYY-MM-DD atau DD/MM/YYYY)');
      } else if (dateValue < ctx.startDate || dateValue > ctx.endDate) {
        issue('tanggal', 'date_outside_event', 'Tanggal di luar hari-hari acara');
      } else {
        date = dateValue;
      }

      let businessId: string | null = null;
      const booth = cellText(cell(sheetRow.cells, 'stan'));
      const name = cellText(cell(sheetRow.cells, 'usaha'));
      if (booth) {
        businessId = ctx.byBooth.get(booth.replace(/\s+/g, ' ').toUpperCase()) ?? null;
        if (!businessId) issue('stan', 'booth_unknown', `Stan ${booth} tidak ada di acara ini`);
      } else if (name) {
        const found = ctx.byName.get(name.toLowerCase()) ?? [];
        if (found.length === 1) businessId = found[0] ?? null;
        else if (found.length > 1)
          issue('usaha', 'business_ambiguous', 'Beberapa peserta bernama sama; isi nomor stan');
        else issue('usaha', 'business_unknown', `${name} bukan peserta acara ini`);
      } else {
        issue(columns.has('stan') ? 'stan' : 'usaha', 'required', 'Isi nomor stan atau nama usaha');
      }

      const amount = parseAmount(cell(sheetRow.cells, 'jumlah'));
      if (amount === null) issue('jumlah', 'required', 'Jumlah wajib diisi');
      else if (amount === 'invalid' || amount < 1 || amount > maxSaleAmount)
        issue(
          'jumlah',
          'number_invalid',
          'Jumlah harus bilangan bulat rupiah lebih dari 0 (contoh: 150000 atau 150.000)',
        );

      const channelText =
        cellText(cell(sheetRow.cells, 'saluran'))
          ?.toLowerCase()
          .replace(/[\s-]+/g, '_') ?? 'acara';
      const channel = (saleChannels as readonly string[]).includes(channelText) ? channelText : null;
      if (!channel)
        issue('saluran', 'channel_invalid', `Saluran tidak dikenal (pilih: ${saleChannels.join(', ')})`);

      const note = cellText(cell(sheetRow.cells, 'catatan'))?.slice(0, 500) ?? null;
      if (errors.length === before && date && businessId && typeof amount === 'number' && channel) {
        sales.push({ row: sheetRow.row, businessId, date, amount, channel, note });
      }
    }
  } finally {
    reader.close();
  }
  return { rows, sales, errors };
}
