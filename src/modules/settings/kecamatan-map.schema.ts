import { z } from 'zod';

// The uploaded GeoJSON is read as JSON and checked by src/domain/kecamatan-map.ts, not by zod
// (whose errors would not say which feature is wrong).
export const maxKecamatanMapBytes = 4 * 1024 * 1024;

export const kecamatanMapBody = z
  .object({
    geojson: z.unknown().describe('A GeoJSON FeatureCollection of Polygon or MultiPolygon features'),
    property: z.string().trim().min(1).max(100).describe('The feature property naming the kecamatan'),
    matchBy: z
      .enum(['code', 'name'])
      .describe('Read the property as a kecamatan code (62.71.02 or 627102) or as its name'),
  })
  .meta({ id: 'KecamatanMapUpload' });
export type KecamatanMapBody = z.infer<typeof kecamatanMapBody>;

export const kecamatanMapInfo = z
  .object({
    property: z.string(),
    matchBy: z.enum(['code', 'name']),
    uploadedAt: z.string(),
    kecamatan: z.array(z.object({ code: z.string(), name: z.string() })).describe('The kecamatan drawn'),
    missing: z
      .array(z.object({ code: z.string(), name: z.string() }))
      .describe('Kecamatan of the region the map has no feature for'),
  })
  .meta({ id: 'KecamatanMapInfo' });
export type KecamatanMapInfo = z.infer<typeof kecamatanMapInfo>;

export const kecamatanMapState = z
  .object({ map: kecamatanMapInfo.nullable() })
  .meta({ id: 'KecamatanMapState' });
