import { kecamatanWithin } from '../../access/access.service.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import type { Actor } from '../../policies.ts';
import { getKecamatanMapFeatures } from '../settings/kecamatan-map.service.ts';
import {
  type OutcomeDimension,
  type OutcomeFigures,
  type OutcomeFilter,
  getFunnel as queryFunnel,
  getOutcomeBreakdown as queryOutcomeBreakdown,
  getOutcomeFigures as queryOutcomeFigures,
} from './outcomes.queries.ts';
import type { OutcomeMap } from './outcomes.schema.ts';

export type {
  OutcomeDimension,
  OutcomeFigures,
  OutcomeFilter,
  OutcomeRow,
  Quartiles,
} from './outcomes.queries.ts';

// The outcome figures (graduates, asked, answered, new entrepreneurs, active after follow-up,
// recovered and its denominator), totals and rows per program and per kecamatan. No person is
// in them, so public pages and open data may show them as they are; `filter.kecamatan` narrows
// them to one kecamatan. Other modules (reports, open data) call this, not the queries.
export function getOutcomeFigures(db: DbOrTx, filter: OutcomeFilter = {}): Promise<OutcomeFigures> {
  return queryOutcomeFigures(db, filter);
}

export function getOutcomeBreakdown(db: DbOrTx, filter: OutcomeFilter, dimension: OutcomeDimension) {
  return queryOutcomeBreakdown(db, filter, dimension);
}

// The funnel (applications → … → new entrepreneurs), in total, per program and per kecamatan.
export function getFunnel(db: DbOrTx, filter: OutcomeFilter = {}) {
  return queryFunnel(db, filter);
}

// The figures an officer may see: a kecamatan office only its own kecamatan's graduates.
export async function getOutcomeFiguresFor(ctx: AppContext, actor: Actor, filter: OutcomeFilter) {
  const kecamatan = kecamatanWithin(actor, filter.kecamatan);
  const figures = await queryOutcomeFigures(ctx.db, { ...filter, kecamatan });
  return {
    ...figures,
    byKecamatan: figures.byKecamatan.map((k) => ({
      ...k,
      kecamatanName: ctx.regions.get(k.kecamatan)?.name ?? null,
    })),
  };
}

const named = <T extends { kecamatan: string }>(ctx: AppContext, rows: T[]) =>
  rows.map((k) => ({ ...k, kecamatanName: ctx.regions.get(k.kecamatan)?.name ?? null }));

// The dashboard: the funnel and the outcome figures by one dimension, in the actor's scope.
export async function getFunnelFor(ctx: AppContext, actor: Actor, filter: OutcomeFilter) {
  const kecamatan = kecamatanWithin(actor, filter.kecamatan);
  const funnel = await queryFunnel(ctx.db, { ...filter, kecamatan });
  return { ...funnel, byKecamatan: named(ctx, funnel.byKecamatan) };
}

export async function getOutcomeBreakdownFor(
  ctx: AppContext,
  actor: Actor,
  filter: OutcomeFilter,
  dimension: OutcomeDimension,
) {
  const kecamatan = kecamatanWithin(actor, filter.kecamatan);
  const rows = await queryOutcomeBreakdown(ctx.db, { ...filter, kecamatan }, dimension);
  return {
    dimension,
    items: rows.map((r) => ({
      ...r,
      label:
        dimension === 'kecamatan'
          ? (ctx.regions.get(r.key)?.name ?? r.key)
          : dimension === 'kbli'
            ? (ctx.kbli.get(r.key)?.title ?? r.key)
            : r.key,
    })),
  };
}

// The dashboard's map: the office's kecamatan boundaries, each with its figures in the actor's
// scope (a kecamatan office: figures for its own kecamatan, null for the others).
export async function getOutcomeMapFor(
  ctx: AppContext,
  actor: Actor,
  filter: OutcomeFilter,
): Promise<OutcomeMap> {
  const map = await getKecamatanMapFeatures(ctx);
  if (!map) return { map: null };
  const kecamatan = kecamatanWithin(actor, filter.kecamatan);
  const scoped = { ...filter, kecamatan };
  const [figures, funnel] = [await queryOutcomeFigures(ctx.db, scoped), await queryFunnel(ctx.db, scoped)];
  const outcomes = new Map(figures.byKecamatan.map((k) => [k.kecamatan, k]));
  const steps = new Map(funnel.byKecamatan.map((k) => [k.kecamatan, k]));
  return {
    map: {
      uploadedAt: map.uploadedAt,
      features: map.features.map((f) => {
        const o = outcomes.get(f.code);
        const s = steps.get(f.code);
        const inScope = !kecamatan || kecamatan === f.code;
        return {
          ...f,
          figures: inScope
            ? {
                participants: s?.enrolled ?? 0,
                graduates: o?.graduates ?? 0,
                answered: o?.answered ?? 0,
                newEntrepreneurs: o?.newEntrepreneurs ?? 0,
                activeAfterFollowUp: o?.activeAfterFollowUp ?? 0,
              }
            : null,
        };
      }),
    },
  };
}
