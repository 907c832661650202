import { query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { AuditEntry, PersonalDataAccess } from '../../lib/types';

// Empty strings are no filter (query() leaves them out).
export type AuditFilter = { actorId: string; entity: string; entityId: string; from: string; to: string };

export function useAuditQuery(filter: AuditFilter) {
  return usePagedQuery<AuditEntry>(['audit', 'changes', filter], `/audit${query({ ...filter, limit: 50 })}`);
}

export function usePersonalDataLogQuery() {
  return usePagedQuery<PersonalDataAccess>(['audit', 'personal-data'], '/audit/personal-data?limit=50');
}
