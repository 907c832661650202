import { describe, expect, it } from 'vitest';
import { endOfOfficeDay, officeDateTime, startOfOfficeDay } from './office-time.ts';

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
});
