export type RegionLevel = 'provinsi' | 'kabupaten' | 'kota' | 'kecamatan' | 'kelurahan' | 'desa';

export type Region = { code: string; name: string; level: RegionLevel; parentCode: string | null };

export type VillageKind = 'kelurahan' | 'desa' | 'desa_adat';

export type RegionRow = { code: string; name: string; level: string; parent_code: string };

export type RegionIndex = {
  get(code: string): Region | undefined;
  children(code: string): Region[];
  kecamatanOf(code: string): string | null;
  villageKind(code: string): VillageKind | null;
  findByName(name: string, level: RegionLevel | readonly RegionLevel[], parentCode?: string): Region | null;
  findAllByName(name: string, level: RegionLevel | readonly RegionLevel[], parentCode?: string): Region[];
  displayName(code: string): string | null;
  label(code: string): string | null;
  readonly size: number;
};

const levels: readonly RegionLevel[] = ['provinsi', 'kabupaten', 'kota', 'kecamatan', 'kelurahan', 'desa'];

// Official (Kemendagri) spelling → everyday spellings people type.
// "Palangka Raya"/"Palangkaraya" needs no entry: spaces are ignored when matching.
const nameAliases: Record<string, string[]> = {
  sabangau: ['sebangau'],
  petukbarunai: ['petukberunai'],
  panjehang: ['penjehang'],
};

const prefixPattern = /^\s*(kecamatan|kec|kelurahan|kel|desa|kota|kabupaten|kab|provinsi|prov)\b\.?\s*/i;

// A code already written as the reference writes it (most calls: stored codes, the reference itself).
const dottedCode = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/;

export function normalizeRegionCode(input: string): string | null {
  if (dottedCode.test(input)) return input;
  const digits = input.replace(/[\s.]/g, '');
  if (!/^\d+$/.test(digits) || ![2, 4, 6, 10].includes(digits.length)) return null;
  return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6)]
    .filter(Boolean)
    .join('.');
}

export function regionLevelOfCode(code: string): 'provinsi' | 'kabkota' | 'kecamatan' | 'village' | null {
  const dotted = normalizeRegionCode(code);
  if (!dotted) return null;
  return (['provinsi', 'kabkota', 'kecamatan', 'village'] as const)[dotted.split('.').length - 1] ?? null;
}

export function villageKindOfCode(code: string): VillageKind | null {
  const dotted = normalizeRegionCode(code);
  if (dotted?.length !== 13) return null;
  const kinds: Record<string, VillageKind> = { '1': 'kelurahan', '2': 'desa', '3': 'desa_adat' };
  return kinds[dotted.charAt(9)] ?? null;
}

export function kecamatanCodeOf(code: string): string | null {
  const dotted = normalizeRegionCode(code);
  return dotted && dotted.length >= 8 ? dotted.slice(0, 8) : null;
}

// Only a name with a letter outside ASCII needs decomposing (é → e); region names rarely do.
const nonAscii = /[\u0080-\uffff]/;

export function nameKey(name: string): string {
  return (nonAscii.test(name) ? name.normalize('NFKD') : name).toLowerCase().replace(/[^a-z0-9]/g, '');
}

function strippedKey(name: string): string {
  return nameKey(name.replace(prefixPattern, ''));
}

function levelOf(row: RegionRow, code: string): RegionLevel {
  const given = row.level.trim().toLowerCase();
  if ((levels as readonly string[]).includes(given)) return given as RegionLevel;
  // Unknown level labels are derived from the code shape instead of being dropped.
  const shape = regionLevelOfCode(code);
  if (shape === 'provinsi' || shape === 'kecamatan') return shape;
  if (shape === 'kabkota') return Number(code.slice(3, 5)) >= 71 ? 'kota' : 'kabupaten';
  return villageKindOfCode(code) === 'kelurahan' ? 'kelurahan' : 'desa';
}

