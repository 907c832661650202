import { kecamatanScope } from '../../access/access.service.ts';
import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';
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
  return { totals, programs, byKecamatan };
}
