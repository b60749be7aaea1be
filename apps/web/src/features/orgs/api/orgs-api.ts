import type {
  CreateOrgInput,
  CreateServicePointInput,
  DissolveOrgInput,
  MoveOrgInput,
  OrgChildrenResponse,
  OrgDetail,
  OrgSearchResponse,
  OrgSummary,
  ServicePoint,
  UpdateOrgInput,
  UpdateServicePointInput,
} from '@liudong/contracts';
import { queryOptions } from '@tanstack/react-query';
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
