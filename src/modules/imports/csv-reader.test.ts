import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, RecordTooLongError } from '../../lib/csv-tokenizer.ts';
import { csvRecords } from './imports.parse.ts';

async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function recordsOf(text: string, delimiter: string, chunk: number) {
  const out: string[][] = [];
  for await (const r of csvRecords(pieces(text, chunk), delimiter)) out.push(r);
  return out;
}

// A small seeded generator (mulberry32): the same files on every run.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CSV reader', () => {
  it('reads a long quoted field in time linear in its length', async () => {
    const time = async (mb: number) => {
      const text = `nama\n"${'a'.repeat(mb * 1024 * 1024 - 7)}"\n`;
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        const records = await recordsOf(text, ',', 64 * 1024);
        best = Math.min(best, performance.now() - started);
        expect(records[1]?.[0]?.length).toBe(mb * 1024 * 1024 - 7);
      }
      return best;
    };
    await time(1);
    const small = await time(1);
    const large = await time(8);
    // 8 times the bytes: about 8 times the time when linear, 64 times when quadratic (the
    // reader this replaces took 13 times as long for 4 times the bytes).
    expect(large / Math.max(small, 1)).toBeLessThan(24);
  });

  it('reads what csv-parse reads, on generated RFC 4180 files split at any point', async () => {
    const next = random(15);
    const alphabet = ['a', 'b', 'Z', ' ', 'é', '"', ',', ';', '\n', '\r\n', '\t', '1', 'ñ'];
    for (let file = 0; file < 300; file++) {
      const delimiter = next() < 0.5 ? ',' : ';';
      const eol = next() < 0.5 ? '\n' : '\r\n';
      const rows: string[][] = [];
      const rowCount = 1 + Math.floor(next() * 8);
      for (let r = 0; r < rowCount; r++) {
        const cols = 1 + Math.floor(next() * 5);
        const row: string[] = [];
        for (let c = 0; c < cols; c++) {
          let value = '';
          const length = Math.floor(next() * 12);
          for (let k = 0; k < length; k++) value += alphabet[Math.floor(next() * alphabet.length)];
          row.push(value);
        }
        // a record of one empty field is an empty line, which csv-parse skips
        if (row.length === 1 && row[0] === '') row[0] = 'x';
        rows.push(row);
      }
      const quote = (v: string) =>
        /["\r\n,;\t]/.test(v) || next() < 0.2 ? `"${v.replaceAll('"', '""')}"` : v;
      const text = rows.map((row) => row.map(quote).join(delimiter)).join(eol) + (next() < 0.5 ? eol : '');
      const expected = parse(text, { delimiter, relax_column_count: true, record_delimiter: eol });
      expect(expected).toEqual(rows);
      for (const chunk of [1, 2, 3, 7, text.length || 1]) {
        expect(await recordsOf(text, delimiter, chunk), `file ${file}, chunks of ${chunk}`).toEqual(rows);
      }
    }
  });

  it('stops at a record longer than its limit, wherever the chunks end', () => {
    const tokenizer = new CsvTokenizer(',', 1000);
    expect(tokenizer.push('a,b\n"')).toEqual([['a', 'b']]);
    expect(() => {
      for (let i = 0; i < 10; i++) tokenizer.push('x'.repeat(200));
    }).toThrow(RecordTooLongError);
    const fine = new CsvTokenizer(',', 1000);
    expect([...fine.push(`${'y'.repeat(999)}\n`), ...fine.end()]).toEqual([['y'.repeat(999)]]);
  });
});
