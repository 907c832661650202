import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import { type RegistryField, registryFields, requiredFields } from '../../domain/registry-row.ts';
import type { AppContext } from '../../lib/context.ts';
import { loadExcelJS } from '../../lib/exceljs.ts';
import { spreadsheetCell, spreadsheetRow } from '../../lib/spreadsheet.ts';

// The downloadable template and the error report. The template is small and built in
// memory (data validations and notes need the whole sheet); the error report can hold
// hundreds of thousands of rows and is streamed.

const textColumns: ReadonlySet<RegistryField> = new Set([
  'nik',
  'telepon',
  'kode_wilayah',
  'nib',
  'kbli',
  'ref',
  'tanggal_lahir',
]);
const templateRows = 2000;

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

const headerFill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

export async function buildTemplate(
  ctx: AppContext,
  options: { kabkotaCode: string; t: TFunction },
): Promise<Buffer> {
  const { t, kabkotaCode } = options;
  const kabkotaName = ctx.regions.displayName(kabkotaCode) ?? kabkotaCode;
  const kecamatan = ctx.regions.children(kabkotaCode).filter((r) => r.level === 'kecamatan');
  const villages = kecamatan.flatMap((k) =>
    ctx.regions.children(k.code).filter((r) => r.level === 'kelurahan' || r.level === 'desa'),
  );

  const wb = new (await loadExcelJS()).Workbook();
  wb.creator = 'Pulih';
  wb.created = new Date(0);
  const data = wb.addWorksheet(t('template.sheetData'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const guide = wb.addWorksheet(t('template.sheetGuide'));
  const regions = wb.addWorksheet(t('template.sheetRegions'));

  // Reference lists for the drop-downs, on a sheet the officer can also read.
  regions.columns = [
    { header: 'kode_wilayah', key: 'code', width: 16 },
    { header: 'kelurahan', key: 'village', width: 24 },
    { header: 'kecamatan', key: 'kecamatan', width: 20 },
    { header: '', key: 'gap', width: 4 },
    { header: 'kecamatan', key: 'kecamatanList', width: 20 },
  ];
  regions.getRow(1).font = { bold: true };
  villages.forEach((v, i) => {
    const row = regions.getRow(i + 2);
    row.getCell(1).value = v.code;
    row.getCell(2).value = spreadsheetCell(v.name);
    row.getCell(3).value = spreadsheetCell(ctx.regions.displayName(v.code.slice(0, 8)) ?? '');
  });
  kecamatan.forEach((k, i) => {
    regions.getRow(i + 2).getCell(5).value = spreadsheetCell(k.name);
  });
  const sheetRef = `'${regions.name.replaceAll("'", "''")}'`;
  const lists: Partial<Record<RegistryField, string>> = {
    jenis_kelamin: '"L,P"',
    terdampak_covid: '"ya,tidak"',
    status_usaha: '"aktif,tidak_aktif,tutup"',
    ...(villages.length > 0 ? { kelurahan: `${sheetRef}!$B$2:$B$${villages.length + 1}` } : {}),
    ...(kecamatan.length > 0 ? { kecamatan: `${sheetRef}!$E$2:$E$${kecamatan.length + 1}` } : {}),
  };

  data.columns = registryFields.map((field) => ({
    header: field,
    key: field,
    width: Math.max(14, field.length + 4),
    ...(textColumns.has(field) ? { style: { numFmt: '@' } } : {}),
  }));
  const header = data.getRow(1);
  header.font = { bold: true };
  registryFields.forEach((field, i) => {
    const cell = header.getCell(i + 1);
    const required = requiredFields.includes(field);
    cell.fill = headerFill(required ? 'FFFDE68A' : 'FFE5E7EB');
    cell.note = t(`template.notes.${field}`, { kabkota: kabkotaName });
  });
  registryFields.forEach((field, i) => {
    const list = lists[field];
    if (!list) return;
    const column = columnLetter(i + 1);
    for (let r = 2; r <= templateRows + 1; r++) {
      data.getCell(`${column}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: t('template.listErrorTitle'),
        error: t('template.listError'),
      };
    }
  });

  guide.columns = [
    { header: t('template.guide.column'), key: 'column', width: 18 },
    { header: t('template.guide.required'), key: 'required', width: 10 },
    { header: t('template.guide.description'), key: 'description', width: 90 },
  ];
  guide.getRow(1).font = { bold: true };
  guide.addRow([t('template.guide.title', { kabkota: kabkotaName })]).font = { bold: true };
  for (const field of registryFields) {
    guide.addRow([
      field,
      requiredFields.includes(field) ? t('template.guide.yes') : '',
      t(`template.notes.${field}`, { kabkota: kabkotaName }),
    ]);
  }
  guide.addRow([]);
  for (const line of ['regionRule', 'identityRule', 'emptyRule', 'errorsRule'] as const) {
    guide.addRow(['', '', t(`template.guide.${line}`, { kabkota: kabkotaName })]);
  }
  guide.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type ReportIssue = {
  row: number;
  column: string | null;
  code: string;
  message: string;
  values: unknown;
};

// The bad rows as they were in the file, each with its errors in a column beside it: fixed
// in place, the sheet can be imported again (the extra columns only raise a warning).
export async function writeErrorReport(
  out: Writable,
  input: {
    header: string[];
    errors: AsyncIterable<ReportIssue>;
    warnings: AsyncIterable<ReportIssue>;
    t: TFunction;
  },
): Promise<void> {
  const { t, header } = input;
  const wb = new (await loadExcelJS()).stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const errorsSheet = wb.addWorksheet(t('report.sheetErrors'), { views: [{ state: 'frozen', ySplit: 1 }] });
  const errorColumn = header.length + 1;
  const headerRow = errorsSheet.addRow(
    spreadsheetRow([...header, t('report.errorColumn'), t('report.rowColumn')]),
  );
  headerRow.font = { bold: true };
  headerRow.getCell(errorColumn).fill = headerFill('FFFECACA');
  headerRow.commit();
  errorsSheet.getColumn(errorColumn).width = 60;

  let current: { row: number; values: string[]; messages: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    const cells: (string | number)[] = header.map((_, i) => current?.values[i] ?? '');
    const row = errorsSheet.addRow(spreadsheetRow([...cells, current.messages.join('; '), current.row]));
    row.getCell(errorColumn).font = { color: { argb: 'FFB91C1C' } };
    row.commit();
  };
  for await (const issue of input.errors) {
    if (!current || current.row !== issue.row) {
      flush();
      current = { row: issue.row, values: [], messages: [] };
    }
    if (Array.isArray(issue.values)) current.values = issue.values.map((v) => String(v ?? ''));
    current.messages.push(`${issue.column ? `${issue.column}: ` : ''}${issue.message} [${issue.code}]`);
  }
  flush();
  errorsSheet.commit();

  const warningsSheet = wb.addWorksheet(t('report.sheetWarnings'));
  const warningHeader = warningsSheet.addRow([
    t('report.rowColumn'),
    t('report.column'),
    t('report.code'),
    t('report.message'),
  ]);
  warningHeader.font = { bold: true };
  warningHeader.commit();
  warningsSheet.getColumn(4).width = 80;
  for await (const w of input.warnings)
    warningsSheet.addRow(spreadsheetRow([w.row, w.column ?? '', w.code, w.message])).commit();
  warningsSheet.commit();
  await wb.commit();
}
