import type { AuditQuery, AuditSearchResponse, AuditVerifyResponse } from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = Omit<AuditQuery, 'cursor' | 'limit'>;

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters, cursor: string | undefined) =>
    ['audit', 'list', filters, cursor ?? null] as const,
};

export function auditListQuery(filters: AuditFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: auditKeys.list(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<AuditSearchResponse>(
        '/api/audit',
        { ...filters, cursor, limit: AUDIT_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Each query is itself audited (SECURITY.md 18): do not re-run it just because the window
    // regained focus.
    refetchOnWindowFocus: false,
    staleTime: 5 * 60_000,
  });
}

export const verifyAuditChain = () => api.post<AuditVerifyResponse>('/api/audit/verify');
