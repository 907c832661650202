import { describe, expect, it } from 'vitest';
import {
  addMonths,
  countOutcomes,
  type Graduate,
  graduateOutcome,
  isImplausibleSales,
  latestAnswer,
  parseRupiah,
  salesCeiling,
} from './outcomes.ts';

const answer = (salesLastMonth: number, at: string, stillProducing = true, id = at) => ({
  salesLastMonth,
  workers: 1,
  stillProducing,
  answeredAt: new Date(at),
  id,
});

const graduate = (over: Partial<Graduate>): Graduate => ({
  annualTurnover: 0,
  status: 'aktif',
  programEndDate: '2024-05-31',
  followUps: [],
  ...over,
});

describe('outcome definitions', () => {
  it('counts a new entrepreneur only from a follow-up at least 3 months after the end', () => {
    const at = (dueAt: string) =>
      graduateOutcome(graduate({ followUps: [{ dueAt, answers: [answer(100, `${dueAt}T09:00:00Z`)] }] }));
    expect(addMonths('2024-05-31', 3)).toBe('2024-08-31');
    expect(at('2024-08-31').newEntrepreneur).toBe(true);
    expect(at('2024-08-30').newEntrepreneur).toBe(false);
  });

  it('counts a business that was active with sales as not new, however it sells now', () => {
    const g = graduate({
      annualTurnover: 24_000_000,
      followUps: [{ dueAt: '2024-11-30', answers: [answer(3_000_000, '2024-12-01T00:00:00Z')] }],
    });
    expect(graduateOutcome(g)).toMatchObject({
      newEntrepreneur: false,
      activeAfterFollowUp: true,
      recovered: true,
    });
    // a business with no turnover recorded (null) is not known to have had no sales
    expect(graduateOutcome({ ...g, annualTurnover: null })).toMatchObject({
      newEntrepreneur: false,
      recoveredKnown: false,
    });
    // an inactive one with a turnover recorded is reactivated: new
    expect(graduateOutcome({ ...g, status: 'tidak_aktif' }).newEntrepreneur).toBe(true);
  });

  it('takes the latest answer of the latest follow-up for "active" and "recovered"', () => {
    const g = graduate({
      annualTurnover: 12_000_000,
      followUps: [
        { dueAt: '2024-11-30', answers: [answer(0, '2024-12-02T00:00:00Z', false)] },
        {
          dueAt: '2024-08-31',
          answers: [answer(2_000_000, '2024-09-01T00:00:00Z'), answer(500_000, '2024-12-05T00:00:00Z')],
        },
      ],
    });
    expect(latestAnswer(g.followUps)?.salesLastMonth).toBe(0);
    expect(graduateOutcome(g)).toMatchObject({
      activeAfterFollowUp: false,
      recovered: false,
      recoveredKnown: true,
    });
  });

  it('gives the denominators: graduates, asked, answered', () => {
    const counts = countOutcomes([
      graduate({}),
      graduate({ followUps: [{ dueAt: '2024-08-31', answers: [] }] }),
      graduate({ followUps: [{ dueAt: '2024-08-31', answers: [answer(0, '2024-09-01T00:00:00Z')] }] }),
    ]);
    expect(counts).toMatchObject({ graduates: 3, asked: 2, answered: 1, activeAfterFollowUp: 0 });
  });
});

describe('answer checks', () => {
  it('reads rupiah as typed on a phone, refusing what is not whole rupiah', () => {
    expect(parseRupiah('1.500.000')).toBe(1_500_000);
    expect(parseRupiah('Rp 1.500.000')).toBe(1_500_000);
    expect(parseRupiah('0')).toBe(0);
    expect(parseRupiah('-5000')).toBeNull();
    expect(parseRupiah('1,5 juta')).toBeNull();
    expect(parseRupiah('')).toBeNull();
  });

  it('finds sales far above the recorded size class', () => {
    expect(salesCeiling(60_000_000)).toBe(15_000_000_000);
    expect(salesCeiling(null)).toBe(15_000_000_000);
    expect(salesCeiling(10_000_000_000)).toBe(50_000_000_000);
    expect(salesCeiling(20_000_000_000)).toBeNull();
    expect(isImplausibleSales(1_250_000_000, 60_000_000)).toBe(false);
    expect(isImplausibleSales(1_250_000_001, 60_000_000)).toBe(true);
  });
});
