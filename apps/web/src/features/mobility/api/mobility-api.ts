import type {
  MobilityDetail,
  MobilityListQuery,
  MobilityListResponse,
  MobilityTransitionInput,
  RegisterInflowInput,
  RegisterOutflowInput,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, buildUrl } from '../../../api/client';

export const MOBILITY_PAGE_SIZE = 20;

/** The ledger filters as the query string carries them (`shouldTransfer` as 'true'). */
export type MobilityFilters = Omit<MobilityListQuery, 'cursor' | 'limit' | 'shouldTransfer'> & {
  shouldTransfer?: 'true';
};

export const mobilityKeys = {
  all: ['mobilities'] as const,
  list: (filters: MobilityFilters, cursor: string | undefined) =>
    ['mobilities', 'list', filters, cursor ?? null] as const,
};

export function mobilityListQuery(filters: MobilityFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: mobilityKeys.list(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<MobilityListResponse>(
        '/api/mobilities',
        { ...filters, cursor, limit: MOBILITY_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

/** The Excel download of the ledger with the same filters (the session cookie goes along). */
export const mobilityExportUrl = (filters: MobilityFilters) =>
  buildUrl('/api/mobilities/export.xlsx', filters);

export const registerOutflow = (memberId: string, input: RegisterOutflowInput) =>
  api.post<MobilityDetail>(`/api/members/${encodeURIComponent(memberId)}/outflows`, input);

/** 流入登记: the person is matched by ID number, an existing record linked (never duplicated). */
export const registerInflow = (input: RegisterInflowInput) =>
  api.post<MobilityDetail>('/api/members/inflows', input);

export const transitionMobility = (id: string, input: MobilityTransitionInput) =>
  api.post<MobilityDetail>(`/api/mobilities/${encodeURIComponent(id)}/transitions`, input);
