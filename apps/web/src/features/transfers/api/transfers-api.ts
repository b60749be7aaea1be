import type {
  CancelTransferInput,
  DecideTransferInput,
  ReceiveTransferInput,
  RequestTransferInput,
  Transfer,
  TransferLetter,
  TransferListQuery,
  TransferListResponse,
  TransferSettings,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const TRANSFER_PAGE_SIZE = 20;
/** Enough to count the overdue letters of a scope; more shows as "99+". */
export const OVERDUE_COUNT_LIMIT = 100;

/** The list filters as the query string carries them (`overdue` as 'true'). */
export type TransferFilters = Omit<TransferListQuery, 'cursor' | 'limit' | 'overdue'> & {
  overdue?: 'true';
};

// Every transfer query starts with 'transfers', so one invalidation refreshes lists and letters.
export const transferKeys = {
  all: ['transfers'] as const,
  lists: ['transfers', 'list'] as const,
  list: (filters: TransferFilters, cursor: string | undefined, limit: number) =>
    ['transfers', 'list', filters, cursor ?? null, limit] as const,
  letter: (id: string) => ['transfers', 'letter', id] as const,
  settings: ['transfer-settings'] as const,
};

export function transferListQuery(
  filters: TransferFilters,
  cursor: string | undefined,
  limit = TRANSFER_PAGE_SIZE,
) {
  return queryOptions({
    queryKey: transferKeys.list(filters, cursor, limit),
    queryFn: ({ signal }) =>
      api.get<TransferListResponse>('/api/transfers', { ...filters, cursor, limit }, signal),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

/** The letter as printed (masked ID number, ages, names); no caching across letters. */
export function transferLetterQuery(id: string) {
  return queryOptions({
    queryKey: transferKeys.letter(id),
    queryFn: ({ signal }) =>
      api.get<TransferLetter>(`/api/transfers/${encodeURIComponent(id)}/letter`, undefined, signal),
    retry: false,
    refetchOnWindowFocus: false,
  });
}

export function transferSettingsQuery() {
  return queryOptions({
    queryKey: transferKeys.settings,
    queryFn: ({ signal }) => api.get<TransferSettings>('/api/transfer-settings', undefined, signal),
  });
}

const path = (id: string, action: string) => `/api/transfers/${encodeURIComponent(id)}/${action}`;

export const requestTransfer = (input: RequestTransferInput) =>
  api.post<Transfer>('/api/transfers', input);

export const decideTransfer = (id: string, input: DecideTransferInput) =>
  api.post<Transfer>(path(id, 'decision'), input);

export const receiveTransfer = (id: string, input: ReceiveTransferInput) =>
  api.post<Transfer>(path(id, 'receipt'), input);

export const cancelTransfer = (id: string, input: CancelTransferInput) =>
  api.post<Transfer>(path(id, 'cancel'), input);

export const updateTransferSettings = (input: TransferSettings) =>
  api.put<TransferSettings>('/api/transfer-settings', input);
