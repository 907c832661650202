// A batch of rows sent as one array per column, read back with unnest(): the server parses an
// array of 10,000 values with the column type's own input function, where json_to_recordset
// parses each row as a JSON object and looks its fields up by name. For a batch of 10,000
// businesses that is about a third of the server's CPU (docs/benchmarks.md, issue 14 point 4).
//
// The literal is sent as a text parameter and cast in the statement (`${literal}::text::uuid[]`):
// both drivers pass a string as text as it is, whatever they would make of a JavaScript array.

export type ArrayElement = string | number | boolean | null | undefined;

const needsEscape = /["\\]/;

// The array's text form (PostgreSQL's array_in): every string quoted, so that an empty string,
// a comma, a brace or the word NULL stays a value; null and undefined are NULL.
export function arrayLiteral(values: readonly ArrayElement[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'string')
      parts[i] = needsEscape.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
      parts[i] = String(v);
    } else parts[i] = v ? 't' : 'f';
  }
  return `{${parts.join(',')}}`;
}

// One literal per key, the rows' values in their order.
export function columnLiterals<K extends string>(
  rows: readonly Partial<Record<K, ArrayElement>>[],
  keys: readonly K[],
): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = arrayLiteral(rows.map((row) => row[key]));
  return out;
}
