import { readOnReplica } from '../../db/replica.ts';
import type { AppContext } from '../../lib/context.ts';
import { getOutcomeFigures, type OutcomeRow } from '../outcomes/outcomes.service.ts';
import {
  type AidRecapRow,
  getAidRecapRows,
  getProgramKecamatanRows,
  getProgramYears,
  type ProgramKecamatanRow,
  type RecapFilter,
} from './recap.queries.ts';

// The figures behind the annual recap, the open data and the transparency page, read on the
// replica when there is one: per program and kecamatan, aid per SOPD and kecamatan, and the
// outcome figures (src/modules/outcomes) per program, per kecamatan and per both.

export type OutcomeCounts = Pick<
  OutcomeRow,
  | 'graduates'
  | 'asked'
  | 'answered'
  | 'newEntrepreneurs'
  | 'activeAfterFollowUp'
  | 'recovered'
  | 'recoveredKnown'
>;

export type ProgramRecap = Omit<ProgramKecamatanRow, 'kecamatan'> & { outcomes: OutcomeCounts };
export type ProgramKecamatanRecap = ProgramKecamatanRow & { kecamatanName: string; outcomes: OutcomeCounts };

export type Recap = {
  programs: ProgramRecap[];
  byProgramKecamatan: ProgramKecamatanRecap[];
  aid: Array<AidRecapRow & { kecamatanName: string }>;
  outcomesByKecamatan: Array<OutcomeCounts & { kecamatan: string; kecamatanName: string }>;
  outcomeTotals: OutcomeCounts;
};

const noOutcomes: OutcomeCounts = {
  graduates: 0,
  asked: 0,
  answered: 0,
  newEntrepreneurs: 0,
  activeAfterFollowUp: 0,
  recovered: 0,
  recoveredKnown: 0,
};

const countsOf = (row: OutcomeRow | undefined): OutcomeCounts =>
  row
    ? {
        graduates: row.graduates,
        asked: row.asked,
        answered: row.answered,
        newEntrepreneurs: row.newEntrepreneurs,
        activeAfterFollowUp: row.activeAfterFollowUp,
        recovered: row.recovered,
        recoveredKnown: row.recoveredKnown,
      }
    : noOutcomes;

const summed = [
  'applicants',
  'participants',
  'completed',
  'certified',
  'equipped',
  'aidQuantity',
  'aidValue',
] as const;

export async function getRecap(ctx: AppContext, filter: RecapFilter): Promise<Recap> {
  const name = (code: string) => ctx.regions.get(code)?.name ?? code;
  return readOnReplica(ctx, async (db) => {
    const rows = await getProgramKecamatanRows(db, filter);
    const aid = await getAidRecapRows(db, filter);
    const outcomeFilter = { year: filter.year, kecamatan: filter.kecamatan ?? undefined };
    const outcomes = await getOutcomeFigures(db, outcomeFilter);
    // Per program and kecamatan: the per-program rows of each kecamatan's figures (a city has a
    // handful of kecamatan, a kabupaten a few dozen).
    const kecamatanCodes = [...new Set(rows.map((r) => r.kecamatan))];
    const crossed = new Map<string, OutcomeCounts>();
    for (const code of kecamatanCodes) {
      const figures = await getOutcomeFigures(db, { ...outcomeFilter, kecamatan: code });
      for (const p of figures.byProgram) crossed.set(`${p.programId}|${code}`, countsOf(p));
    }
    const byProgramOutcome = new Map(outcomes.byProgram.map((p) => [p.programId, countsOf(p)]));

    const programs = new Map<string, ProgramRecap>();
    for (const r of rows) {
      const { kecamatan: _kecamatan, ...rest } = r;
      const p = programs.get(r.programId);
      if (!p) {
        programs.set(r.programId, { ...rest, outcomes: byProgramOutcome.get(r.programId) ?? noOutcomes });
        continue;
      }
      for (const key of summed) p[key] += r[key];
    }
    return {
      programs: [...programs.values()],
      byProgramKecamatan: rows.map((r) => ({
        ...r,
        kecamatanName: name(r.kecamatan),
        outcomes: crossed.get(`${r.programId}|${r.kecamatan}`) ?? noOutcomes,
      })),
      aid: aid.map((a) => ({ ...a, kecamatanName: name(a.kecamatan) })),
      outcomesByKecamatan: outcomes.byKecamatan.map((k) => ({
        ...countsOf(k),
        kecamatan: k.kecamatan,
        kecamatanName: name(k.kecamatan),
      })),
      outcomeTotals: countsOf(outcomes.totals),
    };
  });
}

export function getRecapYears(ctx: AppContext): Promise<number[]> {
  return readOnReplica(ctx, (db) => getProgramYears(db));
}
