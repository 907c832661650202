import { describe, expect, it } from 'vitest';
import { neutraliseFormula, spreadsheetRow } from './spreadsheet.ts';

describe('formula neutralisation', () => {
  it('puts an apostrophe before every cell a spreadsheet would read as a formula', () => {
    for (const text of [
      '=HYPERLINK("http://evil.example","klik")',
      '+SUM(A1:A2)',
      "-2+3+cmd|' /C calc'!A0",
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
    ])
      expect(neutraliseFormula(text)).toBe(`'${text}`);
  });

  it('leaves plain text, phone numbers and signed numbers as they are', () => {
    for (const text of ['Usaha Rotan', '+62 812-3456-7890', '-1500', '081234567890', '', 'a=b'])
      expect(neutraliseFormula(text)).toBe(text);
    expect(spreadsheetRow(['=1', 5, null, new Date(0)])).toEqual(["'=1", 5, null, new Date(0)]);
  });
});
