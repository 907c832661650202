// The outcome figures of DOMAIN.md ("Outcomes"), defined for one graduate, without I/O. The
// SQL in src/modules/outcomes/outcomes.queries.ts computes the same over the whole database;
// its tests use these functions as the oracle. docs/figures.md says the same in words.
//
// A graduate is a completed application: one business in one program. A business that
// completes two programs is two graduates, each followed up on its own program.

import type { BusinessStatus } from './enums.ts';

export type OutcomeAnswer = {
  salesLastMonth: number;
  workers: number;
  stillProducing: boolean;
  answeredAt: Date;
  // a tie-breaker when two answers carry the same time (the database's row id)
  id: string;
};

export type OutcomeFollowUp = { dueAt: string; answers: OutcomeAnswer[] };

export type Graduate = {
  // The business as recorded in the registry: annual turnover (the figure recorded before
  // Covid-19, as the registry collected it) and status.
  annualTurnover: number | null;
  status: BusinessStatus;
  // the last day of the program (YYYY-MM-DD)
  programEndDate: string;
  followUps: OutcomeFollowUp[];
};

export type GraduateOutcome = {
  asked: boolean;
  answered: boolean;
  // the latest answer, sales > 0 (for the funnel's "selling")
  selling: boolean;
  newEntrepreneur: boolean;
  activeAfterFollowUp: boolean;
  recoveredKnown: boolean;
  recovered: boolean;
};

// A follow-up counts towards "new entrepreneur" when it is due at least this many months after
// the last day of the training.
export const newEntrepreneurMonths = 3;

const later = (a: OutcomeAnswer, b: OutcomeAnswer) =>
  a.answeredAt.getTime() !== b.answeredAt.getTime()
    ? a.answeredAt.getTime() > b.answeredAt.getTime()
    : a.id > b.id;

// Answering twice: the latest answer is the follow-up's answer; the earlier ones stay on record.
export function followUpAnswer(followUp: OutcomeFollowUp): OutcomeAnswer | null {
  let latest: OutcomeAnswer | null = null;
  for (const answer of followUp.answers) if (!latest || later(answer, latest)) latest = answer;
  return latest;
}

// The answer of the latest follow-up that was answered (by due day, then by the answer's time).
export function latestAnswer(followUps: OutcomeFollowUp[]): OutcomeAnswer | null {
  let best: { dueAt: string; answer: OutcomeAnswer } | null = null;
  for (const f of followUps) {
    const answer = followUpAnswer(f);
    if (!answer) continue;
    if (!best || f.dueAt > best.dueAt || (f.dueAt === best.dueAt && later(answer, best.answer)))
      best = { dueAt: f.dueAt, answer };
  }
  return best?.answer ?? null;
}

// The day `months` calendar months after `day` (YYYY-MM-DD), clamped to the month's end like
// PostgreSQL's `date + interval 'n months'` (31 May + 3 months = 31 Aug; 30 Nov + 3 = 28/29 Feb).
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month + 1)}-${pad(Math.min(d, last))}`;
}

// No sales when the graduate enrolled: turnover recorded as 0, or the business not active.
export const hadNoSales = (g: Pick<Graduate, 'annualTurnover' | 'status'>) =>
  g.annualTurnover === 0 || g.status !== 'aktif';

export function graduateOutcome(g: Graduate): GraduateOutcome {
  const answers = g.followUps.map(followUpAnswer);
  const latest = latestAnswer(g.followUps);
  const threshold = addMonths(g.programEndDate, newEntrepreneurMonths);
  const soldLater = g.followUps.some((f, k) => f.dueAt >= threshold && (answers[k]?.salesLastMonth ?? 0) > 0);
  const recoveredKnown = latest !== null && g.annualTurnover !== null && g.annualTurnover > 0;
  return {
    asked: g.followUps.length > 0,
    answered: latest !== null,
    selling: latest !== null && latest.salesLastMonth > 0,
    newEntrepreneur: hadNoSales(g) && soldLater,
    activeAfterFollowUp: latest !== null && latest.stillProducing && latest.salesLastMonth > 0,
    recoveredKnown,
    recovered: recoveredKnown && latest !== null && latest.salesLastMonth * 12 >= (g.annualTurnover ?? 0),
  };
}

export type OutcomeCounts = {
  graduates: number;
  asked: number;
  answered: number;
  selling: number;
  newEntrepreneurs: number;
  activeAfterFollowUp: number;
  recovered: number;
  recoveredKnown: number;
};

export function countOutcomes(graduates: Graduate[]): OutcomeCounts {
  const counts: OutcomeCounts = {
    graduates: 0,
    asked: 0,
    answered: 0,
    selling: 0,
    newEntrepreneurs: 0,
    activeAfterFollowUp: 0,
    recovered: 0,
    recoveredKnown: 0,
  };
  for (const g of graduates) {
    const o = graduateOutcome(g);
    counts.graduates += 1;
    counts.asked += Number(o.asked);
    counts.answered += Number(o.answered);
    counts.selling += Number(o.selling);
    counts.newEntrepreneurs += Number(o.newEntrepreneur);
    counts.activeAfterFollowUp += Number(o.activeAfterFollowUp);
    counts.recovered += Number(o.recovered);
    counts.recoveredKnown += Number(o.recoveredKnown);
  }
  return counts;
}

// Where a graduate sells (DOMAIN.md): directly, consigned to shops, at the market, on social
// media, on a marketplace, on e-Katalog or another online shop.
export const salesChannels = [
  'langsung',
  'titip_toko',
  'pasar',
  'media_sosial',
  'marketplace',
  'toko_daring',
] as const;
export type SalesChannel = (typeof salesChannels)[number];

// Sales last month, in whole rupiah, that no follow-up form takes: above Rp1 triliun a month the
// figure is a typing error whatever the business.
export const maxMonthlySales = 1_000_000_000_000;

// Annual sales ceilings of the size classes (PP 7/2021): mikro, kecil, menengah.
const sizeCeilings = [2_000_000_000, 15_000_000_000, 50_000_000_000] as const;

// A monthly sales figure far above what the recorded business can sell: sales × 12 above the
// ceiling of the next size class up from the one its recorded annual turnover puts it in (a
// mikro business reporting more than any kecil one may sell, Rp15 miliar a year; a business
// with no turnover recorded is taken as mikro). Menengah and besar businesses have no such ceiling. The answer
// is then confirmed (the graduate or officer says the figure is right) or corrected.
export function salesCeiling(recordedAnnualTurnover: number | null): number | null {
  const turnover = recordedAnnualTurnover ?? 0;
  const index = sizeCeilings.findIndex((limit) => turnover <= limit);
  if (index < 0) return null;
  return sizeCeilings[index + 1] ?? null;
}

export function isImplausibleSales(salesLastMonth: number, recordedAnnualTurnover: number | null): boolean {
  const ceiling = salesCeiling(recordedAnnualTurnover);
  return ceiling !== null && salesLastMonth * 12 > ceiling;
}

// A rupiah amount as typed on a phone: "1500000", "1.500.000", "Rp 1.500.000". Whole rupiah
// only; anything else (a comma, letters, a minus sign) is refused rather than guessed.
export function parseRupiah(input: string): number | null {
  const cleaned = input
    .trim()
    .replace(/^rp\.?\s*/i, '')
    .replace(/[\s.]/g, '');
  if (!/^[0-9]{1,16}$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isSafeInteger(value) ? value : null;
}
