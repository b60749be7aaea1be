import { useCallback } from 'react';
import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError, setCsrfToken } from '../../../api/client';
import { logout, meQueryKey } from '../api/auth-api';
import { meQueryOptions } from './use-me';

/**
 * The sign-in flow is driven by `Me.stage`: after each step the login page reloads /api/auth/me
 * (which also brings the CSRF token of the pending session) and shows whatever comes next.
 */
export function useAuthSteps() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const reloadMe = useCallback(
    () => queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 }).catch(() => undefined),
    [queryClient],
  );

  const restart = useCallback(async () => {
    setCsrfToken(null);
    await queryClient.resetQueries({ queryKey: meQueryKey });
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      // Already gone: fine.
    }
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
    await restart();
  }, [queryClient, restart]);

  /** A step failed because the pending session expired or is at another stage: start over / resync. */
  const handleStepError = useCallback(
    async (error: unknown) => {
      if (isApiError(error, 'unauthenticated')) {
        message.warning({ content: '登录已过期，请重新登录', key: 'session-expired' });
        await restart();
      } else if (isApiError(error, 'stage_required')) {
        await reloadMe();
      }
    },
    [message, reloadMe, restart],
  );

  return { reloadMe, signOut, handleStepError };
}
