import { z } from 'zod';
import {
  AccountSearchQuery,
  AccountSearchResponse,
  AccountSummary,
  CreateAccountInput,
  ErrorBody,
  GrantParams,
  GrantRoleInput,
  IdParams,
  OneTimePasswordResponse,
  SetAccountStatusInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createAccountService } from './accounts.service';

const tags = ['账号与角色'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerAccountRoutes(api: Api, s: AppServices) {
  const accounts = createAccountService({ db: s.db });
  const read = { permission: 'account.read' as const };
  const manage = { permission: 'account.manage' as const };

  api.get(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: '账号列表',
        querystring: AccountSearchQuery,
        response: { 200: AccountSearchResponse, ...errors },
      },
      config: read,
    },
    (req) => accounts.search(req.ctx, req.query),
  );
  api.get(
    '/api/accounts/:id',
    {
      schema: {
        tags,
        summary: '账号详情',
        params: IdParams,
        response: { 200: AccountSummary, ...errors },
      },
      config: read,
    },
    (req) => accounts.get(req.ctx, req.params.id),
  );
  api.post(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: '新建账号（返回一次性密码）',
        body: CreateAccountInput,
        response: { 200: OneTimePasswordResponse, ...errors },
      },
      config: manage,
    },
    (req) => accounts.create(req.ctx, req.body),
  );
  api.post(
    '/api/accounts/:id/status',
    {
      schema: {
        tags,
        summary: '停用/启用账号',
        params: IdParams,
        body: SetAccountStatusInput,
        response: { 200: AccountSummary, ...errors },
      },
      config: manage,
    },
    (req) => accounts.setDisabled(req.ctx, req.params.id, req.body.disabled),
  );
  api.post(
    '/api/accounts/:id/unlock',
    {
      schema: {
        tags,
        summary: '解除锁定',
        params: IdParams,
        response: { 200: AccountSummary, ...errors },
      },
      config: manage,
    },
    (req) => accounts.unlock(req.ctx, req.params.id),
  );
  api.post(
    '/api/accounts/:id/reset-password',
    {
      schema: {
        tags,
        summary: '重置密码（返回一次性密码）',
        params: IdParams,
        response: { 200: OneTimePasswordResponse, ...errors },
      },
      config: manage,
    },
    (req) => accounts.resetPassword(req.ctx, req.params.id),
  );
  api.post(
    '/api/accounts/:id/reset-totp',
    {
      schema: {
        tags,
        summary: '重置双因素认证',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
      config: manage,
    },
    async (req, reply) => {
      await accounts.resetTotp(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/api/accounts/:id/grants',
    {
      schema: {
        tags,
        summary: '授予角色',
        params: IdParams,
        body: GrantRoleInput,
        response: { 200: AccountSummary, ...errors },
      },
      config: { permission: 'role.grant' },
    },
    (req) => accounts.grant(req.ctx, req.params.id, req.body),
  );
  api.delete(
    '/api/accounts/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: '撤销角色',
        params: GrantParams,
        response: { 200: AccountSummary, ...errors },
      },
      config: { permission: 'role.grant' },
    },
    (req) => accounts.revoke(req.ctx, req.params.id, req.params.grantId),
  );
}
