import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createKbliIndex, type KbliIndex } from '../domain/kbli.ts';
import { createRegionIndex, type RegionIndex } from '../domain/region.ts';

// Reference data shipped with the project (see data-ref/README.md for source and licence).
export const referenceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../data-ref');

function readCsv<T>(file: string): T[] {
  return parse(readFileSync(resolve(referenceDir, file)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });
}

let cache: { regions: RegionIndex; kbli: KbliIndex } | null = null;

export function loadReference() {
  if (cache) return cache;
  type RegionRow = { code: string; name: string; level: string; parent_code: string };
  // Every region of Indonesia down to kelurahan/desa: an office of any kabupaten/kota finds
  // its own (settings.regionCode).
  const regionRows = readCsv<RegionRow>('wilayah_indonesia.csv');
  cache = {
    regions: createRegionIndex(regionRows),
    kbli: createKbliIndex(readCsv('kbli_umkm_reference.csv')),
  };
  return cache;
}
