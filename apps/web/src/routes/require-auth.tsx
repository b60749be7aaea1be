import { useEffect } from 'react';
import { Button, Result } from 'antd';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isApiError, reportSessionExpired } from '../api/client';
import { useMeQuery } from '../features/auth/hooks/use-me';
import type { LoginLocationState } from '../features/auth/hooks/use-session';
import { PageSpin } from '../ui/page-spin';

/**
 * Guards the signed-in part of the app: no session → /login; a session still in a pending stage
 * (change the initial password, enrol or enter the second factor) → /login, which shows that step.
 */
export function RequireAuth() {
  const location = useLocation();
  const { data: me, error, isPending, refetch } = useMeQuery();
  const isUnauthenticated = isApiError(error) && error.status === 401;
  // A refetch of /me (window focus, role switch) answered 401 while we were signed in: expired.
  const hasExpired = isUnauthenticated && me !== undefined;

  useEffect(() => {
    if (hasExpired) reportSessionExpired();
  }, [hasExpired]);

  if (isPending) return <PageSpin full />;
  const state: LoginLocationState = { from: `${location.pathname}${location.search}` };
  if (isUnauthenticated && !me) return <Navigate to="/login" replace state={state} />;
  if (!me) {
    return (
      <Result
        status="error"
        title="无法获取登录信息"
        subTitle={error?.message ?? '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => void refetch()}>
            重试
          </Button>
        }
      />
    );
  }
  if (me.stage !== 'done') return <Navigate to="/login" replace state={state} />;
  return <Outlet />;
}
