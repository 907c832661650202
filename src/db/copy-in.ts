import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './client.ts';

// COPY … FROM STDIN inside a transaction on PostgreSQL: rows in COPY's text format cost the
// server a fraction of the same rows decoded from one JSON parameter (json_to_recordset spent
// about 6 µs of the server's CPU on each business row before it was written; docs/benchmarks.md,
// issue 14 point 4). Drizzle has no COPY, so the statement goes to the transaction's own
// node-postgres connection, between its other statements. PGlite has no COPY FROM STDIN:
// callers keep the JSON statements there.

// The connection a node-postgres transaction of Drizzle runs on (its session's client).
function clientOf(tx: Tx): pg.Client {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof pg.Client))
    throw new Error('COPY needs a node-postgres transaction: this one has no connection of its own');
  return client;
}

export async function copyIn(tx: Tx, statement: string, rows: Buffer) {
  await pipeline(Readable.from([rows]), clientOf(tx).query(copyFrom(statement)));
}

// Rows in COPY's text format, written straight into one growing buffer: the same rows built as
// one string cost Node more than the JSON they replace (the pieces of each row, their garbage,
// and the whole string flattened and encoded again on the way to the socket).
export class CopyRows {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private at = 0;
  private rowStart = true;

  // The rows written, for copyIn.
  done(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  // A text value: \N for null; a backslash, tab, newline or carriage return escaped.
  text(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.raw('\\N');
    return this.raw(special.test(value) ? value.replace(specials, (c) => escapes[c] ?? c) : value);
  }

  // A value that has nothing to escape: a number, a boolean, or a string known to hold none of
  // backslash, tab, newline and carriage return (an id, a date, a code the row's check allowed).
  value(value: string | number | boolean | null | undefined): this {
    if (value === null || value === undefined) return this.raw('\\N');
    if (typeof value === 'boolean') return this.raw(value ? 't' : 'f');
    return this.raw(typeof value === 'number' ? String(value) : value);
  }

  endRow(): this {
    this.room(1);
    this.buffer[this.at++] = 0x0a;
    this.rowStart = true;
    return this;
  }

  private raw(value: string): this {
    // a UTF-16 unit is at most 3 bytes of UTF-8
    this.room(value.length * 3 + 1);
    const buffer = this.buffer;
    let at = this.at;
    if (!this.rowStart) buffer[at++] = 0x09;
    this.rowStart = false;
    // ASCII byte by byte (most values are short, and a call into Buffer.write costs more than
    // copying them here); from the first other character on, Buffer.write's UTF-8
    let i = 0;
    for (; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      buffer[at++] = c;
    }
    if (i < value.length) at += buffer.write(value.slice(i), at);
    this.at = at;
    return this;
  }

  private room(bytes: number) {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
  }
}

const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
