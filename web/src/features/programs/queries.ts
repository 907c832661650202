import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApplicationEvent as ApplicationEventSchema,
  type BulkApplicationResult,
  bulkApplicationLimit,
  type CreateProgramBody,
  type ProgramFeedback,
  type ResolvedLine,
  type SelectionResult,
  type UpdateProgramBody,
} from '../../../../src/modules/programs/programs.schema';
import { api, type Page, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import { postOnce } from '../../lib/send-once';
import type { Application, EligibilityResult, Program, Wire } from '../../lib/types';
import type { FieldInfo } from './rule-query';

// The event as the page receives it (ApplicationEvents.tsx names the same type; importing it from
// there would make a circle between the component and its queries).
type ApplicationEvent = Wire<ApplicationEventSchema>;

export function useProgramsQuery(limit: number, archived = false) {
  return usePagedQuery<Program>(
    ['programs', 'list', { limit, archived }],
    `/programs${query({ limit, ...(archived ? { archived: 'true' } : {}) })}`,
  );
}

// Archiving takes a program out of the lists (and closes it to applications); it can be undone.
export function useArchiveProgram(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (archived: boolean) =>
      api<Program>(`/programs/${id}/${archived ? 'archive' : 'unarchive'}`, { method: 'POST' }),
    onSuccess: (program) => {
      client.setQueryData(['programs', id], program);
      void client.invalidateQueries({ queryKey: ['programs', 'list'] });
      void client.invalidateQueries({ queryKey: ['programs', 'choices'] });
    },
  });
}

// The first programs, for a picker.
export function useProgramChoicesQuery() {
  return useQuery({
    queryKey: ['programs', 'choices'],
    queryFn: ({ signal }) => api<Page<Program>>('/programs?limit=100', { signal }),
  });
}

