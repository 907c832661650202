// The reference files shipped in data-ref/ are read at start-up by every process that builds
// an app context; the region file alone has 91,599 rows. csv-parse took about 0.8 s of CPU
// for it, this reader a small fraction of that. It reads RFC 4180 as those files are written
// (a header row, commas, fields in double quotes with "" for a quote, LF or CRLF, an optional
// BOM, empty lines skipped); files from users keep going through csv-parse
// (src/modules/imports), which handles every dialect. src/reference/csv.test.ts checks that
// both read every reference file the same.
export function parseReferenceCsv(text: string): Record<string, string>[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  // A record that has begun (a field or a comma read): an empty line is none and is skipped.
  let begun = false;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 0x22 /* " */ && field === '') {
      // A quoted field: up to the quote that is not doubled.
      let end = i + 1;
      let value = '';
      for (;;) {
        const quote = body.indexOf('"', end);
        if (quote < 0) throw new Error('reference CSV: a quoted field is not closed');
        value += body.slice(end, quote);
        if (body.charCodeAt(quote + 1) === 0x22) {
          value += '"';
          end = quote + 2;
        } else {
          end = quote + 1;
          break;
        }
      }
      field = value;
      begun = true;
      i = end;
      continue;
    }
    if (c === 0x2c /* , */) {
      record.push(field);
      field = '';
      begun = true;
      i++;
      continue;
    }
    if (c === 0x0a /* \n */ || c === 0x0d /* \r */) {
      if (begun || field !== '') {
        record.push(field);
        records.push(record);
      }
      record = [];
      field = '';
      begun = false;
      i += c === 0x0d && body.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      continue;
    }
    // Plain characters up to the next comma or line end, in one slice.
    let end = i + 1;
    while (end < body.length) {
      const d = body.charCodeAt(end);
      if (d === 0x2c || d === 0x0a || d === 0x0d) break;
      end++;
    }
    field += body.slice(i, end);
    begun = true;
    i = end;
  }
  if (begun || field !== '') {
    record.push(field);
    records.push(record);
  }
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
