import type { SecurityPolicy } from '@liudong/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const securityPolicyKeys = {
  all: ['security-policy'] as const,
};

export function securityPolicyQuery() {
  return queryOptions({
    queryKey: securityPolicyKeys.all,
    queryFn: ({ signal }) => api.get<SecurityPolicy>('/api/security-policy', undefined, signal),
    // The form is being edited: do not swap the values under the person's hands.
    refetchOnWindowFocus: false,
  });
}

/** The whole policy at once; the server answers 400 `validation_failed` for a value out of range. */
export const saveSecurityPolicy = (policy: SecurityPolicy) =>
  api.put<SecurityPolicy>('/api/security-policy', policy);
