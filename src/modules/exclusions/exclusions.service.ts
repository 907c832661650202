import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { normalizeNik, parseNik } from '../../domain/nik.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import { loadExcelJS } from '../../lib/exceljs.ts';
import { decodeCursor, pageOf } from '../../lib/http.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  deleteExclusionList as deleteExclusionListRow,
  exclusionKindsOfBusiness,
  exclusionKindsOfNiks,
  getExclusionList,
  getExclusionListForUpdate,
  insertExclusionEntries,
  listExclusionLists as listExclusionListRows,
  refreshEntryCount,
  upsertExclusionList,
} from './exclusions.queries.ts';
import type { ExclusionImport, ExclusionIssue, ExclusionKind, ExclusionList } from './exclusions.schema.ts';

export type NikLine = { line: number; value: string };

const maxIssues = 1000;
const insertChunk = 5000;

// ---- reading an uploaded list ----

function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3).toString('utf8');
  return data.toString('utf8');
}

function delimiterOf(text: string): string {
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  for (const candidate of [';', '\t', ',']) if (firstLine.includes(candidate)) return candidate;
  return ',';
}

// The NIK cells of a sheet: the `nik` column when the first row names one, else the first cell
// of each row (a plain list, one NIK per line).
function nikCells(rows: { line: number; cells: string[] }[]): NikLine[] {
  const first = rows[0];
  const header = first?.cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, '_')) ?? [];
  const column = header.indexOf('nik');
  const body = column >= 0 ? rows.slice(1) : rows;
  return body
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, value: r.cells[Math.max(column, 0)] ?? '' }));
}

export function readNikText(text: string): NikLine[] {
  const records = parseCsv(text, {
    delimiter: delimiterOf(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return nikCells(records.map((r) => ({ line: r.info.lines, cells: r.record })));
}

async function readNikWorkbook(data: Buffer): Promise<NikLine[]> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    return fail('unsupported_media', { field: 'file' }, 'The file is not a readable XLSX workbook.');
  }
  const sheet = workbook.worksheets[0];
  const rows: { line: number; cells: string[] }[] = [];
  sheet?.eachRow((row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cell.text ?? '';
    });
    rows.push({ line, cells: Array.from(cells, (c) => c ?? '') });
  });
  return nikCells(rows);
}

// CSV or TXT (comma, semicolon or tab; UTF-8 or Excel's UTF-16), or an XLSX workbook.
export async function readNikFile(data: Buffer): Promise<NikLine[]> {
  if (data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04)
    return readNikWorkbook(data);
  if (data[0] === 0xd0 && data[1] === 0xcf && data[2] === 0x11 && data[3] === 0xe0) {
    return fail(
      'unsupported_media',
      { field: 'file' },
      'Old Excel files (.xls) are not read; save as CSV or XLSX.',
    );
  }
  return readNikText(decodeText(data));
}

// What an invalid line held, with the middle of anything NIK-sized hidden.
function maskedValue(value: string): string {
  const digits = normalizeNik(value);
  if (/^\d{12,}$/.test(digits))
    return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
  return value.trim().slice(0, 40);
}

// ---- lists ----

type ListRow = NonNullable<Awaited<ReturnType<typeof getExclusionList>>>;

function presentList(row: ListRow): ExclusionList {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    source: row.source,
    entries: row.entries,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt,
  };
}

export async function getExclusionListItem(ctx: AppContext, id: string): Promise<ExclusionList> {
  return presentList((await getExclusionList(ctx.db, id)) ?? fail('not_found'));
}

export async function listExclusionLists(
  ctx: AppContext,
  filter: { kind?: ExclusionKind | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(page.cursor, 2) as [string, string] | null;
  const rows = await listExclusionListRows(ctx.db, filter, { limit: page.limit, after });
  const result = pageOf(rows, page.limit, (r) => [r.cursorAt, r.id]);
  return { items: result.items.map(presentList), nextCursor: result.nextCursor };
}

// Puts the NIKs on the named list, creating it on first upload. Uploading the same NIKs again
// changes nothing; invalid NIKs are reported by line and the valid ones are kept.
export async function importExclusionList(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; kind: ExclusionKind; source: string | null; lines: NikLine[] },
): Promise<ExclusionImport> {
  const issues: ExclusionIssue[] = [];
  const valid = new Set<string>();
  let validLines = 0;
  for (const { line, value } of input.lines) {
    const parsed = parseNik(value.trim().replace(/^'/, ''), ctx.regions);
    if (parsed.ok) {
      valid.add(parsed.value.nik);
      validLines++;
    } else {
      issues.push({
        line,
        code: parsed.error.code,
        message: parsed.error.message,
        value: maskedValue(value),
      });
    }
  }
  if (valid.size === 0) {
    return fail('validation_failed', { field: 'niks', reason: 'no valid NIK', issues: issues.slice(0, 100) });
  }

  const outcome = await ctx.db.transaction(async (tx) => {
    const { row, created } = await upsertExclusionList(tx, {
      name: input.name,
      kind: input.kind,
      source: input.source,
      createdBy: actor.userId,
    });
    if (!row) return fail('conflict', { field: 'name' });
    if (row.kind !== input.kind) return fail('conflict', { field: 'kind', existingKind: row.kind });
    const niks = [...valid];
    let added = 0;
    for (let i = 0; i < niks.length; i += insertChunk) {
      added += await insertExclusionEntries(tx, row.id, niks.slice(i, i + insertChunk));
    }
    const after = await refreshEntryCount(tx, row.id);
    // The NIKs themselves stay out of the audit log; the counts say what changed.
    await recordChange(tx, actor, {
      action: created ? 'create' : 'import',
      entity: 'exclusion_list',
      entityId: row.id,
      before: created ? null : { entries: row.entries },
      after: {
        name: after.name,
        kind: after.kind,
        source: after.source,
        entries: after.entries,
        added,
        invalid: issues.length,
      },
    });
    return { id: row.id, created, added };
  });

  return {
    list: await getExclusionListItem(ctx, outcome.id),
    created: outcome.created,
    lines: input.lines.length,
    added: outcome.added,
    alreadyListed: validLines - outcome.added,
    invalid: issues.length,
    issues: issues.slice(0, maxIssues),
  };
}

export async function deleteExclusionList(ctx: AppContext, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const before = (await getExclusionListForUpdate(tx, id)) ?? fail('not_found');
    await deleteExclusionListRow(tx, id);
    await recordChange(tx, actor, { action: 'delete', entity: 'exclusion_list', entityId: id, before });
  });
}

// ---- for eligibility (programs, screening) ----

// The kinds of the exclusion lists the business owner's NIK is on, e.g. ['asn'], sorted:
// the `exclusions` fact of an eligibility rule.
export async function exclusionFactsFor(ctx: AppContext, businessId: string): Promise<string[]> {
  return exclusionKindsOfBusiness(ctx.db, businessId);
}

// The same for people not yet in the registry (a public application), by NIK.
export async function exclusionFactsForNiks(
  ctx: AppContext,
  niks: readonly string[],
): Promise<Map<string, string[]>> {
  const facts = new Map<string, string[]>(niks.map((nik) => [nik, []]));
  for (const row of await exclusionKindsOfNiks(ctx.db, niks)) facts.get(row.nik)?.push(row.kind);
  return facts;
}
