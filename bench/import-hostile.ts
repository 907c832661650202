// Hostile registry files against the import reader (no database: only reading and limits).
//   (a) one quoted field of 5 to 40 MB through the CSV tokenizer without a record limit:
//       the time per byte must stay flat (linear), where the former reader was quadratic;
//   (b) the same 40 MB file through the import reader with its limits: refused with
//       import_row_too_large after the first 64 KB of the record;
//   (c) XLSX files of 50,000 and 200,000 rows read row by row: peak memory must not grow
//       with the rows (exceljs' streaming WorkbookReader);
//   (d) an XLSX row with a cell in column 16,000: refused, not expanded to 16,000 cells.
//
//   npm run bench -- import-hostile [--max-mb 40]
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { AppError } from '../src/lib/errors.ts';
import { csvRecords, openRowReader } from '../src/modules/imports/imports.parse.ts';

const { values: args } = parseArgs({ options: { 'max-mb': { type: 'string', default: '40' } } });
const maxMb = Number(args['max-mb']);
const log = (line: string) => process.stderr.write(`${line}\n`);
const dir = mkdtempSync(join(os.tmpdir(), 'pulih-bench-hostile-'));

function oneField(mb: number) {
  return `nama\n"${'a'.repeat(mb * 1024 * 1024)}"\n`;
}

async function* chunksOf(text: string, size = 64 * 1024) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function peakSampler() {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  return () => {
    clearInterval(timer);
    return { peakRss, peakHeap };
  };
}

const mib = (bytes: number) => Math.round(bytes / 1048576);

try {
  // (a)
  const sizes = [5, 10, 20, 40].filter((s) => s <= maxMb);
  const tokenizer: { mb: number; ms: number; nsPerByte: number }[] = [];
  for (const mb of sizes) {
    const text = oneField(mb);
    const started = performance.now();
    let fields = 0;
    for await (const record of csvRecords(chunksOf(text), ',')) fields += record.length;
    const ms = performance.now() - started;
    if (fields !== 2) throw new Error('unexpected records');
    tokenizer.push({ mb, ms: Math.round(ms), nsPerByte: Math.round((ms * 1e6) / text.length) });
    log(`(a) ${mb} MB one quoted field: ${Math.round(ms)} ms`);
  }

  // (b)
  const text40 = Buffer.from(oneField(maxMb));
  const startedB = performance.now();
  let refusal = '';
  try {
    const reader = await openRowReader({
      name: 'x.csv',
      size: text40.length,
      open: () => Readable.from([text40]),
    });
    for await (const _ of reader.rows) void _;
  } catch (error) {
    refusal = error instanceof AppError ? error.code : String(error);
  }
  const refusedMs = Math.round(performance.now() - startedB);
  log(`(b) ${maxMb} MB through the import reader: ${refusal} after ${refusedMs} ms`);

  // (c)
  const xlsx: { rows: number; fileMb: number; ms: number; peakRssMb: number; peakHeapMb: number }[] = [];
  for (const rows of [50_000, 200_000]) {
    const file = join(dir, `rows-${rows}.xlsx`);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useSharedStrings: process.env.BENCH_SHARED !== '0',
    });
    const sheet = writer.addWorksheet('usaha');
    sheet
      .addRow(['nik', 'nama', 'kode_wilayah', 'nama_usaha', 'kbli', 'alamat', 'telepon', 'omzet_tahunan'])
      .commit();
    for (let i = 0; i < rows; i++)
      sheet
        .addRow([
          `6271021${String(i).padStart(9, '0')}`,
          `Pemilik ${i % 997}`,
          '62.71.02.1004',
          `Usaha ${i}`,
          '16291',
          `Jl. Tjilik Riwut km ${i % 40}`,
          `0812${String(i).padStart(8, '0')}`,
          60_000_000 + i,
        ])
        .commit();
    sheet.commit();
    await writer.commit();
    global.gc?.();
    const stop = peakSampler();
    const started = performance.now();
    const reader = await openRowReader({
      name: file,
      size: statSync(file).size,
      open: () => createReadStream(file),
    });
    let read = 0;
    for await (const _ of reader.rows) read++;
    const ms = Math.round(performance.now() - started);
    const peak = stop();
    if (read !== rows) throw new Error(`read ${read} of ${rows} rows`);
    xlsx.push({
      rows,
      fileMb: Math.round(statSync(file).size / 104857.6) / 10,
      ms,
      peakRssMb: mib(peak.peakRss),
      peakHeapMb: mib(peak.peakHeap),
    });
    log(`(c) XLSX ${rows} rows: ${ms} ms, peak RSS ${mib(peak.peakRss)} MB, heap ${mib(peak.peakHeap)} MB`);
  }

  // (d)
  const wide = new ExcelJS.Workbook();
  const sheet = wide.addWorksheet('usaha');
  sheet.addRow(['nik', 'nama', 'kode_wilayah', 'nama_usaha']);
  for (let r = 2; r < 2000; r++) {
    sheet.getRow(r).getCell(1).value = 'x';
    sheet.getRow(r).getCell(16_000).value = 'far';
  }
  const wideBytes = Buffer.from(await wide.xlsx.writeBuffer());
  let wideRefusal = '';
  try {
    const reader = await openRowReader({
      name: 'w.xlsx',
      size: wideBytes.length,
      open: () => Readable.from([wideBytes]),
    });
    for await (const _ of reader.rows) void _;
  } catch (error) {
    wideRefusal = error instanceof AppError ? error.code : String(error);
  }
  log(`(d) XLSX with a cell in column 16,000: ${wideRefusal}`);

  console.log(
    JSON.stringify({
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
      tokenizer,
      refusal: { mb: maxMb, code: refusal, ms: refusedMs },
      xlsx,
      wideXlsx: wideRefusal,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
