import { describe, expect, it } from 'vitest';
import { endOfOfficeDay, officeDate, officeDateTime, startOfOfficeDay } from './office-time.ts';

describe('office time', () => {
  it('turns an office day into the instants that bound it', () => {
    expect(startOfOfficeDay('2020-08-28', 'Asia/Jakarta').toISOString()).toBe('2020-08-27T17:00:00.000Z');
    expect(endOfOfficeDay('2020-08-28', 'Asia/Jakarta').toISOString()).toBe('2020-08-28T17:00:00.000Z');
    expect(startOfOfficeDay('2020-08-28', 'Asia/Jayapura').toISOString()).toBe('2020-08-27T15:00:00.000Z');
    expect(endOfOfficeDay('2020-12-31', 'Asia/Makassar').toISOString()).toBe('2020-12-31T16:00:00.000Z');
  });

  it('prints an instant as the office wall clock', () => {
    expect(officeDateTime(new Date('2020-08-28T09:00:00Z'), 'Asia/Jakarta')).toBe('2020-08-28 16:00:00');
    expect(officeDateTime(new Date('2020-08-28T20:30:00Z'), 'Asia/Makassar')).toBe('2020-08-29 04:30:00');
  });

  it("gives the office's day right within a minute, across midnight and from zone to zone", () => {
    expect(officeDate(new Date('2020-08-28T16:59:00.000Z'), 'Asia/Jakarta')).toBe('2020-08-28');
    expect(officeDate(new Date('2020-08-28T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2020-08-28');
    expect(officeDate(new Date('2020-08-28T17:00:00.000Z'), 'Asia/Jakarta')).toBe('2020-08-29');
    expect(officeDate(new Date('2020-08-28T17:00:30.000Z'), 'Asia/Makassar')).toBe('2020-08-29');
    expect(officeDate(new Date('2020-08-28T17:00:40.000Z'), 'Asia/Jayapura')).toBe('2020-08-29');
    expect(officeDate(new Date('2020-08-28T14:59:59.000Z'), 'Asia/Jayapura')).toBe('2020-08-28');
    expect(officeDate(new Date('2020-08-28T17:00:50.000Z'), 'UTC')).toBe('2020-08-28');
    // Jakarta's mean solar time before 1867 was 7:07:12 ahead: its midnight fell inside a minute
    expect(officeDate(new Date('1850-01-01T16:52:47.000Z'), 'Asia/Jakarta')).toBe('1850-01-01');
    expect(officeDate(new Date('1850-01-01T16:52:48.000Z'), 'Asia/Jakarta')).toBe('1850-01-02');
    expect(officeDate(new Date('1850-01-01T16:52:47.500Z'), 'Asia/Jakarta')).toBe('1850-01-01');
  });
});
