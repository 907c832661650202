import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ComplaintDetail,
  ComplaintItem,
  complaintCreateBody,
  complaintPatchBody,
} from '../../../../src/modules/complaints/complaints.schema';
import { api, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export type Complaint = Wire<ComplaintItem>;
export type ComplaintFull = Wire<ComplaintDetail>;
export type ComplaintFilters = {
  status?: string | undefined;
  overdue?: boolean | undefined;
  programId?: string | undefined;
  assignedToMe?: boolean | undefined;
  q?: string | undefined;
};
export type ComplaintCounts = {
  items: { programId: string | null; programName: string | null; status: string; count: number }[];
  overdue: number;
};

export function useComplaintsQuery(filters: ComplaintFilters) {
  const params = {
    limit: 30,
    status: filters.status || undefined,
    overdue: filters.overdue ? 'true' : undefined,
    programId: filters.programId || undefined,
    assignedToMe: filters.assignedToMe ? 'true' : undefined,
    q: filters.q?.trim() || undefined,
  };
  return usePagedQuery<Complaint>(['complaints', 'list', params], `/complaints${query(params)}`);
}

export function useComplaintQuery(id: string | undefined) {
  return useQuery({
    queryKey: ['complaints', id],
    queryFn: ({ signal }) => api<ComplaintFull>(`/complaints/${id}`, { signal }),
    enabled: Boolean(id),
  });
}

export const complaintCountsKey = ['complaints', 'counts'] as const;

export function useComplaintCountsQuery(enabled = true) {
  return useQuery({
    queryKey: complaintCountsKey,
    queryFn: ({ signal }) => api<ComplaintCounts>('/complaints/counts', { signal }),
    enabled,
  });
}

export function useComplaintOfficersQuery() {
  return useQuery({
    queryKey: ['complaints', 'officers'],
    queryFn: ({ signal }) =>
      api<{ items: { id: string; name: string }[] }>('/complaints/officers', { signal }).then((r) => r.items),
  });
}

// Every change to a complaint changes the lists, the counts and the complaint itself.
function useInvalidateComplaints() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['complaints'] });
}

export function useCreateComplaint() {
  const invalidate = useInvalidateComplaints();
  return useMutation({
    mutationFn: (body: z.input<typeof complaintCreateBody>) =>
      api<ComplaintFull>('/complaints', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateComplaint(id: string) {
  const invalidate = useInvalidateComplaints();
  return useMutation({
    mutationFn: (body: z.input<typeof complaintPatchBody>) =>
      api<ComplaintFull>(`/complaints/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useAddComplaintNote(id: string) {
  const invalidate = useInvalidateComplaints();
  return useMutation({
    mutationFn: (text: string) =>
      api<ComplaintFull>(`/complaints/${id}/notes`, { method: 'POST', body: { text } }),
    onSuccess: invalidate,
  });
}
