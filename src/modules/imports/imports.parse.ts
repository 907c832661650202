import { Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from '../../domain/registry-row.ts';
import { fail } from '../../lib/errors.ts';

// Streaming readers for registry files: CSV (comma, semicolon or tab; UTF-8 with or without
// a byte-order mark, Windows-1252, or Excel's UTF-16 "Unicode text"; any line ending) and
// XLSX (first sheet). Neither holds the file: rows are yielded as they are read.

export type ImportSource = {
  name: string;
  size: number | null;
  open: () => Readable;
};

export type SheetRow = { row: number; cells: Cell[] };

export type RowReader = {
  format: 'csv' | 'xlsx';
  // the header row: the first row with any content
  header: { row: number; cells: Cell[] };
  rows: AsyncIterable<SheetRow>;
  // bytes of the file consumed so far, for progress on files whose row count is unknown
  bytesRead: () => number;
  close: () => void;
};

export type FileFormat = 'csv' | 'xlsx' | 'xls';

export function sniffFormat(head: Buffer): FileFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  return 'csv';
}

// Reads the first `bytes` of a stream and gives back a stream that still starts at zero.
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const taken: Buffer[] = [];
  let length = 0;
  let finished = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    taken.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(taken);
  async function* replay() {
    if (head.length > 0) yield head;
    if (finished) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  const replayed = Readable.from(replay(), { objectMode: false });
  replayed.on('close', () => stream.destroy());
  return { head, stream: replayed };
}

function counter(onBytes: (n: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

export type CsvDialect = { delimiter: string; encoding: 'utf8' | 'latin1' | 'utf16le'; sepLine: boolean };

function isUtf8(head: Buffer): boolean {
  // A multi-byte character may be cut at the end of the sample; drop up to 3 trailing bytes.
  let end = head.length;
  for (let i = 0; i < 3 && end > 0 && ((head[end - 1] ?? 0) & 0xc0) === 0x80; i++) end--;
  if (end > 0 && ((head[end - 1] ?? 0) & 0xc0) === 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

// Excel in Indonesia writes ';' (the decimal separator is ','); other tools write ',' or a tab.
// Excel may also put "sep=;" on the first line.
export function detectDialect(head: Buffer): CsvDialect {
  const utf16 = head[0] === 0xff && head[1] === 0xfe;
  const encoding = utf16 ? 'utf16le' : isUtf8(head) ? 'utf8' : 'latin1';
  let text = utf16
    ? head.subarray(2).toString('utf16le')
    : head.toString(encoding === 'utf8' ? 'utf8' : 'latin1');
  text = text.replace(/^\uFEFF/, '');
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep?.[1]) return { delimiter: sep[1], encoding, sepLine: true };
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let delimiter = ',';
  let best = 0;
  for (const [candidate, count] of counts) {
    if (count > best) {
      delimiter = candidate;
      best = count;
    }
  }
  return { delimiter, encoding, sepLine: false };
}

// One CSV record starting at `start`: its fields and where the next record begins, or null
// when the text ends before the record does (more input is needed). Quotes as RFC 4180, and
// relaxed like Excel: a quote inside an unquoted field is a plain character, and text after
// a closing quote is kept. A quoted line break stays inside its field.
export function readRecord(
  text: string,
  start: number,
  delimiter: string,
  eof: boolean,
): { fields: string[]; next: number } | null {
  const newline = text.indexOf('\n', start);
  if (newline === -1 && !eof) return null;
  const end = newline === -1 ? text.length : newline;
  const line =
    text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
  // the common case: no quotes on the line
  if (line.indexOf('"') === -1)
    return { fields: line.split(delimiter), next: newline === -1 ? text.length : newline + 1 };
  const fields: string[] = [];
  let field = '';
  let fieldStart = true;
  let i = start;
  for (;;) {
    if (i >= text.length) {
      if (!eof) return null;
      fields.push(field);
      return { fields, next: i };
    }
    const ch = text[i];
    if (fieldStart && ch === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          if (!eof) return null;
          field += text.slice(i);
          i = text.length;
          break;
        }
        field += text.slice(i, q);
        if (q + 1 >= text.length && !eof) return null;
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fieldStart = false;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
    } else if (ch === '\n') {
      fields.push(field);
      return { fields, next: i + 1 };
    } else if (ch === '\r' && (text[i + 1] === '\n' || (i + 1 >= text.length && eof))) {
      i++;
    } else if (ch === '\r' && i + 1 >= text.length) {
      return null;
    } else {
      field += ch;
      fieldStart = false;
      i++;
    }
  }
}

// Decoded text in, records out; a record may span chunks.
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
): AsyncGenerator<string[]> {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer = buffer.length > 0 ? buffer + chunk : chunk;
    let at = 0;
    for (;;) {
      const record = readRecord(buffer, at, delimiter, false);
      if (!record) break;
      at = record.next;
      yield record.fields;
    }
    buffer = buffer.slice(at);
  }
  let at = 0;
  while (at < buffer.length) {
    const record = readRecord(buffer, at, delimiter, true);
    if (!record) break;
    at = record.next;
    yield record.fields;
  }
}

