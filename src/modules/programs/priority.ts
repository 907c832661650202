import type { EligibilityFacts } from '../../domain/eligibility.ts';
import { defaultPriorityRule, type PriorityCriterion, priorityRule } from './programs.schema.ts';

// Priority selection as a pure ordering: the program's criteria in turn, then application
// time, then id, so that the same data always gives the same ranks. Kept apart from I/O so
// that the rule can be tested on its own.

const sizeOrder = ['mikro', 'kecil', 'menengah', 'besar'];
const statusOrder = ['aktif', 'tidak_aktif', 'tutup'];

// `arrival` is the place in application order as the database sorts the stored time (to the
// microsecond, then id): a JavaScript Date keeps only milliseconds, so two applications of
// the same millisecond would otherwise fall back to their ids.
export type Candidate = { id: string; arrival: number; facts: EligibilityFacts };

// A comparable key for one fact; null when unknown (an unknown value never wins a seat over
// a known one: it sorts last in either direction).
function keyOf(field: PriorityCriterion['field'], facts: EligibilityFacts): number | string | null {
  const value = facts[field];
  if (value === null || value === undefined) return null;
  switch (field) {
    case 'covidImpacted':
      return value ? 1 : 0;
    case 'size':
      return sizeOrder.indexOf(String(value));
    case 'status':
      return statusOrder.indexOf(String(value));
    case 'annualTurnover':
    case 'workers':
    case 'ownerAge':
      return Number(value);
    case 'kecamatan':
    case 'kelurahan':
    case 'kbli':
    case 'ownerSex':
      return String(value);
  }
}

function compareKeys(a: number | string | null, b: number | string | null, direction: 'asc' | 'desc') {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return direction === 'asc' ? order : -order;
}

export function compareCandidates(rule: readonly PriorityCriterion[], a: Candidate, b: Candidate): number {
  for (const criterion of rule) {
    const order = compareKeys(
      keyOf(criterion.field, a.facts),
      keyOf(criterion.field, b.facts),
      criterion.direction,
    );
    if (order !== 0) return order;
  }
  const time = a.arrival - b.arrival;
  if (time !== 0) return time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function rankCandidates<T extends Candidate>(
  rule: readonly PriorityCriterion[],
  candidates: T[],
): T[] {
  return [...candidates].sort((a, b) => compareCandidates(rule, a, b));
}

export type Seats = { free: number; quotaLeft: Map<string, number> };

// The single pass of a selection: in rank order, a candidate gets a seat while the program
// has one and its kecamatan (when it has a quota) has one left. Returns who got one.
export function allocateSeats<T extends Candidate>(ranked: T[], seats: Seats): Set<string> {
  let free = seats.free;
  const left = new Map(seats.quotaLeft);
  const enrolled = new Set<string>();
  for (const candidate of ranked) {
    if (free <= 0) break;
    const kecamatan = candidate.facts.kecamatan;
    const quota = kecamatan === null ? undefined : left.get(kecamatan);
    if (quota !== undefined && quota <= 0) continue;
    if (quota !== undefined && kecamatan !== null) left.set(kecamatan, quota - 1);
    free--;
    enrolled.add(candidate.id);
  }
  return enrolled;
}

// A stored rule that no longer parses (written by an older version) ranks by the default.
export function effectivePriorityRule(row: { priorityRule: unknown }): PriorityCriterion[] {
  const parsed = priorityRule.safeParse(row.priorityRule);
  return parsed.success ? parsed.data : defaultPriorityRule;
}
