// Calendar days of the office (its time zone from the settings) as instants, and instants as
// the office's wall-clock time. Pure: Intl carries the zone data.

// A formatter costs far more to make than to use (every application formats the office's day
// and quiet hours), so one is kept per kind and zone; they hold no data of their own.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(locale: 'en-US' | 'sv-SE', timeZone: string): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone,
      ...(locale === 'en-US' ? { hourCycle: 'h23' as const } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = formatterOf('en-US', timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - instant.getTime()) / 60_000);
}

// 00:00 of `day` (YYYY-MM-DD) in the zone. Indonesia's zones keep one offset all year, so the
// offset at UTC midnight is the offset at local midnight.
export function startOfOfficeDay(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  return new Date(utcMidnight.getTime() - offsetMinutes(utcMidnight, timeZone) * 60_000);
}

// 00:00 of the day after `day`: the open end of a period that includes `day`.
export function endOfOfficeDay(day: string, timeZone: string): Date {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return startOfOfficeDay(next.toISOString().slice(0, 10), timeZone);
}

// "2020-08-28 16:00:00": sortable, what a spreadsheet reads as a date and time.
export function officeDateTime(instant: Date, timeZone: string): string {
  return formatterOf('sv-SE', timeZone).format(instant);
}

// The office's calendar day (YYYY-MM-DD) at an instant. Asked at every request of the public
// form (is it closed today?) with the time of the request, so the last minute's answer is kept:
// formatting through Intl was 0.08 ms of a 2 ms application (docs/benchmarks.md, apply-floor).
// Kept only when the zone's offset at that instant is whole minutes (the local seconds are the
// UTC ones), so that the day cannot change inside the minute.
let lastDay: { minute: number; timeZone: string; day: string } | null = null;
export function officeDate(instant: Date, timeZone: string): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (lastDay && lastDay.minute === minute && lastDay.timeZone === timeZone) return lastDay.day;
  const local = officeDateTime(instant, timeZone);
  const day = local.slice(0, 10);
  if (Number(local.slice(17, 19)) === instant.getUTCSeconds()) lastDay = { minute, timeZone, day };
  return day;
}

// The instant of a wall-clock time ('HH:MM') on a day of the office.
export function officeInstant(day: string, time: string, timeZone: string): Date {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return new Date(startOfOfficeDay(day, timeZone).getTime() + (h * 60 + m) * 60_000);
}
