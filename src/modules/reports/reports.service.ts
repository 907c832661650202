import { kecamatanScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';
import { getOutcomeFigures } from '../outcomes/outcomes.service.ts';
import { getFigures, getProgramFigures } from './reports.queries.ts';
import type { Summary } from './reports.schema.ts';

export async function getSummary(ctx: AppContext, actor: Actor): Promise<Summary> {
  // A kecamatan office sees its own kecamatan's figures: totals, program cards and rows alike.
  const kecamatan = kecamatanScope(actor);
  // Three independent reads: on PostgreSQL each takes a connection of its own and they run at
  // once (PGlite, with one connection, runs them in turn).
  const [figures, programs, outcomeFigures] = await Promise.all([
    getFigures(ctx.db, kecamatan),
    getProgramFigures(ctx.db, kecamatan),
    getOutcomeFigures(ctx.db, kecamatan ? { kecamatan } : {}),
  ]);
  const totals = figures.totals;
  const byKecamatan = figures.byKecamatan.map((k) => ({
    ...k,
    kecamatanName: ctx.regions.get(k.kecamatan)?.name ?? null,
  }));
  const o = outcomeFigures.totals;
  return {
    totals,
    programs,
    byKecamatan,
    newEntrepreneurs: o.newEntrepreneurs,
    activeAfterFollowUp: o.activeAfterFollowUp,
    outcomes: {
      graduates: o.graduates,
      asked: o.asked,
      answered: o.answered,
      newEntrepreneurs: o.newEntrepreneurs,
      activeAfterFollowUp: o.activeAfterFollowUp,
      recovered: o.recovered,
      recoveredKnown: o.recoveredKnown,
    },
  };
}
