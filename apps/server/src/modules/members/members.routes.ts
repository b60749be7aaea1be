import {
  CreateMemberInput,
  ErrorBody,
  IdParams,
  MemberDetail,
  MemberListQuery,
  MemberListResponse,
  RevealInput,
  RevealResponse,
  UpdateMemberInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createMemberService } from './members.service';

const tags = ['党员'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerMemberRoutes(api: Api, s: AppServices) {
  const members = createMemberService({ db: s.db, cipher: s.cipher, log: api.log });

  api.get(
    '/api/members',
    {
      schema: {
        tags,
        summary: '查询党员（身份证号码、手机号码精确查找；姓名、拼音、首字母模糊查找）',
        querystring: MemberListQuery,
        response: { 200: MemberListResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => members.list(req.ctx, req.query),
  );

  api.get(
    '/api/members/:id',
    {
      schema: {
        tags,
        summary: '党员详情（敏感信息已脱敏；每次查看均记入审计）',
        params: IdParams,
        response: { 200: MemberDetail, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => members.get(req.ctx, req.params.id),
  );

  api.post(
    '/api/members/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看一项完整敏感信息（须填写原因，记入审计）',
        params: IdParams,
        body: RevealInput,
        response: { 200: RevealResponse, ...errors },
      },
      config: { permission: 'member.reveal' },
    },
    (req) => members.reveal(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/members',
    {
      schema: {
        tags,
        summary: '登记党员',
        body: CreateMemberInput,
        response: { 200: MemberDetail, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => members.create(req.ctx, req.body),
  );

  api.patch(
    '/api/members/:id',
    {
      schema: {
        tags,
        summary: '修改党员信息',
        params: IdParams,
        body: UpdateMemberInput,
        response: { 200: MemberDetail, ...errors },
      },
      config: { permission: 'member.write' },
    },
    (req) => members.update(req.ctx, req.params.id, req.body),
  );
}
