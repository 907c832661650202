import { describe, expect, it } from 'vitest';
import { classifyBusinessSize } from './business-size.ts';

describe('classifyBusinessSize by annual sales', () => {
  it.each([
    [0, 'mikro'],
    [2_000_000_000, 'mikro'],
    [2_000_000_001, 'kecil'],
    [15_000_000_000, 'kecil'],
    [15_000_000_001, 'menengah'],
    [50_000_000_000, 'menengah'],
    [50_000_000_001, 'besar'],
  ] as const)('Rp%d is %s', (annualTurnover, size) => {
    expect(classifyBusinessSize({ annualTurnover })).toBe(size);
  });

  it('ignores capital when sales are known', () => {
    expect(classifyBusinessSize({ annualTurnover: 500_000_000, capital: 9_000_000_000 })).toBe('mikro');
  });
});

describe('classifyBusinessSize by capital when sales are unknown', () => {
  it.each([
    [1_000_000_000, 'mikro'],
    [1_000_000_001, 'kecil'],
    [5_000_000_000, 'kecil'],
    [5_000_000_001, 'menengah'],
    [10_000_000_000, 'menengah'],
    [10_000_000_001, 'besar'],
  ] as const)('Rp%d is %s', (capital, size) => {
    expect(classifyBusinessSize({ annualTurnover: null, capital })).toBe(size);
  });

  it('gives null without usable numbers', () => {
    expect(classifyBusinessSize({})).toBeNull();
    expect(classifyBusinessSize({ annualTurnover: null, capital: null })).toBeNull();
    expect(classifyBusinessSize({ annualTurnover: Number.NaN, capital: -1 })).toBeNull();
  });
});
