import type ExcelJS from 'exceljs';
import { kecamatanScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import { loadExcelJS } from '../../lib/exceljs.ts';
import { spreadsheetCell } from '../../lib/spreadsheet.ts';
import type { Actor } from '../../policies.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { getRecap, type OutcomeCounts } from './recap.service.ts';

// The annual recap (rekapitulasi tahunan) a Kepala Dinas attaches to the year's report: every
// program of the year, its participants, graduates and aid, per kecamatan; equipment aid per
// SOPD and kecamatan; the outcome figures, each beside its denominator. Numbers are numbers
// (summable in the spreadsheet), rupiah and shares formatted. Printed in Indonesian.

const money = '#,##0';
const count = '#,##0';
const share = '0.0%';
const programType: Record<string, string> = { training: 'Pelatihan', aid: 'Bantuan', promotion: 'Promosi' };

type Column = { header: string; key: string; width: number; numFmt?: string };

function sheet(book: ExcelJS.Workbook, name: string, columns: Column[]) {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
  return ws;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

const outcomeColumns: Column[] = [
  { header: 'Lulusan', key: 'graduates', width: 10, numFmt: count },
  { header: 'Ditindaklanjuti', key: 'asked', width: 14, numFmt: count },
  { header: 'Menjawab', key: 'answered', width: 11, numFmt: count },
  { header: 'Wirausaha baru', key: 'newEntrepreneurs', width: 14, numFmt: count },
  { header: 'Aktif setelah tindak lanjut', key: 'activeAfterFollowUp', width: 16, numFmt: count },
  { header: '% aktif (dari yang menjawab)', key: 'activeShare', width: 16, numFmt: share },
  { header: 'Pulih', key: 'recovered', width: 9, numFmt: count },
  { header: 'Omzet sebelum Covid-19 diketahui', key: 'recoveredKnown', width: 18, numFmt: count },
  { header: '% pulih', key: 'recoveredShare', width: 10, numFmt: share },
];

const outcomeCells = (o: OutcomeCounts) => ({
  ...o,
  activeShare: ratio(o.activeAfterFollowUp, o.answered),
  recoveredShare: ratio(o.recovered, o.recoveredKnown),
});

function totalRow(ws: ExcelJS.Worksheet, values: Record<string, unknown>) {
  ws.addRow(values).font = { bold: true };
}

export async function annualRecapXlsx(ctx: AppContext, actor: Actor, year: number) {
  // A kecamatan office gets its own kecamatan's recap, as on the dashboard.
  const kecamatan = kecamatanScope(actor);
  const recap = await getRecap(ctx, { year, kecamatan });
  const letterhead = await getLetterhead(ctx);
  const book = new (await loadExcelJS()).Workbook();
  book.creator = 'Pulih';
  book.title = `Rekapitulasi tahunan ${year}`;

  const summary = sheet(book, 'Ringkasan', [
    { header: 'Uraian', key: 'label', width: 48 },
    { header: 'Nilai', key: 'value', width: 20 },
  ]);
  const sum = (key: 'participants' | 'completed' | 'equipped' | 'aidValue') =>
    recap.programs.reduce((s, p) => s + p[key], 0);
  const aidValue = recap.aid.reduce((s, a) => s + a.value, 0);
  const o = recap.outcomeTotals;
  const lines: Array<[string, number | string | null, string?]> = [
    ['Instansi', spreadsheetCell(letterhead.officeName || letterhead.government)],
    ['Tahun', year],
    ...(kecamatan ? [['Kecamatan', ctx.regions.get(kecamatan)?.name ?? kecamatan] as [string, string]] : []),
    ['Jumlah program', recap.programs.length, count],
    ['Peserta', sum('participants'), count],
    ['Lulusan', sum('completed'), count],
    ['Lulusan penerima bantuan dalam program', sum('equipped'), count],
    ['Nilai bantuan diserahkan dalam tahun (Rp)', aidValue, money],
    ['Lulusan yang ditindaklanjuti', o.asked, count],
    ['Lulusan yang menjawab', o.answered, count],
    ['Wirausaha baru', o.newEntrepreneurs, count],
    ['Aktif setelah tindak lanjut', o.activeAfterFollowUp, count],
    ['Aktif (% dari yang menjawab)', ratio(o.activeAfterFollowUp, o.answered), share],
    ['Pulih', o.recovered, count],
    ['Pulih (% dari yang omzet sebelumnya diketahui)', ratio(o.recovered, o.recoveredKnown), share],
  ];
  for (const [label, value, format] of lines) {
    const row = summary.addRow({ label, value });
    if (format) row.getCell('value').numFmt = format;
  }

  const base: Column[] = [
    { header: 'Program', key: 'programName', width: 40 },
    { header: 'Jenis', key: 'type', width: 11 },
    { header: 'Penyelenggara', key: 'organisation', width: 30 },
    { header: 'Mulai', key: 'startDate', width: 11 },
    { header: 'Selesai', key: 'endDate', width: 11 },
  ];
  const counts: Column[] = [
    { header: 'Pendaftar', key: 'applicants', width: 11, numFmt: count },
    { header: 'Peserta', key: 'participants', width: 9, numFmt: count },
    { header: 'Lulus', key: 'completed', width: 8, numFmt: count },
    { header: 'Bersertifikat', key: 'certified', width: 12, numFmt: count },
    { header: 'Penerima bantuan', key: 'equipped', width: 12, numFmt: count },
    { header: 'Jumlah barang', key: 'aidQuantity', width: 10, numFmt: count },
    { header: 'Nilai bantuan (Rp)', key: 'aidValue', width: 16, numFmt: money },
  ];
  const programCells = (p: (typeof recap.programs)[number]) => ({
    ...p,
    programName: spreadsheetCell(p.programName),
    organisation: spreadsheetCell(p.organisation),
    type: programType[p.type] ?? p.type,
    ...outcomeCells(p.outcomes),
  });

  const programs = sheet(book, 'Program', [...base, ...counts, ...outcomeColumns]);
  for (const p of recap.programs) programs.addRow(programCells(p));
  const totals: Record<string, number> = {};
  for (const c of [...counts, ...outcomeColumns]) {
    if (c.numFmt !== count && c.numFmt !== money) continue;
    totals[c.key] = recap.programs.reduce(
      (s, p) => s + Number((programCells(p) as Record<string, unknown>)[c.key] ?? 0),
      0,
    );
  }
  totalRow(programs, { programName: 'JUMLAH', ...totals });

  const perKecamatan = sheet(book, 'Program per kecamatan', [
    ...base,
    { header: 'Kode kecamatan', key: 'kecamatan', width: 12 },
    { header: 'Kecamatan', key: 'kecamatanName', width: 20 },
    ...counts,
    ...outcomeColumns,
  ]);
  for (const r of recap.byProgramKecamatan) {
    perKecamatan.addRow({
      ...programCells({ ...r, outcomes: r.outcomes }),
      kecamatan: r.kecamatan,
      kecamatanName: r.kecamatanName,
    });
  }

  const sopdItems = new Map<
    string,
    { sopd: string; item: string; unit: string; recipients: number; quantity: number; value: number }
  >();
  for (const a of recap.aid) {
    const key = `${a.sopd}|${a.item}|${a.unit}`;
    const row = sopdItems.get(key) ?? {
      sopd: a.sopd,
      item: a.item,
      unit: a.unit,
      recipients: 0,
      quantity: 0,
      value: 0,
    };
    row.recipients += a.recipients;
    row.quantity += a.quantity;
    row.value += a.value;
    sopdItems.set(key, row);
  }
  const aidColumns: Column[] = [
    { header: 'Penerima', key: 'recipients', width: 10, numFmt: count },
    { header: 'Jumlah', key: 'quantity', width: 10, numFmt: count },
    { header: 'Nilai (Rp)', key: 'value', width: 18, numFmt: money },
  ];
  const bySopd = sheet(book, 'Bantuan per SOPD', [
    { header: 'SOPD', key: 'sopd', width: 36 },
    { header: 'Barang', key: 'item', width: 30 },
    { header: 'Satuan', key: 'unit', width: 10 },
    ...aidColumns,
  ]);
  for (const r of sopdItems.values())
    bySopd.addRow({ ...r, sopd: spreadsheetCell(r.sopd), item: spreadsheetCell(r.item) });
  totalRow(bySopd, {
    sopd: 'JUMLAH',
    quantity: recap.aid.reduce((s, a) => s + a.quantity, 0),
    value: aidValue,
  });

  const aidByKecamatan = sheet(book, 'Bantuan per kecamatan', [
    { header: 'SOPD', key: 'sopd', width: 36 },
    { header: 'Kode kecamatan', key: 'kecamatan', width: 12 },
    { header: 'Kecamatan', key: 'kecamatanName', width: 20 },
    { header: 'Barang', key: 'item', width: 30 },
    { header: 'Satuan', key: 'unit', width: 10 },
    ...aidColumns,
  ]);
  for (const a of recap.aid)
    aidByKecamatan.addRow({ ...a, sopd: spreadsheetCell(a.sopd), item: spreadsheetCell(a.item) });

  const outcomesSheet = sheet(book, 'Capaian per kecamatan', [
    { header: 'Kode kecamatan', key: 'kecamatan', width: 12 },
    { header: 'Kecamatan', key: 'kecamatanName', width: 20 },
    ...outcomeColumns,
  ]);
  for (const k of recap.outcomesByKecamatan) outcomesSheet.addRow({ ...k, ...outcomeCells(k) });
  totalRow(outcomesSheet, { kecamatanName: 'JUMLAH', ...outcomeCells(o) });

  const data = Buffer.from(await book.xlsx.writeBuffer());
  return { data, filename: `rekap-tahunan-${year}${kecamatan ? `-${kecamatan}` : ''}.xlsx` };
}
