import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dashboardKeys } from '../../dashboard/api/dashboard-api';
import { memberKeys } from '../../members/api/members-api';
import { mobilityKeys } from '../../mobility/api/mobility-api';
import { importKeys } from '../api/imports-api';

/**
 * After a commit or an undo: the batch history, the saved mappings (a commit may save one), and
 * the member lists and ledger the batch wrote to. Member details are left alone: refetching one
 * logs a view (DOMAIN.md §10); an open detail refreshes when it is opened again.
 */
export function useRefreshAfterImport() {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: importKeys.all }),
        queryClient.invalidateQueries({ queryKey: importKeys.mappings }),
        queryClient.invalidateQueries({ queryKey: memberKeys.lists }),
        queryClient.invalidateQueries({ queryKey: mobilityKeys.all }),
        // The home figures count these records (outbound, 持证率, 报到率): recount them.
        queryClient.invalidateQueries({ queryKey: dashboardKeys.all }),
      ]),
    [queryClient],
  );
}
