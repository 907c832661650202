import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { loadExcelJS } from './exceljs.ts';

// A spreadsheet reads a cell that starts with = + - @ (or a tab or CR before one) as a
// formula once it is typed over, pasted or opened as CSV: `=HYPERLINK(...)` in a business
// name would become a live link, `=cmd|...` an attempt to run a program (CSV injection,
// OWASP). Every exported text cell, CSV or XLSX, goes through `neutraliseFormula`, which puts
// an apostrophe in front. Phone numbers (+62…) and signed numbers are left as they are, so a
// registry export imports again unchanged.
export function neutraliseFormula(text: string): string {
  if (/^[=@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-][\d\s.()-]*$/.test(text)) return `'${text}`;
  return text;
}

// One cell of an exported row: text neutralised; numbers, dates, booleans and empty cells
// as they are.
export function spreadsheetCell<T>(value: T): T | string {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

// A whole row (exceljs' addRow takes an array).
export function spreadsheetRow<T>(values: readonly T[]): (T | string)[] {
  return values.map(spreadsheetCell);
}

export type XlsxColumn = { header: string; key: string; width: number };

// exceljs' streaming writer: one sheet with a frozen bold header, rows committed batch by
// batch (every one through spreadsheetRow) and zipped into the response. The zip goes
// through `zipped` so that `out` ends only after `onEnd` (the export's log entry) has run.
export function streamXlsx<T>(options: {
  sheet: string;
  columns: XlsxColumn[];
  batches: AsyncIterable<T[]>;
  row: (item: T) => unknown[];
  onEnd: (rows: number, completed: boolean) => Promise<void>;
}): Readable {
  const out = new PassThrough();
  const zipped = new PassThrough();
  zipped.pipe(out, { end: false });

  const write = async () => {
    const ExcelJS = await loadExcelJS();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: zipped,
      useStyles: true,
      useSharedStrings: false,
    });
    workbook.creator = 'Pulih';
    const sheet = workbook.addWorksheet(options.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = options.columns;
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let rows = 0;
    let completed = false;
    try {
      for await (const batch of options.batches) {
        if (out.destroyed) break;
        for (const item of batch) sheet.addRow(spreadsheetRow(options.row(item))).commit();
        rows += batch.length;
        // Let the zip and the socket move (a batch read from memory never yields to them),
        // then hold the next batch until the client has taken this one.
        await setImmediate();
        if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      }
      if (!out.destroyed) {
        sheet.commit();
        const drained = once(zipped, 'end');
        await workbook.commit();
        await drained;
        completed = true;
      }
    } finally {
      await options.onEnd(rows, completed);
    }
    if (!out.destroyed) out.end();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
