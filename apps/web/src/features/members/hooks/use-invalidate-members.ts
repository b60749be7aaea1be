import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { memberKeys } from '../api/members-api';

/**
 * After a member was saved: refresh the lists. The saved record itself comes back in the answer
 * and is put into the cache as is — fetching it again would log one more view (DOMAIN.md §10).
 */
export function useInvalidateMemberLists() {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ queryKey: memberKeys.lists }),
    [queryClient],
  );
}
