import { Readable, Transform, Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { Cell } from '../../domain/registry-row.ts';
import { CsvTokenizer, RecordTooLongError } from '../../lib/csv-tokenizer.ts';
import { AppError, fail } from '../../lib/errors.ts';
import { loadExcelJS } from '../../lib/exceljs.ts';
import { importLimits } from './imports.limits.ts';

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

// Decoded text in, records out; a record may span chunks.
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
  maxRecordChars?: number,
): AsyncGenerator<string[]> {
  const tokenizer = new CsvTokenizer(delimiter, maxRecordChars);
  for await (const chunk of chunks) yield* tokenizer.push(chunk);
  yield* tokenizer.end();
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
    importLimits.maxRecordChars,
  );
  let row = 0;
  const unreadable = (error: unknown): never =>
    error instanceof RecordTooLongError
      ? fail('import_row_too_large', { row: row + 1, maxChars: error.maxChars })
      : fail(
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
  // One cell far to the right (column XFD) would make every row an array of 16,384 cells.
  if (values.length > importLimits.maxColumns + 1 && values.slice(importLimits.maxColumns + 1).some(filled))
    throw new AppError('import_row_too_large', { row: row.number, maxColumns: importLimits.maxColumns });
  const cells: Cell[] = [];
  // exceljs numbers columns from 1; position 0 is always empty
  const end = Math.min(values.length, importLimits.maxColumns + 1);
  for (let i = 1; i < end; i++) cells.push(excelCell(values[i] as ExcelValue));
  return cells;
}

const filled = (value: unknown) => value !== null && value !== undefined && value !== '';

// The shared-strings table is the one part of a workbook the reader holds whole (cells refer to
// it by number). Deflate packs repeated text a thousandfold, so a small file may unpack into
// gigabytes of strings: the table is capped by the characters it holds, at a multiple of the
// file's size that real workbooks stay far below.
class CappedStrings extends Array<unknown> {
  private chars = 0;
  // past the cap nothing more is kept; the reader then refuses the file (an error thrown
  // inside exceljs' parser would surface as an unrelated one)
  exceeded = false;
  constructor(private readonly maxChars: number) {
    super();
  }
  override push(...items: unknown[]): number {
    for (const item of items) {
      this.chars += typeof item === 'string' ? item.length : JSON.stringify(item ?? '').length;
      if (this.chars > this.maxChars) this.exceeded = true;
      if (!this.exceeded) super.push(item);
    }
    return this.length;
  }
  // map, filter and slice make plain arrays, not capped ones
  static override get [Symbol.species]() {
    return Array;
  }
}

// Answers a check that throws once the table has passed its cap.
function capSharedStrings(reader: object, size: number | null): () => void {
  const maxChars = Math.max(importLimits.minSharedChars, (size ?? 0) * importLimits.maxExpansion);
  // undefined until the table is met: exceljs waits for it before reading a sheet
  let table: CappedStrings | undefined;
  // exceljs assigns a fresh [] when it meets the table; it is swapped for a capped one
  Object.defineProperty(reader, 'sharedStrings', {
    configurable: true,
    get: () => table,
    set: () => {
      table = new CappedStrings(maxChars);
    },
  });
  return () => {
    if (table?.exceeded) throw new AppError('import_file_too_large', { reason: 'expanded', maxChars });
  };
}

// What an XLSX part is to the reader: a sheet and the shared strings are streamed (but a row
// or a string is built whole), the styles and the workbook's own parts are held whole.
type PartKind = 'sheet' | 'strings' | 'whole' | 'other';

function partKind(path: string): PartKind {
  if (/^xl\/worksheets\/sheet\d+\.xml$/.test(path)) return 'sheet';
  if (path === 'xl/sharedStrings.xml') return 'strings';
  if (path === 'xl/styles.xml' || path === 'xl/workbook.xml' || path.endsWith('.rels')) return 'whole';
  return 'other';
}

const LT = 0x3c;
// a tag's name ends at white space, '>' or '/'
const endsName = (b: number) =>
  b === 0x20 || b === 0x3e || b === 0x2f || b === 0x09 || b === 0x0a || b === 0x0d;

// Watches the XML of one part as it is inflated, before the XML parser sees it, and throws once
// the part asks for more memory than a registry could: a text or tag longer than a cell, a
// row or shared string of more than that, more shared strings or column definitions than a
// file of this size holds, styles beyond Excel's own limits. It looks only at '<' and the
// tag name after it, so it costs little more than the inflating.
class XmlPartGuard {
  private bytes = 0;
  // bytes since the last '<': every text, attribute and tag lies between two of them
  private run = 0;
  // where the open row or shared string began; -1 outside one
  private recordStart = -1;
  private count = 0;
  // a '<' near the end of a chunk: its name continues in the next one
  private pending: { at: number; head: Buffer } | null = null;

