import { useCallback } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Me } from '@liudong/contracts';
import { setCsrfToken } from '../../../api/client';
import { logout, meQueryKey } from '../api/auth-api';

/** Where to return after signing in: the page first asked for, kept in the /login location state. */
export interface LoginLocationState {
  from?: string;
}

export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/** Drops every cached answer except the signed-in person (after a role switch). */
export function removeDataQueries(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await logout();
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    setCsrfToken(null);
    await navigate('/login', { replace: true });
    queryClient.clear();
  }, [navigate, queryClient]);
}

/** After a role switch: a new session id, new permissions, so nothing cached may be reused. */
export function useApplyRoleSwitch() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (me: Me) => {
      await navigate('/');
      removeDataQueries(queryClient);
      queryClient.setQueryData(meQueryKey, me);
    },
    [navigate, queryClient],
  );
}
