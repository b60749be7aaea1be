import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import type { Me } from '@liudong/contracts';
import type { Permission } from '@liudong/domain';
import { fetchMe, meQueryKey } from '../api/auth-api';

export type PermissionName = Permission;

export const meQueryOptions = {
  queryKey: meQueryKey,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchMe(signal),
  staleTime: 60_000,
};

/** The signed-in person, or an ApiError (401 when there is no session). */
export function useMeQuery() {
  return useQuery(meQueryOptions);
}

/** Inside the guarded shell the `Me` is always there and at stage `done`. */
export function useMe(): Me {
  return useSuspenseQuery(meQueryOptions).data;
}

export function hasPermission(me: Me | undefined, permission: PermissionName): boolean {
  return me?.permissions.includes(permission) ?? false;
}

export function usePermission(permission: PermissionName): boolean {
  return hasPermission(useMe(), permission);
}

export function activeGrant(me: Me) {
  return me.grants.find((grant) => grant.id === me.activeGrantId) ?? null;
}
