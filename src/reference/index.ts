import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKbliIndex, type KbliIndex, type KbliRow } from '../domain/kbli.ts';
import {
  createRegionIndex,
  kecamatanCodeOf,
  type RegionIndex,
  type RegionRow,
  villageKindOfCode,
} from '../domain/region.ts';
import { parseReferenceCsv } from './csv.ts';

// Reference data shipped with the project (see data-ref/README.md for source and licence).
export const referenceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../data-ref');

function readCsv<T>(file: string): T[] {
  return parseReferenceCsv(readFileSync(resolve(referenceDir, file), 'utf8')) as T[];
}

// The regions of Indonesia, read and indexed at the first question: every process builds an
// app context, and most CLI commands (dedup, backup, users) never ask one. Reading the file
// and indexing it cost about 2 s of CPU at every start when it was done eagerly
// (docs/testing.md, "Eleventh stop").
function lazyRegionIndex(load: () => RegionIndex): RegionIndex {
  let index: RegionIndex | null = null;
  const built = () => {
    index ??= load();
    return index;
  };
  return {
    get: (code) => built().get(code),
    children: (code) => built().children(code),
    // Both read the code alone.
    kecamatanOf: kecamatanCodeOf,
    villageKind: villageKindOfCode,
    findByName: (name, level, parentCode) => built().findByName(name, level, parentCode),
    findAllByName: (name, level, parentCode) => built().findAllByName(name, level, parentCode),
    displayName: (code) => built().displayName(code),
    label: (code) => built().label(code),
    get size() {
      return built().size;
    },
  };
}

let cache: { regions: RegionIndex; kbli: KbliIndex } | null = null;

export function loadReference() {
  if (cache) return cache;
  cache = {
    // Every region of Indonesia down to kelurahan/desa: an office of any kabupaten/kota finds
    // its own (settings.regionCode).
    regions: lazyRegionIndex(() => createRegionIndex(readCsv<RegionRow>('wilayah_indonesia.csv'))),
    // 33 rows.
    kbli: createKbliIndex(readCsv<KbliRow>('kbli_umkm_reference.csv')),
  };
  return cache;
}
