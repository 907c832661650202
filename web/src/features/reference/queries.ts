import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { useSettingsQuery } from '../settings/queries';

export type Region = { code: string; name: string };
export type Kbli = { code: string; title: string; version?: number | string | null };

// Before the office's settings have loaded (and in the first customer's data): Palangka Raya.
export const cityCode = '62.71';

const none: never[] = [];

function asList<T>(payload: unknown): T[] {
  if (Array.isArray(payload)) return payload as T[];
  if (payload && typeof payload === 'object' && 'items' in payload && Array.isArray(payload.items)) {
    return payload.items as T[];
  }
  return [];
}

// Reference data changes once a year: each list is fetched once per page load.
export const regionsQuery = (parent: string) =>
  queryOptions({
    queryKey: ['regions', parent],
    queryFn: ({ signal }) =>
      api<unknown>(`/regions?parent=${encodeURIComponent(parent)}`, { signal }).then(asList<Region>),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });

export function useRegions(parent: string | null): Region[] {
  const { data } = useQuery({ ...regionsQuery(parent ?? ''), enabled: Boolean(parent) });
  return (parent && data) || none;
}

// The kecamatan of the office's kabupaten/kota (settings.regionCode).
export function useKecamatan(): Region[] {
  const settings = useSettingsQuery();
  return useRegions(settings.data ? settings.data.regionCode : null);
}

export function useKbliList(): Kbli[] {
  const { data } = useQuery({
    queryKey: ['kbli'],
    queryFn: ({ signal }) => api<unknown>('/kbli', { signal }).then(asList<Kbli>),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  return data ?? none;
}

// The regions under each of several parents (every kelurahan of the city, by kecamatan).
export function useRegionsOf(parents: string[]): { parent: string; regions: Region[] }[] {
  return useQueries({
    queries: parents.map((parent) => regionsQuery(parent)),
    combine: (results) => parents.map((parent, i) => ({ parent, regions: results[i]?.data ?? none })),
  });
}

// Region names for any codes: each code's parent list is fetched once (kecamatan of the
// city, kelurahan of a kecamatan), so a rule over five kecamatan costs one request.
export function useRegionNames(codes: string[]): Record<string, string> {
  const wanted = new Set(codes);
  const parents = [...new Set([...wanted].map(parentOf).filter((p): p is string => p !== null))].sort();
  const lists = useRegionsOf(parents);
  const found: Record<string, string> = {};
  for (const { regions } of lists)
    for (const region of regions) if (wanted.has(region.code)) found[region.code] = region.name;
  return found;
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
