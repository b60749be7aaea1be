import { z } from 'zod';
import {
  ChangePasswordInput,
  ErrorBody,
  LoginInput,
  LoginResponse,
  Me,
  StepResponse,
  SwitchRoleInput,
  TotpEnrolment,
  TotpInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import { clearSessionCookie, sessionOf, setSessionCookie, type Api } from '../../platform/http';

const tags = ['认证'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

export function registerAuthRoutes(api: Api, s: AppServices) {
  const { auth, config } = s;

  api.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '登录',
        body: LoginInput,
        response: { 200: LoginResponse, ...errors },
      },
      // Per-instance burst limit on top of the database-backed lockout and IP throttle.
      config: { auth: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, next } = await auth.login(req.body, req.ctx);
      setSessionCookie(reply, token, config);
      return { next, totpRequired: next === 'totp' };
    },
  );

  api.get(
    '/api/auth/me',
    {
      schema: { tags, summary: '当前登录信息', response: { 200: Me, ...errors } },
      config: { auth: 'pending' },
    },
    async (req) => auth.me(sessionOf(req)),
  );

  api.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: '修改密码',
        body: ChangePasswordInput,
        response: { 200: StepResponse, ...errors },
      },
      config: { auth: 'pending' },
    },
    async (req, reply) => {
      const { token, next } = await auth.changePassword(sessionOf(req), req.body, req.ctx);
      setSessionCookie(reply, token, config);
      return { next };
    },
  );

  api.get(
    '/api/auth/totp/enrolment',
    {
      schema: { tags, summary: '开始绑定双因素认证', response: { 200: TotpEnrolment, ...errors } },
      config: { auth: 'pending' },
    },
    async (req) => auth.startTotpEnrolment(sessionOf(req), req.ctx),
  );

  api.post(
    '/api/auth/totp/enrolment',
    {
      schema: {
        tags,
        summary: '确认绑定双因素认证',
        body: TotpInput,
        response: { 200: StepResponse, ...errors },
      },
      config: { auth: 'pending' },
    },
    async (req, reply) => {
      const { token, next } = await auth.confirmTotpEnrolment(
        sessionOf(req),
        req.body.code,
        req.ctx,
      );
      setSessionCookie(reply, token, config);
      return { next };
    },
  );

  api.post(
    '/api/auth/totp',
    {
      schema: {
        tags,
        summary: '双因素验证',
        body: TotpInput,
        response: { 200: StepResponse, ...errors },
      },
      config: { auth: 'pending' },
    },
    async (req, reply) => {
      const { token, next } = await auth.verifySecondFactor(sessionOf(req), req.body.code, req.ctx);
      setSessionCookie(reply, token, config);
      return { next };
    },
  );

  api.post(
    '/api/auth/logout',
    {
      schema: { tags, summary: '退出登录', response: { 204: z.null(), ...errors } },
      config: { auth: 'pending' },
    },
    async (req, reply) => {
      await auth.logout(sessionOf(req), req.ctx);
      clearSessionCookie(reply, config);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/auth/switch-role',
    {
      schema: {
        tags,
        summary: '切换角色',
        body: SwitchRoleInput,
        response: { 200: Me, ...errors },
      },
      config: { auth: 'active' },
    },
    async (req, reply) => {
      const token = await auth.switchRole(sessionOf(req), req.body.grantId, req.ctx);
      setSessionCookie(reply, token, config);
      return auth.me(await auth.loadSession(token, req.ctx));
    },
  );
}
