import { useEffect, useState } from 'react';
import { api } from '../../lib/api';

export type Region = { code: string; name: string };
export type Kbli = { code: string; title: string; version?: number | string | null };

export const cityCode = '62.71';

// Reference data changes once a year; fetch each list once per page load.
const regionCache = new Map<string, Promise<Region[]>>();
let kbliCache: Promise<Kbli[]> | null = null;

function asList<T>(payload: unknown): T[] {
  if (Array.isArray(payload)) return payload as T[];
  if (payload && typeof payload === 'object' && 'items' in payload && Array.isArray(payload.items)) {
    return payload.items as T[];
  }
  return [];
}

export function fetchRegions(parent: string): Promise<Region[]> {
  let cached = regionCache.get(parent);
  if (!cached) {
    cached = api<unknown>(`/regions?parent=${encodeURIComponent(parent)}`).then(asList<Region>);
    cached.catch(() => regionCache.delete(parent));
    regionCache.set(parent, cached);
  }
  return cached;
}

export function fetchKbli(): Promise<Kbli[]> {
  if (!kbliCache) {
    kbliCache = api<unknown>('/kbli').then(asList<Kbli>);
    kbliCache.catch(() => {
      kbliCache = null;
    });
  }
  return kbliCache;
}

export function useRegions(parent: string | null): Region[] {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    if (!parent) {
      setRegions([]);
      return;
    }
    let live = true;
    fetchRegions(parent)
      .then((list) => {
        if (live) setRegions(list);
      })
      .catch(() => {
        if (live) setRegions([]);
      });
    return () => {
      live = false;
    };
  }, [parent]);
  return regions;
}

export function useKecamatan(): Region[] {
  return useRegions(cityCode);
}

export function useKbliList(): Kbli[] {
  const [list, setList] = useState<Kbli[]>([]);
  useEffect(() => {
    let live = true;
    fetchKbli()
      .then((l) => {
        if (live) setList(l);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return list;
}

// Region names for any codes: each code's parent list is fetched once (kecamatan of the
// city, kelurahan of a kecamatan), so a rule over five kecamatan costs one request.
export function useRegionNames(codes: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    const wanted = key.split(',');
    const parents = [...new Set(wanted.map(parentOf).filter((p): p is string => p !== null))];
    Promise.all(parents.map((p) => fetchRegions(p).catch(() => [] as Region[])))
      .then((lists) => {
        if (!live) return;
        const found: Record<string, string> = {};
        for (const region of lists.flat()) if (wanted.includes(region.code)) found[region.code] = region.name;
        setNames(found);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

export function parentOf(code: string): string | null {
  const parts = code.split('.');
  if (parts.length <= 1) return null;
  return parts.slice(0, -1).join('.');
}

// The reference list holds a code once per KBLI version; a picker shows each code once.
export function kbliOptions(list: Kbli[]): { value: string; label: string }[] {
  const seen = new Set<string>();
  const options: { value: string; label: string }[] = [];
  for (const k of list) {
    if (seen.has(k.code)) continue;
    seen.add(k.code);
    options.push({ value: k.code, label: `${k.code} · ${k.title}` });
  }
  return options;
}
