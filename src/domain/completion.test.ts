import { describe, expect, it } from 'vitest';
import { defaultCompletionRule, evaluateCompletion } from './completion.ts';

describe('evaluateCompletion', () => {
  it('defaults to 80% attendance', () => {
    expect(defaultCompletionRule).toEqual({ minAttendanceRatio: 0.8 });
    expect(evaluateCompletion(4, 5)).toEqual({ completed: true, ratio: 0.8 });
    expect(evaluateCompletion(3, 5)).toEqual({ completed: false, ratio: 0.6 });
    expect(evaluateCompletion(5, 5, defaultCompletionRule)).toEqual({ completed: true, ratio: 1 });
  });

  it('counts a ratio exactly on the threshold as completed', () => {
    expect(evaluateCompletion(7, 10, { minAttendanceRatio: 0.7 }).completed).toBe(true);
    expect(evaluateCompletion(2, 3, { minAttendanceRatio: 2 / 3 }).completed).toBe(true);
    expect(evaluateCompletion(6, 10, { minAttendanceRatio: 0.7 }).completed).toBe(false);
  });

  it('does not complete a program without sessions', () => {
    expect(evaluateCompletion(0, 0)).toEqual({ completed: false, ratio: 0 });
    expect(evaluateCompletion(0, 0, { minAttendanceRatio: 0 })).toEqual({ completed: false, ratio: 0 });
  });

  it('clamps attendance to the number of sessions', () => {
    expect(evaluateCompletion(7, 5).ratio).toBe(1);
    expect(evaluateCompletion(-1, 5)).toEqual({ completed: false, ratio: 0 });
  });
});
