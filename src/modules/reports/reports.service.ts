import { kecamatanScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';
import { getOutcomeFigures } from '../outcomes/outcomes.service.ts';
import { getKecamatanFigures, getProgramFigures, getTotals } from './reports.queries.ts';
import type { Summary } from './reports.schema.ts';

export async function getSummary(ctx: AppContext, actor: Actor): Promise<Summary> {
  // A kecamatan office sees its own kecamatan's figures: totals, program cards and rows alike.
  const kecamatan = kecamatanScope(actor);
  const totals = await getTotals(ctx.db, kecamatan);
  const programs = await getProgramFigures(ctx.db, kecamatan);
  const byKecamatan = (await getKecamatanFigures(ctx.db, kecamatan)).map((k) => ({
    ...k,
    kecamatanName: ctx.regions.get(k.kecamatan)?.name ?? null,
  }));
  const { totals: o } = await getOutcomeFigures(ctx.db, kecamatan ? { kecamatan } : {});
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
