import { query } from '../../lib/api';
import { usePagedQuery } from '../../lib/query';
import type { AuditEntry, PersonalDataAccess } from '../../lib/types';

export function useAuditQuery(entity: string) {
  return usePagedQuery<AuditEntry>(['audit', 'changes', { entity }], `/audit${query({ entity, limit: 50 })}`);
}

export function usePersonalDataLogQuery() {
  return usePagedQuery<PersonalDataAccess>(['audit', 'personal-data'], '/audit/personal-data?limit=50');
}
