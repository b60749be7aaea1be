import type {
  CensusCampaign,
  CensusListResponse,
  CensusProgressResponse,
  CensusTask,
  CensusTaskListResponse,
  CensusTaskQuery,
  CloseCensusInput,
  OpenCensusInput,
  VerifyCensusTaskInput,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, buildUrl } from '../../../api/client';

export const CENSUS_PAGE_SIZE = 20;
export const CENSUS_TASK_PAGE_SIZE = 20;

/** The task filters as the query string carries them. */
export type CensusTaskFilters = Omit<CensusTaskQuery, 'cursor' | 'limit'>;

// Every census query starts with 'census', so one invalidation refreshes lists, progress and tasks.
export const censusKeys = {
  all: ['census'] as const,
  list: (cursor: string | undefined) => ['census', 'list', cursor ?? null] as const,
  detail: (id: string) => ['census', 'detail', id] as const,
  tasks: (id: string, filters: CensusTaskFilters, cursor: string | undefined, limit: number) =>
    ['census', 'tasks', id, filters, cursor ?? null, limit] as const,
};

const campaignPath = (id: string) => `/api/census/${encodeURIComponent(id)}`;

export function censusListQuery(cursor: string | undefined) {
  return queryOptions({
    queryKey: censusKeys.list(cursor),
    queryFn: ({ signal }) =>
      api.get<CensusListResponse>('/api/census', { cursor, limit: CENSUS_PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The campaign with its progress per org (under the campaign's root). */
export function censusProgressQuery(id: string) {
  return queryOptions({
    queryKey: censusKeys.detail(id),
    queryFn: ({ signal }) => api.get<CensusProgressResponse>(campaignPath(id), undefined, signal),
    retry: false,
  });
}

export function censusTasksQuery(
  id: string,
  filters: CensusTaskFilters,
  cursor: string | undefined,
  limit = CENSUS_TASK_PAGE_SIZE,
) {
  return queryOptions({
    queryKey: censusKeys.tasks(id, filters, cursor, limit),
    queryFn: ({ signal }) =>
      api.get<CensusTaskListResponse>(
        `${campaignPath(id)}/tasks`,
        { ...filters, cursor, limit },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Each page holds masked phones: no refetch just because the window regained focus.
    refetchOnWindowFocus: false,
  });
}

/** The first pending tasks of a campaign (for 保存并核实下一位 when the page has none left). */
export const fetchPendingTasks = (id: string, orgId: string | undefined, limit = 2) =>
  api.get<CensusTaskListResponse>(`${campaignPath(id)}/tasks`, {
    status: 'pending',
    orgId,
    limit,
  });

/** The .xlsx register of the campaign (the session cookie goes along). */
export const censusRegisterUrl = (id: string) => buildUrl(`${campaignPath(id)}/register.xlsx`);

export const openCensus = (input: OpenCensusInput) =>
  api.post<CensusCampaign>('/api/census', input);

export const verifyCensusTask = (id: string, taskId: string, input: VerifyCensusTaskInput) =>
  api.post<CensusTask>(`${campaignPath(id)}/tasks/${encodeURIComponent(taskId)}`, input);

export const closeCensus = (id: string, input: CloseCensusInput) =>
  api.post<CensusCampaign>(`${campaignPath(id)}/close`, input);
