import { officeDateTime } from './office-time.ts';

// The 5-working-day clock of a complaint (Permenpan RB 62/2018, as SP4N-LAPOR! applies it):
// the answer is due on the fifth working day after the day the complaint was received, counted
// in the office's time zone. Saturdays, Sundays and the listed holidays are not working days.
// The project has no national holiday calendar, so the list is configuration
// (PULIH_HOLIDAYS, YYYY-MM-DD separated by commas), empty by default. Pure.

export const complaintResponseDays = 5;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, holidays: ReadonlySet<string> = new Set()): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

// The day `days` working days after `day` (the day itself not counted, whatever it is).
export function addWorkingDays(day: string, days: number, holidays: ReadonlySet<string> = new Set()): string {
  let current = day;
  let left = days;
  while (left > 0) {
    current = nextDay(current);
    if (isWorkingDay(current, holidays)) left -= 1;
  }
  return current;
}

// The office's calendar day of an instant.
export function officeDay(instant: Date, timeZone: string): string {
  return officeDateTime(instant, timeZone).slice(0, 10);
}

// The due date of a complaint received at `receivedAt`.
export function complaintDueDate(
  receivedAt: Date,
  timeZone: string,
  holidays: ReadonlySet<string> = new Set(),
): string {
  return addWorkingDays(officeDay(receivedAt, timeZone), complaintResponseDays, holidays);
}

// Overdue: still open (baru, diproses) after the office's due day has ended.
export function isComplaintOverdue(
  complaint: { status: string; dueDate: string },
  now: Date,
  timeZone: string,
): boolean {
  const open = complaint.status === 'baru' || complaint.status === 'diproses';
  return open && officeDay(now, timeZone) > complaint.dueDate;
}

// "2026-12-24, 2026-12-25" → the set of valid days; anything else is ignored.
export function parseHolidays(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(/[\s,;]+/)
      .map((d) => d.trim())
      .filter((d) => dayPattern.test(d)),
  );
}
