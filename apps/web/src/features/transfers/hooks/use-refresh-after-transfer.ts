import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Transfer } from '@liudong/contracts';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { memberKeys } from '../../members/api/members-api';
import { mobilityKeys } from '../../mobility/api/mobility-api';
import { transferKeys } from '../api/transfers-api';

/**
 * After a transfer changed: the transfer lists (and the overdue count) are refetched. Only a
 * completed transfer moves the member to another org (条例 Art. 25: the home org stays
 * responsible until the receipt), so only then are the member record, the member lists and the
 * ledger (and the home figures) refetched — each view of a member record is audited (DOMAIN.md §10).
 */
export function useRefreshAfterTransfer() {
  const queryClient = useQueryClient();
  return useCallback(
    async (transfer?: Pick<Transfer, 'memberId' | 'status'>) => {
      await queryClient.invalidateQueries({ queryKey: transferKeys.all });
      if (transfer?.status === 'completed') {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: memberKeys.detail(transfer.memberId) }),
          queryClient.invalidateQueries({ queryKey: memberKeys.lists }),
          queryClient.invalidateQueries({ queryKey: mobilityKeys.all }),
          queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
        ]);
      }
    },
    [queryClient],
  );
}
