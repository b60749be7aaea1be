import { z } from 'zod';
import {
  CreateRegionInput,
  ErrorBody,
  Region,
  RegionListResponse,
  RegionQuery,
  UpdateRegionInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createRegionService } from './regions.service';

const tags = ['行政区划'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const CodeParams = z.object({ code: z.string().regex(/^\d{6}$/) });

export function registerRegionRoutes(api: Api, s: AppServices) {
  const regions = createRegionService({ db: s.db });

  api.get(
    '/api/regions',
    {
      schema: {
        tags,
        summary: '行政区划（不带参数时为省级）',
        querystring: RegionQuery,
        response: { 200: RegionListResponse, ...errors },
      },
    },
    async (req) => ({ items: await regions.list(req.query) }),
  );

  api.post(
    '/api/regions',
    {
      schema: {
        tags,
        summary: '新增行政区划',
        body: CreateRegionInput,
        response: { 200: Region, ...errors },
      },
      config: { permission: 'system.manage' },
    },
    (req) => regions.create(req.ctx, req.body),
  );

  api.patch(
    '/api/regions/:code',
    {
      schema: {
        tags,
        summary: '修改行政区划名称',
        params: CodeParams,
        body: UpdateRegionInput,
        response: { 200: Region, ...errors },
      },
      config: { permission: 'system.manage' },
    },
    (req) => regions.rename(req.ctx, req.params.code, req.body),
  );
}