  constructor(
    private readonly kind: PartKind,
    private readonly maxSharedStrings: number,
  ) {}

  write(chunk: Buffer) {
    const base = this.bytes;
    this.bytes += chunk.length;
    if (this.kind === 'whole' && this.bytes > importLimits.maxStylesBytes)
      throw new AppError('import_file_too_large', {
        reason: 'styles',
        maxBytes: importLimits.maxStylesBytes,
      });
    if (this.kind === 'other') return;
    if (this.pending) {
      const { at, head } = this.pending;
      this.pending = null;
      this.tag(Buffer.concat([head, chunk.subarray(0, 16)]), 0, at, true);
    }
    let i = 0;
    for (;;) {
      const lt = chunk.indexOf(LT, i);
      this.run += (lt === -1 ? chunk.length : lt) - i;
      if (this.run > importLimits.maxXmlRecordBytes) throw this.recordTooLarge();
      if (lt === -1) break;
      this.run = 0;
      this.tag(chunk, lt + 1, base + lt, false);
      i = lt + 1;
    }
    if (this.recordStart >= 0 && this.bytes - this.recordStart > importLimits.maxXmlRecordBytes)
      throw this.recordTooLarge();
  }

  private recordTooLarge() {
    return new AppError('import_row_too_large', { maxBytes: importLimits.maxXmlRecordBytes });
  }

  // The tag whose name starts at buf[from] (its '<' at `at` in the part).
  private tag(buf: Buffer, from: number, at: number, carried: boolean) {
    let end = from;
    while (end < buf.length && end - from < 16 && !endsName(buf[end] ?? 0x20)) end++;
    if (end === buf.length && !carried && end - from < 16) {
      this.pending = { at, head: Buffer.from(buf.subarray(from)) };
      return;
    }
    let name = buf.toString('latin1', from, end);
    const closing = name.startsWith('/');
    if (closing) name = name.slice(1);
    name = name.slice(name.indexOf(':') + 1);
    if (this.kind === 'sheet') {
      if (name === 'row') {
        if (closing) this.recordStart = -1;
        else this.recordStart = at;
      } else if (name === 'sheetData' && closing) this.recordStart = -1;
      else if (name === 'col' && !closing && ++this.count > importLimits.maxColumnDefinitions)
        throw new AppError('import_row_too_large', { maxColumns: importLimits.maxColumnDefinitions });
    } else if (this.kind === 'strings' && name === 'si') {
      if (closing) this.recordStart = -1;
      else {
        this.recordStart = at;
        if (++this.count > this.maxSharedStrings)
          throw new AppError('import_file_too_large', {
            reason: 'shared_strings',
            maxStrings: this.maxSharedStrings,
          });
      }
    }
  }
}

// Bounds what an XLSX unpacks into, part by part as it is inflated (a ZIP packs repeated XML a
// thousandfold: issue #15's 1.5 MB file took 1.5 GB). exceljs pipes the file into its ZIP
// parser and reads each part from a stream the parser hands out; the guard sits at that
// stream's input. Past a limit it ends the part and fails the ZIP parser, so the reader stops
// within one chunk, and answers the reason from check().
function guardInflation(input: Readable, size: number | null): () => void {
  const maxTotal = Math.max(importLimits.minInflatedBytes, (size ?? 0) * importLimits.maxInflateRatio);
  const maxSharedStrings = Math.max(
    importLimits.minSharedStrings,
    Math.round((size ?? 0) * importLimits.maxSharedStringsPerByte),
  );
  let total = 0;
  let failure: AppError | null = null;
  const pipe = input.pipe.bind(input);
  input.pipe = <T extends NodeJS.WritableStream>(zip: T, options?: { end?: boolean }): T => {
    const parser = zip as unknown as Readable;
    const push = parser.push.bind(parser);
    parser.push = (entry: unknown, encoding?: BufferEncoding) => {
      if (entry instanceof Writable && 'path' in entry && typeof entry.path === 'string')
        watch(parser, entry, entry.path);
      return push(entry, encoding);
    };
    return pipe(zip, options);
  };
  function watch(parser: Readable, part: Writable, path: string) {
    const xml = new XmlPartGuard(partKind(path), maxSharedStrings);
    const write = part.write.bind(part) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    part.write = ((chunk: Buffer, ...rest: unknown[]) => {
      // past a failure the rest of the part is dropped: the reader is being stopped
      if (failure) return true;
      try {
        total += chunk.length;
        if (total > maxTotal)
          throw new AppError('import_file_too_large', { reason: 'expanded', maxBytes: maxTotal });
        xml.write(chunk);
      } catch (error) {
        failure =
          error instanceof AppError ? error : new AppError('import_file_unreadable', { reason: 'xlsx' });
        input.unpipe(parser as unknown as Writable);
        input.destroy();
        parser.destroy(failure);
        part.end();
        return true;
      }
      return write(chunk, ...rest);
    }) as Writable['write'];
  }
  return () => {
    if (failure) throw failure;
  };
}

