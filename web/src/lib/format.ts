import { i18n, locale } from './i18n';

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(locale(i18n.language)).format(value);
}

export function formatRupiah(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(locale(i18n.language), {
    style: 'currency',
    currency: 'IDR',
    maximumFractionDigits: 0,
  }).format(value);
}

// Dates from the API are either 'YYYY-MM-DD' (a day, no time zone) or ISO timestamps.
export function formatDate(value: string | null | undefined, style: 'long' | 'medium' = 'long'): string {
  if (!value) return '–';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = day ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(i18n.language), {
    dateStyle: style,
    ...(day ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

export function formatDateRange(start: string, end: string): string {
  if (start === end) return formatDate(start);
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return `${start} – ${end}`;
  return new Intl.DateTimeFormat(locale(i18n.language), { dateStyle: 'long', timeZone: 'UTC' }).formatRange(
    from,
    to,
  );
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(i18n.language), { timeStyle: 'short' }).format(date);
}

export function joinList(values: string[], type: 'conjunction' | 'disjunction'): string {
  return new Intl.ListFormat(locale(i18n.language), { style: 'long', type }).format(values);
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}

export function todayIso(): string {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}
