import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  KecamatanMapBody,
  kecamatanMapState,
} from '../../../../src/modules/settings/kecamatan-map.schema';
import type { LogoBody, Settings, settingsBody } from '../../../../src/modules/settings/settings.schema';
import { api } from '../../lib/api';
import type { Wire } from '../../lib/types';

export function useSettingsQuery() {
  return useQuery({
    queryKey: ['settings'],
    queryFn: ({ signal }) => api<Settings>('/settings', { signal }),
    staleTime: 5 * 60_000,
  });
}

// The office's region changes every picker: they are refetched with the settings.
export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof settingsBody>) => api<Settings>('/settings', { method: 'PUT', body }),
    onSuccess: (saved) => {
      client.setQueryData(['settings'], saved);
      void client.invalidateQueries({ queryKey: ['regions'] });
    },
  });
}

export function useSaveLogo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LogoBody) => api<Settings>('/settings/logo', { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(['settings'], saved),
  });
}

export type KecamatanMapState = Wire<z.infer<typeof kecamatanMapState>>;

export function useKecamatanMapQuery() {
  return useQuery({
    queryKey: ['settings', 'kecamatan-map'],
    queryFn: ({ signal }) => api<KecamatanMapState>('/settings/kecamatan-map', { signal }),
  });
}

// A new or removed map changes the dashboard's map too.
export function useSaveKecamatanMap() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: KecamatanMapBody | null) =>
      body
        ? api<KecamatanMapState>('/settings/kecamatan-map', { method: 'PUT', body })
        : api<null>('/settings/kecamatan-map', { method: 'DELETE' }).then(() => ({ map: null })),
    onSuccess: (state) => {
      client.setQueryData(['settings', 'kecamatan-map'], state);
      void client.invalidateQueries({ queryKey: ['reports', 'outcomes', 'map'] });
    },
  });
}
