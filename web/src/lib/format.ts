import { i18n, locale } from './i18n';

// Building an Intl formatter loads the locale's data and costs far more than formatting with
// it; a dashboard formats hundreds of figures, so each (locale, options) is built once.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const tag = locale(i18n.language);
  const key = `${tag} ${JSON.stringify(options ?? {})}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = locale(i18n.language);
  const key = `${tag} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, options);
    dateFormats.set(key, format);
  }
  return format;
}

const rupiah: Intl.NumberFormatOptions = { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 };

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return numberFormat().format(value);
}

export function formatRupiah(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return numberFormat(rupiah).format(value);
}

// Dates from the API are either 'YYYY-MM-DD' (a day, no time zone) or ISO timestamps.
export function formatDate(value: string | null | undefined, style: 'long' | 'medium' = 'long'): string {
  if (!value) return '–';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = day ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat({ dateStyle: style, ...(day ? { timeZone: 'UTC' } : {}) }).format(date);
}

export function formatDateRange(start: string, end: string): string {
  if (start === end) return formatDate(start);
  const from = new Date(`${start}T00:00:00Z`);
  const to = new Date(`${end}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return `${start} – ${end}`;
  return dateFormat({ dateStyle: 'long', timeZone: 'UTC' }).formatRange(from, to);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '–';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return dateFormat({ timeStyle: 'short' }).format(date);
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
