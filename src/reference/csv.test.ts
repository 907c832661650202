import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseReferenceCsv } from './csv.ts';
import { loadReference, referenceDir } from './index.ts';

function withCsvParse(text: string) {
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}

describe('parseReferenceCsv', () => {
  const files = readdirSync(referenceDir).filter((name) => name.endsWith('.csv'));

  it.each(files)('reads %s as csv-parse does', (file) => {
    const text = readFileSync(join(referenceDir, file), 'utf8');
    const rows = parseReferenceCsv(text);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(withCsvParse(text));
  });

  it('reads quotes, doubled quotes, CRLF, a BOM and empty lines as csv-parse does', () => {
    const text =
      '\ufeffcode,name,level\r\n11,"Lubuk Pakam I,II",kelurahan\r\n\r\n12,"Say ""Hi""",desa\r\n13,,\r\n"14",x,"y"';
    const rows = parseReferenceCsv(text);
    expect(rows).toEqual([
      { code: '11', name: 'Lubuk Pakam I,II', level: 'kelurahan' },
      { code: '12', name: 'Say "Hi"', level: 'desa' },
      { code: '13', name: '', level: '' },
      { code: '14', name: 'x', level: 'y' },
    ]);
    expect(rows).toEqual(withCsvParse(text));
  });

  it('refuses a row with a field too many or too few', () => {
    expect(() => parseReferenceCsv('a,b\n1,2,3\n')).toThrow(/row 2 has 3 fields/);
    expect(() => parseReferenceCsv('a,b\n1,2\n3\n')).toThrow(/row 3 has 1 fields/);
  });
});

describe('loadReference', () => {
  it('answers from the whole region file once asked', () => {
    const { regions, kbli } = loadReference();
    expect(regions.size).toBe(91_599);
    expect(regions.get('62.71')?.name).toBe('Kota Palangkaraya');
    expect(regions.findByName('Jekan Raya', 'kecamatan', '62.71')?.code).toBe('62.71.03');
    expect(regions.children('62.71.03').length).toBeGreaterThan(0);
    expect(regions.label('62.71.03')).toBe('Jekan Raya, Kota Palangkaraya');
    expect(kbli.isKnown('16291', 2020)).toBe(true);
  });
});
