import { CsvTokenizer } from '../lib/csv-tokenizer.ts';

// The reference files shipped in data-ref/ (the region file alone has 91,599 rows) are read
// with the import's CSV tokenizer rather than csv-parse, which took about 0.8 s of CPU for the
// region file at every process's first region look-up; the tokenizer reads it in a fraction of
// that. The files are RFC 4180 with a header row; empty lines are skipped. csv.test.ts checks
// that csv-parse reads every reference file the same.
export function parseReferenceCsv(text: string): Record<string, string>[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tokenizer = new CsvTokenizer(',');
  const records = [...tokenizer.push(body), ...tokenizer.end()].filter(
    (record) => record.length > 1 || record[0] !== '',
  );
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map((row, n) => {
    if (row.length !== header.length)
      throw new Error(`reference CSV: row ${n + 2} has ${row.length} fields, the header ${header.length}`);
    const out: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) out[header[k] as string] = row[k] as string;
    return out;
  });
}
