export type BusinessSize = 'mikro' | 'kecil' | 'menengah' | 'besar';

const miliar = 1_000_000_000;

// PP 7/2021 art. 35; each upper bound is inclusive (≤). Exported for the screening SQL,
// which must classify exactly as classifyBusinessSize does.
export const bySales: readonly [number, BusinessSize][] = [
  [2 * miliar, 'mikro'],
  [15 * miliar, 'kecil'],
  [50 * miliar, 'menengah'],
];
export const byCapital: readonly [number, BusinessSize][] = [
  [1 * miliar, 'mikro'],
  [5 * miliar, 'kecil'],
  [10 * miliar, 'menengah'],
];

function isAmount(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function classify(amount: number, bands: readonly [number, BusinessSize][]): BusinessSize {
  return bands.find(([limit]) => amount <= limit)?.[1] ?? 'besar';
}

// Empowerment programs classify by annual sales; capital (excluding land and buildings) only
// decides when sales are unknown.
export function classifyBusinessSize(input: {
  annualTurnover?: number | null;
  capital?: number | null;
}): BusinessSize | null {
  if (isAmount(input.annualTurnover)) return classify(input.annualTurnover, bySales);
  if (isAmount(input.capital)) return classify(input.capital, byCapital);
  return null;
}
