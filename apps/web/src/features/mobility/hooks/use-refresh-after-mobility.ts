import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { certificateKeys } from '../../certificates/api/certificates-api';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { memberKeys } from '../../members/api/members-api';
import { mobilityKeys } from '../api/mobility-api';

/**
 * After a mobility or certificate change: the member record (its episodes, tags), the member
 * lists, the ledger and the member's certificates (a return hands the certificate back) are
 * refetched.
 */
export function useRefreshAfterMobility() {
  const queryClient = useQueryClient();
  return useCallback(
    (memberId: string) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.detail(memberId) }),
        queryClient.invalidateQueries({ queryKey: memberKeys.lists }),
        queryClient.invalidateQueries({ queryKey: mobilityKeys.all }),
        // The home figures count these records (outbound, 持证率, 报到率): recount them.
        queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
        queryClient.invalidateQueries({ queryKey: certificateKeys.ofMember(memberId) }),
      ]),
    [queryClient],
  );
}
