import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LogoBody, Settings, settingsBody } from '../../../../src/modules/settings/settings.schema';
import { api } from '../../lib/api';

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
