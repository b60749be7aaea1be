import { z } from 'zod';
import {
  Broadcast,
  BroadcastInput,
  BroadcastListQuery,
  BroadcastListResponse,
  BroadcastPreview,
  ErrorBody,
  IdParams,
  OptOutInput,
  OptOutParams,
  OutboxQuery,
  OutboxResponse,
  SaveSmsTemplateInput,
  SendBroadcastInput,
  SmsStatusResponse,
  SmsTemplate,
  SmsTemplateListResponse,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { createSmsService } from './sms.service';

const tags = ['短信'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registerSmsRoutes(api: Api, s: AppServices) {
  const sms = createSmsService({ db: s.db, cipher: s.cipher, config: s.config });

  api.get(
    '/api/sms/templates',
    {
      schema: {
        tags,
        summary: '短信模板（含变量）',
        response: { 200: SmsTemplateListResponse, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    () => sms.listTemplates(),
  );

  api.post(
    '/api/sms/templates',
    {
      schema: {
        tags,
        summary: '新建短信模板（变量写作 ${name}；名称不可重复）',
        body: SaveSmsTemplateInput,
        response: { 200: SmsTemplate, ...errors },
      },
      config: { permission: 'sms.configure' },
    },
    (req) => sms.createTemplate(req.ctx, req.body),
  );

  api.put(
    '/api/sms/templates/:id',
    {
      schema: {
        tags,
        summary: '修改短信模板（须提供版本号）',
        params: IdParams,
        body: SaveSmsTemplateInput,
        response: { 200: SmsTemplate, ...errors },
      },
      config: { permission: 'sms.configure' },
    },
    (req) => sms.updateTemplate(req.ctx, req.params.id, req.body),
  );

  api.get(
    '/api/sms/outbox',
    {
      schema: {
        tags,
        summary: '发件箱（本级及下级党组织的短信；号码遮蔽）',
        querystring: OutboxQuery,
        response: { 200: OutboxResponse, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    (req) => sms.outbox(req.ctx, req.query),
  );

  api.post(
    '/api/sms/broadcasts/preview',
    {
      schema: {
        tags,
        summary: '群发预览：收件人数、无手机号和已退订人数、示例短信、今日剩余额度',
        body: BroadcastInput,
        response: { 200: BroadcastPreview, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    (req) => sms.preview(req.ctx, req.body),
  );

  api.post(
    '/api/sms/broadcasts',
    {
      schema: {
        tags,
        summary: '群发短信（红色短信）：收件人数须与预览一致，全部放入发件箱并留痕',
        body: SendBroadcastInput,
        response: { 200: Broadcast, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    (req) => sms.send(req.ctx, req.body),
  );

  api.get(
    '/api/sms/broadcasts',
    {
      schema: {
        tags,
        summary: '群发记录（各状态条数）',
        querystring: BroadcastListQuery,
        response: { 200: BroadcastListResponse, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    (req) => sms.listBroadcasts(req.ctx, req.query),
  );

  api.post(
    '/api/sms/opt-outs',
    {
      schema: {
        tags,
        summary: '登记党员退订短信（此后不再向该号码发送，含群发）',
        body: OptOutInput,
        response: { 204: z.null(), ...errors },
      },
      // The member tells their branch (issue 4 §6: opt-out respected): whoever keeps the
      // member's record records it (member.write, home or host side in scope), not only the
      // officers who may send broadcasts (sms.send).
      config: { permission: 'member.write' },
    },
    async (req, reply) => {
      await sms.optOut(req.ctx, req.body.memberId);
      return reply.status(204).send(null);
    },
  );

  api.delete(
    '/api/sms/opt-outs/:memberId',
    {
      schema: {
        tags,
        summary: '取消党员的短信退订',
        params: OptOutParams,
        response: { 204: z.null(), ...errors },
      },
      config: { permission: 'member.write' },
    },
    async (req, reply) => {
      await sms.optIn(req.ctx, req.params.memberId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/sms/status',
    {
      schema: {
        tags,
        summary: '短信通道状态：当前驱动、今日已发条数和每日上限',
        response: { 200: SmsStatusResponse, ...errors },
      },
      config: { permission: 'sms.send' },
    },
    (req) => sms.status(req.ctx),
  );
}
