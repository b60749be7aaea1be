import type {
  CreateOrgInput,
  CreateServicePointInput,
  DissolveOrgInput,
  MoveOrgInput,
  OrgChildrenResponse,
  OrgDetail,
  OrgLookupResponse,
  OrgSearchResponse,
  OrgSummary,
  ServicePoint,
  UpdateOrgInput,
  UpdateServicePointInput,
} from '@liudong/contracts';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export type OrgKindName = OrgSummary['kind'];

// Every org query starts with 'orgs', so one invalidation refreshes tree, search and details.
export const orgKeys = {
  all: ['orgs'] as const,
  children: (parentId: string | null, includeDissolved: boolean) =>
    ['orgs', 'children', parentId, includeDissolved] as const,
  search: (q: string, includeDissolved: boolean, kind?: OrgKindName) =>
    ['orgs', 'search', q, includeDissolved, kind ?? null] as const,
  detail: (id: string) => ['orgs', 'detail', id] as const,
  lookup: (q: string) => ['orgs', 'lookup', q] as const,
};

export function orgChildrenQuery(parentId: string | null, includeDissolved: boolean) {
  return queryOptions({
    queryKey: orgKeys.children(parentId, includeDissolved),
    queryFn: ({ signal }) =>
      api.get<OrgChildrenResponse>(
        '/api/orgs/children',
        { parentId: parentId ?? undefined, includeDissolved },
        signal,
      ),
  });
}

export function orgSearchQuery(q: string, includeDissolved: boolean, kind?: OrgKindName) {
  return queryOptions({
    queryKey: orgKeys.search(q, includeDissolved, kind),
    queryFn: ({ signal }) =>
      api.get<OrgSearchResponse>('/api/orgs', { q, includeDissolved, kind, limit: 20 }, signal),
    enabled: q.trim().length > 0,
  });
}

export const ORG_LOOKUP_LIMIT = 20;

/**
 * The security admin's org finder (`org.lookup`): names and where they sit, nothing else. Without
 * org.read the tree and the search above are closed to that role (三员分立).
 */
export function orgLookupQuery(q: string) {
  return queryOptions({
    queryKey: orgKeys.lookup(q),
    queryFn: ({ signal }) =>
      api.get<OrgLookupResponse>('/api/orgs/lookup', { q, limit: ORG_LOOKUP_LIMIT }, signal),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

export function orgDetailQuery(id: string) {
  return queryOptions({
    queryKey: orgKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<OrgDetail>(`/api/orgs/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export const createOrg = (input: CreateOrgInput) => api.post<OrgDetail>('/api/orgs', input);

export const updateOrg = (id: string, input: UpdateOrgInput) =>
  api.patch<OrgDetail>(`/api/orgs/${encodeURIComponent(id)}`, input);

export const moveOrg = (id: string, input: MoveOrgInput) =>
  api.post<OrgDetail>(`/api/orgs/${encodeURIComponent(id)}/move`, input);

export const dissolveOrg = (id: string, input: DissolveOrgInput) =>
  api.post<OrgDetail>(`/api/orgs/${encodeURIComponent(id)}/dissolve`, input);

export const createServicePoint = (input: CreateServicePointInput) =>
  api.post<ServicePoint>('/api/service-points', input);

export const updateServicePoint = (id: string, input: UpdateServicePointInput) =>
  api.patch<ServicePoint>(`/api/service-points/${encodeURIComponent(id)}`, input);
