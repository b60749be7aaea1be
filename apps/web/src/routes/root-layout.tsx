import { Suspense, useEffect } from 'react';
import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate } from 'react-router';
import { setCsrfToken, setSessionExpiredHandler } from '../api/client';
import { currentPath, type LoginLocationState } from '../features/auth/hooks/use-session';
import { PageSpin } from '../ui/page-spin';

export const SESSION_EXPIRED_MESSAGE = '登录已过期，请重新登录';

/**
 * Top of the route tree. Registers what happens when any data call answers 401 `unauthenticated`
 * (idle or absolute session timeout, SECURITY.md 5): forget everything cached and go to /login,
 * remembering the page so that signing in again returns there.
 */
export function RootLayout() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  useEffect(() => {
    setSessionExpiredHandler(() => {
      if (window.location.pathname === '/login') return;
      message.warning({ content: SESSION_EXPIRED_MESSAGE, key: 'session-expired' });
      setCsrfToken(null);
      const state: LoginLocationState = { from: currentPath() };
      void Promise.resolve(navigate('/login', { replace: true, state })).then(() =>
        queryClient.clear(),
      );
    });
    return () => setSessionExpiredHandler(null);
  }, [message, navigate, queryClient]);

  return (
    <Suspense fallback={<PageSpin full />}>
      <Outlet />
    </Suspense>
  );
}
