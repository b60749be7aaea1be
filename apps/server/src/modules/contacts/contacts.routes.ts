import { z } from 'zod';
import {
  AssignLiaisonInput,
  AssignLiaisonResponse,
  Assignment,
  ContactSettings,
  CreateContactInput,
  CreateContactResponse,
  CreateLiaisonInput,
  ErrorBody,
  IdParams,
  Liaison,
  LiaisonCandidatesQuery,
  LiaisonCandidatesResponse,
  LiaisonListQuery,
  LiaisonListResponse,
  LostExportQuery,
  LostListQuery,
  LostListResponse,
  LostNoteInput,
  LostRegisterExportQuery,
  LostRegisterQuery,
  LostRegisterResponse,
  MemberContactsResponse,
  OrgScheduleListResponse,
  PageQuery,
  QueueQuery,
  QueueResponse,
  QueueSummary,
  QueueSummaryQuery,
  RetireLiaisonInput,
  RetireLiaisonResponse,
  SetOrgScheduleInput,
  UpdateAssignmentInput,
  UpdateLiaisonInput,
} from '@liudong/contracts';
import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';
import { sendXlsx } from '../exports/exports.routes';
import { createContactExportService } from './contacts.export';
import { createContactService } from './contacts.service';
import { createLiaisonService } from './liaisons.service';

