// The days of a series of training sessions: every chosen weekday between two dates, or a
// list of single dates. Pure calendar arithmetic on YYYY-MM-DD strings (no time zone: a
// session's date is already the office's calendar day).

export type SeriesDays =
  | { from: string; to: string; weekdays?: readonly number[] | null }
  | { dates: readonly string[] };

// At most this many days in one series: a long course is entered in parts.
export const maxSeriesDays = 60;

// ISO weekday: 1 Monday … 7 Sunday.
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function seriesDates(input: SeriesDays): string[] {
  if ('dates' in input) return [...new Set(input.dates)].sort();
  const weekdays = input.weekdays && input.weekdays.length > 0 ? new Set(input.weekdays) : null;
  const out: string[] = [];
  const day = new Date(`${input.from}T00:00:00Z`);
  const end = new Date(`${input.to}T00:00:00Z`);
  // Bounded by a year of days even when the caller forgot to bound the range.
  for (let i = 0; day <= end && i < 400; i++) {
    const iso = day.toISOString().slice(0, 10);
    if (!weekdays || weekdays.has(isoWeekday(iso))) out.push(iso);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}
