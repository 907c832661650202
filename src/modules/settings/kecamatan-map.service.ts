import {
  type KecamatanRef,
  type MapFeature,
  maxMapPositions,
  readKecamatanMap,
} from '../../domain/kecamatan-map.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import type { KecamatanMapBody, KecamatanMapInfo } from './kecamatan-map.schema.ts';
import { readSetting, writeSetting } from './settings.queries.ts';
import { settingsRegionCode } from './settings.service.ts';

// The office's map of its kecamatan (optional: without one the dashboard shows no map). Kept
// in the settings as the checked features, each with its kecamatan code.
const mapKey = 'kecamatan_map';

type StoredMap = {
  property: string;
  matchBy: 'code' | 'name';
  uploadedAt: string;
  features: MapFeature[];
};

// The kecamatan of the office's kabupaten/kota, or of every kabupaten/kota of its province.
export async function officeKecamatan(ctx: AppContext): Promise<KecamatanRef[]> {
  const region = await settingsRegionCode(ctx);
  const below = ctx.regions.children(region);
  const kecamatan = below.some((r) => r.level === 'kecamatan')
    ? below
    : below.flatMap((r) => ctx.regions.children(r.code));
  return kecamatan.filter((r) => r.level === 'kecamatan').map((r) => ({ code: r.code, name: r.name }));
}

async function readMap(ctx: AppContext): Promise<StoredMap | null> {
  const stored = (await readSetting(ctx.db, mapKey)) as StoredMap | null;
  return stored && Array.isArray(stored.features) && stored.features.length > 0 ? stored : null;
}

function describe(map: StoredMap, kecamatan: KecamatanRef[]): KecamatanMapInfo {
  const drawn = new Set(map.features.map((f) => f.code));
  const name = (code: string) => kecamatan.find((k) => k.code === code)?.name ?? code;
  return {
    property: map.property,
    matchBy: map.matchBy,
    uploadedAt: map.uploadedAt,
    kecamatan: map.features.map((f) => ({ code: f.code, name: name(f.code) })),
    missing: kecamatan.filter((k) => !drawn.has(k.code)),
  };
}

export async function getKecamatanMapInfo(ctx: AppContext): Promise<{ map: KecamatanMapInfo | null }> {
  const map = await readMap(ctx);
  return { map: map ? describe(map, await officeKecamatan(ctx)) : null };
}

// The features to draw, each with its kecamatan's code and name; null when none was uploaded.
export async function getKecamatanMapFeatures(
  ctx: AppContext,
): Promise<{ uploadedAt: string; features: (MapFeature & { name: string })[] } | null> {
  const map = await readMap(ctx);
  if (!map) return null;
  return {
    uploadedAt: map.uploadedAt,
    features: map.features.map((f) => ({ ...f, name: ctx.regions.get(f.code)?.name ?? f.code })),
  };
}

export async function uploadKecamatanMap(ctx: AppContext, actor: Actor, body: KecamatanMapBody) {
  const kecamatan = await officeKecamatan(ctx);
  const read = readKecamatanMap(body.geojson, kecamatan, { property: body.property, by: body.matchBy });
  if ('problem' in read) {
    const { code, ...details } = read.problem;
    return fail(code, { path: 'body.geojson', property: body.property, ...details });
  }
  if (read.positions > maxMapPositions) fail('kecamatan_map_too_large', { positions: read.positions });
  const map: StoredMap = {
    property: body.property,
    matchBy: body.matchBy,
    uploadedAt: new Date().toISOString(),
    features: read.features,
  };
  await ctx.db.transaction(async (tx) => {
    await writeSetting(tx, mapKey, map);
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'settings',
      entityId: mapKey,
      after: { features: map.features.length, positions: read.positions, property: map.property },
    });
  });
  return { map: describe(map, kecamatan) };
}

export async function removeKecamatanMap(ctx: AppContext, actor: Actor) {
  await ctx.db.transaction(async (tx) => {
    await writeSetting(tx, mapKey, { features: [] });
    await recordChange(tx, actor, { action: 'delete', entity: 'settings', entityId: mapKey });
  });
}
