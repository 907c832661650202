import type ExcelJS from 'exceljs';

// exceljs is imported when a spreadsheet is first read or written, not when the process
// starts: with archiver and unzipper, which it requires, it took about 0.8 s of CPU at every
// start of every command and of the server (docs/testing.md, "Eleventh stop"), and most
// processes never touch a spreadsheet. Types are imported as types only (erased).
let loaded: Promise<typeof ExcelJS> | null = null;

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((module) => module.default);
  return loaded;
}
