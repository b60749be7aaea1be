import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { memberKeys } from '../../members/api/members-api';
import { mobilityKeys } from '../../mobility/api/mobility-api';
import { contactKeys } from '../api/contacts-api';

/**
 * After a contact was logged: the queues and their counts (the overdue count falls), the member's
 * contact card, the lost-contact lists and the home figures (按时联系率, 失联率) are refetched. A
 * contact that changed the whereabouts also changed the episode: the member record and the ledger
 * are refetched then (and only then — each view of a member record is audited, DOMAIN.md §10).
 */
export function useRefreshAfterContact() {
  const queryClient = useQueryClient();
  return useCallback(
    async (memberId: string, whereaboutsChanged = false) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.all }),
        queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
        ...(whereaboutsChanged
          ? [
              queryClient.invalidateQueries({ queryKey: memberKeys.detail(memberId) }),
              queryClient.invalidateQueries({ queryKey: memberKeys.lists }),
              queryClient.invalidateQueries({ queryKey: mobilityKeys.all }),
            ]
          : []),
      ]);
    },
    [queryClient],
  );
}
