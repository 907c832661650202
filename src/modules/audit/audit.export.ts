import { Readable } from 'node:stream';
import type { TFunction } from 'i18next';
import { officeDateTime } from '../../domain/office-time.ts';
import { neutraliseFormula, streamXlsx } from '../../lib/spreadsheet.ts';
import type { AuditEntry } from './audit.schema.ts';

const columns = ['at', 'actor', 'action', 'entity', 'record', 'entityId', 'changes'] as const;

export type OnAuditExportEnd = (rows: number, completed: boolean) => Promise<void>;

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// "Nama: Lama → Baru; Telepon: 0812****5678 → …": only the fields that changed, named in the
// reader's language (values as recorded, already masked).
export function describeChanges(entry: Pick<AuditEntry, 'before' | 'after'>, t: TFunction): string {
  const a = asRecord(entry.before);
  const b = asRecord(entry.after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => {
      const field = t(`fields.${k}`, { defaultValue: k });
      if (!(k in a)) return `${field}: ${show(b[k])}`;
      if (!(k in b)) return `${field}: ${show(a[k])} → –`;
      return `${field}: ${show(a[k])} → ${show(b[k])}`;
    })
    .join('; ');
}

function cells(entry: AuditEntry, t: TFunction, timeZone: string): string[] {
  return [
    officeDateTime(entry.at, timeZone),
    entry.actorName ? `${entry.actorName} (${entry.actor})` : (entry.actor ?? t('system')),
    t(`actions.${entry.action}`, { defaultValue: entry.action }),
    t(`entities.${entry.entity}`, { defaultValue: entry.entity }),
    entry.recordName ?? '',
    entry.entityId ?? '',
    describeChanges(entry, t),
  ];
}

const header = (t: TFunction) => columns.map((c) => t(`columns.${c}`));

function csvField(value: string): string {
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csvLine = (values: readonly string[]) => `${values.map(csvField).join(',')}\r\n`;

// RFC 4180 with CRLF and a byte-order mark (Excel reads UTF-8); every cell neutralised.
export function auditCsv(
  batches: AsyncIterable<AuditEntry[]>,
  t: TFunction,
  timeZone: string,
  onEnd: OnAuditExportEnd,
): Readable {
  async function* lines() {
    let rows = 0;
    let completed = false;
    try {
      yield `\uFEFF${csvLine(header(t))}`;
      for await (const batch of batches) {
        rows += batch.length;
        yield batch.map((e) => csvLine(cells(e, t, timeZone))).join('');
      }
      completed = true;
    } finally {
      await onEnd(rows, completed);
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

const widths = [20, 28, 28, 20, 32, 38, 80];

// Streamed like the registry export: rows are committed as they come.
export function auditXlsx(
  batches: AsyncIterable<AuditEntry[]>,
  t: TFunction,
  timeZone: string,
  onEnd: OnAuditExportEnd,
): Readable {
  return streamXlsx({
    sheet: t('export.sheet'),
    columns: columns.map((key, i) => ({ header: t(`columns.${key}`), key, width: widths[i] ?? 20 })),
    batches,
    row: (entry) => cells(entry, t, timeZone),
    onEnd,
  });
}
