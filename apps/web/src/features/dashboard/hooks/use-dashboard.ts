import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../auth/hooks/use-me';
import { dashboardQuery } from '../api/dashboard-api';

/** The home dashboard of the active role's org (`member.read`; the caller checks it). */
export function useDashboard() {
  const me = useMe();
  return useQuery(dashboardQuery(me.activeGrantId));
}
