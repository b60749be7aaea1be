import type {
  CreateMemberInput,
  MemberDetail,
  MemberListQuery,
  MemberListResponse,
  RevealInput,
  RevealResponse,
  UpdateMemberInput,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const MEMBER_PAGE_SIZE = 20;

/**
 * The list filters. `q` may be an ID number or a phone number: it lives in component state and in
 * the API request only, never in the page URL.
 */
export type MemberFilters = Omit<MemberListQuery, 'cursor' | 'limit'>;

// Every member query starts with 'members', so one invalidation refreshes lists and details.
export const memberKeys = {
  all: ['members'] as const,
  lists: ['members', 'list'] as const,
  list: (filters: MemberFilters, cursor: string | undefined) =>
    ['members', 'list', filters, cursor ?? null] as const,
  detail: (id: string) => ['members', 'detail', id] as const,
};

export function memberListQuery(filters: MemberFilters, cursor: string | undefined) {
  return queryOptions({
    queryKey: memberKeys.list(filters, cursor),
    queryFn: ({ signal }) =>
      api.get<MemberListResponse>(
        '/api/members',
        { ...filters, cursor, limit: MEMBER_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Searches by ID number or phone may be audited: no extra requests on window focus.
    refetchOnWindowFocus: false,
  });
}

export function memberDetailQuery(id: string) {
  return queryOptions({
    queryKey: memberKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<MemberDetail>(`/api/members/${encodeURIComponent(id)}`, undefined, signal),
    // Each view of a member record is audited (DOMAIN.md §10): do not re-run it just because the
    // window regained focus.
    refetchOnWindowFocus: false,
    staleTime: 5 * 60_000,
  });
}

const path = (id: string, action = '') => `/api/members/${encodeURIComponent(id)}${action}`;

export const createMember = (input: CreateMemberInput) =>
  api.post<MemberDetail>('/api/members', input);

export const updateMember = (id: string, input: UpdateMemberInput) =>
  api.patch<MemberDetail>(path(id), input);

/** One full value, with the reason (SECURITY.md 14). The answer is never cached. */
export const revealMemberField = (id: string, input: RevealInput) =>
  api.post<RevealResponse>(path(id, '/reveal'), input);
