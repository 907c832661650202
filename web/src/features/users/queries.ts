import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiTokenItem, CreatedApiToken, SessionItem } from '../../../../src/modules/auth/auth.schema';
import type {
  CreatedUser,
  CreateOrganisationBody,
  CreateUserBody,
  Invitation,
  OrganisationItem,
  UpdateOrganisationBody,
  UpdateUserBody,
  UserItem,
} from '../../../../src/modules/users/users.schema';
import { api, query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { Wire } from '../../lib/types';

export type User = Wire<UserItem>;
export type Organisation = Wire<OrganisationItem>;

export function useUsersQuery(filter: { q: string; role: string; active: string }) {
  return usePagedQuery<User>(['users', filter], `/users${query({ ...filter, limit: 50 })}`);
}

export function useOrganisationsQuery(enabled = true) {
  return useQuery({
    queryKey: ['organisations'],
    queryFn: ({ signal }) => api<{ items: Organisation[] }>('/organisations', { signal }),
    enabled,
  });
}

function useInvalidate(...keys: string[]) {
  const client = useQueryClient();
  return () => {
    for (const key of keys) void client.invalidateQueries({ queryKey: [key] });
  };
}

export function useCreateUser() {
  const onSuccess = useInvalidate('users', 'organisations');
  return useMutation({
    mutationFn: (body: CreateUserBody) => api<Wire<CreatedUser>>('/users', { method: 'POST', body }),
    onSuccess,
  });
}

export function useUpdateUser() {
  const onSuccess = useInvalidate('users', 'organisations', 'audit');
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body }),
    onSuccess,
  });
}

export function useResetPassword() {
  const onSuccess = useInvalidate('users');
  return useMutation({
    mutationFn: (id: string) =>
      api<{ temporaryPassword: string }>(`/users/${id}/reset-password`, { method: 'POST' }),
    onSuccess,
  });
}

export function useInviteUser() {
  return useMutation({
    mutationFn: (id: string) => api<Wire<Invitation>>(`/users/${id}/invite`, { method: 'POST' }),
  });
}

export function useCreateOrganisation() {
  const onSuccess = useInvalidate('organisations');
  return useMutation({
    mutationFn: (body: CreateOrganisationBody) =>
      api<Organisation>('/organisations', { method: 'POST', body }),
    onSuccess,
  });
}

export function useUpdateOrganisation() {
  const onSuccess = useInvalidate('organisations', 'users');
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateOrganisationBody }) =>
      api<Organisation>(`/organisations/${id}`, { method: 'PATCH', body }),
    onSuccess,
  });
}

// ---- one's own account --------------------------------------------------------------

export function useSessionsQuery() {
  return useQuery({
    queryKey: ['auth', 'sessions'],
    queryFn: ({ signal }) => api<{ items: Wire<SessionItem>[] }>('/auth/sessions', { signal }),
  });
}

export function useEndSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['auth', 'sessions'] }),
  });
}

export function useApiTokensQuery() {
  return useQuery({
    queryKey: ['auth', 'tokens'],
    queryFn: ({ signal }) => api<{ items: Wire<ApiTokenItem>[] }>('/auth/tokens', { signal }),
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays: number }) =>
      api<Wire<CreatedApiToken>>('/auth/tokens', { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['auth', 'tokens'] }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/auth/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['auth', 'tokens'] }),
  });
}

// After a change of password every other session has ended: the list is refetched, and
// `me` (which says whether a change is still owed) too.
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api('/auth/password', { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['auth'] }),
  });
}

export function useAcceptInvite() {
  return useMutation({
    mutationFn: (body: { token: string; newPassword: string }) =>
      api<{ username: string }>('/auth/invite', { method: 'POST', body }),
  });
}