function toRegion(row: RegionRow): Region | null {
  const code = normalizeRegionCode(row.code);
  if (!code) return null;
  const parentCode = row.parent_code ? normalizeRegionCode(row.parent_code) : null;
  return { code, name: row.name.trim(), level: levelOf(row, code), parentCode };
}

const prefixedLevels: ReadonlySet<RegionLevel> = new Set(['provinsi', 'kabupaten', 'kota']);

function keysOf(region: Region): string[] {
  const full = nameKey(region.name);
  const aliases = Object.hasOwn(nameAliases, full) ? nameAliases[full] : undefined;
  // Only kabupaten/kota/provinsi names carry a prefix word; a kelurahan "Kota Baru" must not answer to "Baru".
  if (!aliases && !prefixedLevels.has(region.level)) return full ? [full] : [];
  const keys = new Set([full]);
  if (prefixedLevels.has(region.level)) keys.add(strippedKey(region.name));
  for (const alias of aliases ?? []) keys.add(alias);
  return [...keys].filter(Boolean);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// Import files say "kelurahan" for both kelurahan and desa, so a village search matches either.
function expandLevels(level: RegionLevel | readonly RegionLevel[]): Set<RegionLevel> {
  const wanted = new Set<RegionLevel>(typeof level === 'string' ? [level] : level);
  if (wanted.has('kelurahan') || wanted.has('desa')) {
    wanted.add('kelurahan');
    wanted.add('desa');
  }
  return wanted;
}

export function createRegionIndex(rows: readonly RegionRow[]): RegionIndex {
  const byCode = new Map<string, Region>();
  for (const row of rows) {
    const region = toRegion(row);
    if (region) byCode.set(region.code, region);
  }
  // The name and parent indexes are built at the first search by name or list of children:
  // most lookups are by code (a stored code's name), and the names of 91,599 regions took
  // most of the index's CPU at every start.
  let byParentAndName: { byParent: Map<string, Region[]>; byName: Map<string, Region[]> } | null = null;
  const indexes = () => {
    if (byParentAndName) return byParentAndName;
    const byParent = new Map<string, Region[]>();
    const byName = new Map<string, Region[]>();
    // Codes are digits and dots, so plain string order is code order.
    for (const region of [...byCode.values()].sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    )) {
      if (region.parentCode) pushTo(byParent, region.parentCode, region);
      for (const key of keysOf(region)) pushTo(byName, key, region);
    }
    byParentAndName = { byParent, byName };
    return byParentAndName;
  };

  const get = (code: string) => {
    const dotted = normalizeRegionCode(code);
    return dotted ? byCode.get(dotted) : undefined;
  };

  const findAllByName = (name: string, level: RegionLevel | readonly RegionLevel[], parentCode?: string) => {
    const wanted = expandLevels(level);
    const parent = parentCode ? normalizeRegionCode(parentCode) : null;
    if (parentCode && !parent) return [];
    const matches = (key: string) =>
      (indexes().byName.get(key) ?? []).filter(
        (r) => wanted.has(r.level) && (!parent || r.code.startsWith(`${parent}.`)),
      );
    // The name as typed wins over the name without its prefix word ("Kota Baru" is a real kelurahan).
    const exact = matches(nameKey(name));
    return exact.length > 0 ? exact : matches(strippedKey(name));
  };

  return {
    get,
    children: (code) => {
      const dotted = normalizeRegionCode(code);
      return dotted ? [...(indexes().byParent.get(dotted) ?? [])] : [];
    },
    kecamatanOf: kecamatanCodeOf,
    villageKind: villageKindOfCode,
    findAllByName,
    findByName: (name, level, parentCode) => {
      const found = findAllByName(name, level, parentCode);
      // An ambiguous name must not silently pick a region.
      return found.length === 1 ? (found[0] ?? null) : null;
    },
    displayName: (code) => get(code)?.name ?? null,
    label: (code) => {
      const region = get(code);
      if (!region) return null;
      const parent = region.parentCode ? byCode.get(region.parentCode) : undefined;
      return parent ? `${region.name}, ${parent.name}` : region.name;
    },
    get size() {
      return byCode.size;
    },
  };
}
