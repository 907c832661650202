import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ExclusionImport, ExclusionList } from '../../../../src/modules/exclusions/exclusions.schema';
import { ApiError, api, apiBase } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export function useExclusionListsQuery() {
  return usePagedQuery<Wire<ExclusionList>>(['exclusion-lists'], '/exclusion-lists?limit=100');
}

// The API client speaks JSON; a file goes up as multipart form data.
async function uploadList(
  fields: { name: string; kind: string; source?: string | null },
  file: File,
): Promise<Wire<ExclusionImport>> {
  const form = new FormData();
  form.set('name', fields.name);
  form.set('kind', fields.kind);
  if (fields.source) form.set('source', fields.source);
  form.set('file', file);
  let response: Response;
  try {
    response = await fetch(`${apiBase}/exclusion-lists`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  const payload = (await response.json().catch(() => null)) as
    | (Wire<ExclusionImport> & { error?: { code: string; message: string; details?: unknown } })
    | null;
  if (!response.ok) {
    const e = payload?.error;
    throw new ApiError(
      response.status,
      e?.code ?? 'unknown_error',
      e?.message ?? response.statusText,
      e?.details,
    );
  }
  return payload as Wire<ExclusionImport>;
}

// Lists feed the eligibility rules: a change there changes who screening finds.
function useInvalidateLists() {
  const client = useQueryClient();
  return () => {
    for (const key of ['exclusion-lists', 'screening']) void client.invalidateQueries({ queryKey: [key] });
  };
}

export function useUploadExclusionList() {
  const onSuccess = useInvalidateLists();
  return useMutation({
    mutationFn: ({ file, ...fields }: { name: string; kind: string; source?: string | null; file: File }) =>
      uploadList(fields, file),
    onSuccess,
  });
}

export function useDeleteExclusionList() {
  const onSuccess = useInvalidateLists();
  return useMutation({
    mutationFn: (id: string) => api(`/exclusion-lists/${id}`, { method: 'DELETE' }),
    onSuccess,
  });
}
