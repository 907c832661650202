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