async function openXlsx(
  stream: Readable,
  onBytes: (n: number) => void,
  size: number | null,
): Promise<RowReader> {
  let bytes = 0;
  const counted = stream.pipe(
    counter((n) => {
      bytes += n;
      onBytes(n);
    }),
  );
  stream.on('error', (error) => counted.destroy(error));
  const checkInflation = guardInflation(counted, size);
  // Styles are read so that date-formatted cells arrive as dates, not as serial numbers.
  const reader = new (await loadExcelJS()).stream.xlsx.WorkbookReader(counted, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const checkStrings = capSharedStrings(reader, size);
  const checkExpansion = () => {
    checkInflation();
    checkStrings();
  };
  const unreadable = (error: unknown): never => {
    checkExpansion();
    if (error instanceof AppError) throw error;
    return fail(
      'import_file_unreadable',
      { reason: 'xlsx', cause: error instanceof Error ? error.message : String(error) },
      'The XLSX file cannot be read.',
    );
  };
  const sheets = reader[Symbol.asyncIterator]();
  const first = await sheets.next().catch((error: unknown) => {
    // exceljs's reader (4.4, with unzipper 0.10) sometimes ends its walk through the ZIP before
    // the last parts, more often on a busy machine (2–5 files in 1,500 read ten at a time in one
    // process, the same without this module's guards). A file whose workbook part comes last (as
    // exceljs itself writes it) then fails on its first sheet, before any row is read; the same
    // bytes read again succeed.
    if (error instanceof TypeError && (reader as { model?: unknown }).model === undefined) {
      stream.destroy();
      counted.destroy();
      throw new ZipEndedEarly();
    }
    return unreadable(error);
  });
  if (first.done) return fail('import_file_unreadable', { reason: 'empty' }, 'The workbook has no sheet.');
  const rowsOfSheet = (first.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  let header: SheetRow | null = null;
  for (;;) {
    const next = await rowsOfSheet.next().catch(unreadable);
    checkExpansion();
    if (next.done) break;
    const cells = rowCells(next.value);
    if (cells.some((c) => c !== null && String(c).trim() !== '')) {
      header = { row: next.value.number, cells };
      break;
    }
  }
  if (!header)
    return fail('import_file_unreadable', { reason: 'empty' }, 'The first sheet has no header row.');
  const headerRow = header.row;
  async function* rows(): AsyncGenerator<SheetRow> {
    for (;;) {
      const next = await rowsOfSheet.next().catch(unreadable);
      checkExpansion();
      if (next.done) return;
      // a row numbered past the cap: the sheet is longer than an import may be, whatever lies between
      if (next.value.number - headerRow > importLimits.maxRows)
        fail('import_too_many_rows', { maxRows: importLimits.maxRows, row: next.value.number });
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

class ZipEndedEarly extends Error {}

export async function openRowReader(
  source: ImportSource,
  onBytes: (n: number) => void = () => {},
): Promise<RowReader> {
  const { head, stream } = await peek(source.open(), 64 * 1024);
  const format = sniffFormat(head);
  switch (format) {
    case 'xlsx':
      return openXlsxAgain(source, stream, onBytes);
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

// The file opened again where exceljs's reader lost the end of the ZIP (ZipEndedEarly): nothing
// of it was used yet. A few times, then the file is called unreadable.
async function openXlsxAgain(
  source: ImportSource,
  stream: Readable,
  onBytes: (n: number) => void,
): Promise<RowReader> {
  let read = 0;
  const counting = (n: number) => {
    read += n;
    onBytes(n);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await openXlsx(attempt === 1 ? stream : source.open(), counting, source.size);
    } catch (error) {
      if (!(error instanceof ZipEndedEarly)) throw error;
      onBytes(-read);
      read = 0;
      if (attempt === 3)
        return fail('import_file_unreadable', { reason: 'xlsx' }, 'The XLSX file cannot be read.');
    }
  }
}
