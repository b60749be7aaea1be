import {
  ErrorBody,
  IdParams,
  MobilityDetail,
  MobilityListQuery,
  MobilityListResponse,
  MobilityTransitionInput,
  RegisterInflowInput,
  RegisterOutflowInput,
  TemporaryBranchSuggestionsResponse,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createMobilityService } from './mobility.service';

const tags = ['流动党员'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerMobilityRoutes(api: Api, s: AppServices) {
  const mobility = createMobilityService({ db: s.db, cipher: s.cipher });

  api.post(
    '/api/members/:id/outflows',
    {
      schema: {
        tags,
        summary: '流出登记（《流动党员情况登记表》，由党员所在党组织办理）',
        params: IdParams,
        body: RegisterOutflowInput,
        response: { 200: MobilityDetail, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => mobility.registerOutflow(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/members/inflows',
    {
      schema: {
        tags,
        summary: '流入登记（按身份证号码关联已有党员，不重复建档）',
        body: RegisterInflowInput,
        response: { 200: MobilityDetail, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => mobility.registerInflow(req.ctx, req.body),
  );

  api.post(
    '/api/mobilities/:id/transitions',
    {
      schema: {
        tags,
        summary: '办理流动环节（告知、联系、落实、服务、返回、转出、终止）',
        params: IdParams,
        body: MobilityTransitionInput,
        response: { 200: MobilityDetail, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => mobility.transition(req.ctx, req.params.id, req.body),
  );

  api.get(
    '/api/mobilities',
    {
      schema: {
        tags,
        summary: '流动党员台账（流出按党员所在组织、流入按接收组织限定范围）',
        querystring: MobilityListQuery,
        response: { 200: MobilityListResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => mobility.list(req.ctx, req.query),
  );

  api.get(
    '/api/mobilities/temporary-branch-suggestions',
    {
      schema: {
        tags,
        summary: '建议成立临时党支部（同一党组织3名以上党员流向同一城市）',
        response: { 200: TemporaryBranchSuggestionsResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => mobility.suggestions(req.ctx),
  );
}
