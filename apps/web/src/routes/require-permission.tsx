import type { ReactNode } from 'react';
import { usePermission, type PermissionName } from '../features/auth/hooks/use-me';
import { ForbiddenResult } from '../ui/status-results';

/** Hides a page from a role that may not see it; the server enforces the same rule anyway. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: PermissionName;
  children: ReactNode;
}) {
  const allowed = usePermission(permission);
  return allowed ? children : <ForbiddenResult />;
}
