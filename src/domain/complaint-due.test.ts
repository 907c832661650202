import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  complaintDueDate,
  isComplaintOverdue,
  isWorkingDay,
  parseHolidays,
} from './complaint-due.ts';

describe('complaint due date (5 working days)', () => {
  it('skips a weekend: Monday → next Monday, Wednesday → next Wednesday', () => {
    expect(addWorkingDays('2026-12-07', 5)).toBe('2026-12-14');
    expect(addWorkingDays('2026-12-09', 5)).toBe('2026-12-16');
  });

  it('counts from a Saturday or Sunday as from the Friday before', () => {
    expect(addWorkingDays('2026-12-05', 5)).toBe('2026-12-11');
    expect(addWorkingDays('2026-12-06', 5)).toBe('2026-12-11');
    expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11');
  });

  it('crosses month and year ends', () => {
    // Thursday 30 April 2026 → Thursday 7 May
    expect(addWorkingDays('2026-04-30', 5)).toBe('2026-05-07');
    // Tuesday 28 February 2028 (leap year) → Tuesday 6 March
    expect(addWorkingDays('2028-02-28', 5)).toBe('2028-03-06');
    // Wednesday 30 December 2026 → Wednesday 6 January 2027
    expect(addWorkingDays('2026-12-30', 5)).toBe('2027-01-06');
  });

  it('skips listed holidays', () => {
    const holidays = parseHolidays('2026-12-25, 2027-01-01;bogus');
    expect([...holidays]).toEqual(['2026-12-25', '2027-01-01']);
    expect(isWorkingDay('2026-12-25', holidays)).toBe(false);
    // Wednesday 23 Dec: 24, (25 holiday), 28, 29, 30, 31 → Thursday 31 Dec
    expect(addWorkingDays('2026-12-23', 5, holidays)).toBe('2026-12-31');
    expect(addWorkingDays('2026-12-23', 5)).toBe('2026-12-30');
  });

  it("counts in the office's time zone, not UTC", () => {
    // 17:30 UTC Friday 4 Dec is 00:30 Saturday 5 Dec in Jakarta (UTC+7) and 02:30 in Jayapura
    const at = new Date('2026-12-04T17:30:00Z');
    expect(complaintDueDate(at, 'UTC')).toBe('2026-12-11');
    expect(complaintDueDate(at, 'Asia/Jakarta')).toBe('2026-12-11');
    // 23:30 UTC Sunday 6 Dec is 06:30 Monday 7 Dec in Jakarta: counted from Monday
    const monday = new Date('2026-12-06T23:30:00Z');
    expect(complaintDueDate(monday, 'UTC')).toBe('2026-12-11');
    expect(complaintDueDate(monday, 'Asia/Jakarta')).toBe('2026-12-14');
  });

  it('is overdue only when open after the due day has ended in the office', () => {
    const open = { status: 'diproses', dueDate: '2026-12-11' };
    // 23:00 UTC on the 11th is already the 12th in Jakarta
    expect(isComplaintOverdue(open, new Date('2026-12-11T16:00:00Z'), 'Asia/Jakarta')).toBe(false);
    expect(isComplaintOverdue(open, new Date('2026-12-11T23:00:00Z'), 'Asia/Jakarta')).toBe(true);
    expect(isComplaintOverdue(open, new Date('2026-12-11T23:00:00Z'), 'UTC')).toBe(false);
    expect(isComplaintOverdue({ ...open, status: 'selesai' }, new Date('2027-01-01T00:00:00Z'), 'UTC')).toBe(
      false,
    );
  });
});
