import {
  CreateOrgInput,
  CreateServicePointInput,
  DissolveOrgInput,
  ErrorBody,
  IdParams,
  MoveOrgInput,
  OrgChildrenQuery,
  OrgChildrenResponse,
  OrgDetail,
  OrgLookupQuery,
  OrgLookupResponse,
  OrgSearchQuery,
  OrgSearchResponse,
  ServicePoint,
  UpdateOrgInput,
  UpdateServicePointInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createOrgService } from './orgs.service';

const tags = ['组织'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerOrgRoutes(api: Api, s: AppServices) {
  const orgs = createOrgService({ db: s.db });

  api.get(
    '/api/orgs/children',
    {
      schema: {
        tags,
        summary: '下级组织（不带 parentId 时为本级）',
        querystring: OrgChildrenQuery,
        response: { 200: OrgChildrenResponse, ...errors },
      },
      config: { permission: 'org.read' },
    },
    (req) => orgs.children(req.ctx, req.query.parentId, req.query.includeDissolved),
  );

  api.get(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: '搜索组织',
        querystring: OrgSearchQuery,
        response: { 200: OrgSearchResponse, ...errors },
      },
      config: { permission: 'org.read' },
    },
    (req) => orgs.search(req.ctx, req.query),
  );

  api.get(
    '/api/orgs/lookup',
    {
      schema: {
        tags,
        summary: '按名称查找组织（授予角色时用，只含名称）',
        querystring: OrgLookupQuery,
        response: { 200: OrgLookupResponse, ...errors },
      },
      config: { permission: 'org.lookup' },
    },
    (req) => orgs.lookup(req.ctx, req.query),
  );

  api.get(
    '/api/orgs/directory',
    {
      schema: {
        tags,
        summary: '按名称查找全系统的组织（选择接收、报到党组织时用，只含名称）',
        querystring: OrgLookupQuery,
        response: { 200: OrgLookupResponse, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => orgs.directory(req.ctx, req.query),
  );

  api.get(
    '/api/orgs/:id',
    {
      schema: {
        tags,
        summary: '组织详情',
        params: IdParams,
        response: { 200: OrgDetail, ...errors },
      },
      config: { permission: 'org.read' },
    },
    (req) => orgs.get(req.ctx, req.params.id),
  );

  api.post(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: '新建组织',
        body: CreateOrgInput,
        response: { 200: OrgDetail, ...errors },
      },
      config: { permission: 'org.create' },
    },
    (req) => orgs.create(req.ctx, req.body),
  );

  api.patch(
    '/api/orgs/:id',
    {
      schema: {
        tags,
        summary: '修改组织',
        params: IdParams,
        body: UpdateOrgInput,
        response: { 200: OrgDetail, ...errors },
      },
      config: { permission: 'org.update' },
    },
    (req) => orgs.update(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/orgs/:id/move',
    {
      schema: {
        tags,
        summary: '调整隶属关系（整棵子树）',
        params: IdParams,
        body: MoveOrgInput,
        response: { 200: OrgDetail, ...errors },
      },
      config: { permission: 'org.move' },
    },
    (req) => orgs.move(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/orgs/:id/dissolve',
    {
      schema: {
        tags,
        summary: '撤销组织（保留历史）',
        params: IdParams,
        body: DissolveOrgInput,
        response: { 200: OrgDetail, ...errors },
      },
      config: { permission: 'org.dissolve' },
    },
    (req) => orgs.dissolve(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/service-points',
    {
      schema: {
        tags,
        summary: '新建服务中心/站/点',
        body: CreateServicePointInput,
        response: { 200: ServicePoint, ...errors },
      },
      config: { permission: 'service_point.manage' },
    },
    (req) => orgs.createServicePoint(req.ctx, req.body),
  );

  api.patch(
    '/api/service-points/:id',
    {
      schema: {
        tags,
        summary: '修改服务中心/站/点',
        params: IdParams,
        body: UpdateServicePointInput,
        response: { 200: ServicePoint, ...errors },
      },
      config: { permission: 'service_point.manage' },
    },
    (req) => orgs.updateServicePoint(req.ctx, req.params.id, req.body),
  );
}