const tags = ['联系服务'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const MemberIdParams = z.object({ memberId: z.uuid() });

/** Keeping in touch (issue 4 §1–§4): liaisons and 三定, queues, the contact log, lost contact. */
export function registerContactRoutes(api: Api, s: AppServices) {
  const contacts = createContactService({ db: s.db, cipher: s.cipher });
  const liaisons = createLiaisonService({ db: s.db, cipher: s.cipher });
  const exporter = createContactExportService({ db: s.db });

  // -------------------------------------------------------------------------------------------
  // Liaisons and assignments (定人·定时·定责)

  api.get(
    '/api/liaisons',
    {
      schema: {
        tags,
        summary: '联络员名单（本组织及下级；可含已离任的）',
        querystring: LiaisonListQuery,
        response: { 200: LiaisonListResponse, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.list(req.ctx, req.query),
  );

  api.get(
    '/api/liaisons/candidates',
    {
      schema: {
        tags,
        summary: '可登记为联络员的账号（本组织范围内的业务角色账号，按账号或姓名查找）',
        querystring: LiaisonCandidatesQuery,
        response: { 200: LiaisonCandidatesResponse, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.candidates(req.ctx, req.query),
  );

  api.post(
    '/api/liaisons',
    {
      schema: {
        tags,
        summary: '登记联络员（本组织范围内的账号，或没有账号的人员）',
        body: CreateLiaisonInput,
        response: { 200: Liaison, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.create(req.ctx, req.body),
  );

  api.patch(
    '/api/liaisons/:id',
    {
      schema: {
        tags,
        summary: '修改联络员的姓名、职务或电话',
        params: IdParams,
        body: UpdateLiaisonInput,
        response: { 200: Liaison, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.update(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/liaisons/:id/retire',
    {
      schema: {
        tags,
        summary: '联络员离任：所联系的党员一并移交给接替的联络员',
        params: IdParams,
        body: RetireLiaisonInput,
        response: { 200: RetireLiaisonResponse, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.retire(req.ctx, req.params.id, req.body),
  );

  api.post(
    '/api/liaisons/assign',
    {
      schema: {
        tags,
        summary: '批量分配联络员（所选党员，或按组织筛选的全部流出党员）',
        body: AssignLiaisonInput,
        response: { 200: AssignLiaisonResponse, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.assign(req.ctx, req.body),
  );

  api.patch(
    '/api/assignments/:id',
    {
      schema: {
        tags,
        summary: '修改一名党员的联系周期、类别或联系职责',
        params: IdParams,
        body: UpdateAssignmentInput,
        response: { 200: Assignment, ...errors },
      },
      config: { permission: 'liaison.assign' },
    },
    (req) => liaisons.updateAssignment(req.ctx, req.params.id, req.body),
  );

  // -------------------------------------------------------------------------------------------
  // Queues and the contact log

  api.get(
    '/api/contacts/queue',
    {
      schema: {
        tags,
        summary: '待联系队列：已逾期、本周应联系、全部或未分配联络员的流出党员',
        querystring: QueueQuery,
        response: { 200: QueueResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => contacts.queue(req.ctx, req.query),
  );

  api.get(
    '/api/contacts/queue/summary',
    {
      schema: {
        tags,
        summary: '待联系队列统计与按时联系率（组织视图含各联络员）',
        querystring: QueueSummaryQuery,
        response: { 200: QueueSummary, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => contacts.summary(req.ctx, req.query),
  );

  api.post(
    '/api/contacts',
    {
      schema: {
        tags,
        summary: '登记一次联系（可同时登记组织生活、党费和去向变化）',
        body: CreateContactInput,
        response: { 200: CreateContactResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => contacts.create(req.ctx, req.body),
  );

  api.get(
    '/api/members/:id/contacts',
    {
      schema: {
        tags,
        summary: '党员的联系记录、联络员安排和失联状态',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: MemberContactsResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => contacts.memberContacts(req.ctx, req.params.id, req.query),
  );

  // -------------------------------------------------------------------------------------------
  // Lost contact (失联)

  api.get(
    '/api/contacts/lost',
    {
      schema: {
        tags,
        summary: '失联与失联预警党员（查询时按最近一次组织生活、党费、联系计算）',
        querystring: LostListQuery,
        response: { 200: LostListResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => contacts.lost(req.ctx, req.query),
  );

  api.get(
    '/api/contacts/lost/registers',
    {
      schema: {
        tags,
        summary: '经查找取得联系党员 / 经查找仍然无法取得联系党员 登记表',
        querystring: LostRegisterQuery,
        response: { 200: LostRegisterResponse, ...errors },
      },
      config: { permission: 'member.read' },
    },
    (req) => contacts.registers(req.ctx, req.query),
  );

  // Spreadsheet exports need the export permission (SECURITY.md 23), like every export.
  api.get(
    '/api/contacts/lost.xlsx',
    {
      schema: {
        tags,
        summary:
          '导出失联预警 / 失去联系党员名单（Excel；本组织及下级；不含电话和身份证号，带导出人水印）',
        querystring: LostExportQuery,
        response: errors,
      },
      config: { permission: 'member.export' },
    },
    async (req, reply) =>
      sendXlsx(reply, await exporter.lost(req.ctx, req.query), 'lost-contact.xlsx'),
  );

  api.get(
    '/api/contacts/lost/registers.xlsx',
    {
      schema: {
        tags,
        summary: '导出经查找取得联系 / 经查找仍然无法取得联系党员登记表（Excel；带导出人水印）',
        querystring: LostRegisterExportQuery,
        response: errors,
      },
      config: { permission: 'member.export' },
    },
    async (req, reply) =>
      sendXlsx(reply, await exporter.register(req.ctx, req.query), 'lost-contact-register.xlsx'),
  );

  api.put(
    '/api/contacts/lost/:memberId/note',
    {
      schema: {
        tags,
        summary: '登记失联原因（①–⑦）和查找情况',
        params: MemberIdParams,
        body: LostNoteInput,
        response: { 204: z.null(), ...errors },
      },
      config: { permission: 'member.write' },
    },
    async (req, reply) => {
      await contacts.setLostNote(req.ctx, req.params.memberId, req.body);
      return reply.status(204).send(null);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Settings (定时, warning points)

  api.get(
    '/api/contacts/settings',
    {
      schema: {
        tags,
        summary: '默认联系周期与失联预警月份',
        response: { 200: ContactSettings, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    () => contacts.getSettings(),
  );

  api.put(
    '/api/contacts/settings',
    {
      schema: {
        tags,
        summary: '修改默认联系周期与失联预警月份',
        body: ContactSettings,
        response: { 200: ContactSettings, ...errors },
      },
      config: { permission: 'contact.configure' },
    },
    (req) => contacts.updateSettings(req.ctx, req.body),
  );

  api.get(
    '/api/contacts/schedules',
    {
      schema: {
        tags,
        summary: '本组织及下级设定的联系周期',
        response: { 200: OrgScheduleListResponse, ...errors },
      },
      config: { permission: 'contact.log' },
    },
    (req) => contacts.schedules(req.ctx),
  );

  api.put(
    '/api/contacts/schedules',
    {
      schema: {
        tags,
        summary: '设定或取消一个组织的联系周期（下级组织沿用）',
        body: SetOrgScheduleInput,
        response: { 204: z.null(), ...errors },
      },
      config: { permission: 'contact.configure' },
    },
    async (req, reply) => {
      await contacts.setSchedule(req.ctx, req.body);
      return reply.status(204).send(null);
    },
  );
}
