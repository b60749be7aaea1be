import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { contactKeys, liaisonKeys } from '../api/contacts-api';

/**
 * After a liaison, an assignment or a schedule changed: the liaison lists (负责人数), every queue
 * and count (未分配联络员, due days follow the interval) and the member contact cards are
 * refetched, and the home figures too (按时联系率 counts members due under their schedule).
 */
export function useRefreshAfterAssignment() {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: liaisonKeys.all }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all }),
        queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
      ]),
    [queryClient],
  );
}
