import { z } from 'zod';
import {
  CensusCampaign,
  CensusListResponse,
  CensusProgressResponse,
  CensusTask,
  CensusTaskListResponse,
  CensusTaskQuery,
  CloseCensusInput,
  ErrorBody,
  Id,
  IdParams,
  OpenCensusInput,
  PageQuery,
  VerifyCensusTaskInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { sendXlsx } from '../exports/exports.routes';
import { createCensusService } from './census.service';

const tags = ['摸排'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const TaskParams = z.object({ id: Id, taskId: Id });

export function registerCensusRoutes(api: Api, s: AppServices) {
  const census = createCensusService({ db: s.db, cipher: s.cipher });

  api.post(
    '/api/census',
    {
      schema: {
        tags,
        summary: '发起摸排：为本级及下级组织的每名流动党员（流出、外来流入）生成核实任务',
        body: OpenCensusInput,
        response: { 200: CensusCampaign, ...errors },
      },
      config: { permission: 'census.manage' },
    },
    (req) => census.open(req.ctx, req.body),
  );

  api.get(
    '/api/census',
    {
      schema: {
        tags,
        summary: '摸排列表（本级及下级发起的，以及上级发起、覆盖本组织的；进度只计本级及下级）',
        querystring: PageQuery,
        response: { 200: CensusListResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => census.list(req.ctx, req.query),
  );

  api.get(
    '/api/census/:id',
    {
      schema: {
        tags,
        summary: '摸排进度（按直属下级组织统计；上级发起的摸排按本组织的直属下级统计）',
        params: IdParams,
        response: { 200: CensusProgressResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => census.progress(req.ctx, req.params.id),
  );

  api.get(
    '/api/census/:id/tasks',
    {
      schema: {
        tags,
        summary: '核实任务（本级及下级的；可按组织、状态、姓名或拼音筛选；电话脱敏）',
        params: IdParams,
        querystring: CensusTaskQuery,
        response: { 200: CensusTaskListResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => census.tasks(req.ctx, req.params.id, req.query),
  );

  api.post(
    '/api/census/:id/tasks/:taskId',
    {
      schema: {
        tags,
        summary:
          '登记核实结果（无变化 / 有变化并更新去向 / 无法联系；同时记入联系记录，联系上的不再计为失联）',
        params: TaskParams,
        body: VerifyCensusTaskInput,
        response: { 200: CensusTask, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => census.verify(req.ctx, req.params.id, req.params.taskId, req.body),
  );

  api.post(
    '/api/census/:id/close',
    {
      schema: {
        tags,
        summary: '结束摸排（保存按状态、按组织的汇总；结束后不再登记核实结果）',
        params: IdParams,
        body: CloseCensusInput,
        response: { 200: CensusCampaign, ...errors },
      },
      config: { permission: 'census.manage' },
    },
    (req) => census.close(req.ctx, req.params.id, req.body),
  );

  api.get(
    '/api/census/:id/register.xlsx',
    {
      schema: {
        tags,
        summary: '导出摸排登记表（Excel；本级及下级的任务与按组织汇总；电话脱敏，带导出人水印）',
        params: IdParams,
        response: errors,
      },
      // A spreadsheet export needs the export permission (SECURITY.md 23).
      config: { permission: 'member.export' },
    },
    async (req, reply) =>
      sendXlsx(reply, await census.register(req.ctx, req.params.id), 'census-register.xlsx'),
  );
}
