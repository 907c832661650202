import { Readable } from 'node:stream';
import type { Cell } from '../../domain/registry-row.ts';
import { fail } from '../../lib/errors.ts';
import { openRowReader } from '../imports/imports.parse.ts';
import { bulkApplicationLimit } from './programs.schema.ts';

// An uploaded list for a bulk enrolment (XLSX or CSV), read on the server with the registry
// import's guarded reader (ZIP-bomb, shared-string and row-length limits; .xls refused): the
// first sheet, the first column holding anything in the first non-empty row, one NIK or business
// ref per row. A first cell without a single digit ("NIK", "Nomor Induk") is a header and is
// skipped. Lines are numbered by the sheet's rows. At most bulkApplicationLimit rows, like the pasted list.

export const maxListFileBytes = 5 * 1024 * 1024;

const text = (cell: Cell): string => {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  // A NIK typed into a number cell: 16 digits survive as an integer below 2^53 only up to
  // 9,007,199,254,740,991, so a number cell is written out without exponent or decimals.
  if (typeof cell === 'number') return Number.isInteger(cell) ? BigInt(cell).toString() : String(cell);
  return String(cell).trim();
};

export async function listLinesOfFile(data: Buffer, name: string): Promise<string[]> {
  const reader = await openRowReader({ name, size: data.length, open: () => Readable.from([data]) });
  try {
    const column = reader.header.cells.findIndex((c) => text(c) !== '');
    // Indexed by the sheet's row, so that a line of the answer is the row the officer sees.
    const lines: string[] = Array.from({ length: reader.header.row }, () => '');
    const first = text(reader.header.cells[column]);
    if (/\d/.test(first)) lines[reader.header.row - 1] = first;
    for await (const row of reader.rows) {
      if (row.row > bulkApplicationLimit + reader.header.row)
        return fail(
          'validation_failed',
          { field: 'file', maxLines: bulkApplicationLimit },
          'The list is too long.',
        );
      while (lines.length < row.row - 1) lines.push('');
      lines[row.row - 1] = text(row.cells[column]);
    }
    // trailing blank rows are not lines
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  } finally {
    reader.close();
  }
}
