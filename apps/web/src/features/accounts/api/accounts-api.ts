import type {
  AccountSearchResponse,
  AccountSummary,
  CreateAccountInput,
  GrantRoleInput,
  OneTimePasswordResponse,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const ACCOUNT_PAGE_SIZE = 20;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (q: string, cursor: string | undefined) => ['accounts', 'list', q, cursor ?? null] as const,
};

export function accountListQuery(q: string, cursor: string | undefined) {
  return queryOptions({
    queryKey: accountKeys.list(q, cursor),
    queryFn: ({ signal }) =>
      api.get<AccountSearchResponse>(
        '/api/accounts',
        { q, cursor, limit: ACCOUNT_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

const path = (id: string, action = '') => `/api/accounts/${encodeURIComponent(id)}${action}`;

export const createAccount = (input: CreateAccountInput) =>
  api.post<OneTimePasswordResponse>('/api/accounts', input);

export const setAccountDisabled = (id: string, disabled: boolean) =>
  api.post<AccountSummary>(path(id, '/status'), { disabled });

export const unlockAccount = (id: string) => api.post<AccountSummary>(path(id, '/unlock'));

export const resetPassword = (id: string) =>
  api.post<OneTimePasswordResponse>(path(id, '/reset-password'));

export const resetTotp = (id: string) => api.post<void>(path(id, '/reset-totp'));

export const grantRole = (id: string, input: GrantRoleInput) =>
  api.post<AccountSummary>(path(id, '/grants'), input);

export const revokeRole = (id: string, grantId: string) =>
  api.delete<AccountSummary>(path(id, `/grants/${encodeURIComponent(grantId)}`));
