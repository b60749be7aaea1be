import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { accountKeys } from '../api/accounts-api';

export function useInvalidateAccounts() {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
    [queryClient],
  );
}
