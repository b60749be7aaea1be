import type { DashboardResponse } from '@liudong/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

// The figures are for the active role's org: the grant id is part of the key, so that a role
// switch never shows the previous org's numbers (the cache is cleared on a switch as well).
export const dashboardKeys = {
  all: ['dashboard'] as const,
  forGrant: (grantId: string | null) => ['dashboard', grantId] as const,
};

export function dashboardQuery(grantId: string | null) {
  return queryOptions({
    queryKey: dashboardKeys.forGrant(grantId),
    queryFn: ({ signal }) => api.get<DashboardResponse>('/api/dashboard', undefined, signal),
    // Aggregates over the whole subtree: no need to recount every time the window regains focus.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}
