import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { orgKeys } from '../api/orgs-api';

/** After any change to an org or a service point: refresh tree levels, searches and details. */
export function useInvalidateOrgs() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: orgKeys.all }), [queryClient]);
}

export const VERSION_CONFLICT_MESSAGE = '该记录已被他人修改，请刷新后重试';