async function* decode(
  stream: AsyncIterable<Buffer>,
  encoding: CsvDialect['encoding'],
  onBytes: (n: number) => void,
) {
  // Excel's "CSV" in a Western locale is Windows-1252, a superset of Latin-1.
  const decoder = new TextDecoder(
    encoding === 'latin1' ? 'windows-1252' : encoding === 'utf16le' ? 'utf-16le' : 'utf-8',
  );
  let first = true;
  for await (const chunk of stream) {
    onBytes(chunk.length);
    let text = decoder.decode(chunk, { stream: true });
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

// This reader replaces csv-parse (which does the same at a fifth of the speed): an
// import is bound by the database only when reading and validating keep well ahead of it.
async function openCsv(stream: Readable, head: Buffer, onBytes: (n: number) => void): Promise<RowReader> {
  const dialect = detectDialect(head);
  let bytes = 0;
  const records = csvRecords(
    decode(stream, dialect.encoding, (n) => {
      bytes += n;
      onBytes(n);
    }),
    dialect.delimiter,
  );
  let row = 0;
  const unreadable = (error: unknown): never =>
    fail(
      'import_file_unreadable',
      { reason: 'csv', row: row + 1, cause: error instanceof Error ? error.message : String(error) },
      `The CSV file cannot be read after row ${row}.`,
    );
  if (dialect.sepLine) await records.next().catch(unreadable);
  let header: SheetRow | null = null;
  for (;;) {
    const next = await records.next().catch(unreadable);
    if (next.done) break;
    row++;
    if (next.value.some((c) => c.trim() !== '')) {
      header = { row, cells: next.value };
      break;
    }
  }
  if (!header) return fail('import_file_unreadable', { reason: 'empty' }, 'The file has no header row.');
  async function* rows(): AsyncGenerator<SheetRow> {
    for (;;) {
      const next = await records.next().catch(unreadable);
      if (next.done) return;
      row++;
      yield { row, cells: next.value };
    }
  }
  return {
    format: 'csv',
    header,
    rows: rows(),
    bytesRead: () => bytes,
    close: () => {
      stream.destroy();
      void records.return(undefined);
    },
  };
}

type ExcelValue = ExcelJS.CellValue | undefined;

function excelCell(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText.map((p) => p.text).join('');
    if ('formula' in value || 'sharedFormula' in value)
      return excelCell((value as { result?: ExcelValue }).result);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return String(value);
}

function rowCells(row: ExcelJS.Row): Cell[] {
  const values = row.values;
  if (!Array.isArray(values)) return [];
  const cells: Cell[] = [];
  // exceljs numbers columns from 1; position 0 is always empty
  for (let i = 1; i < values.length; i++) cells.push(excelCell(values[i] as ExcelValue));
  return cells;
}

async function openXlsx(stream: Readable, onBytes: (n: number) => void): Promise<RowReader> {
  let bytes = 0;
  const counted = stream.pipe(
    counter((n) => {
      bytes += n;
      onBytes(n);
    }),
  );
  stream.on('error', (error) => counted.destroy(error));
  // Styles are read so that date-formatted cells arrive as dates, not as serial numbers.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const unreadable = (error: unknown): never =>
    fail(
      'import_file_unreadable',
      { reason: 'xlsx', cause: error instanceof Error ? error.message : String(error) },
      'The XLSX file cannot be read.',
    );
  const sheets = reader[Symbol.asyncIterator]();
  const first = await sheets.next().catch(unreadable);
  if (first.done) return fail('import_file_unreadable', { reason: 'empty' }, 'The workbook has no sheet.');
  const rowsOfSheet = (first.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  let header: SheetRow | null = null;
  for (;;) {
    const next = await rowsOfSheet.next().catch(unreadable);
    if (next.done) break;
    const cells = rowCells(next.value);
    if (cells.some((c) => c !== null && String(c).trim() !== '')) {
      header = { row: next.value.number, cells };
      break;
    }
  }
  if (!header)
    return fail('import_file_unreadable', { reason: 'empty' }, 'The first sheet has no header row.');
  async function* rows(): AsyncGenerator<SheetRow> {
    for (;;) {
      const next = await rowsOfSheet.next().catch(unreadable);
      if (next.done) return;
      yield { row: next.value.number, cells: rowCells(next.value) };
    }
  }
  return {
    format: 'xlsx',
    header,
    rows: rows(),
    bytesRead: () => bytes,
    close: () => {
      stream.destroy();
      counted.destroy();
    },
  };
}

export async function openRowReader(
  source: ImportSource,
  onBytes: (n: number) => void = () => {},
): Promise<RowReader> {
  const { head, stream } = await peek(source.open(), 64 * 1024);
  const format = sniffFormat(head);
  switch (format) {
    case 'xlsx':
      return openXlsx(stream, onBytes);
    case 'xls':
      stream.destroy();
      return fail(
        'import_file_unreadable',
        { reason: 'xls' },
        'Old Excel files (.xls) are not supported; save the file as .xlsx or CSV.',
      );
    case 'csv':
      return openCsv(stream, head, onBytes);
  }
}
