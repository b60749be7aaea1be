import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { memberKeys } from '../../members/api/members-api';
import { mobilityKeys } from '../../mobility/api/mobility-api';
import { censusKeys } from '../api/census-api';

/**
 * After a census changed: its lists, progress and tasks are refetched. A verification is also a
 * contact (the member may leave the lost-contact list, issue 4 §5) and 有变化 moves the episode's
 * whereabouts: then the member, the ledger and the home figures are refetched too.
 */
export function useRefreshAfterCensus() {
  const queryClient = useQueryClient();
  return useCallback(
    async (verified?: { memberId: string; changed: boolean }) => {
      await queryClient.invalidateQueries({ queryKey: censusKeys.all });
      if (verified) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: memberKeys.detail(verified.memberId) }),
          queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
          ...(verified.changed
            ? [queryClient.invalidateQueries({ queryKey: mobilityKeys.all })]
            : []),
        ]);
      }
    },
    [queryClient],
  );
}
