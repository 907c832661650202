// An office's map of its kecamatan: a GeoJSON FeatureCollection it uploads (no boundary data
// ships with Pulih), each feature matched to one kecamatan of the office's region by a property
// the officer picks, read as a kecamatan code or as its name. Checked here, without I/O; the
// outcomes dashboard draws the features as a choropleth.

export type Position = [number, number];
export type MapGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type MapFeature = { code: string; geometry: MapGeometry };
export type KecamatanRef = { code: string; name: string };
export type MatchBy = 'code' | 'name';

export type MapProblem =
  // not a FeatureCollection, or one without features
  | { code: 'kecamatan_map_invalid'; feature?: number }
  // a feature whose geometry is not a (Multi)Polygon of valid longitude/latitude rings
  | { code: 'kecamatan_map_geometry'; feature: number }
  // a feature whose property names no kecamatan of the office's region
  | { code: 'kecamatan_map_unknown_kecamatan'; feature: number; value: string }
  // two features for one kecamatan
  | { code: 'kecamatan_map_duplicate'; feature: number; value: string };

// At most this many positions over all features: enough for a kabupaten's kecamatan drawn at
// the scale of a phone screen, small enough to store in the settings and send with the report.
export const maxMapPositions = 200_000;

// Kecamatan codes are written "62.71.02" or "627102"; names with or without "Kecamatan".
const codeKey = (value: string) => value.replace(/[^0-9]/g, '');
const nameKey = (value: string) =>
  value
    .toLowerCase()
    .replace(/^\s*(kecamatan|kec\.?)\s+/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Coordinates rounded to 5 decimals (about a metre): the drawing needs no more, and the stored
// map is smaller.
const round = (n: number) => Math.round(n * 1e5) / 1e5;

function readRing(ring: unknown, counter: { n: number }): Position[] | null {
  if (!Array.isArray(ring) || ring.length < 4) return null;
  const out: Position[] = [];
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2) return null;
    const [lon, lat] = p;
    if (typeof lon !== 'number' || typeof lat !== 'number') return null;
    if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) return null;
    out.push([round(lon), round(lat)]);
  }
  counter.n += out.length;
  return out;
}

function readPolygon(rings: unknown, counter: { n: number }): Position[][] | null {
  if (!Array.isArray(rings) || rings.length === 0) return null;
  const out: Position[][] = [];
  for (const ring of rings) {
    const r = readRing(ring, counter);
    if (!r) return null;
    out.push(r);
  }
  return out;
}

function readGeometry(geometry: unknown, counter: { n: number }): MapGeometry | null {
  if (!isObject(geometry)) return null;
  if (geometry.type === 'Polygon') {
    const coordinates = readPolygon(geometry.coordinates, counter);
    return coordinates ? { type: 'Polygon', coordinates } : null;
  }
  if (geometry.type === 'MultiPolygon') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) return null;
    const coordinates: Position[][][] = [];
    for (const polygon of geometry.coordinates) {
      const p = readPolygon(polygon, counter);
      if (!p) return null;
      coordinates.push(p);
    }
    return { type: 'MultiPolygon', coordinates };
  }
  return null;
}

// The features of the uploaded map, each with its kecamatan code, or the first problem found
// (with the feature's index, counted from 0, and the value that did not match).
export function readKecamatanMap(
  input: unknown,
  kecamatan: readonly KecamatanRef[],
  match: { property: string; by: MatchBy },
): { features: MapFeature[]; positions: number } | { problem: MapProblem } {
  if (!isObject(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features))
    return { problem: { code: 'kecamatan_map_invalid' } };
  if (input.features.length === 0) return { problem: { code: 'kecamatan_map_invalid' } };
  const byKey = new Map(
    kecamatan.map((k) => [match.by === 'code' ? codeKey(k.code) : nameKey(k.name), k.code] as const),
  );
  const counter = { n: 0 };
  const features: MapFeature[] = [];
  const seen = new Set<string>();
  for (const [i, feature] of input.features.entries()) {
    if (!isObject(feature) || feature.type !== 'Feature')
      return { problem: { code: 'kecamatan_map_invalid', feature: i } };
    const geometry = readGeometry(feature.geometry, counter);
    if (!geometry) return { problem: { code: 'kecamatan_map_geometry', feature: i } };
    const raw = isObject(feature.properties) ? feature.properties[match.property] : undefined;
    const value = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '';
    const code = byKey.get(match.by === 'code' ? codeKey(value) : nameKey(value));
    if (!code || !value) return { problem: { code: 'kecamatan_map_unknown_kecamatan', feature: i, value } };
    if (seen.has(code)) return { problem: { code: 'kecamatan_map_duplicate', feature: i, value } };
    seen.add(code);
    features.push({ code, geometry });
  }
  return { features, positions: counter.n };
}

// The property names of the first features, for the officer to pick the one to match by.
export function mapPropertyNames(input: unknown): string[] {
  if (!isObject(input) || !Array.isArray(input.features)) return [];
  const names = new Set<string>();
  for (const f of input.features.slice(0, 20))
    if (isObject(f) && isObject(f.properties)) for (const k of Object.keys(f.properties)) names.add(k);
  return [...names];
}