export function useProgramQuery(id: string | undefined) {
  return useQuery({
    queryKey: ['programs', id],
    queryFn: ({ signal }) => api<Program>(`/programs/${id}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useProgramFieldsQuery() {
  return useQuery({
    queryKey: ['programs', 'fields'],
    queryFn: ({ signal }) => api<{ fields: FieldInfo[] }>('/programs/fields', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

type ApplicationParams = { status?: string | null; order?: 'rank' | 'applied'; limit: number };

export function useApplicationsQuery(programId: string | null, params: ApplicationParams) {
  return usePagedQuery<Application>(
    ['programs', programId, 'applications', params],
    programId ? `/programs/${programId}/applications${query(params)}` : null,
  );
}

// A program's completed participants, for the aid allocation form.
export function useGraduatesQuery(programId: string | null) {
  return useQuery({
    queryKey: ['programs', programId, 'applications', 'completed'],
    queryFn: ({ signal }) =>
      api<Page<Application>>(`/programs/${programId}/applications?status=completed&limit=200`, { signal }),
    enabled: programId !== null,
  });
}

export function useApplicationEventsQuery(applicationId: string) {
  return useQuery({
    queryKey: ['applications', applicationId, 'events'],
    queryFn: ({ signal }) =>
      api<Page<ApplicationEvent>>(`/applications/${applicationId}/events?limit=200`, { signal }),
  });
}

// Seats, statuses and certificates show on programs, businesses and the dashboard.
export function invalidateEnrolment(client: QueryClient) {
  for (const key of ['programs', 'applications', 'businesses', 'reports'])
    void client.invalidateQueries({ queryKey: [key] });
}

export function useWithdrawApplication() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (application: { id: string }) =>
      api<Application>(`/applications/${application.id}/withdraw`, { method: 'POST' }),
    onSuccess: () => invalidateEnrolment(client),
  });
}

export function useMarkNoShow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (application: { id: string }) =>
      api(`/applications/${application.id}/no-show`, { method: 'POST' }),
    onSuccess: () => invalidateEnrolment(client),
  });
}

export function useApply(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (businessId: string) =>
      postOnce<Application>(`/programs/${programId}/applications`, { businessId }),
    onSuccess: () => invalidateEnrolment(client),
  });
}

export function useCheckEligibility(programId: string) {
  return useMutation({
    mutationFn: (businessId: string) =>
      api<EligibilityResult>(`/programs/${programId}/eligibility`, { method: 'POST', body: { businessId } }),
  });
}

export function useRunSelection(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Wire<SelectionResult>>(`/programs/${programId}/selection`, { method: 'POST' }),
    onSuccess: () => invalidateEnrolment(client),
  });
}

export function useSaveProgram(id: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProgramBody | UpdateProgramBody) =>
      id
        ? api<Program>(`/programs/${id}`, { method: 'PATCH', body })
        : api<Program>('/programs', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['programs'] });
      void client.invalidateQueries({ queryKey: ['reports'] });
      void client.invalidateQueries({ queryKey: ['screening'] });
    },
  });
}

export type BulkResult = Wire<BulkApplicationResult>;
export type Resolved = Wire<ResolvedLine>;

// Enrols (or, for a priority program, invites) many businesses in one action. The list goes in
// requests of `bulkChunk`, one after another and in order (so the result is the one a single
// request would give), and `onProgress` hears how many are done after each: a class of 30 is one
// request, a kecamatan of 1,000 shows its progress.
const bulkChunk = Math.min(100, bulkApplicationLimit);

export function useBulkApply(programId: string, onProgress?: (done: number, total: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (businessIds: string[]) => {
      const results: BulkResult[] = [];
      onProgress?.(0, businessIds.length);
      for (let from = 0; from < businessIds.length; from += bulkChunk) {
        const page = await api<{ results: BulkResult[] }>(`/programs/${programId}/applications/bulk`, {
          method: 'POST',
          body: { businessIds: businessIds.slice(from, from + bulkChunk) },
        });
        results.push(...page.results);
        onProgress?.(results.length, businessIds.length);
      }
      return results;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['programs', programId] });
      void client.invalidateQueries({ queryKey: ['programs', 'list'] });
      void client.invalidateQueries({ queryKey: ['screening', programId] });
      void client.invalidateQueries({ queryKey: ['reports', 'summary'] });
    },
  });
}

// A pasted or uploaded list of NIKs or refs, resolved to businesses within reach (changes nothing).
// Pasted lines, or an uploaded XLSX read on the server (first sheet, first non-empty column).
export function useResolveList(programId: string) {
  return useMutation({
    mutationFn: (input: string[] | File) => {
      if (Array.isArray(input))
        return api<{ items: Resolved[] }>(`/programs/${programId}/applications/resolve`, {
          method: 'POST',
          body: { lines: input },
        });
      const form = new FormData();
      form.append('file', input, input.name);
      return api<{ items: Resolved[] }>(`/programs/${programId}/applications/resolve-file`, {
        method: 'POST',
        body: form,
      });
    },
  });
}

// The next wave (gelombang): copied on the server, sessions moved by the same number of days.
export function useCopyProgram(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (startDate: string) =>
      api<Program>(`/programs/${programId}/copy`, { method: 'POST', body: { startDate } }),
    onSuccess: (created) => {
      client.setQueryData(['programs', created.id], created);
      void client.invalidateQueries({ queryKey: ['programs', programId] });
      void client.invalidateQueries({ queryKey: ['programs', 'list'] });
      void client.invalidateQueries({ queryKey: ['programs', 'choices'] });
    },
  });
}

export type Feedback = Wire<ProgramFeedback>;

// Participants' ratings and the test scores, as the program shows them.
export function useFeedbackQuery(programId: string) {
  return useQuery({
    queryKey: ['programs', programId, 'feedback'],
    queryFn: ({ signal }) => api<Feedback>(`/programs/${programId}/feedback`, { signal }),
  });
}

export function useSaveScores(programId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      applicationId: string;
      preTestScore: number | null;
      postTestScore: number | null;
    }) =>
      api(`/applications/${input.applicationId}/scores`, {
        method: 'PUT',
        body: { preTestScore: input.preTestScore, postTestScore: input.postTestScore },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['programs', programId, 'feedback'] });
      void client.invalidateQueries({ queryKey: ['programs', programId, 'applications'] });
    },
  });
}
