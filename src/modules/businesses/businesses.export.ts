import { Readable } from 'node:stream';
import { neutraliseFormula, streamXlsx } from '../../lib/spreadsheet.ts';

// Registry exports in the layout the import reads (src/domain/registry-row.ts), so that an
// exported file can be imported again. Both writers pull rows batch by batch and hold at
// most one batch, whatever the number of rows.

export const registryColumns = [
  'nik',
  'nama',
  'jenis_kelamin',
  'tanggal_lahir',
  'telepon',
  'alamat',
  'kode_wilayah',
  'nama_usaha',
  'kbli',
  'nib',
  'modal_usaha',
  'omzet_tahunan',
  'tenaga_kerja',
  'terdampak_covid',
  'status_usaha',
  'ref',
] as const;

export type RegistryColumn = (typeof registryColumns)[number];
export type RegistryRecord = Record<RegistryColumn, string | number | null>;

const numericColumns: ReadonlySet<RegistryColumn> = new Set(['modal_usaha', 'omzet_tahunan', 'tenaga_kerja']);

// Called once the last row is out (completed) or when the client went away (not completed),
// with the number of rows written; the export is logged there.
export type OnExportEnd = (rows: number, completed: boolean) => Promise<void>;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (values: readonly (string | number | null)[]) => `${values.map(csvField).join(',')}\r\n`;

// RFC 4180 with CRLF; the byte-order mark makes Excel read it as UTF-8 (the import skips it).
export function csvExport(batches: AsyncIterable<RegistryRecord[]>, onEnd: OnExportEnd): Readable {
  async function* lines() {
    let rows = 0;
    let completed = false;
    try {
      yield `\uFEFF${csvLine(registryColumns)}`;
      for await (const batch of batches) {
        // counted when handed over: a client that leaves mid-batch may have received it
        rows += batch.length;
        yield batch.map((record) => csvLine(registryColumns.map((c) => record[c]))).join('');
      }
      completed = true;
    } finally {
      await onEnd(rows, completed);
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

const columnWidths: Partial<Record<RegistryColumn, number>> = {
  nik: 19,
  nama: 28,
  tanggal_lahir: 13,
  telepon: 16,
  alamat: 32,
  kode_wilayah: 15,
  nama_usaha: 32,
  nib: 15,
  modal_usaha: 15,
  omzet_tahunan: 15,
};

// exceljs' streaming writer: rows are committed as they come and zipped into the response.
// Text stays text (a NIK must not become 6.27E+15), amounts are numbers.
export function xlsxExport(batches: AsyncIterable<RegistryRecord[]>, onEnd: OnExportEnd): Readable {
  return streamXlsx({
    sheet: 'Registri',
    columns: registryColumns.map((key) => ({ header: key, key, width: columnWidths[key] ?? 12 })),
    batches,
    row: (record) => registryColumns.map((c) => record[c] ?? (numericColumns.has(c) ? null : '')),
    onEnd,
  });
}
